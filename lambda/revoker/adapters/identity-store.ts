import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { type InstrumentClient, uninstrumented } from '../../core/adapters/instrument-client.ts';
import { type IdentityReference, type UserNames, usableNames } from '../../sources/identity-source.ts';

type IdentityStoreUser = Extract<IdentityReference, { kind: 'identity-store-user' }>;

/**
 * Looks up IAM Identity Center users by id (`identitystore:DescribeUser`): the `UserName` and, as aliases,
 * every address in `Emails`. The SDK client is loaded on first
 * use, so deployments without an id-only source do not pay for it at cold start.
 */
export function identityStoreUserNames(
  region: string,
  instrumentClient: InstrumentClient = uninstrumented,
): (user: IdentityStoreUser) => Promise<UserNames | undefined> {
  let loaded: Promise<{ client: IdentitystoreClient; sdk: typeof import('@aws-sdk/client-identitystore') }>;
  return async (user) => {
    loaded ??= import('@aws-sdk/client-identitystore').then((sdk) => ({
      sdk,
      client: instrumentClient(
        new sdk.IdentitystoreClient({ region, retryMode: 'adaptive', maxAttempts: 5 }),
      ),
    }));
    const { sdk, client } = await loaded;
    try {
      const found = await client.send(
        new sdk.DescribeUserCommand({ IdentityStoreId: user.identityStoreId, UserId: user.userId }),
      );
      if (found.UserName === undefined) return undefined;
      return {
        userName: found.UserName,
        aliases: usableNames((found.Emails ?? []).map((email) => email.Value)),
      };
    } catch (error) {
      if (error instanceof sdk.ResourceNotFoundException) return undefined;
      throw error;
    }
  };
}
