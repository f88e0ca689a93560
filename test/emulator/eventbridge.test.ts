import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { eventsClient, failure, useEmulator } from './helpers.ts';

const outcome = (overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  Source: 'client-vpn-revoker',
  DetailType: 'Client VPN User Revoked',
  Detail: JSON.stringify({ username: 'jane.doe@example.com', terminated: 3 }),
  EventBusName: 'revoker-outcomes',
  Resources: ['arn:aws:ec2:us-east-1:111122223333:client-vpn-endpoint/cvpn-endpoint-1'],
  ...overrides,
});

describe('EventBridge PutEvents through @aws-sdk/client-eventbridge', () => {
  const emu = useEmulator();

  it('records every entry with an EventId and the parsed Detail', async () => {
    // Prepare
    const events = eventsClient(emu, 'eu-west-1');
    const time = new Date('2026-01-02T03:04:05Z');

    // Act
    const result = await events.send(
      new PutEventsCommand({ Entries: [outcome({ Time: time }), outcome({ EventBusName: undefined })] }),
    );

    // Assess
    expect(result.$metadata.httpStatusCode).toBe(200);
    expect(result.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries).toEqual([{ EventId: expect.any(String) }, { EventId: expect.any(String) }]);
    const published = emu.publishedEvents();
    expect(published).toEqual([
      {
        eventId: result.Entries?.[0]?.EventId,
        region: 'eu-west-1',
        eventBusName: 'revoker-outcomes',
        source: 'client-vpn-revoker',
        detailType: 'Client VPN User Revoked',
        detail: { username: 'jane.doe@example.com', terminated: 3 },
        detailText: '{"username":"jane.doe@example.com","terminated":3}',
        resources: ['arn:aws:ec2:us-east-1:111122223333:client-vpn-endpoint/cvpn-endpoint-1'],
        time: '2026-01-02T03:04:05.000Z',
      },
      expect.objectContaining({ eventId: result.Entries?.[1]?.EventId, eventBusName: 'default' }),
    ]);
    expect(emu.calls().map((c) => [c.service, c.action, c.region, c.status])).toEqual([
      ['events', 'PutEvents', 'eu-west-1', 200],
    ]);
  });

  it('fails single entries like EventBridge: malformed Detail, aws.* source, missing fields', async () => {
    // Prepare
    const events = eventsClient(emu);

    // Act
    const result = await events.send(
      new PutEventsCommand({
        Entries: [
          outcome({ Detail: '{not json' }),
          outcome({ Detail: '[1, 2]' }),
          outcome({ Source: 'aws.ec2' }),
          outcome({ DetailType: undefined }),
          outcome(),
        ],
      }),
    );

    // Assess
    expect(result.FailedEntryCount).toBe(4);
    expect(result.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual([
      'MalformedDetail',
      'MalformedDetail',
      'NotAuthorizedForSourceException',
      'InvalidArgument',
      'ok',
    ]);
    expect(result.Entries?.[0]?.ErrorMessage).toBe('Detail is malformed.');
    expect(emu.publishedEvents()).toHaveLength(1);
  });

  it.each([0, 11])('answers ValidationException 400 for %i entries', async (count) => {
    // Prepare
    const events = eventsClient(emu);

    // Act
    const error = await failure(
      events.send(new PutEventsCommand({ Entries: Array.from({ length: count }, () => outcome()) })),
    );

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.$fault).toBe('client');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(emu.publishedEvents()).toEqual([]);
  });

  it('fails the next N entries with InternalFailure', async () => {
    // Prepare
    const events = eventsClient(emu);
    emu.faults.failNextEvents(2);

    // Act
    const first = await events.send(new PutEventsCommand({ Entries: [outcome(), outcome(), outcome()] }));
    const second = await events.send(new PutEventsCommand({ Entries: [outcome()] }));

    // Assess
    expect(first.FailedEntryCount).toBe(2);
    expect(first.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual([
      'InternalFailure',
      'InternalFailure',
      'ok',
    ]);
    expect(second.FailedEntryCount).toBe(0);
    expect(emu.publishedEvents()).toHaveLength(2);
  });

  it('fails matching entries until cleared', async () => {
    // Prepare
    const events = eventsClient(emu);
    emu.faults.failEventsMatching({ detailType: 'Client VPN User Revoked' });
    const mixed = [outcome(), outcome({ DetailType: 'Client VPN Revocation Failed' })];

    // Act
    const before = await events.send(new PutEventsCommand({ Entries: mixed }));
    const again = await events.send(new PutEventsCommand({ Entries: mixed }));
    emu.faults.clear();
    const after = await events.send(new PutEventsCommand({ Entries: mixed }));

    // Assess
    expect(before.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual(['InternalFailure', 'ok']);
    expect(again.FailedEntryCount).toBe(1);
    expect(after.FailedEntryCount).toBe(0);
  });

  it('fails whole calls with HTTP 500 InternalException in the JSON error envelope', async () => {
    // Prepare
    const events = eventsClient(emu);
    emu.faults.failPutEventsCalls(1);

    // Act
    const error = await failure(events.send(new PutEventsCommand({ Entries: [outcome()] })));
    const next = await events.send(new PutEventsCommand({ Entries: [outcome()] }));
    const raw = await fetch(emu.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });

    // Assess
    expect(error.name).toBe('InternalException');
    expect(error.$fault).toBe('server');
    expect(error.$metadata.httpStatusCode).toBe(500);
    expect(next.FailedEntryCount).toBe(0);
    expect(raw.status).toBe(400);
    expect(raw.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(raw.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await raw.json()).toEqual({
      __type: 'ValidationException',
      message: expect.stringContaining('entries'),
    });
  });
});
