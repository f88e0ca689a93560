import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dynamoDbLedger } from '../../lambda/core/adapters/dynamodb-ledger.ts';
import type { IdentityMapping } from '../../lambda/core/identity-mapping.ts';
import {
  type LedgerChange,
  type LedgerState,
  LedgerUnavailableError,
  type RevocationLedger,
} from '../../lambda/core/ledger.ts';
import { identityForLogs } from '../../lambda/core/log-identity.ts';
import { type OutcomeDetail, outcomeDetailSchema } from '../../lambda/core/outcome.ts';
import { type ProtectedIdentities, protectedIdentities } from '../../lambda/core/protected-identities.ts';
import type { PublishResult } from '../../lambda/engine/adapters/eventbridge-outcomes.ts';
import { revokeAccess } from '../../lambda/engine/revoke-access.ts';
import { type LookUpUserName, processRevocationBatch } from '../../lambda/revoker/process-batch.ts';
import { LocalQueue } from '../../local/queue.ts';
import { RUNBOOK_LIFT_DETAIL_TYPE } from '../../sources/runbook/events.ts';
import { useDynamo } from '../support/dynamodb.ts';
import { OKTA_SOURCE, oktaEvent, runbookEvent, sqsRecord } from '../support/events.ts';
import { FakeClientVpn, fakeClock } from '../support/fake-client-vpn.ts';

const REGION = 'us-east-1';
const idcDisableEvent = () =>
  JSON.parse(
    readFileSync(new URL('../../examples/events/idc-console-disableuser.json', import.meta.url), 'utf8'),
  );
const ENDPOINT = 'cvpn-endpoint-0aaa0000000000001';

interface SetupOptions {
  failPublish?: (outcome: OutcomeDetail) => boolean;
  dryRun?: boolean;
  oktaMapping?: IdentityMapping;
  lookUpUserName?: LookUpUserName;
  protectedIdentities?: string[];
  /** Replaces the break-glass check (e.g. one that throws). */
  protectedIdentitiesCheck?: ProtectedIdentities;
  logHashKey?: Uint8Array;
  ledger?: RevocationLedger;
  lift?: boolean;
  /** From now to the invocation's last Terminate start (default 60 s). */
  deadlineInMs?: number;
}

function setup(options: SetupOptions = {}) {
  const fake = new FakeClientVpn().addEndpoint(REGION, ENDPOINT);
  const clock = fakeClock();
  const published: OutcomeDetail[] = [];
  const logs: { level: string; message: string; extra: Record<string, unknown> }[] = [];
  const log = (level: string) => (message: string, extra: Record<string, unknown>) =>
    logs.push({ level, message, extra });
  const metrics: Record<string, number> = {};
  const metricCalls: { name: string; unit: string; value: number }[] = [];
  const process = processRevocationBatch({
    revoke: revokeAccess(
      { clientVpn: fake.forRegion, ...clock },
      { regions: [REGION], endpoints: { kind: 'all' }, terminateRetryBudgetMs: 0 },
    ),
    lookUpUserName: options.lookUpUserName ?? (async () => undefined),
    publish: async (outcomes) =>
      outcomes.map((outcome): PublishResult => {
        if (options.failPublish?.(outcome)) return { published: false, error: 'InternalFailure: injected' };
        published.push(outcome);
        return { published: true };
      }),
    sources: {
      okta: {
        eventSourceNames: [OKTA_SOURCE],
        eventTypes: ['user.lifecycle.deactivate'],
        ...(options.oktaMapping && { identityMapping: options.oktaMapping }),
      },
      runbook: { source: 'client-vpn-revoker.runbook', liftsAllowed: true },
      lift: options.lift ?? !!options.ledger,
      identityCenter: {
        eventTypes: ['console-disable-user'],
        identityStoreIds: ['d-9067a1b2c3'],
        identityMapping: { template: '{local}' },
      },
    },
    protectedIdentities:
      options.protectedIdentitiesCheck ?? protectedIdentities(options.protectedIdentities ?? []),
    identityForLogs: identityForLogs(options.logHashKey),
    ...(options.ledger && { ledger: options.ledger }),
    dryRun: options.dryRun ?? false,
    maxReceiveCount: 3,
    maxEventTimeSkewMs: 60_000,
    now: clock.now,
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
    metrics: {
      addMetric: (name, unit, value) => {
        metrics[name] = (metrics[name] ?? 0) + value;
        metricCalls.push({ name, unit, value });
      },
    },
  });
  const run = (...records: ReturnType<typeof sqsRecord>[]) =>
    process(records, { deadline: clock.now() + (options.deadlineInMs ?? 60_000) });
  return { fake, published, logs, metrics, metricCalls, run, process, clock };
}

describe('processRevocationBatch with a poison message', () => {
  const POISON = 'poison@example.com';
  /** A break-glass check that throws (a bug) for one identity: the poison. */
  const throwingFor = (identity: string): ProtectedIdentities => ({
    ...protectedIdentities([]),
    has: (candidate: string) => {
      if (candidate === identity) throw new TypeError('Cannot read properties of undefined');
      return false;
    },
  });

  it('retries and dead-letters only the poison; its batch-mates are revoked once and not dead-lettered', async () => {
    // Prepare: the queue's semantics (maxReceiveCount 3) in front of the use case
    const { fake, published, process, clock } = setup({ protectedIdentitiesCheck: throwingFor(POISON) });
    const mates = ['jane.doe@example.com', 'john.roe@example.com'];
    for (const user of [...mates, POISON]) fake.connect(REGION, ENDPOINT, { username: user });
    const queue = new LocalQueue({ maxReceiveCount: 3, batchSize: 10 });
    const poison = oktaEvent(POISON);
    for (const event of [oktaEvent(mates[0] ?? ''), poison, oktaEvent(mates[1] ?? '')]) queue.send(event);

    // Act
    const report = await queue.drain(async (event) => {
      try {
        const result = await process(event.Records, { deadline: clock.now() + 60_000 });
        return { kind: 'result', result, durationMs: 0 };
      } catch (error) {
        return { kind: 'error', error: { name: 'Error', message: String(error) }, durationMs: 0 };
      }
    });

    // Assess
    expect(report.deadLettered).toEqual([JSON.stringify(poison)]);
    const terminated = fake.calls.filter((call) => call.action === 'terminate').map((call) => call.target);
    expect(terminated).toEqual(mates.map((username) => ({ username })));
    expect(published.filter((o) => o.identity !== POISON).map((o) => [o.identity, o.status])).toEqual(
      mates.map((mate) => [mate, 'revoked']),
    );
    expect(published.filter((o) => o.identity === POISON).map((o) => [o.status, o.delivery])).toEqual([
      ['failed', { attempt: 1, willRetry: true }],
      ['failed', { attempt: 2, willRetry: true }],
      ['failed', { attempt: 3, willRetry: false }],
    ]);
  });
});

describe('processRevocationBatch', () => {
  it('hands a request back to the queue when the invocation has no time left to terminate, saying so', async () => {
    // Prepare: the last moment a Terminate may start has passed by the time the endpoint is listed
    const { fake, published, run } = setup({ deadlineInMs: 0 });
    const connection = fake.connect(REGION, ENDPOINT, { username: 'jane.doe@example.com' });
    const record = sqsRecord(oktaEvent('jane.doe@example.com'));

    // Act
    const response = await run(record);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(fake.calls.filter((call) => call.action === 'terminate')).toEqual([]);
    expect(fake.statusOf(connection)).toBe('active');
    expect(published[0]).toMatchObject({
      status: 'failed',
      delivery: { attempt: 1, willRetry: true },
      summary: { connectionsFound: 1, connectionsTerminated: 0, connectionsRemaining: 1 },
    });
    const [report] =
      published[0]?.regions.flatMap((region) => region.endpoints).flatMap((e) => e.connections) ?? [];
    expect(report?.messages).toEqual([
      "Not terminated: the invocation's time ran out first; the request is retried",
    ]);
  });

  it('revokes the user of an Okta deactivate event and publishes one valid outcome', async () => {
    // Prepare
    const { fake, published, metrics, run } = setup();
    const connection = fake.connect(REGION, ENDPOINT, { username: 'Jane.Doe@example.com' });
    const event = oktaEvent('jane.doe@example.com');

    // Act
    const response = await run(sqsRecord(event));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(fake.statusOf(connection)).toBe('terminating');
    expect(published).toHaveLength(1);
    const outcome = outcomeDetailSchema.parse(published[0]);
    expect(outcome).toMatchObject({
      requestId: event.id,
      status: 'revoked',
      identity: 'jane.doe@example.com',
      trigger: { source: OKTA_SOURCE, detailType: 'SystemLog', eventType: 'user.lifecycle.deactivate' },
      delivery: { attempt: 1, willRetry: false },
      summary: { connectionsFound: 1, connectionsTerminated: 1 },
    });
    expect(metrics).toMatchObject({ 'Outcome-revoked': 1, ConnectionsTerminated: 1 });
  });

  it('rejects a malformed event without retrying it and still processes the rest of the batch', async () => {
    // Prepare
    const { fake, published, logs, run } = setup();
    const connection = fake.connect(REGION, ENDPOINT, { username: 'john@example.com' });
    const broken = sqsRecord('{"not": "an event"');
    const noUser = runbookEvent({ reason: 'incident 42' });

    // Act
    const response = await run(
      broken,
      sqsRecord(noUser),
      sqsRecord(runbookEvent({ username: 'john@example.com', reason: 'IR-7' })),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(fake.statusOf(connection)).toBe('terminating');
    expect(published.map((o) => o.status)).toEqual(['rejected', 'rejected', 'revoked']);
    expect(published[0]).toMatchObject({
      requestId: broken.messageId,
      identity: null,
      delivery: { willRetry: false },
    });
    expect(published[0]?.message).toMatch(/^body: expected an EventBridge event as JSON/);
    expect(published[1]).toMatchObject({
      requestId: noUser.id,
      trigger: { source: 'client-vpn-revoker.runbook' },
    });
    expect(published[1]?.message).toMatch(/^detail\.username: /);
    expect(logs.filter((l) => l.message === 'Rejected event')).toHaveLength(2);
  });

  it('rejects an event from a source that is not enabled', async () => {
    // Prepare
    const { published, run } = setup();
    const forged = { ...oktaEvent('jane@example.com'), source: 'aws.partner/okta.com/someone-else/stream' };

    // Act
    const response = await run(sqsRecord(forged));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(published[0]?.status).toBe('rejected');
    expect(published[0]?.message).toMatch(
      /no enabled identity source accepts source "aws.partner\/okta.com\/someone-else/,
    );
  });

  it('hands an incomplete request back to the queue and says a retry follows', async () => {
    // Prepare
    const { fake, published, run } = setup();
    fake.failTerminate(fake.connect(REGION, ENDPOINT, { username: 'jane@example.com' }));
    const record = sqsRecord(oktaEvent('jane@example.com'), 2);

    // Act
    const response = await run(record);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(published[0]).toMatchObject({ status: 'failed', delivery: { attempt: 2, willRetry: true } });
  });

  it('publishes willRetry false on the last delivery before the dead-letter queue', async () => {
    // Prepare
    const { fake, published, run } = setup();
    fake.failTerminate(fake.connect(REGION, ENDPOINT, { username: 'jane@example.com' }));
    const record = sqsRecord(oktaEvent('jane@example.com'), 3);

    // Act
    const response = await run(record);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(published[0]).toMatchObject({ status: 'failed', delivery: { attempt: 3, willRetry: false } });
  });

  it('keeps a request for retry when its outcome cannot be published, even after a full revocation', async () => {
    // Prepare
    const { fake, logs, metrics, run } = setup({
      failPublish: (outcome) => outcome.identity === 'jane@example.com',
    });
    fake.connect(REGION, ENDPOINT, { username: 'jane@example.com' });
    fake.connect(REGION, ENDPOINT, { username: 'john@example.com' });
    const jane = sqsRecord(oktaEvent('jane@example.com'));
    const john = sqsRecord(oktaEvent('john@example.com'));

    // Act
    const response = await run(jane, john);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: jane.messageId }]);
    expect(logs.find((l) => l.level === 'error')?.extra).toMatchObject({
      error: 'InternalFailure: injected',
    });
    expect(metrics.OutcomePublishFailed).toBe(1);
  });

  it('turns every request into a dry run when the deployment is in dry-run mode', async () => {
    // Prepare
    const { fake, published, run } = setup({ dryRun: true });
    const connection = fake.connect(REGION, ENDPOINT, { username: 'jane@example.com' });

    // Act
    await run(sqsRecord(oktaEvent('jane@example.com')));

    // Assess
    expect(fake.statusOf(connection)).toBe('active');
    expect(published[0]).toMatchObject({ status: 'dry-run', dryRun: true, summary: { connectionsFound: 1 } });
  });

  it('honours a runbook request for a dry run', async () => {
    // Prepare
    const { fake, published, run } = setup();
    fake.connect(REGION, ENDPOINT, { commonName: 'jane' });

    // Act
    await run(sqsRecord(runbookEvent({ username: 'jane', reason: 'rehearsal', dryRun: true })));

    // Assess
    expect(published[0]).toMatchObject({
      status: 'dry-run',
      reason: 'rehearsal',
      summary: { connectionsFound: 1 },
    });
    expect(fake.count('terminate')).toBe(0);
  });

  it('maps the IdP login to the name the user connects with before looking for sessions', async () => {
    // Prepare: Active Directory endpoints know Jane as jane.doe, Okta as Jane.Doe@example.com
    const { fake, published, run } = setup({ oktaMapping: { template: '{local}', lowercase: true } });
    const adSession = fake.connect(REGION, ENDPOINT, { username: 'jane.doe' });
    const emailSession = fake.connect(REGION, ENDPOINT, { username: 'jane.doe@example.com' });

    // Act
    await run(sqsRecord(oktaEvent('Jane.Doe@example.com')));

    // Assess
    expect(fake.statusOf(adSession)).toBe('terminating');
    expect(fake.statusOf(emailSession)).toBe('active');
    expect(published[0]).toMatchObject({ status: 'revoked', identity: 'jane.doe' });
  });

  it('rejects an event whose login cannot be mapped, naming why', async () => {
    // Prepare
    const { published, run } = setup({ oktaMapping: { template: '{local}' } });

    // Act
    const response = await run(sqsRecord(oktaEvent('jdoe')));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(published[0]).toMatchObject({ status: 'rejected' });
    expect(published[0]?.message).toMatch(/"jdoe" has no @domain/);
  });

  describe('events that name the user by id', () => {
    it('looks the user name up, maps it and revokes', async () => {
      // Prepare
      const lookUps: unknown[] = [];
      const { fake, published, run } = setup({
        lookUpUserName: async (reference) => {
          lookUps.push(reference);
          return { userName: 'jane.doe@example.com', aliases: [] };
        },
      });
      const session = fake.connect(REGION, ENDPOINT, { username: 'jane.doe' });

      // Act
      await run(sqsRecord(idcDisableEvent()));

      // Assess
      expect(lookUps).toEqual([
        {
          kind: 'identity-store-user',
          identityStoreId: 'd-9067a1b2c3',
          userId: '94a8e4d8-e0b1-7052-3b5e-7c1f2a9d6e01',
        },
      ]);
      expect(fake.statusOf(session)).toBe('terminating');
      expect(published[0]).toMatchObject({ status: 'revoked', identity: 'jane.doe' });
    });

    it('keeps the request for retry with a failed outcome when the look-up itself fails', async () => {
      // Prepare
      const { fake, published, run } = setup({
        lookUpUserName: async () => {
          throw new Error('Rate exceeded');
        },
      });
      const session = fake.connect(REGION, ENDPOINT, { username: 'jane.doe' });
      const record = sqsRecord(idcDisableEvent());

      // Act
      const response = await run(record);

      // Assess
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
      expect(fake.statusOf(session)).toBe('active');
      expect(published[0]).toMatchObject({ status: 'failed', delivery: { willRetry: true } });
      expect(published[0]?.message).toBe('User look-up failed: Rate exceeded');
      expect(published[0]?.identity).toMatch(/^Identity Store user 94a8e4d8/);
    });

    it('never drops a disable of a user nobody can name: failed, retried until the dead-letter queue, counted', async () => {
      // Prepare: the user is gone and no directory knows it (the look-up answers undefined)
      const { fake, published, metrics, logs, run } = setup({ lookUpUserName: async () => undefined });
      const session = fake.connect(REGION, ENDPOINT, { username: 'jane.doe' });
      const event = idcDisableEvent();
      const deliveries = [1, 2, 3].map((attempt) => sqsRecord(event, attempt));

      // Act: every delivery up to the redrive limit (maxReceiveCount 3)
      const responses = [];
      for (const record of deliveries) responses.push(await run(record));

      // Assess
      expect(responses.map((response) => response.batchItemFailures.length)).toEqual([1, 1, 1]);
      expect(published.map((outcome) => [outcome.status, outcome.delivery.willRetry])).toEqual([
        ['failed', true],
        ['failed', true],
        ['failed', false],
      ]);
      expect(published[0]?.message).toMatch(
        /^Identity Store user 94a8e4d8-e0b1-7052-3b5e-7c1f2a9d6e01 \(identity store d-9067a1b2c3\) no longer exists and the user directory has no record of it/,
      );
      expect(metrics.IdentityUnresolved).toBe(3);
      expect(metrics['Outcome-rejected']).toBeUndefined();
      expect(logs.filter((entry) => entry.message === 'Identity unresolved')).toHaveLength(3);
      expect(fake.statusOf(session)).toBe('active');
    });
  });

  describe('with the revocation ledger', () => {
    const dynamo = useDynamo();
    const ledgerOn = (wrap: (ledger: RevocationLedger) => RevocationLedger = (ledger) => ledger) =>
      wrap(
        dynamoDbLedger(dynamo.client, {
          tableName: dynamo.tableName,
          retentionMs: 30 * 86_400_000,
          now: Date.now,
        }),
      );
    const at = <Event extends { time: string }>(event: Event, time: string): Event => ({ ...event, time });
    const revokeRequest = (username: string, time = '2026-11-22T10:00:00Z') =>
      at(runbookEvent({ username, reason: 'offboarding' }), time);
    const liftRequest = (username: string, time = '2026-11-22T11:00:00Z') =>
      at(runbookEvent({ username, reason: 'rehired' }, undefined, RUNBOOK_LIFT_DETAIL_TYPE), time);

    it('records the revocation before it terminates anything and reports the record', async () => {
      // Prepare: a slow ledger (the listing finishes first); note how many Terminate calls EC2 had seen
      // when the write completed, and how many listing calls
      let terminatesBeforeWrite = -1;
      let listingsBeforeWrite = -1;
      const ledger = ledgerOn((inner) => ({
        ...inner,
        recordRevocation: async (change) => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          const result = await inner.recordRevocation(change);
          terminatesBeforeWrite = fake.calls.filter((call) => call.action === 'terminate').length;
          listingsBeforeWrite = fake.calls.filter((call) => call.action === 'describeConnections').length;
          return result;
        },
      }));
      const { fake, published, run } = setup({ ledger });
      const session = fake.connect(REGION, ENDPOINT, { username: 'jane' });

      // Act
      const response = await run(sqsRecord(revokeRequest('Jane')));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(terminatesBeforeWrite).toBe(0);
      // …while the endpoint was listed beside the write.
      expect(listingsBeforeWrite).toBe(1);
      expect(fake.statusOf(session)).toBe('terminating');
      expect(published[0]).toMatchObject({
        status: 'revoked',
        action: 'revoke',
        ledger: { status: 'recorded', state: 'revoked', eventTime: '2026-11-22T10:00:00Z' },
      });
      expect(await ledger.findRevoked(['jane'])).toEqual([
        expect.objectContaining({ identity: 'Jane', state: 'revoked', reason: 'offboarding' }),
      ]);
    });

    it('lifts a revocation so the identity is no longer listed as revoked', async () => {
      // Prepare
      const ledger = ledgerOn();
      const { published, run } = setup({ ledger });
      await run(sqsRecord(revokeRequest('jane')));

      // Act
      const response = await run(sqsRecord(liftRequest('jane')));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(published[1]).toMatchObject({
        status: 'lifted',
        action: 'lift',
        identity: 'jane',
        delivery: { willRetry: false },
        ledger: { status: 'recorded', state: 'lifted', eventTime: '2026-11-22T11:00:00Z' },
        summary: { connectionsFound: 0 },
      });
      expect(await ledger.findRevoked(['jane'])).toEqual([]);
    });

    it("records, ends and lifts every one of the person's names, and lists them in the outcome", async () => {
      // Prepare
      const ledger = ledgerOn();
      const { fake, published, run } = setup({ ledger, protectedIdentities: ['breakglass'] });
      const aliases = ['Jane.Doe@example.com', 'JANE', 'breakglass', 'jd-laptop'];
      const sessions = [
        fake.connect(REGION, ENDPOINT, { username: 'jane' }),
        fake.connect(REGION, ENDPOINT, { username: 'jane.doe@example.com' }),
        fake.connect(REGION, ENDPOINT, { commonName: 'JD-LAPTOP' }),
      ];
      const breakGlass = fake.connect(REGION, ENDPOINT, { username: 'breakglass' });
      const bystander = fake.connect(REGION, ENDPOINT, { username: 'jane.doe@example.org' });
      const revoke = at(
        runbookEvent({ username: 'jane', aliases, reason: 'offboarding' }),
        '2026-11-22T10:00:00Z',
      );

      // Act
      await run(sqsRecord(revoke));
      const revoked = await ledger.listRevoked();
      await run(
        sqsRecord(
          at(
            { ...liftRequest('jane'), detail: { username: 'jane', aliases, reason: 'rehired' } },
            '2026-11-22T11:00:00Z',
          ),
        ),
      );

      // Assess: the duplicate spelling and the protected alias are dropped, the rest recorded as one event
      expect(published[0]).toMatchObject({
        status: 'revoked',
        identity: 'jane',
        aliases: ['Jane.Doe@example.com', 'jd-laptop'],
        summary: { connectionsFound: 3, connectionsTerminated: 3 },
      });
      const matched = published[0]?.regions.flatMap((r) => r.endpoints).flatMap((e) => e.connections);
      expect(matched?.map((c) => c.matchedIdentity).sort()).toEqual([
        'Jane.Doe@example.com',
        'jane',
        'jd-laptop',
      ]);
      for (const id of sessions) expect(fake.statusOf(id)).toBe('terminating');
      for (const id of [breakGlass, bystander]) expect(fake.statusOf(id)).toBe('active');
      expect(revoked.map((entry) => [entry.identity, entry.requestId, entry.eventTime]).sort()).toEqual(
        [
          ['Jane.Doe@example.com', revoke.id, '2026-11-22T10:00:00Z'],
          ['jane', revoke.id, '2026-11-22T10:00:00Z'],
          ['jd-laptop', revoke.id, '2026-11-22T10:00:00Z'],
        ].sort(),
      );
      expect(published[1]).toMatchObject({
        status: 'lifted',
        aliases: ['Jane.Doe@example.com', 'breakglass', 'jd-laptop'],
      });
      expect(await ledger.listRevoked()).toEqual([]);
    });

    it('revokes the e-mails a user look-up returns beside the user name', async () => {
      // Prepare
      const ledger = ledgerOn();
      const { fake, published, run } = setup({
        ledger,
        lookUpUserName: async () => ({
          userName: 'jane.doe@example.com',
          aliases: ['jdoe@corp.example.com', 'nope'],
        }),
      });
      const sessions = [
        fake.connect(REGION, ENDPOINT, { username: 'jane.doe' }),
        fake.connect(REGION, ENDPOINT, { username: 'jdoe' }),
      ];

      // Act: the Identity Center source maps with `{local}`, so an alias without @ is no VPN name
      await run(sqsRecord(idcDisableEvent()));

      // Assess
      expect(published[0]).toMatchObject({ status: 'revoked', identity: 'jane.doe', aliases: ['jdoe'] });
      for (const id of sessions) expect(fake.statusOf(id)).toBe('terminating');
      expect((await ledger.findRevoked(['jdoe', 'jane.doe'])).map((entry) => entry.identity).sort()).toEqual([
        'jane.doe',
        'jdoe',
      ]);
    });

    it('retries a request when the record of any of its names cannot be written', async () => {
      // Prepare
      const ledger = ledgerOn((inner) => ({
        ...inner,
        recordRevocation: async (change) => {
          if (change.identity === 'jd-laptop')
            throw new LedgerUnavailableError('ProvisionedThroughputExceeded');
          return inner.recordRevocation(change);
        },
      }));
      const { published, run } = setup({ ledger });
      const record = sqsRecord(
        runbookEvent({ username: 'jane', aliases: ['jd-laptop'], reason: 'offboarding' }),
      );

      // Act
      const response = await run(record);

      // Assess
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
      expect(published[0]).toMatchObject({
        ledger: { status: 'unavailable' },
        delivery: { willRetry: true },
      });
    });

    it('resolves a re-enable that arrives before the older disable by event time: nobody is cut off', async () => {
      // Prepare: the IdP disabled at 10:00 and re-enabled at 11:00; the enable is delivered first
      const ledger = ledgerOn();
      const { fake, published, run } = setup({ ledger });
      const session = fake.connect(REGION, ENDPOINT, { username: 'jane' });
      await run(sqsRecord(liftRequest('jane', '2026-11-22T11:00:00Z')));

      // Act
      const response = await run(sqsRecord(revokeRequest('jane', '2026-11-22T10:00:00Z')));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(fake.statusOf(session)).toBe('active');
      // The listing runs beside the ledger write (it only reads); nothing is terminated.
      expect(fake.calls.filter((call) => call.action === 'terminate')).toEqual([]);
      expect(published[1]).toMatchObject({
        status: 'skipped',
        skipReason: 'superseded',
        action: 'revoke',
        delivery: { willRetry: false },
        ledger: { status: 'superseded', state: 'lifted', eventTime: '2026-11-22T11:00:00Z' },
      });
      expect(await ledger.findRevoked(['jane'])).toEqual([]);
    });

    it('ignores a stale re-enable that arrives after a newer disable: the revocation stands', async () => {
      // Prepare: enabled at 09:00, disabled at 10:00; the enable is delivered last
      const ledger = ledgerOn();
      const { published, run } = setup({ ledger });
      await run(sqsRecord(revokeRequest('jane', '2026-11-22T10:00:00Z')));

      // Act
      await run(sqsRecord(liftRequest('jane', '2026-11-22T09:00:00Z')));

      // Assess
      expect(published[1]).toMatchObject({
        status: 'skipped',
        skipReason: 'superseded',
        action: 'lift',
        ledger: { status: 'superseded', state: 'revoked', eventTime: '2026-11-22T10:00:00Z' },
      });
      expect(await ledger.findRevoked(['jane'])).toHaveLength(1);
    });

    it('does not let a lift dated in the future cancel a later disable: the time is bounded and reported', async () => {
      // Prepare: someone who may put runbook events dates a lift a year ahead; the queue receives it at 10:00
      const ledger = ledgerOn();
      const { fake, published, metrics, logs, run } = setup({ ledger });
      const receivedAt = Date.parse('2026-11-22T10:00:00Z');
      const forged = sqsRecord(liftRequest('jane', '2027-11-22T10:00:00Z'), 1, receivedAt);

      // Act: the forged lift, then the identity provider's disable at 10:05
      await run(forged);
      const session = fake.connect(REGION, ENDPOINT, { username: 'jane' });
      const disable = sqsRecord(revokeRequest('jane', '2026-11-22T10:05:00Z'));
      const response = await run(disable);

      // Assess: the lift counted as of its receipt, so the later disable stands and ends the session
      expect(published[0]).toMatchObject({
        status: 'lifted',
        trigger: {
          eventTime: '2026-11-22T10:00:00.000Z',
          reportedEventTime: '2027-11-22T10:00:00Z',
          eventTimeAdjustment: 'future',
        },
        ledger: { state: 'lifted', eventTime: '2026-11-22T10:00:00.000Z' },
      });
      expect(response.batchItemFailures).toEqual([]);
      expect(published[1]).toMatchObject({
        status: 'revoked',
        ledger: { status: 'recorded', state: 'revoked' },
      });
      expect(published[1]?.trigger).not.toHaveProperty('eventTimeAdjustment');
      expect(fake.statusOf(session)).toBe('terminating');
      expect(await ledger.findRevoked(['jane'])).toHaveLength(1);
      expect(metrics.EventTimeAdjusted).toBe(1);
      expect(logs.find((entry) => entry.message === 'Event time adjusted')?.extra).toMatchObject({
        adjustment: 'future',
        reportedEventTime: '2027-11-22T10:00:00Z',
      });
    });

    it('keeps an event time within the allowed skew as the event gave it', async () => {
      // Prepare: the identity provider's clock runs 30 s ahead of the queue's (the allowed skew is 60 s)
      const ledger = ledgerOn();
      const { published, metrics, run } = setup({ ledger });
      const record = sqsRecord(
        revokeRequest('jane', '2026-11-22T10:00:30Z'),
        1,
        Date.parse('2026-11-22T10:00:00Z'),
      );

      // Act
      await run(record);

      // Assess
      expect(published[0]?.trigger).toEqual(expect.objectContaining({ eventTime: '2026-11-22T10:00:30Z' }));
      expect(published[0]?.trigger).not.toHaveProperty('reportedEventTime');
      expect(metrics.EventTimeAdjusted).toBeUndefined();
    });

    it('orders an event whose time cannot be read as of its receipt, and says so', async () => {
      // Prepare
      const ledger = ledgerOn();
      const { published, run } = setup({ ledger });
      const record = sqsRecord(revokeRequest('jane', 'yesterday'), 1, Date.parse('2026-11-22T10:00:00Z'));

      // Act
      await run(record);

      // Assess
      expect(published[0]).toMatchObject({
        status: 'nothing-to-revoke',
        trigger: {
          eventTime: '2026-11-22T10:00:00.000Z',
          reportedEventTime: 'yesterday',
          eventTimeAdjustment: 'unreadable',
        },
        ledger: { state: 'revoked', eventTime: '2026-11-22T10:00:00.000Z' },
      });
    });

    it.each([
      ['the disable first', ['revoke', 'lift']],
      ['the enable first', ['lift', 'revoke']],
    ] as const)('resolves a disable and an enable of the same second as revoked, %s', async (_, order) => {
      // Prepare: CloudTrail and most IdPs date events to the second; both events say 10:00:00
      const ledger = ledgerOn();
      const { published, run } = setup({ ledger });
      const records = {
        revoke: sqsRecord(revokeRequest('jane', '2026-11-22T10:00:00Z')),
        lift: sqsRecord(liftRequest('jane', '2026-11-22T10:00:00Z')),
      };

      // Act
      for (const action of order) await run(records[action]);

      // Assess: the revocation stands whichever arrived last; an operator lifts it explicitly
      expect(await ledger.findRevoked(['jane'])).toEqual([
        expect.objectContaining({ state: 'revoked', eventTime: '2026-11-22T10:00:00Z' }),
      ]);
      const lift = published.find((outcome) => outcome.action === 'lift');
      expect(lift).toMatchObject(
        order[0] === 'revoke' ? { status: 'skipped', skipReason: 'superseded' } : { status: 'lifted' },
      );
      expect(published.find((outcome) => outcome.action === 'revoke')?.status).toBe('nothing-to-revoke');
    });

    it('still ends the sessions when the ledger cannot be written, then keeps the request for retry', async () => {
      // Prepare
      const ledger = ledgerOn((inner) => ({
        ...inner,
        recordRevocation: async () => {
          throw new LedgerUnavailableError('ProvisionedThroughputExceededException: slow down');
        },
      }));
      const { fake, published, run } = setup({ ledger });
      const session = fake.connect(REGION, ENDPOINT, { username: 'jane' });
      const record = sqsRecord(revokeRequest('jane'));

      // Act
      const response = await run(record);

      // Assess
      expect(fake.statusOf(session)).toBe('terminating');
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
      expect(published[0]).toMatchObject({
        status: 'partial',
        delivery: { willRetry: true },
        ledger: { status: 'unavailable' },
        summary: { connectionsTerminated: 1 },
      });
      expect(published[0]?.message).toContain('reconnects are not blocked until a retry records it');
    });

    it('keeps a disable of someone with no live session for retry when its ledger write fails late', async () => {
      // Prepare: she is not connected, so the engine is done before the (slow, then failing) ledger write
      const ledger = ledgerOn((inner) => ({
        ...inner,
        recordRevocation: async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          throw new LedgerUnavailableError('ProvisionedThroughputExceededException: slow down');
        },
      }));
      const { published, run } = setup({ ledger });
      const record = sqsRecord(revokeRequest('jane'));

      // Act
      const response = await run(record);

      // Assess: not recorded means her next connection is allowed, so the request goes back to the queue
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
      expect(published[0]).toMatchObject({
        status: 'failed',
        delivery: { willRetry: true },
        ledger: { status: 'unavailable' },
        summary: { connectionsFound: 0 },
      });
      expect(published[0]?.message).toContain('reconnects are not blocked until a retry records it');
    });

    it('keeps a lift for retry with a failed outcome when the ledger cannot be written', async () => {
      // Prepare
      const ledger = ledgerOn((inner) => ({
        ...inner,
        recordLift: async () => {
          throw new LedgerUnavailableError('ECONNREFUSED');
        },
      }));
      const { published, run } = setup({ ledger });
      const record = sqsRecord(liftRequest('jane'));

      // Act
      const response = await run(record);

      // Assess
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
      expect(published[0]).toMatchObject({
        status: 'failed',
        action: 'lift',
        delivery: { willRetry: true },
        ledger: { status: 'unavailable' },
      });
    });

    it('does not write the ledger in a dry run, for a revocation or a lift', async () => {
      // Prepare
      const ledger = ledgerOn();
      const { published, run } = setup({ ledger, dryRun: true });

      // Act
      await run(sqsRecord(revokeRequest('jane')), sqsRecord(liftRequest('john')));

      // Assess
      expect(published.map((outcome) => [outcome.action, outcome.status, outcome.ledger])).toEqual([
        ['revoke', 'dry-run', undefined],
        ['lift', 'dry-run', undefined],
      ]);
      expect(await ledger.listRevoked()).toEqual([]);
    });
  });

  it('never revokes a break-glass identity, in any spelling, and reports it skipped', async () => {
    // Prepare
    const { fake, published, run } = setup({ protectedIdentities: ['BreakGlass-Admin'] });
    const session = fake.connect(REGION, ENDPOINT, { username: 'breakglass-admin' });

    // Act
    const response = await run(sqsRecord(runbookEvent({ username: 'breakglass-admin', reason: 'forged' })));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(fake.statusOf(session)).toBe('active');
    expect(fake.calls).toEqual([]);
    expect(published[0]).toMatchObject({
      status: 'skipped',
      skipReason: 'protected-identity',
      identity: 'breakglass-admin',
      delivery: { willRetry: false },
    });
  });

  it('rejects a lift when there is no ledger to lift from', async () => {
    // Prepare: the sources accept lifts, but the function has no ledger
    const { published, run } = setup({ lift: true });

    // Act
    const response = await run(
      sqsRecord(runbookEvent({ username: 'jane', reason: 'rehired' }, undefined, RUNBOOK_LIFT_DETAIL_TYPE)),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(published[0]?.status).toBe('rejected');
    expect(published[0]?.message).toContain('needs the revocation ledger');
  });

  it('logs a keyed hash of the identity instead of the name when a key is configured', async () => {
    // Prepare
    const { fake, logs, run } = setup({ logHashKey: new TextEncoder().encode('k'.repeat(32)) });
    fake.connect(REGION, ENDPOINT, { username: 'Jane.Doe@example.com' });

    // Act
    await run(sqsRecord(oktaEvent('jane.doe@example.com')));

    // Assess
    const logged = JSON.stringify(logs);
    expect(logged).not.toMatch(/jane/i);
    expect(logs.find((line) => line.message === 'Revocation outcome published')?.extra.identity).toMatch(
      /^hmac-sha256:[0-9a-f]{32}$/,
    );
  });
});

describe('processRevocationBatch latency metrics', () => {
  const latencyMetrics = (calls: readonly { name: string }[]) =>
    calls.filter((call) => ['RevocationLatency', 'RevocationProcessingTime'].includes(call.name));
  const at = <Event extends { time: string }>(event: Event, time: string): Event => ({ ...event, time });
  /** Records every change; nothing is read back. */
  const recordingLedger = (): RevocationLedger => {
    const recorded = (state: LedgerState) => async (change: LedgerChange) => ({
      kind: 'recorded' as const,
      entry: { ...change, state, recordedAt: change.eventTime },
    });
    return {
      recordRevocation: recorded('revoked'),
      recordLift: recorded('lifted'),
      findRevoked: async () => [],
      listRevoked: async () => [],
      keepUntilLifted: async () => 0,
    };
  };

  it("reports a revocation's latency from the identity provider's event to its outcome, and its time here", async () => {
    // Prepare: the user was disabled 90 s before the batch starts (the fake clock's start)
    const { fake, published, metricCalls, run } = setup();
    fake.connect(REGION, ENDPOINT, { username: 'jane' });
    const disabledAt = '2026-11-22T09:58:30Z';

    // Act
    await run(sqsRecord(at(runbookEvent({ username: 'jane', reason: 'offboarding' }), disabledAt)));

    // Assess
    const [outcome] = published;
    expect(outcome?.status).toBe('revoked');
    const latencyMs = Date.parse(outcome?.timings.finishedAt ?? '') - Date.parse(disabledAt);
    expect(latencyMs).toBeGreaterThanOrEqual(90_000);
    expect(latencyMetrics(metricCalls)).toEqual([
      { name: 'RevocationLatency', unit: 'Milliseconds', value: latencyMs },
      { name: 'RevocationProcessingTime', unit: 'Milliseconds', value: outcome?.timings.durationMs },
    ]);
  });

  it('reports none for lifts and rejected events, and 0 for an event stamped ahead of the clock', async () => {
    // Prepare: a lift, an unreadable message, and a revocation "5 minutes in the future"
    const { published, metricCalls, run } = setup({ ledger: recordingLedger() });
    const lift = runbookEvent({ username: 'joe', reason: 'rehired' }, undefined, RUNBOOK_LIFT_DETAIL_TYPE);

    // Act
    await run(
      sqsRecord(lift),
      sqsRecord('not an event'),
      sqsRecord(at(runbookEvent({ username: 'jane', reason: 'offboarding' }), '2026-11-22T10:05:00Z')),
    );

    // Assess
    expect(published.map((outcome) => outcome.status)).toEqual(['lifted', 'rejected', 'nothing-to-revoke']);
    expect(latencyMetrics(metricCalls)).toEqual([
      { name: 'RevocationLatency', unit: 'Milliseconds', value: 0 },
      { name: 'RevocationProcessingTime', unit: 'Milliseconds', value: published[2]?.timings.durationMs },
    ]);
  });
});
