import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultProvider } from '../../lambda/core/adapters/lambda-credentials.ts';

const CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
];

let server: Server | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

const clearEnvironment = () => {
  for (const name of CREDENTIAL_VARIABLES) vi.stubEnv(name, undefined);
};

describe('the Lambda credential chain', () => {
  it("takes the execution role's credentials from the environment, as Lambda provides them", async () => {
    clearEnvironment();
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'token');
    await expect(defaultProvider()()).resolves.toMatchObject({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
  });

  it('falls back to a container credentials endpoint when one is configured', async () => {
    clearEnvironment();
    const expiration = new Date(Date.now() + 3_600_000).toISOString();
    server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          AccessKeyId: 'ASIACONTAINER',
          SecretAccessKey: 'container-secret',
          Token: 'container-token',
          Expiration: expiration,
          seenAuthorization: request.headers.authorization,
        }),
      );
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    vi.stubEnv('AWS_CONTAINER_CREDENTIALS_FULL_URI', `http://127.0.0.1:${port}/credentials`);
    await expect(defaultProvider()()).resolves.toMatchObject({
      accessKeyId: 'ASIACONTAINER',
      sessionToken: 'container-token',
    });
  });

  it('fails with the environment provider’s error when neither source is configured', async () => {
    clearEnvironment();
    await expect(defaultProvider()()).rejects.toThrow(/AWS_ACCESS_KEY_ID|credentials/i);
  });
});
