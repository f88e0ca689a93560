import {
  type AttributeValue,
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { LEDGER_PARTITION_KEY, LEDGER_TTL_ATTRIBUTE } from '../../../contracts/tables.ts';
import { type IdentityKey, identityKey } from '../identity.ts';
import {
  eventTimeMs,
  type LedgerChange,
  type LedgerEntry,
  type LedgerState,
  LedgerUnavailableError,
  type LedgerWriteResult,
  type RevocationLedger,
} from '../ledger.ts';

/** Every attribute of a ledger item. `eventTimeMs` (N) is what the conditional writes compare. */
const A = {
  key: LEDGER_PARTITION_KEY,
  identity: 'identity',
  state: 'state',
  source: 'source',
  reason: 'reason',
  requestId: 'requestId',
  eventTime: 'eventTime',
  eventTimeMs: 'eventTimeMs',
  recordedAt: 'recordedAt',
  expiresAt: 'expiresAt',
  expiresAtEpoch: LEDGER_TTL_ATTRIBUTE,
} as const;

/** BatchGetItem reads at most 100 keys per request. */
const KEYS_PER_BATCH = 100;
/** Retries of keys DynamoDB left unprocessed (throttling), with a short doubling pause: 25, 50, 100 ms. */
const UNPROCESSED_RETRIES = 3;
const UNPROCESSED_BASE_DELAY_MS = 25;

export interface DynamoDbLedgerReaderSettings {
  /** Table name or ARN. */
  readonly tableName: string;
  /** Items a Scan page examines (`Limit`); unset lets DynamoDB fill 1 MB pages. */
  readonly scanPageSize?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** The canonical key of an identity (with the configured Active Directory domains). */
  readonly identityKey?: IdentityKey;
}

export interface DynamoDbLedgerSettings extends DynamoDbLedgerReaderSettings {
  /** Clock (epoch ms): dates records and decides which lifts have expired. */
  readonly now: () => number;
  /** How long a `lifted` record counts after it is written (revoked records are kept until lifted). */
  readonly retentionMs: number;
}

/** The read side of the ledger (what the client connect handler needs), and the sweeper's expiry removal. */
export type RevocationLedgerReader = Pick<
  RevocationLedger,
  'findRevoked' | 'listRevoked' | 'keepUntilLifted'
>;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The revocation ledger in a DynamoDB table keyed by `identityKey` (S) with TTL on `expiresAtEpoch`.
 * Writes are conditional PutItems, so a record only moves forward in event time even when writers race;
 * reads drop expired lifted records and never expire a revoked one. Every failure of DynamoDB surfaces as `LedgerUnavailableError`.
 */
export function dynamoDbLedger(client: DynamoDBClient, settings: DynamoDbLedgerSettings): RevocationLedger {
  const write = (state: LedgerState) => (change: LedgerChange) => putIfNewer(client, settings, state, change);
  return {
    recordRevocation: write('revoked'),
    recordLift: write('lifted'),
    ...dynamoDbLedgerReader(client, settings),
  };
}

/** Read access to the ledger (no clock or retention needed) and the sweeper's expiry removal. */
export function dynamoDbLedgerReader(
  client: DynamoDBClient,
  settings: DynamoDbLedgerReaderSettings,
): RevocationLedgerReader {
  const sleep = settings.sleep ?? defaultSleep;
  const key = settings.identityKey ?? identityKey;
  return {
    findRevoked: async (identities) => {
      const keys = [...new Set(identities.filter((identity) => identity !== '').map(key))];
      const items: Record<string, AttributeValue>[] = [];
      for (let start = 0; start < keys.length; start += KEYS_PER_BATCH) {
        items.push(
          ...(await batchGet(client, settings.tableName, keys.slice(start, start + KEYS_PER_BATCH), sleep)),
        );
      }
      return items.map(fromItem).filter((entry) => entry.state === 'revoked');
    },
    listRevoked: async () => {
      const entries: LedgerEntry[] = [];
      let exclusiveStartKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await send('scan', () =>
          client.send(
            new ScanCommand({
              TableName: settings.tableName,
              FilterExpression: '#state = :revoked',
              ExpressionAttributeNames: { '#state': A.state },
              ExpressionAttributeValues: { ':revoked': { S: 'revoked' } },
              ...(settings.scanPageSize !== undefined && { Limit: settings.scanPageSize }),
              ...(exclusiveStartKey && { ExclusiveStartKey: exclusiveStartKey }),
            }),
          ),
        );
        entries.push(...(page.Items ?? []).map(fromItem));
        exclusiveStartKey = page.LastEvaluatedKey;
      } while (exclusiveStartKey);
      return entries;
    },
    keepUntilLifted: async (entries) => {
      let kept = 0;
      for (const entry of entries) {
        if (entry.state !== 'revoked' || entry.expiresAt === undefined) continue;
        if (await removeExpiry(client, settings.tableName, entry)) kept++;
      }
      return kept;
    },
  };
}

/**
 * Removes the expiry of a revoked record written before revoked records were kept until lifted — only while
 * it is still that revocation (same state and event time), so a lift written since keeps its expiry.
 */
async function removeExpiry(client: DynamoDBClient, tableName: string, entry: LedgerEntry): Promise<boolean> {
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { [A.key]: { S: identityKey(entry.identity) } },
        UpdateExpression: 'REMOVE #expiresAt, #expires',
        ConditionExpression: '#state = :revoked AND #eventTimeMs = :eventTimeMs',
        ExpressionAttributeNames: {
          '#expiresAt': A.expiresAt,
          '#expires': A.expiresAtEpoch,
          '#state': A.state,
          '#eventTimeMs': A.eventTimeMs,
        },
        ExpressionAttributeValues: {
          ':revoked': { S: 'revoked' },
          ':eventTimeMs': { N: String(eventTimeMs(entry.eventTime)) },
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw unavailable('update', error);
  }
}

/**
 * A revocation lands over a stored record of the same event time (it wins ties with a lift, and a redelivered
 * revocation is recorded again); a lift only lands over a strictly older record or a lift of the same time.
 * An absent record or an expired lift never stands in the way; a revocation never expires (even one written
 * with an expiry by an earlier version).
 */
const EXPIRED_LIFT = '(#state = :lifted AND #expires <= :now)';
const CONDITIONS: Record<LedgerState, string> = {
  revoked: `attribute_not_exists(#key) OR ${EXPIRED_LIFT} OR #eventTimeMs <= :eventTimeMs`,
  lifted:
    `attribute_not_exists(#key) OR ${EXPIRED_LIFT} OR #eventTimeMs < :eventTimeMs OR ` +
    '(#eventTimeMs = :eventTimeMs AND #state = :lifted)',
};

async function putIfNewer(
  client: DynamoDBClient,
  settings: DynamoDbLedgerSettings,
  state: LedgerState,
  change: LedgerChange,
): Promise<LedgerWriteResult> {
  const nowMs = settings.now();
  // Only a lift expires: a revocation protects until it is lifted.
  const expiresAtEpoch = state === 'lifted' ? Math.ceil((nowMs + settings.retentionMs) / 1000) : undefined;
  const entry: LedgerEntry = {
    identity: change.identity,
    source: change.source,
    reason: change.reason,
    requestId: change.requestId,
    eventTime: change.eventTime,
    state,
    recordedAt: new Date(nowMs).toISOString(),
    ...(expiresAtEpoch !== undefined && { expiresAt: new Date(expiresAtEpoch * 1000).toISOString() }),
  };
  const eventMs = { N: String(eventTimeMs(change.eventTime)) };
  try {
    await client.send(
      new PutItemCommand({
        TableName: settings.tableName,
        Item: {
          [A.key]: { S: (settings.identityKey ?? identityKey)(entry.identity) },
          [A.identity]: { S: entry.identity },
          [A.state]: { S: entry.state },
          [A.source]: { S: entry.source },
          [A.reason]: { S: entry.reason },
          [A.requestId]: { S: entry.requestId },
          [A.eventTime]: { S: entry.eventTime },
          [A.eventTimeMs]: eventMs,
          [A.recordedAt]: { S: entry.recordedAt },
          ...(entry.expiresAt !== undefined && {
            [A.expiresAt]: { S: entry.expiresAt },
            [A.expiresAtEpoch]: { N: String(expiresAtEpoch) },
          }),
        },
        ConditionExpression: CONDITIONS[state],
        ExpressionAttributeNames: {
          '#key': A.key,
          '#expires': A.expiresAtEpoch,
          '#eventTimeMs': A.eventTimeMs,
          '#state': A.state,
        },
        ExpressionAttributeValues: {
          ':now': epochSeconds(nowMs),
          ':eventTimeMs': eventMs,
          ':lifted': { S: 'lifted' },
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { kind: 'recorded', entry };
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      if (!error.Item) {
        throw new LedgerUnavailableError('DynamoDB refused the write without returning the stored record', {
          cause: error,
        });
      }
      return { kind: 'superseded', current: fromItem(error.Item) };
    }
    throw unavailable('write', error);
  }
}

async function batchGet(
  client: DynamoDBClient,
  tableName: string,
  keys: readonly string[],
  sleep: (ms: number) => Promise<void>,
): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let pending: Record<string, AttributeValue>[] = keys.map((key) => ({ [A.key]: { S: key } }));
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > UNPROCESSED_RETRIES) {
      throw new LedgerUnavailableError(`DynamoDB left ${pending.length} key(s) unprocessed after retries`);
    }
    if (attempt > 0) await sleep(UNPROCESSED_BASE_DELAY_MS * 2 ** (attempt - 1));
    const reply = await send('read', () =>
      client.send(
        new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
      ),
    );
    items.push(...(reply.Responses?.[tableName] ?? []));
    pending = reply.UnprocessedKeys?.[tableName]?.Keys ?? [];
  }
  return items;
}

async function send<Output>(operation: string, call: () => Promise<Output>): Promise<Output> {
  try {
    return await call();
  } catch (error) {
    throw unavailable(operation, error);
  }
}

const unavailable = (operation: string, error: unknown) =>
  new LedgerUnavailableError(
    `Could not ${operation} the revocation ledger: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    { cause: error },
  );

const epochSeconds = (ms: number): AttributeValue => ({ N: String(ms / 1000) });

function fromItem(item: Record<string, AttributeValue>): LedgerEntry {
  const text = (name: string): string => {
    const value = item[name]?.S;
    if (value === undefined) {
      throw new LedgerUnavailableError(`Malformed ledger record: attribute ${name} is not a string`);
    }
    return value;
  };
  const state = text(A.state);
  if (state !== 'revoked' && state !== 'lifted') {
    throw new LedgerUnavailableError(`Malformed ledger record: unknown state "${state}"`);
  }
  // The TTL attribute is what counts: an edited item expires when DynamoDB's TTL says it does.
  const expiresAtEpoch = item[A.expiresAtEpoch]?.N;
  const expiresAt = expiresAtEpoch === undefined ? undefined : new Date(Number(expiresAtEpoch) * 1000);
  if (expiresAt && Number.isNaN(expiresAt.getTime())) {
    throw new LedgerUnavailableError(`Malformed ledger record: attribute ${A.expiresAtEpoch} is not a time`);
  }
  return {
    identity: text(A.identity),
    source: text(A.source),
    reason: text(A.reason),
    requestId: text(A.requestId),
    eventTime: text(A.eventTime),
    state,
    recordedAt: text(A.recordedAt),
    ...(expiresAt && { expiresAt: expiresAt.toISOString() }),
  };
}
