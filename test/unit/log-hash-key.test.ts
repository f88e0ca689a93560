import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { loadLogHashKey } from '../../lambda/core/adapters/log-hash-key.ts';
import { ConfigurationError } from '../../lambda/core/errors.ts';
import { identityForLogs } from '../../lambda/core/log-identity.ts';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:vpn-log-hash-key-AbCdEf';
const secretsManager = mockClient(SecretsManagerClient);

beforeEach(() => {
  secretsManager.reset();
});

describe('loadLogHashKey', () => {
  it('returns no key and creates no client when no secret is configured', async () => {
    // Prepare
    const createClient = vi.fn();

    // Act
    const keys = [await loadLogHashKey(undefined, createClient), await loadLogHashKey('', createClient)];

    // Assess
    expect(keys).toEqual([undefined, undefined]);
    expect(createClient).not.toHaveBeenCalled();
    expect(secretsManager.calls()).toHaveLength(0);
  });

  it('uses the secret string as the key (its UTF-8 bytes)', async () => {
    // Prepare
    secretsManager
      .on(GetSecretValueCommand, { SecretId: SECRET_ARN })
      .resolves({ SecretString: 'clé-secrète' });

    // Act
    const key = await loadLogHashKey(SECRET_ARN);

    // Assess
    expect(key).toEqual(new TextEncoder().encode('clé-secrète'));
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(identityForLogs(key)('Jane.Doe@example.com')).toBe(
      identityForLogs(new TextEncoder().encode('clé-secrète'))('jane.doe@example.com'),
    );
  });

  it('uses a binary secret as is', async () => {
    // Prepare
    const bytes = Uint8Array.from([0, 1, 2, 250, 255]);
    secretsManager.on(GetSecretValueCommand).resolves({ SecretBinary: bytes });

    // Act
    const key = await loadLogHashKey(SECRET_ARN);

    // Assess
    expect(key).toEqual(bytes);
  });

  it('builds the client with the lazily imported SDK through createClient', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'k' });
    const createClient = vi.fn(
      (sdk: typeof import('@aws-sdk/client-secrets-manager')) =>
        new sdk.SecretsManagerClient({ region: 'eu-west-1', maxAttempts: 2 }),
    );

    // Act
    await loadLogHashKey(SECRET_ARN, createClient);

    // Assess
    expect(createClient).toHaveBeenCalledOnce();
    expect(createClient.mock.calls[0]?.[0].GetSecretValueCommand).toBe(GetSecretValueCommand);
  });

  it.each([
    ['an empty string', { SecretString: '' }],
    ['an empty binary', { SecretBinary: new Uint8Array() }],
    ['no value at all', {}],
  ])('rejects a secret with %s as a configuration error naming the variable', async (_label, reply) => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).resolves(reply);

    // Act
    const loading = loadLogHashKey(SECRET_ARN);

    // Assess
    await expect(loading).rejects.toThrow(ConfigurationError);
    await expect(loadLogHashKey(SECRET_ARN)).rejects.toThrow(
      /^LOG_IDENTITY_HASH_KEY_SECRET_ARN: .*has no value/,
    );
  });

  it('reports a missing secret as a configuration error naming the variable, with the cause', async () => {
    // Prepare
    const notFound = new ResourceNotFoundException({
      message: "Secrets Manager can't find the specified secret.",
      $metadata: {},
    });
    secretsManager.on(GetSecretValueCommand).rejects(notFound);

    // Act
    const error = await loadLogHashKey(SECRET_ARN).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/^LOG_IDENTITY_HASH_KEY_SECRET_ARN: cannot read the secret/);
    expect((error as Error).cause).toBe(notFound);
  });

  it('passes other failures (throttling, network) on unchanged', async () => {
    // Prepare
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    secretsManager.on(GetSecretValueCommand).rejects(throttled);

    // Act
    const error = await loadLogHashKey(SECRET_ARN).catch((e: unknown) => e);

    // Assess
    expect(error).toBe(throttled);
  });
});
