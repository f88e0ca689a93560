import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ENV } from '../environment.ts';
import { ConfigurationError } from '../errors.ts';

type SecretsManagerModule = typeof import('@aws-sdk/client-secrets-manager');

/** Errors that mean the setting is wrong (no such secret, no permission, no KMS access), not a passing fault. */
const CONFIGURATION_FAULTS = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'DecryptionFailure',
  'InvalidRequestException',
  'ValidationException',
]);

/**
 * Loads the key that hashes identities in logs (see `identityForLogs`) from Secrets Manager, once, at cold
 * start: the secret's string (UTF-8 bytes) or binary value is the key. Without an ARN there is no key and no
 * Secrets Manager client: the SDK is imported only when the setting is present.
 *
 * @param createClient builds the client from the lazily imported SDK module; defaults to the Lambda's region.
 * @throws ConfigurationError naming `LOG_IDENTITY_HASH_KEY_SECRET_ARN` when the secret is missing, empty or
 * not readable with the function's permissions. Other failures (throttling, network) are passed on as they are.
 */
export async function loadLogHashKey(
  secretArn: string | undefined,
  createClient: (sdk: SecretsManagerModule) => SecretsManagerClient = (sdk) =>
    new sdk.SecretsManagerClient({}),
): Promise<Uint8Array | undefined> {
  if (!secretArn) return undefined;
  const sdk = await import('@aws-sdk/client-secrets-manager');
  const client = createClient(sdk);
  try {
    const secret = await client.send(new sdk.GetSecretValueCommand({ SecretId: secretArn }));
    const key = secret.SecretString
      ? new TextEncoder().encode(secret.SecretString)
      : secret.SecretBinary?.length
        ? secret.SecretBinary
        : undefined;
    if (!key) {
      throw new ConfigurationError(`${ENV.logHashKeySecretArn}: the secret ${secretArn} has no value`);
    }
    return key;
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    if (error instanceof Error && CONFIGURATION_FAULTS.has(error.name)) {
      throw new ConfigurationError(
        `${ENV.logHashKeySecretArn}: cannot read the secret ${secretArn} (${error.name}: ${error.message})`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    client.destroy();
  }
}
