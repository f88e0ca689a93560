import type { CognitoIdentityProviderClient, UserType } from '@aws-sdk/client-cognito-identity-provider';
import type { IdentitystoreClient, User } from '@aws-sdk/client-identitystore';
import type { KnownUser } from '../user-directory.ts';
import { type InstrumentClient, uninstrumented } from './instrument-client.ts';

/**
 * What the Identity Store and Cognito user pools say about a user, as the user directory keeps it, and the
 * SDK clients that ask them. Both SDKs load on first use, so a function that never calls them does not pay
 * for them at cold start; clients are created once per region and reused.
 */

type IdentityStoreSdk = typeof import('@aws-sdk/client-identitystore');
type CognitoSdk = typeof import('@aws-sdk/client-cognito-identity-provider');

/** The SDK's retries: adaptive, so a listing slows down under throttling instead of failing. */
const RETRIES = { retryMode: 'adaptive', maxAttempts: 5 } as const;

/** A client per region, created on first use with the module loaded lazily. */
function clientsPerRegion<Sdk, Client>(
  load: () => Promise<Sdk>,
  create: (sdk: Sdk, region: string) => Client,
): (region: string) => Promise<{ readonly sdk: Sdk; readonly client: Client }> {
  let sdk: Promise<Sdk> | undefined;
  const clients = new Map<string, Client>();
  return async (region) => {
    sdk ??= load();
    const loaded = await sdk;
    let client = clients.get(region);
    if (!client) {
      client = create(loaded, region);
      clients.set(region, client);
    }
    return { sdk: loaded, client };
  };
}

export const identityStoreClients = (instrumentClient: InstrumentClient = uninstrumented) =>
  clientsPerRegion<IdentityStoreSdk, IdentitystoreClient>(
    () => import('@aws-sdk/client-identitystore'),
    (sdk, region) => instrumentClient(new sdk.IdentitystoreClient({ region, ...RETRIES })),
  );

export const cognitoClients = (instrumentClient: InstrumentClient = uninstrumented) =>
  clientsPerRegion<CognitoSdk, CognitoIdentityProviderClient>(
    () => import('@aws-sdk/client-cognito-identity-provider'),
    (sdk, region) => instrumentClient(new sdk.CognitoIdentityProviderClient({ region, ...RETRIES })),
  );

/** A user pool id starts with its region: `us-east-1_AbCdEf123`. */
export const regionOfUserPool = (userPoolId: string) => userPoolId.slice(0, userPoolId.indexOf('_'));

/** An Identity Store user (DescribeUser's answer, a ListUsers item); `undefined` without an id or a name. */
export function identityStoreUserOf(identityStoreId: string, user: User): KnownUser | undefined {
  if (!user.UserId || !user.UserName) return undefined;
  return {
    user: { kind: 'identity-store-user', identityStoreId, userId: user.UserId },
    userName: user.UserName,
    emails: (user.Emails ?? []).flatMap((email) => (email.Value ? [email.Value] : [])),
    externalIds: (user.ExternalIds ?? []).map((external) => `${external.Issuer}|${external.Id}`),
  };
}

/**
 * A Cognito user (a ListUsers item); `undefined` without a username or a sub (the `sub` attribute, else
 * `knownSub`: the sub the user was found by).
 */
export function cognitoUserOf(userPoolId: string, user: UserType, knownSub?: string): KnownUser | undefined {
  const attribute = (name: string) => user.Attributes?.find((candidate) => candidate.Name === name)?.Value;
  const sub = attribute('sub') ?? knownSub;
  const email = attribute('email');
  const preferredUsername = attribute('preferred_username');
  if (!user.Username || !sub) return undefined;
  return {
    user: { kind: 'cognito-user', userPoolId, sub },
    userName: user.Username,
    emails: email ? [email] : [],
    externalIds: [],
    ...(preferredUsername && { otherNames: [preferredUsername] }),
  };
}
