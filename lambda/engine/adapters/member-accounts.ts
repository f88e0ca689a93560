import { EC2Client } from '@aws-sdk/client-ec2';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { type InstrumentClient, uninstrumented } from '../../core/adapters/instrument-client.ts';
import type { AccountAccess } from '../../core/environment.ts';
import { ClientVpnApiError } from '../../core/errors.ts';
import { toClientVpnApiError } from './ec2-client-vpn.ts';

/** Assumed-role credentials are renewed this long before they expire, so no call is signed with stale ones. */
const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;
const SESSION_SECONDS = 3600;

export interface MemberAccountOptions {
  /** Shown in the member account's CloudTrail as the role session, e.g. `client-vpn-revoker`. */
  readonly sessionName: string;
  /** Region of the STS endpoint called; by default the SDK's (in Lambda, the function's own). */
  readonly stsRegion?: string;
  /** What signs AssumeRole; by default the SDK's credential chain (in Lambda, the function's role). */
  readonly credentials?: AwsCredentialIdentityProvider;
  readonly now: () => number;
  /** Applied to every SDK client created here (the EC2 clients and STS), e.g. to count throttles or trace. */
  readonly instrumentClient?: InstrumentClient;
}

/**
 * The credentials each member account is searched with, by account id: its role's, assumed through one shared
 * STS client; `undefined` for the own account (searched with the caller's own credentials) or no account.
 */
export function memberRoleCredentials(
  accounts: readonly AccountAccess[] | undefined,
  options: MemberAccountOptions,
): (accountId?: string) => AwsCredentialIdentityProvider | undefined {
  const loadSts = stsLoader(options);
  const byAccount = new Map(
    (accounts ?? []).flatMap(({ accountId, roleArn }) =>
      roleArn ? [[accountId, assumedRoleCredentials(roleArn, options, loadSts)] as const] : [],
    ),
  );
  return (accountId) => (accountId === undefined ? undefined : byAccount.get(accountId));
}

/**
 * EC2 clients for the accounts searched: the function's own credentials for its own account, a member
 * account's role otherwise. Adaptive retries rate-limit a client once EC2 throttles.
 */
export function ec2ClientsForAccounts(
  accounts: readonly AccountAccess[] | undefined,
  options: MemberAccountOptions,
): (region: string, accountId?: string) => EC2Client {
  const credentialsOf = memberRoleCredentials(accounts, options);
  const instrument = options.instrumentClient ?? uninstrumented;
  return (region, accountId) => {
    const credentials = credentialsOf(accountId);
    return instrument(
      new EC2Client({ region, retryMode: 'adaptive', maxAttempts: 5, ...(credentials && { credentials }) }),
    );
  };
}

/**
 * Credentials of a member account's role: assumed on first use, shared by every region's client, renewed
 * shortly before they expire. A failure is not kept, so the next call (or invocation) tries again; it is
 * thrown as a `ClientVpnApiError` naming the role, which the search reports for each region of the account.
 * STS is loaded on first use: functions without member accounts never load it.
 */
export function assumedRoleCredentials(
  roleArn: string,
  options: MemberAccountOptions,
  loadSts: () => Promise<Sts> = stsLoader(options),
): AwsCredentialIdentityProvider {
  const assume = async (): Promise<AwsCredentialIdentity> => {
    const { client, AssumeRoleCommand } = await loadSts();
    try {
      const { Credentials: credentials } = await client.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: options.sessionName,
          DurationSeconds: SESSION_SECONDS,
        }),
      );
      if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
        throw new Error('STS answered without credentials');
      }
      return {
        accessKeyId: credentials.AccessKeyId,
        secretAccessKey: credentials.SecretAccessKey,
        sessionToken: credentials.SessionToken,
        expiration: credentials.Expiration,
      };
    } catch (error) {
      const cause = toClientVpnApiError(error);
      throw new ClientVpnApiError(
        cause.code,
        `Could not assume ${roleArn}: ${cause.message}`,
        cause.retryable,
        { cause: error },
      );
    }
  };
  let current: Promise<AwsCredentialIdentity> | undefined;
  // Infinity while an AssumeRole is in flight: concurrent callers share it.
  let expiresAt = Number.POSITIVE_INFINITY;
  return () => {
    if (!current || expiresAt - options.now() < RENEW_BEFORE_EXPIRY_MS) {
      expiresAt = Number.POSITIVE_INFINITY;
      const attempt = assume().then((credentials) => {
        expiresAt = credentials.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
        return credentials;
      });
      attempt.catch(() => {
        if (current === attempt) current = undefined;
      });
      current = attempt;
    }
    return current;
  };
}

type StsModule = typeof import('@aws-sdk/client-sts');
interface Sts {
  readonly client: InstanceType<StsModule['STSClient']>;
  readonly AssumeRoleCommand: StsModule['AssumeRoleCommand'];
}

/** Loads STS and creates its client on first call; later calls share both. */
function stsLoader({ stsRegion, credentials, instrumentClient = uninstrumented }: MemberAccountOptions) {
  let sts: Promise<Sts> | undefined;
  return () => {
    sts ??= import('@aws-sdk/client-sts').then(({ STSClient, AssumeRoleCommand }) => ({
      AssumeRoleCommand,
      client: instrumentClient(
        new STSClient({
          ...(stsRegion && { region: stsRegion }),
          ...(credentials && { credentials }),
          retryMode: 'adaptive',
          maxAttempts: 3,
        }),
      ),
    }));
    return sts;
  };
}
