import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LEDGER_PARTITION_KEY, LEDGER_TTL_ATTRIBUTE } from '../../contracts/tables.ts';
import { dynamoDbLedger, dynamoDbLedgerReader } from '../../lambda/core/adapters/dynamodb-ledger.ts';
import { identityKeyFor } from '../../lambda/core/identity.ts';
import { type LedgerChange, LedgerUnavailableError } from '../../lambda/core/ledger.ts';
import { startDynamo, useDynamo } from '../support/dynamodb.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const RETENTION_MS = 30 * DAY_MS;
const NOW = Date.parse('2026-11-22T10:00:00.000Z');
const JANE = 'Jane.Doe@Example.com';

const change = (overrides: Partial<LedgerChange> = {}): LedgerChange => ({
  identity: JANE,
  source: 'aws.partner/okta.com/example-org/vpn-kill-switch',
  reason: 'Okta user.lifecycle.deactivate',
  requestId: 'event-1',
  eventTime: '2026-11-22T09:59:59.000Z',
  ...overrides,
});

/** A clock the test moves by hand. */
const clock = (start = NOW) => {
  let current = start;
  return { now: () => current, advance: (ms: number) => (current += ms) };
};

describe('dynamoDbLedger against dynalite', () => {
  const dynamo = useDynamo();
  const ledgerAt = (now = () => NOW, scanPageSize?: number) =>
    dynamoDbLedger(dynamo.client, {
      tableName: dynamo.tableName,
      retentionMs: RETENTION_MS,
      now,
      ...(scanPageSize !== undefined && { scanPageSize }),
    });

  const stored = async (identity: string) =>
    (
      await dynamo.client.send(
        new GetItemCommand({ TableName: dynamo.tableName, Key: { [LEDGER_PARTITION_KEY]: { S: identity } } }),
      )
    ).Item;

  it('records a revocation with its key and no expiry (kept until lifted), a lift with expiry and TTL', async () => {
    // Prepare
    const ledger = ledgerAt();

    // Act
    const result = await ledger.recordRevocation(change());
    const lift = await ledger.recordLift(change({ identity: 'bob' }));

    // Assess
    expect(result).toEqual({
      kind: 'recorded',
      entry: { ...change(), state: 'revoked', recordedAt: new Date(NOW).toISOString() },
    });
    expect(await ledger.findRevoked([JANE])).toEqual([result.kind === 'recorded' && result.entry]);
    const revoked = await stored('jane.doe@example.com');
    expect(revoked?.identity).toEqual({ S: JANE });
    expect(revoked?.[LEDGER_TTL_ATTRIBUTE]).toBeUndefined();
    expect(revoked?.expiresAt).toBeUndefined();
    const expiresAt = new Date(NOW + RETENTION_MS).toISOString();
    expect(lift).toMatchObject({ kind: 'recorded', entry: { state: 'lifted', expiresAt } });
    expect((await stored('bob'))?.[LEDGER_TTL_ATTRIBUTE]).toEqual({ N: String((NOW + RETENTION_MS) / 1000) });
  });

  it('keys identities case-insensitively: one record per person whatever the case', async () => {
    // Prepare
    const ledger = ledgerAt();
    await ledger.recordRevocation(change({ identity: 'JANE.DOE@EXAMPLE.COM' }));

    // Act
    const found = await ledger.findRevoked(['jane.doe@example.com']);
    const lift = await ledger.recordLift(
      change({ identity: 'jane.doe@example.com', eventTime: '2026-11-22T11:00:00.000Z' }),
    );

    // Assess
    expect(found.map((entry) => entry.identity)).toEqual(['JANE.DOE@EXAMPLE.COM']);
    expect(lift.kind).toBe('recorded');
    expect(await ledger.findRevoked([JANE, 'JANE.DOE@EXAMPLE.COM'])).toEqual([]);
    expect(await ledger.listRevoked()).toEqual([]);
  });

  it('keeps the key of a record written before canonical keys (lower case) for every ASCII name', async () => {
    // Prepare: what the ledger wrote before, keyed by toLowerCase(), read back through the canonical key
    const ledger = ledgerAt();
    const asciiNames = fc
      .string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)) })
      .filter((name) => name.trim() === name && name !== '');
    await fc.assert(
      fc.asyncProperty(asciiNames, async (name) => {
        await dynamo.client.send(
          new PutItemCommand({
            TableName: dynamo.tableName,
            Item: {
              [LEDGER_PARTITION_KEY]: { S: name.toLowerCase() },
              identity: { S: name },
              state: { S: 'revoked' },
              source: { S: 'client-vpn-revoker.runbook' },
              reason: { S: 'before the upgrade' },
              requestId: { S: 'event-0' },
              eventTime: { S: '2026-11-01T00:00:00.000Z' },
              eventTimeMs: { N: String(Date.parse('2026-11-01T00:00:00.000Z')) },
              recordedAt: { S: '2026-11-01T00:00:01.000Z' },
              expiresAt: { S: new Date(NOW + DAY_MS).toISOString() },
              [LEDGER_TTL_ATTRIBUTE]: { N: String(Math.ceil((NOW + DAY_MS) / 1000)) },
            },
          }),
        );

        // Act
        const found = await ledger.findRevoked([name.toUpperCase()]);
        const written = await ledger.recordRevocation(change({ identity: name }));

        // Assess: found, and a new write lands on the same item (superseding nothing, no second record)
        expect(found.map((entry) => entry.identity)).toEqual([name]);
        expect(written.kind).toBe('recorded');
        const item = await dynamo.client.send(
          new GetItemCommand({
            TableName: dynamo.tableName,
            Key: { [LEDGER_PARTITION_KEY]: { S: name.toLowerCase() } },
          }),
        );
        expect(item.Item?.requestId?.S).toBe('event-1');
      }),
      { numRuns: 40, seed: 20261207 },
    );
  });

  it('keys every spelling of a person alike: compatibility forms, case folding, configured AD domains', async () => {
    // Prepare
    const ledger = dynamoDbLedger(dynamo.client, {
      tableName: dynamo.tableName,
      retentionMs: RETENTION_MS,
      now: () => NOW,
      identityKey: identityKeyFor(['CORP', 'corp.example.com']),
    });
    await ledger.recordRevocation(change({ identity: 'CORP\\Strauß' }));

    // Act
    const found = await ledger.findRevoked(['ｓｔｒａｕｓｓ@corp.example.com']);
    const elsewhere = await ledger.findRevoked(['OTHER\\strauss', 'strauss@example.com']);

    // Assess
    expect(found.map((entry) => entry.identity)).toEqual(['CORP\\Strauß']);
    expect(elsewhere).toEqual([]);
  });

  it('keeps a disable when an older enable arrives late', async () => {
    // Prepare
    const ledger = ledgerAt();
    await ledger.recordRevocation(change({ eventTime: '2026-11-22T10:00:00.000Z', requestId: 'disable' }));

    // Act
    const result = await ledger.recordLift(
      change({ eventTime: '2026-11-22T09:00:00.000Z', requestId: 'enable' }),
    );

    // Assess
    expect(result).toMatchObject({ kind: 'superseded', current: { state: 'revoked', requestId: 'disable' } });
    expect(await ledger.findRevoked([JANE])).toMatchObject([{ requestId: 'disable' }]);
  });

  it('keeps an enable when an older disable arrives late (the lift is a tombstone, not a deletion)', async () => {
    // Prepare
    const ledger = ledgerAt();
    await ledger.recordRevocation(change({ eventTime: '2026-11-22T08:00:00.000Z', requestId: 'disable-1' }));
    await ledger.recordLift(change({ eventTime: '2026-11-22T10:00:00.000Z', requestId: 'enable' }));

    // Act
    const result = await ledger.recordRevocation(
      change({ eventTime: '2026-11-22T09:00:00.000Z', requestId: 'disable-late' }),
    );

    // Assess
    expect(result).toMatchObject({
      kind: 'superseded',
      current: { state: 'lifted', requestId: 'enable', eventTime: '2026-11-22T10:00:00.000Z' },
    });
    expect(await ledger.findRevoked([JANE])).toEqual([]);
  });

  it('lets a newer event replace the record in both directions', async () => {
    // Prepare
    const ledger = ledgerAt();

    // Act
    const first = await ledger.recordRevocation(change({ eventTime: '2026-11-22T08:00:00.000Z' }));
    const lift = await ledger.recordLift(change({ eventTime: '2026-11-22T09:00:00.000Z' }));
    const again = await ledger.recordRevocation(change({ eventTime: '2026-11-22T10:00:00.000Z' }));

    // Assess
    expect([first.kind, lift.kind, again.kind]).toEqual(['recorded', 'recorded', 'recorded']);
    expect(await ledger.findRevoked([JANE])).toMatchObject([{ eventTime: '2026-11-22T10:00:00.000Z' }]);
  });

  it('on equal event times, a revocation wins over a lift in either order', async () => {
    // Prepare
    const ledger = ledgerAt();
    const at = '2026-11-22T10:00:00.000Z';
    await ledger.recordLift(change({ identity: 'first-lifted', eventTime: at }));
    await ledger.recordRevocation(change({ identity: 'first-revoked', eventTime: at, requestId: 'disable' }));

    // Act
    const revokeOverLift = await ledger.recordRevocation(change({ identity: 'first-lifted', eventTime: at }));
    const liftOverRevoke = await ledger.recordLift(change({ identity: 'first-revoked', eventTime: at }));

    // Assess
    expect(revokeOverLift.kind).toBe('recorded');
    expect(liftOverRevoke).toMatchObject({
      kind: 'superseded',
      current: { state: 'revoked', requestId: 'disable' },
    });
    expect(
      (await ledger.findRevoked(['first-lifted', 'first-revoked'])).map((e) => e.identity).sort(),
    ).toEqual(['first-lifted', 'first-revoked']);
  });

  it("records a redelivered change of the same event time again (idempotent, refreshes a lift's expiry)", async () => {
    // Prepare
    const time = clock();
    const ledger = ledgerAt(time.now);
    await ledger.recordRevocation(change());
    await ledger.recordLift(change({ identity: 'bob', eventTime: '2026-11-22T09:00:00.000Z' }));
    time.advance(DAY_MS);

    // Act
    const revocation = await ledger.recordRevocation(change());
    const lift = await ledger.recordLift(change({ identity: 'bob', eventTime: '2026-11-22T09:00:00.000Z' }));

    // Assess
    expect(revocation).toMatchObject({
      kind: 'recorded',
      entry: { recordedAt: new Date(NOW + DAY_MS).toISOString() },
    });
    expect(lift).toMatchObject({
      kind: 'recorded',
      entry: { expiresAt: new Date(NOW + DAY_MS + RETENTION_MS).toISOString() },
    });
  });

  it('orders a change with an unparseable event time before any dated one', async () => {
    // Prepare
    const ledger = ledgerAt();
    await ledger.recordRevocation(change({ eventTime: 'not a time', requestId: 'undated' }));

    // Act
    const lift = await ledger.recordLift(change({ eventTime: '1970-01-01T00:00:01.000Z' }));
    const late = await ledger.recordRevocation(change({ eventTime: 'also not a time' }));

    // Assess
    expect(lift.kind).toBe('recorded');
    expect(late).toMatchObject({ kind: 'superseded', current: { state: 'lifted' } });
  });

  it('keeps a revocation past the retention (found, listed, not undone by an older lift); a lift expires', async () => {
    // Prepare
    const time = clock();
    const ledger = ledgerAt(time.now);
    await ledger.recordRevocation(change({ eventTime: '2026-11-22T10:00:00.000Z' }));
    await ledger.recordLift(change({ identity: 'bob', eventTime: '2026-11-22T10:00:00.000Z' }));

    // Act: 31 days later
    time.advance(RETENTION_MS + DAY_MS);
    const found = await ledger.findRevoked([JANE]);
    const listed = await ledger.listRevoked();
    const olderLift = await ledger.recordLift(change({ eventTime: '2026-11-01T00:00:00.000Z' }));
    const olderRevocation = await ledger.recordRevocation(
      change({ identity: 'bob', eventTime: '2026-11-01T00:00:00.000Z' }),
    );

    // Assess
    expect(found).toMatchObject([{ identity: JANE, state: 'revoked' }]);
    expect(listed).toMatchObject([{ identity: JANE }]);
    expect(olderLift).toMatchObject({ kind: 'superseded', current: { state: 'revoked' } });
    expect(olderRevocation.kind).toBe('recorded');
    expect(await ledger.findRevoked(['bob'])).toMatchObject([{ eventTime: '2026-11-01T00:00:00.000Z' }]);
  });

  describe('a revoked record an earlier version wrote with an expiry', () => {
    const EXPIRED_EPOCH = (NOW - DAY_MS) / 1000;
    const writeLegacyRevocation = () =>
      dynamo.client.send(
        new PutItemCommand({
          TableName: dynamo.tableName,
          Item: {
            [LEDGER_PARTITION_KEY]: { S: 'jane.doe@example.com' },
            identity: { S: JANE },
            state: { S: 'revoked' },
            source: { S: change().source },
            reason: { S: change().reason },
            requestId: { S: 'event-1' },
            eventTime: { S: '2026-10-22T09:00:00.000Z' },
            eventTimeMs: { N: String(Date.parse('2026-10-22T09:00:00.000Z')) },
            recordedAt: { S: '2026-10-22T09:00:01.000Z' },
            expiresAt: { S: new Date(EXPIRED_EPOCH * 1000).toISOString() },
            [LEDGER_TTL_ATTRIBUTE]: { N: String(EXPIRED_EPOCH) },
          },
        }),
      );

    it('still counts once its expiry has passed, and keepUntilLifted removes the expiry', async () => {
      // Prepare
      await writeLegacyRevocation();
      const ledger = ledgerAt();

      // Act
      const found = await ledger.findRevoked([JANE]);
      const listed = await ledger.listRevoked();
      const olderLift = await ledger.recordLift(change({ eventTime: '2026-10-01T00:00:00.000Z' }));
      const kept = await ledger.keepUntilLifted(listed);
      const keptAgain = await ledger.keepUntilLifted(await ledger.listRevoked());

      // Assess
      expect(found).toMatchObject([{ identity: JANE, state: 'revoked' }]);
      expect(listed).toMatchObject([
        { identity: JANE, expiresAt: new Date(EXPIRED_EPOCH * 1000).toISOString() },
      ]);
      expect(olderLift.kind).toBe('superseded');
      expect(kept).toBe(1);
      expect(keptAgain).toBe(0);
      const item = await stored('jane.doe@example.com');
      expect(item?.[LEDGER_TTL_ATTRIBUTE]).toBeUndefined();
      expect(item?.expiresAt).toBeUndefined();
      expect(item?.state).toEqual({ S: 'revoked' });
    });

    it('is left alone by keepUntilLifted once a lift replaced it (the lift keeps its expiry)', async () => {
      // Prepare
      await writeLegacyRevocation();
      const ledger = ledgerAt();
      const listed = await ledger.listRevoked();
      await ledger.recordLift(change({ eventTime: '2026-11-22T09:00:00.000Z' }));

      // Act
      const kept = await ledger.keepUntilLifted(listed);

      // Assess
      expect(kept).toBe(0);
      const item = await stored('jane.doe@example.com');
      expect(item?.state).toEqual({ S: 'lifted' });
      expect(item?.[LEDGER_TTL_ATTRIBUTE]).toEqual({ N: String((NOW + RETENTION_MS) / 1000) });
    });
  });

  it('finds by username and common name in one consistent BatchGetItem, ignoring empty strings', async () => {
    // Prepare
    const ledger = ledgerAt();
    await ledger.recordRevocation(change({ identity: 'jane.doe', requestId: 'by-username' }));
    await ledger.recordRevocation(change({ identity: 'jane-laptop.example.com', requestId: 'by-cn' }));
    await ledger.recordLift(change({ identity: 'lifted-user' }));
    const requests: string[] = [];
    dynamo.client.middlewareStack.add(
      (next, context) => (args) => {
        requests.push(`${context.commandName}:${JSON.stringify(args.input)}`);
        return next(args);
      },
      { step: 'initialize', name: 'recordRequests' },
    );

    try {
      // Act
      const both = await ledger.findRevoked(['JANE.DOE', 'Jane-Laptop.example.com', 'jane.doe', '']);
      const viaCommonName = await ledger.findRevoked(['', 'jane-laptop.example.com']);
      const lifted = await ledger.findRevoked(['lifted-user', 'never-seen']);
      const nothing = await ledger.findRevoked(['', '']);

      // Assess
      expect(both.map((entry) => entry.requestId).sort()).toEqual(['by-cn', 'by-username']);
      expect(viaCommonName).toMatchObject([{ requestId: 'by-cn' }]);
      expect(lifted).toEqual([]);
      expect(nothing).toEqual([]);
      expect(requests).toHaveLength(3);
      expect(JSON.parse(requests[0]?.replace(/^BatchGetItemCommand:/, '') ?? '')).toEqual({
        RequestItems: {
          [dynamo.tableName]: {
            Keys: [
              { [LEDGER_PARTITION_KEY]: { S: 'jane.doe' } },
              { [LEDGER_PARTITION_KEY]: { S: 'jane-laptop.example.com' } },
            ],
            ConsistentRead: true,
          },
        },
      });
    } finally {
      dynamo.client.middlewareStack.remove('recordRequests');
    }
  });

  it('lists every revocation, however old, across many Scan pages', async () => {
    // Prepare
    const time = clock();
    const writer = ledgerAt(time.now);
    const revoked = Array.from({ length: 60 }, (_, i) => `user-${String(i).padStart(2, '0')}@example.com`);
    for (const identity of revoked) await writer.recordRevocation(change({ identity }));
    for (let i = 0; i < 15; i++) await writer.recordLift(change({ identity: `lifted-${i}@example.com` }));
    time.advance(-RETENTION_MS); // written long ago: past the retention at NOW, still revoked
    const old = Array.from({ length: 15 }, (_, i) => `old-${String(i).padStart(2, '0')}@example.com`);
    for (const identity of old) await writer.recordRevocation(change({ identity }));
    const scans: ScanCommand['input'][] = [];
    const client = dynamo.createClient({ maxAttempts: 1 });
    client.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'ScanCommand') scans.push(args.input as ScanCommand['input']);
        return next(args);
      },
      { step: 'initialize', name: 'recordScans' },
    );
    const reader = dynamoDbLedgerReader(client, { tableName: dynamo.tableName, scanPageSize: 7 });

    // Act
    const listed = await reader.listRevoked();

    // Assess
    expect(listed.map((entry) => entry.identity).sort()).toEqual([...old, ...revoked]);
    expect(listed.every((entry) => entry.state === 'revoked')).toBe(true);
    expect(scans.length).toBeGreaterThanOrEqual(Math.ceil(90 / 7));
    expect(scans.slice(1).every((scan) => scan.ExclusiveStartKey !== undefined)).toBe(true);
    client.destroy();
  });

  it('reads back a record another writer changed in the meantime when its write is superseded', async () => {
    // Prepare
    const ledger = ledgerAt();
    await ledger.recordRevocation(change({ eventTime: '2026-11-22T08:00:00.000Z' }));
    // Another writer (e.g. a concurrent revoker) lifts with a later event time.
    await dynamoDbLedger(dynamo.client, {
      tableName: dynamo.tableName,
      retentionMs: RETENTION_MS,
      now: () => NOW,
    }).recordLift(change({ eventTime: '2026-11-22T12:00:00.000Z', requestId: 'other-writer' }));

    // Act
    const result = await ledger.recordRevocation(change({ eventTime: '2026-11-22T11:00:00.000Z' }));

    // Assess
    expect(result).toEqual({
      kind: 'superseded',
      current: {
        ...change({ eventTime: '2026-11-22T12:00:00.000Z', requestId: 'other-writer' }),
        state: 'lifted',
        recordedAt: new Date(NOW).toISOString(),
        expiresAt: new Date(NOW + RETENTION_MS).toISOString(),
      },
    });
  });

  it('reports a malformed stored record as the ledger being unavailable', async () => {
    // Prepare
    await dynamo.client.send(
      new PutItemCommand({
        TableName: dynamo.tableName,
        Item: { [LEDGER_PARTITION_KEY]: { S: 'broken' }, state: { S: 'revoked' } },
      }),
    );
    const ledger = ledgerAt();

    // Act
    const lookup = ledger.findRevoked(['broken']);

    // Assess
    await expect(lookup).rejects.toBeInstanceOf(LedgerUnavailableError);
  });
});

describe('dynamoDbLedger when DynamoDB cannot be reached', () => {
  it('fails every operation with LedgerUnavailableError carrying the cause', async () => {
    // Prepare
    const dynamo = await startDynamo();
    const client = dynamo.createClient({ maxAttempts: 1 });
    await dynamo.stop();
    const ledger = dynamoDbLedger(client, {
      tableName: dynamo.tableName,
      retentionMs: RETENTION_MS,
      now: () => NOW,
    });

    // Act
    const failures = await Promise.allSettled([
      ledger.recordRevocation(change()),
      ledger.recordLift(change()),
      ledger.findRevoked([JANE]),
      ledger.listRevoked(),
    ]);

    // Assess
    for (const failure of failures) {
      expect(failure.status).toBe('rejected');
      const reason = (failure as PromiseRejectedResult).reason as LedgerUnavailableError;
      expect(reason).toBeInstanceOf(LedgerUnavailableError);
      expect(reason.name).toBe('LedgerUnavailableError');
      expect(reason.cause).toBeInstanceOf(Error);
      expect(reason.message).toMatch(/^Could not (write|read|scan) the revocation ledger: /);
    }
    client.destroy();
  });
});

// What dynalite never does: leave keys unprocessed (throttling) or refuse a write without the stored item.
describe('dynamoDbLedger on DynamoDB replies dynalite cannot produce (mocked client)', () => {
  const TABLE = 'revocation-ledger';
  // Mocked only inside this block: the prototype patch would otherwise reach the dynalite clients too.
  const mockDynamoDb = () => mockClient(DynamoDBClient);
  let dynamo: ReturnType<typeof mockDynamoDb>;
  beforeAll(() => {
    dynamo = mockDynamoDb();
  });
  afterAll(() => {
    dynamo.restore();
  });
  const item = (identity: string) => ({
    [LEDGER_PARTITION_KEY]: { S: identity.toLowerCase() },
    identity: { S: identity },
    state: { S: 'revoked' },
    source: { S: 'runbook' },
    reason: { S: 'offboarding' },
    requestId: { S: 'event-1' },
    eventTime: { S: '2026-11-22T09:00:00.000Z' },
    eventTimeMs: { N: String(Date.parse('2026-11-22T09:00:00.000Z')) },
    recordedAt: { S: '2026-11-22T09:00:01.000Z' },
    expiresAt: { S: new Date(NOW + DAY_MS).toISOString() },
    [LEDGER_TTL_ATTRIBUTE]: { N: String((NOW + DAY_MS) / 1000) },
  });
  const key = (identity: string) => ({ [LEDGER_PARTITION_KEY]: { S: identity } });

  beforeEach(() => {
    dynamo.reset();
  });

  it('asks again for keys DynamoDB left unprocessed, pausing briefly in between', async () => {
    // Prepare
    dynamo
      .on(BatchGetItemCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [item('jane')] },
        UnprocessedKeys: { [TABLE]: { Keys: [key('bob')] } },
      })
      .resolvesOnce({ Responses: { [TABLE]: [] }, UnprocessedKeys: { [TABLE]: { Keys: [key('bob')] } } })
      .resolvesOnce({ Responses: { [TABLE]: [item('bob')] } });
    const sleep = vi.fn(async () => {});
    const reader = dynamoDbLedgerReader(new DynamoDBClient({}), { tableName: TABLE, sleep });

    // Act
    const found = await reader.findRevoked(['jane', 'bob']);

    // Assess
    expect(found.map((entry) => entry.identity)).toEqual(['jane', 'bob']);
    const calls = dynamo.commandCalls(BatchGetItemCommand).map((call) => call.args[0].input.RequestItems);
    expect(calls).toEqual([
      { [TABLE]: { Keys: [key('jane'), key('bob')], ConsistentRead: true } },
      { [TABLE]: { Keys: [key('bob')], ConsistentRead: true } },
      { [TABLE]: { Keys: [key('bob')], ConsistentRead: true } },
    ]);
    expect(sleep.mock.calls).toEqual([[25], [50]]);
  });

  it('gives up with LedgerUnavailableError when keys stay unprocessed', async () => {
    // Prepare
    dynamo.on(BatchGetItemCommand).resolves({ UnprocessedKeys: { [TABLE]: { Keys: [key('bob')] } } });
    const reader = dynamoDbLedgerReader(new DynamoDBClient({}), {
      tableName: TABLE,
      sleep: async () => {},
    });

    // Act
    const lookup = reader.findRevoked(['bob']);

    // Assess
    await expect(lookup).rejects.toThrow(
      new LedgerUnavailableError('DynamoDB left 1 key(s) unprocessed after retries'),
    );
    expect(dynamo.commandCalls(BatchGetItemCommand)).toHaveLength(4);
  });

  it('makes no request when there is no identity to look up', async () => {
    // Prepare
    const reader = dynamoDbLedgerReader(new DynamoDBClient({}), { tableName: TABLE });

    // Act
    const found = await reader.findRevoked(['', '']);

    // Assess
    expect(found).toEqual([]);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('reports a refused write that does not return the stored record as unavailable, not as superseded', async () => {
    // Prepare
    dynamo
      .on(PutItemCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );
    const ledger = dynamoDbLedger(new DynamoDBClient({}), {
      tableName: TABLE,
      retentionMs: DAY_MS,
      now: () => NOW,
    });

    // Act
    const write = ledger.recordRevocation(change());

    // Assess
    await expect(write).rejects.toBeInstanceOf(LedgerUnavailableError);
    expect(dynamo.commandCalls(PutItemCommand)[0]?.args[0].input).toMatchObject({
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      ConditionExpression:
        'attribute_not_exists(#key) OR (#state = :lifted AND #expires <= :now) OR #eventTimeMs <= :eventTimeMs',
    });
  });
});
