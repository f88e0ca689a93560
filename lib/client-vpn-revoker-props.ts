import type { Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { SourcesProps } from '../sources/registry.ts';
import type { ConnectHandlerProps } from './parts/connect-handler.ts';
import type { Ec2CallBudget } from './parts/ec2-call-budget.ts';
import type { ClientVpnEndpointReference, ClientVpnEndpointTag } from './parts/endpoint-selection.ts';
import type { MemberAccountsProps } from './parts/member-accounts.ts';
import type { LedgerProps } from './parts/revocation-ledger.ts';
import type { SessionCleanupProps } from './parts/session-sweeper.ts';
import type { UserDirectoryOptions } from './parts/user-directory.ts';

/**
 * Everything a ClientVpnRevoker is configured by, in one place (docs/configuration.md has a row per prop); each
 * nested props interface lives with the part it configures (lib/parts/).
 */
export interface ClientVpnRevokerProps extends SourcesProps {
  /**
   * Regions whose Client VPN endpoints are in scope.
   * @default - the regions of `endpoints` when given, otherwise the stack's region
   */
  readonly regions?: string[];
  /**
   * Act only on these endpoints (IAM is scoped to exactly their ARNs). Mutually exclusive with `endpointTag`.
   * @default - every endpoint in `regions`, or those selected by `endpointTag`
   */
  readonly endpoints?: ClientVpnEndpointReference[];
  /**
   * Act only on endpoints carrying this tag (IAM is conditioned on the tag). Mutually exclusive with `endpoints`.
   * @default - every endpoint in `regions`, or exactly `endpoints`
   */
  readonly endpointTag?: ClientVpnEndpointTag;
  /**
   * The user directory (lib/parts/user-directory.ts): users of the identityCenter and cognito sources, recorded
   * while they exist, so a delete that names only an id still revokes the person.
   * @default - enabled when identityCenter or cognito is configured, synced hourly, records kept 90 days
   */
  readonly userDirectory?: UserDirectoryOptions;
  /**
   * Bus the outcome event ("Client VPN Revocation Outcome") is published to.
   * @default - the account's default event bus in the stack's region
   */
  readonly outcomeEventBus?: events.IEventBus;
  /**
   * `source` of the outcome event; the function may publish with this source only.
   * @default 'client-vpn-revoker' (DEFAULT_OUTCOME_SOURCE)
   */
  readonly outcomeSource?: string;
  /**
   * Find and report the connections, but do not terminate them.
   * @default false
   */
  readonly dryRun?: boolean;
  /**
   * Most concurrent function invocations the SQS event source starts (ScalingConfig.MaximumConcurrency,
   * 2–1000); caps the pressure on the per-account EC2 API token buckets.
   * @default 2
   */
  readonly maxConcurrency?: number;
  /**
   * Most messages (revocation requests) per invocation, 1–10000; above 10 needs `maxBatchingWindow`. One
   * listing of every endpoint serves the whole batch, so during a mass offboarding large batches save most
   * Describe calls; a batch the function cannot finish before its timeout ends what it can, reports the rest
   * and is retried.
   * @default 100
   */
  readonly batchSize?: number;
  /**
   * How long the event source gathers messages before invoking, 0–300 s, so a burst of offboardings is
   * handled together (one listing per endpoint).
   * @default Duration.seconds(5)
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Receives of a message before it moves to the dead-letter queue, 1–1000.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * Function timeout, 30 s–15 min; the queue's visibility timeout is six times this. At the default
   * pacing, five minutes is time for about 600 Terminate calls in one invocation.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /**
   * Time the function keeps retrying connections stuck in `failed-to-terminate` before it gives the
   * message back to the queue; at most half of `timeout`.
   * @default Duration.seconds(30)
   */
  readonly terminateRetryBudget?: Duration;
  /**
   * How far an event's time may run ahead of the queue's receipt of it, 0–1 h. Event times order revocations
   * and lifts in the ledger, and some are set by whoever puts the event: a later time is replaced by the
   * receipt time (and the outcome says so), so that no event dated in the future outranks the events after it.
   * @default Duration.minutes(1)
   */
  readonly maxEventTimeSkew?: Duration;
  /**
   * Retention of the function's log group. One year keeps the evidence of every revocation for a yearly
   * access review or audit while still expiring the usernames the logs hold.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Function memory in MB, 128–10240.
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Topic every alarm (`alarms`) notifies when it goes into ALARM.
   * @default - no actions: the alarms are created without actions; subscribe by passing a topic
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Create a CloudWatch dashboard (`dashboard`; lib/parts/dashboard.ts): alarm states, revocations by status, latency,
   * connections ended and left, throttled EC2 attempts, queue and dead-letter queue depth and age, function
   * faults, rule delivery failures, and the connect handler and sweeper when they exist.
   * @default true
   */
  readonly dashboard?: boolean;
  /**
   * Trace every function with AWS X-Ray (active tracing) through Powertools Tracer: each invocation and each
   * AWS SDK call in it. Off by default because loading the tracer and the X-Ray SDK lengthens every cold
   * start; without it the functions never load them.
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * Break-glass identities (usernames or certificate common names, matched in canonical form) that are never
   * terminated, never denied by the connect handler and never swept; requests for them are reported
   * `skipped` (skipReason `protected-identity`). A protected name shields only itself: a revoked username
   * presented with a protected certificate is still denied and swept. Keep it to emergency administrator
   * accounts.
   * @default - none
   */
  readonly protectedIdentities?: string[];
  /**
   * Active Directory domains of the endpoints' directory: NetBIOS names (`CORP`) and DNS names
   * (`corp.example.com`). With them, `CORP\jdoe`, `jdoe@corp.example.com` and `jdoe` are one person to the
   * revoker, the connect handler, the sweeper, the ledger and the break-glass list. A domain not listed is
   * never stripped (`OTHER\jdoe` stays apart from `jdoe`).
   * @default - none: names are matched with their domain, if any
   */
  readonly activeDirectoryDomains?: string[];
  /**
   * Log a keyed hash (`hmac-sha256:…`) of usernames instead of the names, in every function's logs. The key
   * is read from `logHashKey` at cold start. Outcome events still carry the names (their consumers need them).
   * @default false
   */
  readonly hashIdentitiesInLogs?: boolean;
  /**
   * The secret whose value is the hashing key (with `hashIdentitiesInLogs`). Keep it stable: a new key
   * makes the same person hash differently, which breaks correlation across the change.
   * @default - a generated 64-character secret
   */
  readonly logHashKey?: secretsmanager.ISecret;
  /**
   * The share of each region's EC2 API rate the product may use, per second, across all its concurrent
   * function environments: EC2 refills 5 Terminate and 20 Describe tokens per second per account, region and
   * action, shared with every other caller. The default Terminate rate is just under the refill (only Client
   * VPN administration uses that bucket, and its 50-token reserve stays untouched); Describe leaves a quarter
   * for dashboards and other automation. The sweeper paces itself to 5 % of the budget, each revoker
   * environment to an equal part of the rest.
   * @default { terminateCallsPerSecond: 4.75, describeCallsPerSecond: 15 }
   */
  readonly ec2CallBudget?: Ec2CallBudget;
  /**
   * The revocation ledger (DynamoDB), which makes revocations stick: the connect handler denies reconnects
   * of revoked identities, and re-enable events lift them.
   * @default - enabled, records expire after 30 days
   */
  readonly ledger?: LedgerProps;
  /**
   * The client connect handler (`AWSClientVPN-…` Lambda) that denies revoked identities.
   * @default - created (when the ledger is enabled); each session sweep wires it into the governed endpoints
   * of the stack's account and region (`endpointWiring`)
   */
  readonly connectHandler?: ConnectHandlerProps;
  /**
   * Scheduled session cleanup: sweeps every endpoint for sessions of revoked identities (and, optionally,
   * sessions older than a maximum age). Without the ledger it needs `maxSessionAge`; the default cleanup is
   * then left out.
   * @default - enabled, every 5 minutes, no maximum session age
   */
  readonly sessionCleanup?: SessionCleanupProps;
  /**
   * Revoke across an AWS Organization: assume a role in each member account (see
   * `ClientVpnRevokerMemberStack`) and search its endpoints too. Endpoints are then selected by `endpointTag`
   * or all of them, not by `endpoints`. @default the deploying account only
   */
  readonly memberAccounts?: MemberAccountsProps;
}
