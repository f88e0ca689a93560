import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Seed } from '../../emulator/seed.ts';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../emulator/server.ts';

/** Fake static credentials: the emulator reads the region from the signature scope and checks nothing else. */
export const credentials = { accessKeyId: 'AKIAEMULATOR0000TEST', secretAccessKey: 'emulator-secret' };

/** Static or temporary (AssumeRole) credentials, as the SDK clients take them. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * Real SDK clients pointed at the emulator; one attempt, so an injected error surfaces instead of a retry.
 * EC2 and STS calls act in the account of `as` (the home account for the static `credentials`).
 */
export const ec2Client = (emu: Emulator, region = 'us-east-1', as: Credentials = credentials) =>
  new EC2Client({ endpoint: emu.url, region, credentials: as, maxAttempts: 1 });

export const stsClient = (emu: Emulator, as: Credentials = credentials, region = 'us-east-1') =>
  new STSClient({ endpoint: emu.url, region, credentials: as, maxAttempts: 1 });

/** Temporary credentials for `roleArn` (a seeded role), assumed by `as`. */
export const assumeRole = async (
  emu: Emulator,
  roleArn: string,
  as: Credentials = credentials,
): Promise<Credentials> => {
  const { Credentials: issued } = await stsClient(emu, as).send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'emulator-test' }),
  );
  if (!issued?.AccessKeyId || !issued.SecretAccessKey || !issued.SessionToken)
    throw new Error(`AssumeRole ${roleArn} answered no credentials`);
  return {
    accessKeyId: issued.AccessKeyId,
    secretAccessKey: issued.SecretAccessKey,
    sessionToken: issued.SessionToken,
  };
};

export const eventsClient = (emu: Emulator, region = 'us-east-1') =>
  new EventBridgeClient({ endpoint: emu.url, region, credentials, maxAttempts: 1 });

export const identityStoreClient = (emu: Emulator, region = 'us-east-1') =>
  new IdentitystoreClient({ endpoint: emu.url, region, credentials, maxAttempts: 1 });

export const cognitoClient = (emu: Emulator, region = 'us-east-1') =>
  new CognitoIdentityProviderClient({ endpoint: emu.url, region, credentials, maxAttempts: 1 });

export const secretsManagerClient = (emu: Emulator, region = 'us-east-1') =>
  new SecretsManagerClient({ endpoint: emu.url, region, credentials, maxAttempts: 1 });

/** What an SDK v3 service error exposes. */
export interface AwsError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { readonly httpStatusCode?: number; readonly requestId?: string };
  readonly [field: string]: unknown;
}

/** The SDK error a call rejects with; fails the test when the call succeeds. */
export const failure = async (call: Promise<unknown>): Promise<AwsError> => {
  try {
    await call;
  } catch (e) {
    if (e instanceof Error && '$metadata' in e) return e as AwsError;
    throw e;
  }
  throw new Error('expected the call to fail, but it succeeded');
};

/**
 * A hand-made Query request (EC2, or STS with `service: 'sts'`), for inputs the SDK cannot produce (unknown
 * actions, malformed values) and for reading the raw XML. `unsigned` sends no Authorization header.
 */
export const rawQuery = async (
  emu: Emulator,
  body: string,
  scope: {
    readonly region?: string;
    readonly service?: string;
    readonly accessKeyId?: string;
    readonly unsigned?: boolean;
  } = {},
) => {
  const { region = 'us-east-1', service = 'ec2', accessKeyId = 'AKID', unsigned = false } = scope;
  const authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
  const response = await fetch(emu.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      ...(unsigned ? {} : { authorization }),
    },
    body,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
};

/** A hand-made EC2 Query request. */
export const rawEc2 = (emu: Emulator, body: string, region = 'us-east-1') => rawQuery(emu, body, { region });

/** One endpoint with `count` active connections of users `user-0` … `user-<count-1>`. */
export const endpointWith = (
  id: string,
  count: number,
  options: { region?: string; username?: (i: number) => string } = {},
): Seed => ({
  endpoints: [
    {
      id,
      region: options.region ?? 'us-east-1',
      authType: 'saml',
      connections: Array.from({ length: count }, (_, i) => ({
        username: options.username?.(i) ?? `user-${i}`,
      })),
    },
  ],
});

/**
 * One emulator for the enclosing describe block: started before its tests, reset before each, stopped after.
 * The returned object forwards to the running instance.
 */
export function useEmulator(options?: EmulatorOptions): Emulator {
  let current: Emulator | undefined;
  beforeAll(async () => {
    current = await startEmulator(options);
  });
  afterAll(async () => {
    await current?.stop();
  });
  beforeEach(() => current?.reset());
  return new Proxy({} as Emulator, {
    get: (_target, key) => {
      if (!current) throw new Error('the emulator is used outside a test');
      const value: unknown = Reflect.get(current, key);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}
