import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { type InstrumentClient, uninstrumented } from '../../core/adapters/instrument-client.ts';
import { type IdentityReference, type UserNames, usableNames } from '../../sources/identity-source.ts';

type CognitoUser = Extract<IdentityReference, { kind: 'cognito-user' }>;
type Sdk = typeof import('@aws-sdk/client-cognito-identity-provider');

/** The attributes a user can also sign in with, or that name them elsewhere (SAML NameIDs, certificates). */
const ALIAS_ATTRIBUTES = ['email', 'preferred_username'];

/** A user pool id starts with its region: `us-east-1_AbCdEf123`. */
const regionOf = (userPoolId: string) => userPoolId.slice(0, userPoolId.indexOf('_'));

/**
 * Finds a Cognito user's name by `sub` (`cognito-idp:ListUsers` with a `sub = "…"` filter), for events that
 * hide the username; its `email` and `preferred_username` are aliases. Clients are created per pool region on first use; the SDK is loaded lazily.
 */
export function cognitoUserNames(
  instrumentClient: InstrumentClient = uninstrumented,
): (user: CognitoUser) => Promise<UserNames | undefined> {
  let sdk: Promise<Sdk> | undefined;
  const clients = new Map<string, CognitoIdentityProviderClient>();
  return async (user) => {
    sdk ??= import('@aws-sdk/client-cognito-identity-provider');
    const { CognitoIdentityProviderClient, ListUsersCommand } = await sdk;
    const region = regionOf(user.userPoolId);
    let client = clients.get(region);
    if (!client) {
      client = instrumentClient(
        new CognitoIdentityProviderClient({ region, retryMode: 'adaptive', maxAttempts: 5 }),
      );
      clients.set(region, client);
    }
    // The sub is a UUID (validated by the source), so it cannot break out of the quoted filter value.
    const found = await client.send(
      new ListUsersCommand({ UserPoolId: user.userPoolId, Filter: `sub = "${user.sub}"`, Limit: 1 }),
    );
    const listed = found.Users?.[0];
    if (listed?.Username === undefined) return undefined;
    const attribute = (name: string) => listed.Attributes?.find((each) => each.Name === name)?.Value;
    return { userName: listed.Username, aliases: usableNames(ALIAS_ATTRIBUTES.map(attribute)) };
  };
}
