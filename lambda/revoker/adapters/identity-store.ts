import type { IdentityReference } from '../../../sources/identity-source.ts';
import { identityStoreClients, identityStoreUserOf } from '../../core/adapters/directory-users.ts';
import { type InstrumentClient, uninstrumented } from '../../core/adapters/instrument-client.ts';
import type { KnownUser } from '../../core/user-directory.ts';

type IdentityStoreUser = Extract<IdentityReference, { kind: 'identity-store-user' }>;

/**
 * Looks up IAM Identity Center users by id (`identitystore:DescribeUser`); `undefined` when the user does not
 * exist (any more). The SDK client is loaded on first use, so deployments without an id-only source do not
 * pay for it at cold start.
 */
export function identityStoreUserLookUp(
  region: string,
  instrumentClient: InstrumentClient = uninstrumented,
): (user: IdentityStoreUser) => Promise<KnownUser | undefined> {
  const clients = identityStoreClients(instrumentClient);
  return async (user) => {
    const { sdk, client } = await clients(region);
    try {
      const found = await client.send(
        new sdk.DescribeUserCommand({ IdentityStoreId: user.identityStoreId, UserId: user.userId }),
      );
      return identityStoreUserOf(user.identityStoreId, found);
    } catch (error) {
      if (error instanceof sdk.ResourceNotFoundException) return undefined;
      throw error;
    }
  };
}
