/**
 * The credential chain the product's bundles use in place of the SDK's default Node.js chain (the bundler
 * substitutes this module for `@aws-sdk/credential-provider-node`; see lib/bundling/). Lambda hands the
 * execution role's credentials to the function in environment variables; a container credentials endpoint
 * (AWS_CONTAINER_CREDENTIALS_*) is the only other source a Lambda execution environment can offer. Leaving out
 * the profile, SSO, web-identity, process and instance-metadata providers keeps them, and the STS/SSO clients
 * they pull in, out of every cold start.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';
import type { fromHttp } from '@aws-sdk/credential-provider-http';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

type ProviderInit = Parameters<typeof fromEnv>[0] & Parameters<typeof fromHttp>[0];

const CONTAINER_CREDENTIALS = [
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
];

/** Same name and shape as the SDK's `defaultProvider`, so every client's runtime config takes it unchanged. */
export const defaultProvider = (init: ProviderInit = {}): AwsCredentialIdentityProvider => {
  const fromEnvironment = fromEnv(init);
  // Loaded (a chunk of its own) and created only when an endpoint is configured: fromHttp throws at creation
  // without one, and Lambda normally hands credentials over in the environment.
  let fromContainer: Promise<AwsCredentialIdentityProvider> | undefined;
  return async (options): Promise<AwsCredentialIdentity> => {
    try {
      return await fromEnvironment(options);
    } catch (error) {
      if (!CONTAINER_CREDENTIALS.some((name) => process.env[name])) throw error;
      fromContainer ??= import('@aws-sdk/credential-provider-http').then((http) => http.fromHttp(init));
      return (await fromContainer)(options);
    }
  };
};
