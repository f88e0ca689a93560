import {
  cognitoClients,
  cognitoUserOf,
  identityStoreClients,
  identityStoreUserOf,
  regionOfUserPool,
} from '../../core/adapters/directory-users.ts';
import type { InstrumentClient } from '../../core/adapters/instrument-client.ts';
import type { KnownUser } from '../../core/user-directory.ts';
import type { UserListing } from '../sync-directory.ts';

/** The largest pages each API serves: Identity Store ListUsers 100, Cognito ListUsers 60. */
const IDENTITY_STORE_PAGE = 100;
const COGNITO_PAGE = 60;

const known = (users: readonly (KnownUser | undefined)[]) =>
  users.filter((user): user is KnownUser => user !== undefined);

/** `identitystore:ListUsers` over one identity store (in the Identity Center home region). */
export function identityStoreListing(
  region: string,
  identityStoreId: string,
  clients: ReturnType<typeof identityStoreClients>,
): UserListing {
  return {
    name: `identity store ${identityStoreId}`,
    listPage: async (nextToken) => {
      const { sdk, client } = await clients(region);
      const page = await client.send(
        new sdk.ListUsersCommand({
          IdentityStoreId: identityStoreId,
          MaxResults: IDENTITY_STORE_PAGE,
          NextToken: nextToken,
        }),
      );
      return {
        users: known((page.Users ?? []).map((user) => identityStoreUserOf(identityStoreId, user))),
        ...(page.NextToken && { nextToken: page.NextToken }),
      };
    },
  };
}

/** `cognito-idp:ListUsers` without a filter over one user pool (in the region its id names). */
export function cognitoListing(userPoolId: string, clients: ReturnType<typeof cognitoClients>): UserListing {
  return {
    name: `user pool ${userPoolId}`,
    listPage: async (nextToken) => {
      const { sdk, client } = await clients(regionOfUserPool(userPoolId));
      const page = await client.send(
        new sdk.ListUsersCommand({ UserPoolId: userPoolId, Limit: COGNITO_PAGE, PaginationToken: nextToken }),
      );
      return {
        users: known((page.Users ?? []).map((user) => cognitoUserOf(userPoolId, user))),
        ...(page.PaginationToken && { nextToken: page.PaginationToken }),
      };
    },
  };
}

/** Every listing the configuration names, with one lazily loaded client per service and region. */
export function userListings(
  config: {
    readonly identityStoreRegion: string;
    readonly identityStoreIds: readonly string[];
    readonly userPoolIds: readonly string[];
  },
  instrumentClient: InstrumentClient,
): UserListing[] {
  const identityStore = identityStoreClients(instrumentClient);
  const cognito = cognitoClients(instrumentClient);
  return [
    ...config.identityStoreIds.map((id) =>
      identityStoreListing(config.identityStoreRegion, id, identityStore),
    ),
    ...config.userPoolIds.map((id) => cognitoListing(id, cognito)),
  ];
}
