import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import type { IdentityReference } from '../../sources/identity-source.ts';
import type { LookUpUserName } from '../process-batch.ts';

/**
 * Looks up Identity Center users by id. The SDK client is loaded on first use, so deployments without
 * an id-only source do not pay for it at cold start.
 */
export function identityStoreUserNames(region: string): LookUpUserName {
  let client: Promise<{ client: IdentitystoreClient; sdk: typeof import('@aws-sdk/client-identitystore') }>;
  return async (reference: IdentityReference) => {
    if (reference.kind !== 'identity-store-user') {
      throw new Error(`No look-up for ${reference.kind} references is configured`);
    }
    client ??= import('@aws-sdk/client-identitystore').then((sdk) => ({
      sdk,
      client: new sdk.IdentitystoreClient({ region, retryMode: 'adaptive', maxAttempts: 5 }),
    }));
    const { sdk, client: identityStore } = await client;
    try {
      const user = await identityStore.send(
        new sdk.DescribeUserCommand({ IdentityStoreId: reference.identityStoreId, UserId: reference.userId }),
      );
      return user.UserName;
    } catch (error) {
      if (error instanceof sdk.ResourceNotFoundException) return undefined;
      throw error;
    }
  };
}
