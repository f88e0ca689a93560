import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Seed } from '../../emulator/seed.ts';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../emulator/server.ts';

/** Fake static credentials: the emulator reads the region from the signature scope and checks nothing else. */
export const credentials = { accessKeyId: 'AKIAEMULATOR0000TEST', secretAccessKey: 'emulator-secret' };

/** Real SDK clients pointed at the emulator; one attempt, so an injected error surfaces instead of a retry. */
export const ec2Client = (emu: Emulator, region = 'us-east-1') =>
  new EC2Client({ endpoint: emu.url, region, credentials, maxAttempts: 1 });

export const eventsClient = (emu: Emulator, region = 'us-east-1') =>
  new EventBridgeClient({ endpoint: emu.url, region, credentials, maxAttempts: 1 });

export const identityStoreClient = (emu: Emulator, region = 'us-east-1') =>
  new IdentitystoreClient({ endpoint: emu.url, region, credentials, maxAttempts: 1 });

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

/** A hand-made EC2 Query request, for inputs the SDK cannot produce (unknown actions, malformed values). */
export const rawEc2 = async (emu: Emulator, body: string, region = 'us-east-1') => {
  const response = await fetch(emu.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization: `AWS4-HMAC-SHA256 Credential=AKID/20260101/${region}/ec2/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
};

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
