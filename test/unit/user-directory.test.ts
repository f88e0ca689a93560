import {
  BatchWriteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { dynamoDbUserDirectory } from '../../lambda/core/adapters/dynamodb-user-directory.ts';
import {
  type DirectoryEntry,
  type KnownUser,
  type UserDirectory,
  UserDirectoryUnavailableError,
} from '../../lambda/core/user-directory.ts';
import { resolveUserName } from '../../lambda/revoker/resolve-user.ts';
import type { IdentityReference } from '../../sources/identity-source.ts';

const dynamo = mockClient(DynamoDBClient);
const TABLE = 'user-directory';
const NOW = Date.parse('2026-03-01T12:00:00Z');
const DAY = 86_400_000;
const JANE: IdentityReference = {
  kind: 'identity-store-user',
  identityStoreId: 'd-9067a1b2c3',
  userId: '94a8e4d8-e0b1-7052-3b5e-7c1f2a9d6e01',
};
const JANE_USER: KnownUser = {
  user: JANE,
  userName: 'jane.doe@example.com',
  emails: ['jane.doe@example.com', 'jane@example.org'],
  externalIds: ['https://idp.example.com|00u1'],
};
const COGNITO: IdentityReference = {
  kind: 'cognito-user',
  userPoolId: 'us-east-1_ExAmPlE12',
  sub: 'f4b8c4d8-2071-70c3-8e5f-1a2b3c4d5e6f',
};

const directoryOn = () =>
  dynamoDbUserDirectory(new DynamoDBClient({ region: 'us-east-1' }), {
    tableName: TABLE,
    retentionMs: 90 * DAY,
    now: () => NOW,
    sleep: async () => {},
  });

beforeEach(() => dynamo.reset());

describe('the DynamoDB user directory', () => {
  it('records a looked-up user with every name, when it was seen and its expiry', async () => {
    // Prepare
    dynamo.on(PutItemCommand).resolves({});

    // Act
    await directoryOn().remember(JANE_USER);

    // Assess
    expect(dynamo.commandCalls(PutItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: {
        userKey: { S: 'identity-store/d-9067a1b2c3/94a8e4d8-e0b1-7052-3b5e-7c1f2a9d6e01' },
        kind: { S: 'identity-store-user' },
        storeId: { S: 'd-9067a1b2c3' },
        userId: { S: '94a8e4d8-e0b1-7052-3b5e-7c1f2a9d6e01' },
        userName: { S: 'jane.doe@example.com' },
        emails: { L: [{ S: 'jane.doe@example.com' }, { S: 'jane@example.org' }] },
        externalIds: { L: [{ S: 'https://idp.example.com|00u1' }] },
        lastSeenAt: { S: '2026-03-01T12:00:00.000Z' },
        expiresAtEpoch: { N: String((NOW + 90 * DAY) / 1000) },
      },
    });
  });

  it("records a Cognito user's other names, and no otherNames attribute for a user without any", async () => {
    // Prepare
    dynamo.on(PutItemCommand).resolves({});
    const cognitoUser: KnownUser = {
      user: COGNITO,
      userName: 'jane',
      emails: ['jane@example.com'],
      externalIds: [],
      otherNames: ['jdoe'],
    };

    // Act
    await directoryOn().remember(cognitoUser);
    await directoryOn().remember(JANE_USER);

    // Assess
    const [cognito, identityStore] = dynamo
      .commandCalls(PutItemCommand)
      .map((call) => call.args[0].input.Item);
    expect(cognito).toMatchObject({ kind: { S: 'cognito-user' }, otherNames: { L: [{ S: 'jdoe' }] } });
    expect(identityStore).not.toHaveProperty('otherNames');
  });

  it('records a listing in batches of 25 and writes again what DynamoDB left unprocessed', async () => {
    // Prepare: the first batch comes back with one item unprocessed
    const users = Array.from({ length: 30 }, (_, i) => ({
      ...JANE_USER,
      user: { ...JANE, userId: `${String(i).padStart(8, '0')}-e0b1-7052-3b5e-7c1f2a9d6e01` },
    }));
    let calls = 0;
    dynamo.on(BatchWriteItemCommand).callsFake((input: { RequestItems: Record<string, unknown[]> }) => {
      calls++;
      const [first] = input.RequestItems[TABLE] ?? [];
      return calls === 1 ? { UnprocessedItems: { [TABLE]: [first] } } : {};
    });

    // Act
    await directoryOn().rememberAll(users);

    // Assess
    const sizes = dynamo
      .commandCalls(BatchWriteItemCommand)
      .map((call) => call.args[0].input.RequestItems?.[TABLE]?.length);
    expect(sizes).toEqual([25, 1, 5]);
  });

  it('finds the record of a deleted user by its id, and nothing for a user it never saw', async () => {
    // Prepare
    dynamo
      .on(GetItemCommand, {
        Key: { userKey: { S: 'cognito/us-east-1_ExAmPlE12/f4b8c4d8-2071-70c3-8e5f-1a2b3c4d5e6f' } },
      })
      .resolves({
        Item: {
          userName: { S: 'jane' },
          emails: { L: [{ S: 'jane@example.com' }] },
          externalIds: { L: [] },
          otherNames: { L: [{ S: 'jdoe' }] },
          lastSeenAt: { S: '2026-02-28T10:00:00.000Z' },
        },
      })
      .on(GetItemCommand, {
        Key: { userKey: { S: 'identity-store/d-9067a1b2c3/94a8e4d8-e0b1-7052-3b5e-7c1f2a9d6e01' } },
      })
      .resolves({});
    const directory = directoryOn();

    // Act
    const found = await directory.find(COGNITO);
    const unknown = await directory.find(JANE);

    // Assess
    expect(found).toEqual({
      user: COGNITO,
      userName: 'jane',
      emails: ['jane@example.com'],
      externalIds: [],
      otherNames: ['jdoe'],
      lastSeenAt: '2026-02-28T10:00:00.000Z',
    });
    expect(unknown).toBeUndefined();
    expect(dynamo.commandCalls(GetItemCommand)[0]?.args[0].input).toMatchObject({ ConsistentRead: true });
  });

  it('reports every DynamoDB failure, and a malformed record, as the directory being unavailable', async () => {
    // Prepare
    dynamo.on(GetItemCommand).rejectsOnce(new Error('ProvisionedThroughputExceeded')).resolves({ Item: {} });
    const directory = directoryOn();

    // Act
    const failed = await directory.find(JANE).catch((error: unknown) => error);
    const malformed = await directory.find(JANE).catch((error: unknown) => error);

    // Assess
    expect(failed).toBeInstanceOf(UserDirectoryUnavailableError);
    expect((failed as Error).message).toMatch(
      /Could not read the user directory: .*ProvisionedThroughputExceeded/,
    );
    expect(malformed).toBeInstanceOf(UserDirectoryUnavailableError);
    expect((malformed as Error).message).toMatch(/userName is not a string/);
  });
});

/** A directory in memory that records what it was asked. */
function memoryDirectory(entries: DirectoryEntry[] = [], failWrites = false) {
  const remembered: KnownUser[] = [];
  const finds: IdentityReference[] = [];
  const directory: UserDirectory = {
    remember: async (user) => {
      if (failWrites) throw new UserDirectoryUnavailableError('Could not write the user directory');
      remembered.push(user);
    },
    rememberAll: async (users) => {
      remembered.push(...users);
    },
    find: async (user) => {
      finds.push(user);
      return entries.find((entry) => JSON.stringify(entry.user) === JSON.stringify(user));
    },
  };
  return { directory, remembered, finds };
}

const silentLogger = () => {
  const lines: string[] = [];
  return { lines, logger: { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m) } };
};

describe('resolving an id-only event: look-up, then the directory, only then unresolved', () => {
  it('takes the live look-up first and records the user it found, without reading the directory', async () => {
    // Prepare
    const { directory, remembered, finds } = memoryDirectory([
      { ...JANE_USER, userName: 'stale-name', lastSeenAt: '2026-01-01T00:00:00Z' },
    ]);
    const resolve = resolveUserName({ lookUp: async () => JANE_USER, directory, ...silentLogger() });

    // Act
    const name = await resolve(JANE);

    // Assess
    expect(name).toEqual({ userName: 'jane.doe@example.com', aliases: ['jane@example.org'] });
    expect(remembered).toEqual([JANE_USER]);
    expect(finds).toEqual([]);
  });

  it('names a user the look-up no longer finds from the directory record', async () => {
    // Prepare
    const { directory, finds } = memoryDirectory([{ ...JANE_USER, lastSeenAt: '2026-02-28T10:00:00Z' }]);
    const { lines, logger } = silentLogger();
    const resolve = resolveUserName({ lookUp: async () => undefined, directory, logger });

    // Act
    const name = await resolve(JANE);

    // Assess
    expect(name).toEqual({ userName: 'jane.doe@example.com', aliases: ['jane@example.org'] });
    expect(finds).toEqual([JANE]);
    expect(lines).toContain('The user no longer exists; named from the user directory');
  });

  it("names a deleted Cognito user's e-mail and preferred username as aliases", async () => {
    // Prepare: the sync recorded her while she existed; CloudTrail hid the username of her delete
    const { directory } = memoryDirectory([
      {
        user: COGNITO,
        userName: 'jane',
        emails: ['jane@example.com'],
        externalIds: [],
        otherNames: ['jdoe'],
        lastSeenAt: '2026-02-28T10:00:00Z',
      },
    ]);
    const resolve = resolveUserName({ lookUp: async () => undefined, directory, ...silentLogger() });

    // Act
    const names = await resolve(COGNITO);

    // Assess
    expect(names).toEqual({ userName: 'jane', aliases: ['jane@example.com', 'jdoe'] });
  });

  it('is unresolved only when neither knows the user, or when there is no directory', async () => {
    // Prepare
    const { directory } = memoryDirectory();
    const withDirectory = resolveUserName({ lookUp: async () => undefined, directory, ...silentLogger() });
    const withoutDirectory = resolveUserName({ lookUp: async () => undefined, ...silentLogger() });

    // Act
    const names = [await withDirectory(JANE), await withoutDirectory(JANE)];

    // Assess
    expect(names).toEqual([undefined, undefined]);
  });

  it('lets a failing look-up or directory read fail the request (it is retried), never reading past it', async () => {
    // Prepare
    const { directory, finds } = memoryDirectory([{ ...JANE_USER, lastSeenAt: '2026-02-28T10:00:00Z' }]);
    const throttled = resolveUserName({
      lookUp: async () => {
        throw new Error('ThrottlingException');
      },
      directory,
      ...silentLogger(),
    });
    const unreadable = resolveUserName({
      lookUp: async () => undefined,
      directory: {
        ...directory,
        find: async () => Promise.reject(new UserDirectoryUnavailableError('down')),
      },
      ...silentLogger(),
    });

    // Act
    const errors = [
      await throttled(JANE).catch((error: Error) => error.message),
      await unreadable(JANE).catch((error: Error) => error.message),
    ];

    // Assess
    expect(errors).toEqual(['ThrottlingException', 'down']);
    expect(finds).toEqual([]);
  });

  it('still names a found user when recording it fails, and says so', async () => {
    // Prepare
    const { directory } = memoryDirectory([], true);
    const { lines, logger } = silentLogger();
    const resolve = resolveUserName({ lookUp: async () => JANE_USER, directory, logger });

    // Act
    const name = await resolve(JANE);

    // Assess
    expect(name).toEqual({ userName: 'jane.doe@example.com', aliases: ['jane@example.org'] });
    expect(lines).toContain('The user could not be recorded in the user directory');
  });
});
