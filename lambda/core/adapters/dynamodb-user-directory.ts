import {
  type AttributeValue,
  BatchWriteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { USER_DIRECTORY_PARTITION_KEY, USER_DIRECTORY_TTL_ATTRIBUTE } from '../../../contracts/tables.ts';
import type { IdentityReference } from '../../../sources/identity-source.ts';
import {
  type DirectoryEntry,
  directoryKey,
  type KnownUser,
  type UserDirectory,
  UserDirectoryUnavailableError,
} from '../user-directory.ts';

const A = {
  key: USER_DIRECTORY_PARTITION_KEY,
  kind: 'kind',
  storeId: 'storeId',
  userId: 'userId',
  userName: 'userName',
  emails: 'emails',
  externalIds: 'externalIds',
  otherNames: 'otherNames',
  lastSeenAt: 'lastSeenAt',
  expiresAtEpoch: USER_DIRECTORY_TTL_ATTRIBUTE,
} as const;

/** BatchWriteItem takes at most 25 items; unprocessed ones are retried with a short doubling pause. */
const ITEMS_PER_BATCH = 25;
const UNPROCESSED_RETRIES = 5;
const UNPROCESSED_BASE_DELAY_MS = 50;

export interface DynamoDbUserDirectorySettings {
  /** Table name or ARN. */
  readonly tableName: string;
  /** How long a record is kept after the user was last seen existing. */
  readonly retentionMs: number;
  readonly now: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The user directory in a DynamoDB table keyed by `userKey` (S) with TTL on `expiresAtEpoch`. Writes replace
 * the record (the newest observation wins) and push its expiry out by the retention; reads are consistent.
 * A record past its expiry still names the right person (ids are never reused), so reads do not drop it.
 * Every failure of DynamoDB surfaces as `UserDirectoryUnavailableError`.
 */
export function dynamoDbUserDirectory(
  client: DynamoDBClient,
  settings: DynamoDbUserDirectorySettings,
): UserDirectory {
  const sleep = settings.sleep ?? defaultSleep;
  const toItem = (user: KnownUser) => itemOf(user, settings.now(), settings.retentionMs);
  return {
    remember: async (user) => {
      await send('write', () =>
        client.send(new PutItemCommand({ TableName: settings.tableName, Item: toItem(user) })),
      );
    },
    rememberAll: async (users) => {
      for (let start = 0; start < users.length; start += ITEMS_PER_BATCH) {
        let pending = users.slice(start, start + ITEMS_PER_BATCH).map((user) => ({
          PutRequest: { Item: toItem(user) },
        }));
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt > UNPROCESSED_RETRIES) {
            throw new UserDirectoryUnavailableError(
              `DynamoDB left ${pending.length} user record(s) unwritten after retries`,
            );
          }
          if (attempt > 0) await sleep(UNPROCESSED_BASE_DELAY_MS * 2 ** (attempt - 1));
          const reply = await send('write', () =>
            client.send(new BatchWriteItemCommand({ RequestItems: { [settings.tableName]: pending } })),
          );
          pending = (reply.UnprocessedItems?.[settings.tableName] ?? []).flatMap((request) =>
            request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
          );
        }
      }
    },
    find: async (user) => {
      const reply = await send('read', () =>
        client.send(
          new GetItemCommand({
            TableName: settings.tableName,
            Key: { [A.key]: { S: directoryKey(user) } },
            ConsistentRead: true,
          }),
        ),
      );
      return reply.Item && entryOf(user, reply.Item);
    },
  };
}

function itemOf(user: KnownUser, nowMs: number, retentionMs: number): Record<string, AttributeValue> {
  const reference = user.user;
  const [storeId, userId] =
    reference.kind === 'identity-store-user'
      ? [reference.identityStoreId, reference.userId]
      : [reference.userPoolId, reference.sub];
  const strings = (values: readonly string[]): AttributeValue => ({
    L: values.map((value) => ({ S: value })),
  });
  return {
    [A.key]: { S: directoryKey(reference) },
    [A.kind]: { S: reference.kind },
    [A.storeId]: { S: storeId },
    [A.userId]: { S: userId },
    [A.userName]: { S: user.userName },
    [A.emails]: strings(user.emails),
    [A.externalIds]: strings(user.externalIds),
    ...(user.otherNames?.length && { [A.otherNames]: strings(user.otherNames) }),
    [A.lastSeenAt]: { S: new Date(nowMs).toISOString() },
    [A.expiresAtEpoch]: { N: String(Math.ceil((nowMs + retentionMs) / 1000)) },
  };
}

function entryOf(user: IdentityReference, item: Record<string, AttributeValue>): DirectoryEntry {
  const text = (name: string): string => {
    const value = item[name]?.S;
    if (value === undefined) {
      throw new UserDirectoryUnavailableError(`Malformed user directory record: ${name} is not a string`);
    }
    return value;
  };
  const strings = (name: string): string[] =>
    (item[name]?.L ?? []).flatMap((value) => (value.S === undefined ? [] : [value.S]));
  const otherNames = strings(A.otherNames);
  return {
    user,
    userName: text(A.userName),
    emails: strings(A.emails),
    externalIds: strings(A.externalIds),
    ...(otherNames.length > 0 && { otherNames }),
    lastSeenAt: text(A.lastSeenAt),
  };
}

async function send<Output>(operation: 'read' | 'write', call: () => Promise<Output>): Promise<Output> {
  try {
    return await call();
  } catch (error) {
    throw new UserDirectoryUnavailableError(
      `Could not ${operation} the user directory: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      { cause: error },
    );
  }
}
