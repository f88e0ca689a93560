import { DEMO_IDENTITY_STORE_ID, DEMO_VICTIM, DEMO_VICTIM_USER_ID } from '../../emulator/index.ts';
import type { SeedUser } from '../../emulator/seed.ts';
import { dynamoDbLedger } from '../../lambda/core/adapters/dynamodb-ledger.ts';
import type { RevocationLedger } from '../../lambda/core/ledger.ts';
import { RevokerOnEmulator } from '../../local/revoker-on-emulator.ts';

/** The user pool and Jane's sub the Cognito examples name. */
export const EXAMPLE_USER_POOL = 'us-east-1_ExAmPlE12';
export const EXAMPLE_JANE_SUB = 'f4b8c4d8-2071-70c3-8e5f-1a2b3c4d5e6f';

/**
 * The synthesized stack of TEST_SOURCES_CONTEXT on the emulator, as fast as the emulator answers (routing is
 * tested, not EC2 pacing), with one endpoint where Jane has two sessions and John one, and Jane in the identity
 * store and the user pool the examples name (`otherStoreUsers` beside her); and a ledger client.
 */
export async function startSourcesRevoker(
  cdkOut: string,
  endpointId: string,
  otherStoreUsers: readonly SeedUser[] = [],
): Promise<{ revoker: RevokerOnEmulator; ledger: RevocationLedger }> {
  const revoker = await RevokerOnEmulator.start({
    cdkOut,
    emulator: { terminateDelayMs: 20 },
    environment: { EC2_TERMINATE_CALLS_PER_SECOND: '1000', EC2_DESCRIBE_CALLS_PER_SECOND: '1000' },
    seed: {
      endpoints: [
        {
          id: endpointId,
          region: 'us-east-1',
          tags: { 'client-vpn-revoker': 'enabled' },
          authType: 'saml',
          connections: [
            { username: DEMO_VICTIM },
            { username: 'Jane.Doe@example.com' },
            { username: 'john@example.com' },
          ],
        },
      ],
      identityStore: {
        identityStoreId: DEMO_IDENTITY_STORE_ID,
        users: [
          { userId: DEMO_VICTIM_USER_ID, userName: DEMO_VICTIM, emails: [DEMO_VICTIM] },
          ...otherStoreUsers,
        ],
      },
      cognitoUserPools: [
        {
          userPoolId: EXAMPLE_USER_POOL,
          users: [{ username: DEMO_VICTIM, sub: EXAMPLE_JANE_SUB, email: DEMO_VICTIM }],
        },
      ],
    },
  });
  const { dynamo } = revoker;
  if (!dynamo) throw new Error('the synthesized stack has no revocation ledger');
  const ledger = dynamoDbLedger(dynamo.client, {
    tableName: dynamo.tableName,
    retentionMs: 86_400_000,
    now: Date.now,
  });
  return { revoker, ledger };
}
