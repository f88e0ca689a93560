import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandInput,
  type PutEventsCommandOutput,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { OUTCOME_DETAIL_TYPE, SWEEP_OUTCOME_DETAIL_TYPE } from '../../contracts/events.ts';
import {
  type ConnectionReport,
  OUTCOME_SCHEMA_VERSION,
  type OutcomeDetail,
  outcomeDetailSchema,
} from '../../lambda/core/outcome.ts';
import {
  SWEEP_OUTCOME_SCHEMA_VERSION,
  type SweepOutcomeDetail,
  sweepOutcomeDetailSchema,
} from '../../lambda/core/sweep-outcome.ts';
import {
  detailWithinLimit,
  eventBridgeOutcomePublisher,
  eventBridgeSweepOutcomePublisher,
  type OutcomePublisherSettings,
  serialiseWithinLimit,
  sweepOutcomeEvent,
} from '../../lambda/engine/adapters/eventbridge-outcomes.ts';

const BUS = 'arn:aws:events:us-east-1:111122223333:event-bus/revocation-outcomes';
const SOURCE = 'client-vpn-revoker';
const MAX_DETAIL_BYTES = 240 * 1024;

const eventBridge = mockClient(EventBridgeClient);

function connection(index: number): ConnectionReport {
  return {
    connectionId: `cvpn-connection-${index.toString(16).padStart(17, '0')}`,
    username: 'jane.doe@example.com',
    commonName: '',
    establishedTime: '2026-11-22 09:00:00',
    matchedOn: 'username',
    terminatedBy: 'username',
    attempts: 1,
    finalStatus: 'terminating',
    messages: ['Terminate by username accepted'],
  };
}

/** A valid outcome (checked against the schema) for `requestId` with `connections` terminated sessions. */
function outcome(requestId: string, connections = 1): OutcomeDetail {
  return outcomeDetailSchema.parse({
    schemaVersion: OUTCOME_SCHEMA_VERSION,
    requestId,
    status: 'revoked',
    action: 'revoke',
    identity: 'jane.doe@example.com',
    reason: 'Okta user.lifecycle.deactivate: Deactivate Okta User',
    dryRun: false,
    trigger: {
      source: 'aws.partner/okta.com/example-org/vpn-kill-switch',
      detailType: 'SystemLog',
      eventType: 'user.lifecycle.deactivate',
      eventTime: '2026-11-22T09:59:59.512Z',
    },
    delivery: { attempt: 1, willRetry: false },
    summary: {
      endpointsScanned: 1,
      endpointsUnreachable: 0,
      connectionsFound: connections,
      connectionsTerminated: connections,
      connectionsRemaining: 0,
    },
    regions: [
      {
        region: 'us-east-1',
        endpoints: [
          {
            endpointId: 'cvpn-endpoint-0aaa0000000000001',
            status: 'scanned',
            connections: Array.from({ length: connections }, (_, index) => connection(index)),
          },
        ],
      },
    ],
    timings: {
      startedAt: '2026-11-22T10:00:00.000Z',
      finishedAt: '2026-11-22T10:00:01.250Z',
      durationMs: 1250,
      findMs: 400,
      terminateMs: 850,
    },
  });
}

const outcomes = (count: number) => Array.from({ length: count }, (_, index) => outcome(`request-${index}`));

const requestIdOf = (entry: PutEventsRequestEntry | undefined): string =>
  (JSON.parse(entry?.Detail ?? '{}') as { requestId?: string }).requestId ?? '';

/** A PutEvents reply that accepts every entry except those `fails` selects. */
function reply(
  input: PutEventsCommandInput,
  fails: (entry: PutEventsRequestEntry) => boolean = () => false,
): PutEventsCommandOutput {
  const entries = (input.Entries ?? []).map((entry, index) =>
    fails(entry)
      ? { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure' }
      : { EventId: `event-${index}` },
  );
  return {
    $metadata: { httpStatusCode: 200 },
    FailedEntryCount: entries.filter((entry) => 'ErrorCode' in entry).length,
    Entries: entries,
  };
}

function setup(attempts = 3) {
  const sleep = vi.fn(async (_ms: number) => {});
  const settings: OutcomePublisherSettings = { eventBusName: BUS, source: SOURCE, attempts, sleep };
  const publish = eventBridgeOutcomePublisher(new EventBridgeClient({ region: 'us-east-1' }), settings);
  const sentEntries = () =>
    eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries ?? []);
  return { publish, sleep, sentEntries };
}

beforeEach(() => {
  eventBridge.reset();
});

describe('eventBridgeOutcomePublisher', () => {
  it('sends 23 outcomes in 3 PutEvents calls of at most 10 entries', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => reply(input));
    const { publish, sentEntries } = setup();
    const batch = outcomes(23);

    // Act
    const results = await publish(batch);

    // Assess
    expect(sentEntries().map((entries) => entries.length)).toEqual([10, 10, 3]);
    expect(results).toEqual(batch.map(() => ({ published: true })));
    expect(
      sentEntries()
        .flat()
        .map((entry) => requestIdOf(entry)),
    ).toEqual(batch.map((item) => item.requestId));
  });

  it('builds each entry from the settings and the outcome', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => reply(input));
    const { publish, sentEntries } = setup();
    const item = outcome('request-1');

    // Act
    await publish([item]);

    // Assess
    const entry = sentEntries()[0]?.[0];
    expect(entry).toEqual({
      EventBusName: BUS,
      Source: SOURCE,
      DetailType: 'Client VPN Revocation Outcome',
      Detail: JSON.stringify(item),
      Time: new Date('2026-11-22T10:00:01.250Z'),
    });
    expect(OUTCOME_DETAIL_TYPE).toBe('Client VPN Revocation Outcome');
    expect(outcomeDetailSchema.parse(JSON.parse(entry?.Detail ?? ''))).toEqual(item);
  });

  it('sends nothing for no outcomes', async () => {
    // Prepare
    const { publish, sentEntries } = setup();

    // Act
    const results = await publish([]);

    // Assess
    expect(results).toEqual([]);
    expect(sentEntries()).toEqual([]);
  });

  it('sends only the entries refused with FailedEntryCount > 0 again, and ends with all published', async () => {
    // Prepare
    const refused = new Set(['request-3', 'request-11']);
    eventBridge
      .on(PutEventsCommand)
      .callsFakeOnce((input: PutEventsCommandInput) =>
        reply(input, (entry) => refused.has(requestIdOf(entry))),
      )
      .callsFakeOnce((input: PutEventsCommandInput) =>
        reply(input, (entry) => refused.has(requestIdOf(entry))),
      )
      .callsFake((input: PutEventsCommandInput) => reply(input));
    const { publish, sleep, sentEntries } = setup();

    // Act
    const results = await publish(outcomes(15));

    // Assess
    const sent = sentEntries().map((entries) => entries.map((entry) => requestIdOf(entry)));
    expect(sent).toHaveLength(3);
    expect(sent[2]).toEqual(['request-3', 'request-11']);
    expect(results.every((result) => result.published)).toBe(true);
    expect(sleep).toHaveBeenCalledTimes(1);
  });

  it('reports an entry refused on every attempt, with its ErrorCode, after exactly `attempts` tries', async () => {
    // Prepare
    eventBridge
      .on(PutEventsCommand)
      .callsFake((input: PutEventsCommandInput) =>
        reply(input, (entry) => requestIdOf(entry) === 'request-1'),
      );
    const { publish, sleep, sentEntries } = setup(4);

    // Act
    const results = await publish(outcomes(3));

    // Assess
    expect(results[0]).toEqual({ published: true });
    expect(results[1]).toEqual({
      published: false,
      error: expect.stringContaining('InternalFailure'),
    });
    expect(results[2]).toEqual({ published: true });
    const timesSent = sentEntries()
      .flat()
      .filter((entry) => requestIdOf(entry) === 'request-1').length;
    expect(timesSent).toBe(4);
    expect(sentEntries()).toHaveLength(4);
    expect(sleep).toHaveBeenCalledTimes(3);
  });

  it('waits longer before each new attempt', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => reply(input, () => true));
    const { publish, sleep } = setup(4);

    // Act
    await publish(outcomes(1));

    // Assess
    const waits = sleep.mock.calls.map(([ms]) => ms);
    expect(waits).toHaveLength(3);
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
    expect(new Set(waits).size).toBe(3);
  });

  it('treats a reply without an entry result as a failure', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    const { publish, sentEntries } = setup(2);

    // Act
    const results = await publish(outcomes(1));

    // Assess
    expect(results).toEqual([{ published: false, error: 'NoResult: no entry result returned' }]);
    expect(sentEntries()).toHaveLength(2);
  });

  it('retries when PutEvents throws, then publishes', async () => {
    // Prepare
    eventBridge
      .on(PutEventsCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .callsFake((input: PutEventsCommandInput) => reply(input));
    const { publish, sentEntries } = setup();

    // Act
    const results = await publish(outcomes(12));

    // Assess
    expect(results.every((result) => result.published)).toBe(true);
    // first chunk of 10 threw; the second chunk of 2 went through on the first attempt
    expect(sentEntries().map((entries) => entries.length)).toEqual([10, 2, 10]);
  });

  it('reports every outcome as failed when PutEvents throws on every attempt', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).rejects(new Error('connect ETIMEDOUT'));
    const { publish, sleep, sentEntries } = setup(3);

    // Act
    const results = await publish(outcomes(2));

    // Assess
    expect(results).toEqual([
      { published: false, error: 'connect ETIMEDOUT' },
      { published: false, error: 'connect ETIMEDOUT' },
    ]);
    expect(sentEntries()).toHaveLength(3);
    expect(sleep).toHaveBeenCalledTimes(2);
  });

  it('sends a truncated detail for an outcome too large for one event', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => reply(input));
    const { publish, sentEntries } = setup();
    const huge = outcome('request-huge', 5_000);

    // Act
    const results = await publish([huge]);

    // Assess
    expect(results).toEqual([{ published: true }]);
    const detail = sentEntries()[0]?.[0]?.Detail ?? '';
    expect(Buffer.byteLength(detail)).toBeLessThanOrEqual(MAX_DETAIL_BYTES);
    expect(JSON.parse(detail)).toMatchObject({ requestId: 'request-huge', truncated: true });
  });
});

describe('eventBridgeOutcomePublisher request size', () => {
  it('keeps every PutEvents request under 256 KB even when each entry alone fits', async () => {
    // Prepare: two outcomes of ~190 KB each
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => reply(input));
    const { publish, sentEntries } = setup(1);
    const entrySize = (entry: PutEventsRequestEntry) =>
      14 +
      Buffer.byteLength(entry.Source ?? '') +
      Buffer.byteLength(entry.DetailType ?? '') +
      Buffer.byteLength(entry.Detail ?? '');

    // Act
    const results = await publish([outcome('a', 800), outcome('b', 800)]);

    // Assess
    expect(results).toEqual([{ published: true }, { published: true }]);
    const sizes = sentEntries().map((entries) => entries.reduce((sum, entry) => sum + entrySize(entry), 0));
    expect(sizes).toHaveLength(2);
    for (const size of sizes) expect(size).toBeLessThan(256 * 1024);
  });
});

describe('detailWithinLimit', () => {
  it('keeps a small outcome intact', () => {
    // Prepare
    const item = outcome('request-small', 3);

    // Act
    const detail = detailWithinLimit(item);

    // Assess
    expect(detail).toBe(JSON.stringify(item));
    expect(JSON.parse(detail)).not.toHaveProperty('truncated');
  });

  it('truncates an outcome with 5,000 connections below 240 KiB, keeping the summary', () => {
    // Prepare
    const item = outcome('request-huge', 5_000);
    expect(Buffer.byteLength(JSON.stringify(item))).toBeGreaterThan(MAX_DETAIL_BYTES);

    // Act
    const detail = detailWithinLimit(item);

    // Assess
    expect(Buffer.byteLength(detail)).toBeLessThan(MAX_DETAIL_BYTES);
    const parsed = outcomeDetailSchema.parse(JSON.parse(detail));
    expect(parsed.truncated).toBe(true);
    expect(parsed.summary).toEqual(item.summary);
    expect(parsed.summary.connectionsTerminated).toBe(5_000);
    expect(parsed.requestId).toBe('request-huge');
    expect(parsed.status).toBe('revoked');
    expect(parsed.identity).toBe('jane.doe@example.com');
    expect(parsed.regions).toEqual([
      {
        region: 'us-east-1',
        endpoints: [{ endpointId: 'cvpn-endpoint-0aaa0000000000001', status: 'scanned', connections: [] }],
      },
    ]);
  });

  it('does not change the outcome it is given', () => {
    // Prepare
    const item = outcome('request-huge', 5_000);
    const before = JSON.stringify(item);

    // Act
    detailWithinLimit(item);

    // Assess
    expect(JSON.stringify(item)).toBe(before);
  });
});

/** A valid sweep outcome (checked against the schema) with `connections` ended sessions. */
function sweepOutcome(sweepId: string, connections = 1): SweepOutcomeDetail {
  return sweepOutcomeDetailSchema.parse({
    schemaVersion: SWEEP_OUTCOME_SCHEMA_VERSION,
    sweepId,
    status: 'swept',
    dryRun: false,
    criteria: { revokedIdentities: true, maxSessionAgeMs: 14_400_000 },
    ledger: { status: 'read' },
    counts: {
      revokedIdentities: 3,
      endpointsScanned: 2,
      endpointsUnreachable: 0,
      connectionsFound: connections,
      connectionsTerminated: connections,
      connectionsRemaining: 0,
      connectionsProtected: 1,
    },
    connections: Array.from({ length: connections }, (_, index) => {
      const { matchedOn: _matchedOn, ...report } = connection(index);
      return {
        region: 'us-east-1',
        endpointId: 'cvpn-endpoint-0aaa0000000000001',
        ...report,
        reason: 'max-session-age',
        terminatedBy: 'connection-id',
      };
    }),
    errors: [
      {
        region: 'eu-west-1',
        endpointId: 'cvpn-endpoint-0ccc0000000000003',
        code: 'InvalidClientVpnEndpointId.NotFound',
        message: 'The endpoint does not exist',
      },
    ],
    timings: {
      startedAt: '2026-11-22T10:00:00.000Z',
      finishedAt: '2026-11-22T10:00:02.500Z',
      durationMs: 2500,
      ledgerMs: 100,
      findMs: 900,
      terminateMs: 1500,
    },
  });
}

describe('eventBridgeSweepOutcomePublisher', () => {
  it('publishes the sweep outcome with its own detail-type through the same publisher', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => reply(input));
    const publish = eventBridgeSweepOutcomePublisher(new EventBridgeClient({ region: 'us-east-1' }), {
      eventBusName: BUS,
      source: SOURCE,
      attempts: 3,
      sleep: async () => {},
    });
    const item = sweepOutcome('sweep-1', 2);

    // Act
    const results = await publish([item]);

    // Assess
    expect(results).toEqual([{ published: true }]);
    const entry = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toEqual({
      EventBusName: BUS,
      Source: SOURCE,
      DetailType: 'Client VPN Session Sweep Outcome',
      Detail: JSON.stringify(item),
      Time: new Date('2026-11-22T10:00:02.500Z'),
    });
    expect(SWEEP_OUTCOME_DETAIL_TYPE).toBe('Client VPN Session Sweep Outcome');
  });

  it('sends a refused sweep outcome again and reports it published', async () => {
    // Prepare
    eventBridge
      .on(PutEventsCommand)
      .callsFakeOnce((input: PutEventsCommandInput) => reply(input, () => true))
      .callsFake((input: PutEventsCommandInput) => reply(input));
    const sleep = vi.fn(async (_ms: number) => {});
    const publish = eventBridgeSweepOutcomePublisher(new EventBridgeClient({ region: 'us-east-1' }), {
      eventBusName: BUS,
      source: SOURCE,
      attempts: 3,
      sleep,
    });

    // Act
    const results = await publish([sweepOutcome('sweep-1')]);

    // Assess
    expect(results).toEqual([{ published: true }]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
    expect(sleep).toHaveBeenCalledTimes(1);
  });
});

describe('serialiseWithinLimit for sweep outcomes', () => {
  it('keeps a small sweep outcome intact', () => {
    // Prepare
    const item = sweepOutcome('sweep-small', 3);

    // Act
    const detail = serialiseWithinLimit(item, sweepOutcomeEvent);

    // Assess
    expect(detail).toBe(JSON.stringify(item));
  });

  it('drops the per-connection details of an oversize sweep outcome, keeping counts and errors', () => {
    // Prepare
    const item = sweepOutcome('sweep-huge', 5_000);
    expect(Buffer.byteLength(JSON.stringify(item))).toBeGreaterThan(MAX_DETAIL_BYTES);

    // Act
    const detail = serialiseWithinLimit(item, sweepOutcomeEvent);

    // Assess
    expect(Buffer.byteLength(detail)).toBeLessThan(MAX_DETAIL_BYTES);
    const parsed = sweepOutcomeDetailSchema.parse(JSON.parse(detail));
    expect(parsed).toEqual({ ...item, truncated: true, connections: [] });
    expect(parsed.counts.connectionsTerminated).toBe(5_000);
    expect(item.connections).toHaveLength(5_000);
  });
});
