import {
  type AccountAccess,
  accountsOf,
  DEFAULT_DESCRIBE_CALLS_PER_SECOND,
  DEFAULT_TERMINATE_CALLS_PER_SECOND,
} from '../lambda/core/environment.ts';
import { ec2ClientVpnApi } from '../lambda/engine/adapters/ec2-client-vpn.ts';
import { memberRoleCredentials } from '../lambda/engine/adapters/member-accounts.ts';
import { pacedClientVpn } from '../lambda/engine/pacing.ts';
import type { ClientVpnApiForRegion } from '../lambda/engine/ports.ts';
import type { CliDeps } from './deps.ts';
import type { Scope } from './options.ts';
import { type Looking, type Progress, reportingClientVpn } from './progress.ts';

/** The role session name member accounts' CloudTrail shows for the CLI's calls. */
export const CLI_ROLE_SESSION = 'client-vpn-revoker-cli';

/**
 * The engine's EC2 port for the operator: the Lambda's adapter and pacing (one revoker environment's share
 * of EC2's token buckets, so the CLI never drains them for the deployed functions and other automation),
 * wrapped to report progress. Resolves the regions and credentials first: `AwsSetupError` when either is
 * missing, before any call is made.
 */
export async function operatorClientVpn(
  scope: Scope,
  deps: CliDeps,
  progress: Progress,
  looking: Looking,
): Promise<{ regions: readonly string[]; accounts?: AccountAccess[]; clientVpn: ClientVpnApiForRegion }> {
  const regions = scope.regions.length > 0 ? scope.regions : [await deps.aws.defaultRegion()];
  const homeRegion = regions[0] as string;
  const credentials = await deps.aws.credentials(homeRegion);
  // With member roles, every account is named in the results: the operator's own by its id (from STS).
  const accounts =
    scope.memberRoleArns.length === 0
      ? undefined
      : accountsOf(
          scope.searchOwnAccount ? await deps.aws.accountId(homeRegion, credentials) : undefined,
          scope.memberRoleArns,
        ).accounts;
  // Member roles are assumed with the operator's credentials, as the functions assume them with theirs.
  const roleCredentialsOf = memberRoleCredentials(accounts, {
    sessionName: CLI_ROLE_SESSION,
    stsRegion: homeRegion,
    credentials,
    now: deps.now,
  });
  const paced = pacedClientVpn(
    ec2ClientVpnApi((region, accountId) => deps.aws.ec2(region, roleCredentialsOf(accountId) ?? credentials)),
    {
      terminatePerSecond: DEFAULT_TERMINATE_CALLS_PER_SECOND,
      describePerSecond: DEFAULT_DESCRIBE_CALLS_PER_SECOND,
      now: deps.now,
      sleep: deps.sleep,
    },
  );
  return { regions, ...(accounts && { accounts }), clientVpn: reportingClientVpn(paced, progress, looking) };
}
