import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidSeedError } from '../../emulator/seed.ts';
import { startEmulator } from '../../emulator/server.ts';
import { credentials, failure, secretsManagerClient, useEmulator } from './helpers.ts';

const OKTA_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:client-vpn-revoker/okta-token-AbC123';
const NOT_FOUND = "Secrets Manager can't find the specified secret.";

describe('Secrets Manager GetSecretValue through @aws-sdk/client-secrets-manager', () => {
  const emu = useEmulator({
    seed: {
      secrets: [
        { arn: OKTA_ARN, value: 'okta-api-token' },
        { name: 'client-vpn-revoker/webhook', value: { hmacKey: 'k1', previous: 'k0' } },
        { name: 'eu-only', region: 'eu-west-1', value: 'eu', createdAt: '2026-01-02T03:04:05.678Z' },
      ],
    },
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const get = (input: Record<string, string | undefined>, region = 'us-east-1') =>
    secretsManagerClient(emu, region).send(new GetSecretValueCommand(input as { SecretId: string }));

  it('returns a secret by its ARN', async () => {
    // Act
    const result = await get({ SecretId: OKTA_ARN });

    // Assess
    expect(result.$metadata.httpStatusCode).toBe(200);
    expect(result.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result).toMatchObject({
      ARN: OKTA_ARN,
      Name: 'client-vpn-revoker/okta-token',
      SecretString: 'okta-api-token',
      VersionId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      VersionStages: ['AWSCURRENT'],
    });
    expect(result.CreatedDate).toBeInstanceOf(Date);
    expect(result.CreatedDate?.getTime()).toBeLessThan(Date.now());
  });

  it('finds the same secret by name and by the ARN without its 6-character suffix', async () => {
    // Act
    const byName = await get({ SecretId: 'client-vpn-revoker/okta-token' });
    const byPartialArn = await get({ SecretId: OKTA_ARN.slice(0, -7) });

    // Assess
    expect(byName.ARN).toBe(OKTA_ARN);
    expect(byPartialArn.ARN).toBe(OKTA_ARN);
    expect(byName.VersionId).toBe(byPartialArn.VersionId);
  });

  it('derives a deterministic ARN for a secret seeded by name, and stores an object value as JSON', async () => {
    // Act
    const result = await get({ SecretId: 'client-vpn-revoker/webhook' });

    // Assess
    expect(result.ARN).toMatch(
      /^arn:aws:secretsmanager:us-east-1:111122223333:secret:client-vpn-revoker\/webhook-[A-Za-z0-9]{6}$/,
    );
    expect(JSON.parse(result.SecretString ?? '')).toEqual({ hmacKey: 'k1', previous: 'k0' });
    expect((await get({ SecretId: result.ARN ?? '' })).Name).toBe('client-vpn-revoker/webhook');
  });

  it('answers only in the secret region, with the seeded creation date', async () => {
    // Act
    const inEu = await get({ SecretId: 'eu-only' }, 'eu-west-1');
    const inUs = await failure(get({ SecretId: 'eu-only' }));

    // Assess
    expect(inEu.SecretString).toBe('eu');
    expect(inEu.CreatedDate?.toISOString()).toBe('2026-01-02T03:04:05.678Z');
    expect(inUs.name).toBe('ResourceNotFoundException');
  });

  it('accepts VersionStage AWSCURRENT and the current VersionId', async () => {
    // Prepare
    const { VersionId } = await get({ SecretId: OKTA_ARN });

    // Act
    const byStage = await get({ SecretId: OKTA_ARN, VersionStage: 'AWSCURRENT' });
    const byVersion = await get({ SecretId: OKTA_ARN, VersionId });

    // Assess
    expect(byStage.SecretString).toBe('okta-api-token');
    expect(byVersion.SecretString).toBe('okta-api-token');
  });

  it('answers ResourceNotFoundException 400 for an unknown secret', async () => {
    // Act
    const error = await failure(get({ SecretId: 'nope' }));

    // Assess
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe(NOT_FOUND);
    expect(error.$fault).toBe('client');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('answers ResourceNotFoundException for another version stage or version id', async () => {
    // Act
    const stage = await failure(get({ SecretId: OKTA_ARN, VersionStage: 'AWSPREVIOUS' }));
    const version = await failure(
      get({ SecretId: OKTA_ARN, VersionId: '00000000-0000-0000-0000-000000000000' }),
    );

    // Assess
    expect(stage.name).toBe('ResourceNotFoundException');
    expect(stage.message).toContain('staging label: AWSPREVIOUS');
    expect(version.name).toBe('ResourceNotFoundException');
    expect(version.message).toContain('VersionId: 00000000-0000-0000-0000-000000000000');
  });

  it('answers ValidationException 400 without SecretId', async () => {
    // Act
    const error = await failure(get({}));

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain("'secretId'");
  });

  it('records the calls like the other services (without the secret value)', async () => {
    // Prepare
    await get({ SecretId: OKTA_ARN });
    await failure(get({ SecretId: 'nope' }));

    // Act
    const calls = emu.calls();
    const counts = emu.callCounts();

    // Assess
    expect(calls.map((c) => [c.service, c.action, c.region, c.params, c.status, c.errorCode])).toEqual([
      ['secretsmanager', 'GetSecretValue', 'us-east-1', { SecretId: OKTA_ARN }, 200, undefined],
      [
        'secretsmanager',
        'GetSecretValue',
        'us-east-1',
        { SecretId: 'nope' },
        400,
        'ResourceNotFoundException',
      ],
    ]);
    expect(counts['us-east-1:GetSecretValue']).toMatchObject({ calls: 2, errors: 1 });
  });

  it('is reached through AWS_ENDPOINT_URL_SECRETS_MANAGER from emu.env', async () => {
    // Prepare
    vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', emu.env.AWS_ENDPOINT_URL_SECRETS_MANAGER);
    const client = new SecretsManagerClient({ region: 'us-east-1', credentials, maxAttempts: 1 });

    // Act
    const result = await client.send(new GetSecretValueCommand({ SecretId: OKTA_ARN }));

    // Assess
    expect(emu.env.AWS_ENDPOINT_URL_SECRETS_MANAGER).toBe(emu.url);
    expect(result.SecretString).toBe('okta-api-token');
    expect(emu.calls()).toHaveLength(1);
  });

  it('answers UnknownOperationException for other operations', async () => {
    // Act
    const response = await fetch(emu.url, {
      method: 'POST',
      headers: {
        'x-amz-target': 'secretsmanager.PutSecretValue',
        'content-type': 'application/x-amz-json-1.1',
      },
      body: JSON.stringify({ SecretId: OKTA_ARN, SecretString: 'x' }),
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });
});

describe('Secrets Manager seeds', () => {
  it.each([
    ['neither arn nor name', { value: 'x' }, 'a secret needs an arn or a name'],
    [
      'a malformed ARN',
      { arn: 'arn:aws:secretsmanager:us-east-1:1:secret:x', value: 'x' },
      'expected a secret ARN',
    ],
    ['a region that contradicts the ARN', { arn: OKTA_ARN, region: 'eu-west-1', value: 'x' }, 'differs from'],
    [
      'a name that contradicts the ARN',
      { arn: OKTA_ARN, name: 'other', value: 'x' },
      "differs from the ARN's name",
    ],
  ])('rejects %s', async (_, secret, expected) => {
    // Act
    const start = startEmulator({ seed: { secrets: [secret] } });

    // Assess
    await expect(start).rejects.toThrow(InvalidSeedError);
    await expect(start).rejects.toThrow(expected);
  });

  it('rejects the same secret twice', async () => {
    // Act
    const start = startEmulator({
      seed: {
        secrets: [
          { arn: OKTA_ARN, value: 'a' },
          { name: 'client-vpn-revoker/okta-token', value: 'b' },
        ],
      },
    });

    // Assess
    await expect(start).rejects.toThrow('duplicate secret');
  });
});
