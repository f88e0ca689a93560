import {
  CognitoIdentityProviderClient,
  ListUsersCommand as ListPoolUsers,
} from '@aws-sdk/client-cognito-identity-provider';
import { IdentitystoreClient, ListUsersCommand as ListStoreUsers } from '@aws-sdk/client-identitystore';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { cognitoClients, identityStoreClients } from '../../lambda/core/adapters/directory-users.ts';
import type { KnownUser } from '../../lambda/core/user-directory.ts';
import { cognitoListing, identityStoreListing } from '../../lambda/directory-sync/adapters/user-listings.ts';
import { loadDirectorySyncConfig } from '../../lambda/directory-sync/config.ts';
import {
  syncUserDirectory,
  type UserListing,
  type UserPage,
} from '../../lambda/directory-sync/sync-directory.ts';

const STORE = 'd-9067a1b2c3';
const POOL = 'us-east-1_ExAmPlE12';

const userOf = (i: number): KnownUser => ({
  user: { kind: 'identity-store-user', identityStoreId: STORE, userId: `user-${i}` },
  userName: `user-${i}@example.com`,
  emails: [],
  externalIds: [],
});

/** A listing of `pages` (each a list of user numbers) that fails at page `failAt` when given. */
function listingOf(
  name: string,
  pages: number[][],
  failAt?: number,
): UserListing & { tokens: (string | undefined)[] } {
  const tokens: (string | undefined)[] = [];
  return {
    name,
    tokens,
    listPage: async (nextToken): Promise<UserPage> => {
      tokens.push(nextToken);
      const index = nextToken === undefined ? 0 : Number(nextToken);
      if (index === failAt) throw new Error('ThrottlingException: Rate exceeded');
      const users = (pages[index] ?? []).map(userOf);
      return index + 1 < pages.length ? { users, nextToken: String(index + 1) } : { users };
    },
  };
}

/** A directory that only ever adds: what the sync could delete, it cannot. */
function recordingDirectory(before: KnownUser[] = []) {
  const records = new Map(before.map((user) => [user.userName, user]));
  const writes: number[] = [];
  return {
    records,
    writes,
    directory: {
      rememberAll: async (users: readonly KnownUser[]) => {
        writes.push(users.length);
        for (const user of users) records.set(user.userName, user);
      },
    },
  };
}

describe('the user directory sync', () => {
  it('follows every page of every listing, pausing between pages, and records each page', async () => {
    // Prepare
    const store = listingOf('identity store d-9067a1b2c3', [[1, 2], [3, 4], [5]]);
    const pool = listingOf('user pool us-east-1_ExAmPlE12', [[6]]);
    const { records, writes, directory } = recordingDirectory();
    const pauses: number[] = [];
    const sync = syncUserDirectory({
      listings: [store, pool],
      directory,
      pauseBetweenPagesMs: 200,
      sleep: async (ms) => {
        pauses.push(ms);
      },
    });

    // Act
    const report = await sync();

    // Assess
    expect(store.tokens).toEqual([undefined, '1', '2']);
    expect(writes).toEqual([2, 2, 1, 1]);
    expect(pauses).toEqual([200, 200]);
    expect(records.size).toBe(6);
    expect(report).toEqual({
      complete: true,
      usersRecorded: 6,
      listings: [
        { name: 'identity store d-9067a1b2c3', pages: 3, usersRecorded: 5, complete: true },
        { name: 'user pool us-east-1_ExAmPlE12', pages: 1, usersRecorded: 1, complete: true },
      ],
    });
  });

  it('reports a listing that fails halfway, keeps every record (old and new), and still runs the next', async () => {
    // Prepare: user 9 was recorded by an earlier sync and has been deleted since
    const store = listingOf('identity store d-9067a1b2c3', [[1, 2], [3, 4], [5]], 1);
    const pool = listingOf('user pool us-east-1_ExAmPlE12', [[6]]);
    const { records, directory } = recordingDirectory([userOf(9)]);
    const sync = syncUserDirectory({
      listings: [store, pool],
      directory,
      pauseBetweenPagesMs: 0,
      sleep: async () => {},
    });

    // Act
    const report = await sync();

    // Assess
    expect(report.complete).toBe(false);
    expect(report.listings).toEqual([
      {
        name: 'identity store d-9067a1b2c3',
        pages: 1,
        usersRecorded: 2,
        complete: false,
        error: 'Error: ThrottlingException: Rate exceeded',
      },
      { name: 'user pool us-east-1_ExAmPlE12', pages: 1, usersRecorded: 1, complete: true },
    ]);
    expect([...records.keys()].sort()).toEqual(
      ['user-9@example.com', 'user-1@example.com', 'user-2@example.com', 'user-6@example.com'].sort(),
    );
  });

  it('reports a directory that cannot be written as an incomplete listing, without throwing', async () => {
    // Prepare
    const store = listingOf('identity store d-9067a1b2c3', [[1]]);
    const sync = syncUserDirectory({
      listings: [store],
      directory: { rememberAll: () => Promise.reject(new Error('AccessDeniedException')) },
      pauseBetweenPagesMs: 0,
      sleep: async () => {},
    });

    // Act
    const report = await sync();

    // Assess
    expect(report).toMatchObject({ complete: false, usersRecorded: 0 });
    expect(report.listings[0]?.error).toBe('Error: AccessDeniedException');
  });
});

describe('the listings', () => {
  const identityStore = mockClient(IdentitystoreClient);
  const cognito = mockClient(CognitoIdentityProviderClient);
  beforeEach(() => {
    identityStore.reset();
    cognito.reset();
  });

  it('lists an identity store with the largest pages, passing NextToken on, with every name of each user', async () => {
    // Prepare
    identityStore
      .on(ListStoreUsers, { NextToken: undefined })
      .resolves({
        Users: [
          {
            IdentityStoreId: STORE,
            UserId: 'u-1',
            UserName: 'jane.doe@example.com',
            Emails: [{ Value: 'jane.doe@example.com' }],
            ExternalIds: [{ Issuer: 'https://idp.example.com', Id: '00u1' }],
          },
          // No name: nothing to record.
          { IdentityStoreId: STORE, UserId: 'u-2' },
        ],
        NextToken: 'page-2',
      })
      .on(ListStoreUsers, { NextToken: 'page-2' })
      .resolves({ Users: [{ IdentityStoreId: STORE, UserId: 'u-3', UserName: 'omar' }] });
    const listing = identityStoreListing('eu-west-1', STORE, identityStoreClients());

    // Act
    const first = await listing.listPage();
    const second = await listing.listPage(first.nextToken);

    // Assess
    expect(first).toEqual({
      users: [
        {
          user: { kind: 'identity-store-user', identityStoreId: STORE, userId: 'u-1' },
          userName: 'jane.doe@example.com',
          emails: ['jane.doe@example.com'],
          externalIds: ['https://idp.example.com|00u1'],
        },
      ],
      nextToken: 'page-2',
    });
    expect(second.users.map((user) => user.userName)).toEqual(['omar']);
    expect(second.nextToken).toBeUndefined();
    expect(identityStore.commandCalls(ListStoreUsers)[0]?.args[0].input).toEqual({
      IdentityStoreId: STORE,
      MaxResults: 100,
      NextToken: undefined,
    });
  });

  it('lists a user pool without a filter, passing PaginationToken on', async () => {
    // Prepare
    cognito
      .on(ListPoolUsers, { PaginationToken: undefined })
      .resolves({
        Users: [
          {
            Username: 'jane',
            Attributes: [
              { Name: 'sub', Value: 'f4b8c4d8-2071-70c3-8e5f-1a2b3c4d5e6f' },
              { Name: 'email', Value: 'jane@example.com' },
            ],
          },
        ],
        PaginationToken: 'next',
      })
      .on(ListPoolUsers, { PaginationToken: 'next' })
      .resolves({ Users: [] });
    const listing = cognitoListing(POOL, cognitoClients());

    // Act
    const first = await listing.listPage();
    const second = await listing.listPage(first.nextToken);

    // Assess
    expect(first).toEqual({
      users: [
        {
          user: { kind: 'cognito-user', userPoolId: POOL, sub: 'f4b8c4d8-2071-70c3-8e5f-1a2b3c4d5e6f' },
          userName: 'jane',
          emails: ['jane@example.com'],
          externalIds: [],
        },
      ],
      nextToken: 'next',
    });
    expect(second).toEqual({ users: [] });
    expect(cognito.commandCalls(ListPoolUsers)[0]?.args[0].input).toEqual({
      UserPoolId: POOL,
      Limit: 60,
      PaginationToken: undefined,
    });
  });
});

describe('the sync configuration', () => {
  it('needs the table and something to list, naming the variables', () => {
    // Act
    const missing = () => loadDirectorySyncConfig({});

    // Assess
    expect(missing).toThrow(/USER_DIRECTORY_TABLE_NAME/);
    expect(() => loadDirectorySyncConfig({ USER_DIRECTORY_TABLE_NAME: 'directory' })).toThrow(
      /IDENTITY_CENTER_STORE_IDS.*nothing to list/,
    );
  });

  it('reads the stores, pools, home region and retention', () => {
    // Act
    const config = loadDirectorySyncConfig({
      USER_DIRECTORY_TABLE_NAME: 'directory',
      USER_DIRECTORY_RETENTION_DAYS: '30',
      IDENTITY_CENTER_STORE_IDS: STORE,
      IDENTITY_STORE_REGION: 'eu-west-1',
      COGNITO_USER_POOL_IDS: POOL,
      AWS_REGION: 'us-east-1',
    });

    // Assess
    expect(config).toEqual({
      userDirectory: { tableName: 'directory', retentionMs: 30 * 86_400_000 },
      identityStoreIds: [STORE],
      identityStoreRegion: 'eu-west-1',
      userPoolIds: [POOL],
    });
  });
});
