import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { regionSchema } from '../lambda/core/environment.ts';
import { AwsSetupError, UsageError } from './exit-codes.ts';

/**
 * The operator's AWS setup: the SDK's standard credential chain (environment, SSO and profiles, process,
 * web identity, container and instance roles) and region resolution, found once and shared by every client.
 */

export type CredentialProvider = EC2Client['config']['credentials'];

export interface AwsAccess {
  /** `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the profile's region; `AwsSetupError` when there is none. */
  defaultRegion(): Promise<string>;
  /** The standard chain, resolved once now: `AwsSetupError` when it finds nothing. */
  credentials(region: string): Promise<CredentialProvider>;
  /** The account of the credentials (STS GetCallerIdentity); `AwsSetupError` when STS refuses them. */
  accountId(region: string, credentials: CredentialProvider): Promise<string>;
  ec2(region: string, credentials: CredentialProvider): EC2Client;
  eventBridge(region: string, credentials: CredentialProvider): EventBridgeClient;
}

const NO_REGION =
  'No AWS region: pass --region (or --endpoint region:cvpn-endpoint-…), or set AWS_REGION, or set a region ' +
  'in your AWS profile (aws configure set region us-east-1).';

const NO_CREDENTIALS =
  'No AWS credentials: sign in with your profile (export AWS_PROFILE=… and aws sso login), or set ' +
  'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or run where a role provides them.';

// Same retry policy as the functions: adaptive, so a drained EC2 bucket slows the calls down.
const SDK_RETRIES = { retryMode: 'adaptive', maxAttempts: 5 } as const;

export function awsAccess(env: NodeJS.ProcessEnv): AwsAccess {
  return {
    async defaultRegion() {
      for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const) {
        const value = env[name];
        if (!value) continue;
        if (!regionSchema.safeParse(value).success) {
          throw new UsageError(`${name}: expected an AWS region such as us-east-1, got '${value}'`);
        }
        return value;
      }
      // The SDK's own chain: AWS_REGION, then the region of the profile in the shared config file.
      let region: string | undefined;
      try {
        region = await new EC2Client({}).config.region();
      } catch {
        region = undefined;
      }
      if (!region) throw new AwsSetupError(NO_REGION);
      return region;
    },

    async credentials(region) {
      const provider = new EC2Client({ region }).config.credentials;
      try {
        await provider();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new AwsSetupError(`${NO_CREDENTIALS} (${reason})`, { cause: error });
      }
      return provider;
    },

    async accountId(region, credentials) {
      try {
        const sts = new STSClient({ region, credentials, ...SDK_RETRIES });
        const { Account: account } = await sts.send(new GetCallerIdentityCommand({}));
        if (account) return account;
        throw new Error('STS answered without an account');
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new AwsSetupError(`Could not tell which account your credentials belong to: ${reason}`, {
          cause: error,
        });
      }
    },

    ec2: (region, credentials) => new EC2Client({ region, credentials, ...SDK_RETRIES }),

    eventBridge: (region, credentials) => new EventBridgeClient({ region, credentials, ...SDK_RETRIES }),
  };
}
