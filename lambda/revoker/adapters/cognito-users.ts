import type { IdentityReference } from '../../../sources/identity-source.ts';
import { cognitoClients, cognitoUserOf, regionOfUserPool } from '../../core/adapters/directory-users.ts';
import { type InstrumentClient, uninstrumented } from '../../core/adapters/instrument-client.ts';
import type { KnownUser } from '../../core/user-directory.ts';

type CognitoUser = Extract<IdentityReference, { kind: 'cognito-user' }>;

/**
 * Finds a Cognito user by `sub` (`cognito-idp:ListUsers` with a `sub = "…"` filter), for events that hide the
 * username; `undefined` when no user has that sub (any more). Clients are created per pool region on first
 * use; the SDK is loaded lazily.
 */
export function cognitoUserLookUp(
  instrumentClient: InstrumentClient = uninstrumented,
): (user: CognitoUser) => Promise<KnownUser | undefined> {
  const clients = cognitoClients(instrumentClient);
  return async (user) => {
    const { sdk, client } = await clients(regionOfUserPool(user.userPoolId));
    // The sub is a UUID (validated by the source), so it cannot break out of the quoted filter value.
    const found = await client.send(
      new sdk.ListUsersCommand({ UserPoolId: user.userPoolId, Filter: `sub = "${user.sub}"`, Limit: 1 }),
    );
    const [first] = found.Users ?? [];
    return first && cognitoUserOf(user.userPoolId, first, user.sub);
  };
}
