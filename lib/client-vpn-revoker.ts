import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OUTCOME_DETAIL_TYPE } from '../contracts/events.ts';
import { DEFAULT_OUTCOME_SOURCE, ENV } from '../lambda/core/environment.ts';
import type { SourcesProps } from '../sources/registry.ts';
import {
  bundledFunction,
  functionRole,
  grantClientVpnConnections,
  traceOrAcknowledge,
} from './function-support.ts';
import { RevokerAlarms } from './parts/alarms.ts';
import { ClientConnectHandler, type EndpointWiring } from './parts/connect-handler.ts';
import { RevokerDashboard } from './parts/dashboard.ts';
import {
  grantAssumeMemberRoles,
  type MemberAccountsProps,
  memberAccountsEnvironment,
  resolveMemberAccounts,
} from './parts/member-accounts.ts';
import type { RequestBus } from './parts/request-bus.ts';
import { RevocationLedgerTable } from './parts/revocation-ledger.ts';
import { SessionSweeper } from './parts/session-sweeper.ts';
import { addSourceRules } from './parts/source-rules.ts';
import { type UserDirectory, type UserDirectoryOptions, userDirectoryFor } from './parts/user-directory.ts';
import {
  type CallRates,
  ClientVpnRevokerPropsError,
  connectHandlerWithoutSweep,
  splitBudget,
  sweeperWanted,
  validateActiveDirectoryDomains,
  validateConnectHandler,
  validateDurations,
  validatedEventTimeSkew,
  validateEndpoints,
  validateEndpointWiring,
  validateLedger,
  validateNoConnectHandler,
  validateNumbers,
  validateProtectedIdentities,
  validateRegions,
  validateSessionCleanup,
  validateSource,
} from './props-validation.ts';

/** One Client VPN endpoint the revoker may act on. */
export interface ClientVpnEndpointReference {
  /**
   * Region of the endpoint (endpoint ids are only unique within a region).
   * @default - the stack's region
   */
  readonly region?: string;
  /** The endpoint id, `cvpn-endpoint-<hex>`. */
  readonly endpointId: string;
}

/** Selects the endpoints carrying a tag, in every configured region. */
export interface ClientVpnEndpointTag {
  /** Tag key. */
  readonly key: string;
  /**
   * Tag value the endpoint must carry.
   * @default - any value: the key must merely be present
   */
  readonly value?: string;
}

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

/** EC2 calls per second per region the product may use in total. */
export interface Ec2CallBudget {
  /**
   * TerminateClientVpnConnections calls per second (EC2 refills 5 per second), more than 0 and at most 5.
   * @default 4.75
   */
  readonly terminateCallsPerSecond?: number;
  /**
   * DescribeClientVpnConnections/Endpoints calls per second (EC2 refills 20 per second), more than 0, at most 20.
   * @default 15
   */
  readonly describeCallsPerSecond?: number;
}

export interface LedgerProps {
  /**
   * Whether to keep a revocation ledger. Without it nothing blocks reconnects and re-enables are not routed.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * How long a lift record counts, 1–3650 days (it keeps a late, older disable from reviving the revocation).
   * A revocation record never expires: it protects until it is lifted.
   * @default Duration.days(30)
   */
  readonly retention?: Duration;
  /**
   * What happens to the table when the stack is deleted.
   * @default RemovalPolicy.RETAIN (it is the record of who was revoked, when and why)
   */
  readonly removalPolicy?: RemovalPolicy;
}

export interface ConnectHandlerProps {
  /**
   * Whether to create the client connect handler (needs the ledger).
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Endpoints (ids, in the stack's region: a connect handler must be in its endpoint's account and region)
   * whose ClientConnectOptions this stack sets to the handler on deploy (and disables on removal), through a
   * custom resource calling ModifyClientVpnEndpoint. Changing the handler does not touch live sessions.
   * @default - none: the session sweep wires the governed endpoints instead (`endpointWiring`)
   */
  readonly endpointIds?: string[];
  /**
   * What each session sweep does with a governed endpoint of the stack's account and region whose
   * ClientConnectOptions do not name the handler: `ENFORCE` sets the handler on endpoints without one
   * (ModifyClientVpnEndpoint), `REPORT` only reports (for endpoints whose settings other IaC owns). Either way
   * every unguarded endpoint counts in the `EndpointsNotGuarded` metric and alarm; an endpoint naming another
   * handler is never overwritten. Needs the session sweep (`sessionCleanup`).
   * @default EndpointWiring.ENFORCE
   */
  readonly endpointWiring?: EndpointWiring;
  /**
   * What the handler answers when the ledger cannot be read in time: `deny` fails closed, like Client VPN
   * itself does on handler failure; `allow` keeps everyone (including revoked identities) able to connect
   * during a DynamoDB outage, relying on the identity provider and the next sweep.
   * @default 'deny'
   */
  readonly onLedgerUnavailable?: 'deny' | 'allow';
  /**
   * The message the person sees when denied, at most 255 characters.
   * @default - "Your VPN access has been revoked. …"
   */
  readonly deniedMessage?: string;
  /**
   * Provisioned concurrency (recommended by AWS for connect handlers: no cold start on a connection
   * attempt); endpoints are then wired to the `live` alias.
   * @default 0
   */
  readonly provisionedConcurrency?: number;
}

export interface SessionCleanupProps {
  /**
   * Whether to run scheduled sweeps.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Time between sweeps, 1 minute to 24 hours.
   * @default Duration.minutes(5)
   */
  readonly interval?: Duration;
  /**
   * End any session older than this (except break-glass identities), below Client VPN's own 8-hour minimum
   * session timeout; at least 15 minutes.
   * @default - no maximum: only sessions of revoked identities are ended
   */
  readonly maxSessionAge?: Duration;
}

export type { SourcesProps } from '../sources/registry.ts';
export { EndpointWiring } from './parts/connect-handler.ts';
export { toCdkEventPattern } from './parts/source-rules.ts';
export {
  ClientVpnRevokerPropsError,
  ENDPOINT_ID_PATTERN,
  OKTA_EVENT_SOURCE_PATTERN,
  REGION_PATTERN,
} from './props-validation.ts';

/**
 * Terminates every AWS Client VPN connection of a user the moment the identity provider disables them:
 * EventBridge rules (Okta partner bus, runbook) → encrypted SQS queue with DLQ → Lambda (partial batch
 * responses) → outcome event on EventBridge. IAM is scoped to the selected endpoints.
 *
 * @example new ClientVpnRevoker(this, 'Revoker');
 */
export class ClientVpnRevoker extends Construct {
  /** The revoker function. */
  public readonly function: lambda.Function;
  /** Buffer between the rules and the function; absorbs bursts and retries failed requests. */
  public readonly queue: sqs.Queue;
  /** Requests that failed `maxReceiveCount` times, and events EventBridge could not deliver to `queue`. */
  public readonly deadLetterQueue: sqs.Queue;
  /** One rule per Okta event source, then the runbook rule (if enabled). */
  public readonly rules: events.Rule[];
  /** The runbook's bus and its policy (absent when the runbook is disabled). */
  public readonly runbookRequests?: RequestBus;
  /** The function's log group. */
  public readonly logGroup: logs.LogGroup;
  /** The function's execution role. */
  public readonly role: iam.Role;
  /** Regions in scope, as configured on the function. */
  public readonly regions: readonly string[];
  /** Operational alarms (lib/parts/alarms.ts): dead-letter queue, function, outcomes, queue age, rules. */
  public readonly alarms: cloudwatch.Alarm[];
  /** The revocation ledger, unless `ledger.enabled` is false. */
  public readonly ledgerTable?: dynamodb.Table;
  /** The client connect handler, unless disabled (or without a ledger). */
  public readonly connectHandler?: ClientConnectHandler;
  /** The scheduled session cleanup, unless disabled. */
  public readonly sweeper?: SessionSweeper;
  /** The user directory, when an id-only source (identityCenter, cognito) is configured and it is not disabled. */
  public readonly userDirectory?: UserDirectory;
  /** The key usernames in logs are hashed with, when `hashIdentitiesInLogs` is on. */
  public readonly logHashKey?: secretsmanager.ISecret;
  /** The operational dashboard (lib/parts/dashboard.ts), unless `dashboard` is false. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** The function roles a member account's role must trust (empty without `memberAccounts`). */
  public readonly memberAccountTrustedRoleArns: string[] = [];

  constructor(scope: Construct, id: string, props: ClientVpnRevokerProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    const timeout = props.timeout ?? Duration.minutes(5);
    const terminateRetryBudget = props.terminateRetryBudget ?? Duration.seconds(30);
    const maxBatchingWindow = props.maxBatchingWindow ?? Duration.seconds(5);
    const maxConcurrency = props.maxConcurrency ?? 2;
    const batchSize = props.batchSize ?? 100;
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    const memorySize = props.memorySize ?? 512;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    const outcomeSource = props.outcomeSource ?? DEFAULT_OUTCOME_SOURCE;

    validateNumbers({ maxConcurrency, batchSize, maxReceiveCount, memorySize, logRetention });
    validateDurations({ timeout, terminateRetryBudget, maxBatchingWindow, batchSize });
    validateSource('outcomeSource', outcomeSource);
    const selection = validateEndpoints(props, stack.region);
    const members = resolveMemberAccounts(props.memberAccounts, this);
    if (members && selection.endpoints) {
      throw new ClientVpnRevokerPropsError(
        'endpoints',
        'names endpoints of the deploying account; with memberAccounts select endpoints by endpointTag or search them all',
      );
    }
    this.regions = validateRegions(props.regions, selection, stack.region);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });

    this.rules = [];
    const target = new targets.SqsQueue(this.queue, {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 185,
      maxEventAge: Duration.hours(24),
    });
    const ledgerEnabled = props.ledger?.enabled ?? true;
    this.role = functionRole(
      this,
      'Role',
      'Client VPN Revoker: terminate Client VPN connections, publish outcomes',
    );

    const outcomeEventBus =
      props.outcomeEventBus ?? events.EventBus.fromEventBusName(this, 'DefaultEventBus', 'default');
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PublishOutcome',
        actions: ['events:PutEvents'],
        resources: [outcomeEventBus.eventBusArn],
        conditions: {
          StringEquals: { 'events:source': outcomeSource, 'events:detail-type': OUTCOME_DETAIL_TYPE },
        },
      }),
    );
    if (members?.includeOwnAccount ?? true) grantClientVpnConnections(this.role, selection, this.regions);
    grantAssumeMemberRoles(this.role, members);

    // --- reliability and security settings shared by the revoker and the sweeper ---
    const protectedIdentities = validateProtectedIdentities(props.protectedIdentities ?? []);
    const activeDirectoryDomains = validateActiveDirectoryDomains(props.activeDirectoryDomains ?? []);
    const sweeperEnabled = sweeperWanted(props.sessionCleanup, ledgerEnabled);
    const ledgerRetention = props.ledger?.retention ?? Duration.days(30);
    validateLedger(props.ledger, ledgerRetention);
    // Each concurrent environment paces itself to its share of the budget.
    const rates = splitBudget(props.ec2CallBudget, maxConcurrency, sweeperEnabled);
    const pacing = (share: CallRates) => ({
      [ENV.terminateCallsPerSecond]: String(share.terminate),
      [ENV.describeCallsPerSecond]: String(share.describe),
    });
    const sharedEnvironment: Record<string, string> = {
      [ENV.regions]: this.regions.join(','),
      [ENV.terminateRetryBudgetMs]: String(terminateRetryBudget.toMilliseconds()),
    };
    if (selection.endpoints) {
      sharedEnvironment[ENV.endpointIds] = selection.endpoints
        .map((e) => `${e.region}:${e.endpointId}`)
        .join(',');
    }
    if (selection.tag) {
      const { key, value } = selection.tag;
      sharedEnvironment[ENV.endpointTag] = value === undefined ? key : `${key}=${value}`;
    }
    Object.assign(sharedEnvironment, memberAccountsEnvironment(members, this));
    if (protectedIdentities.length > 0)
      sharedEnvironment[ENV.protectedIdentities] = protectedIdentities.join(',');
    if (activeDirectoryDomains.length > 0)
      sharedEnvironment[ENV.activeDirectoryDomains] = activeDirectoryDomains.join(',');
    if (props.logHashKey && !props.hashIdentitiesInLogs) {
      throw new ClientVpnRevokerPropsError('logHashKey', 'given but hashIdentitiesInLogs is not true');
    }
    if (props.hashIdentitiesInLogs) {
      this.logHashKey = props.logHashKey ?? generatedLogHashKey(this);
      this.logHashKey.grantRead(this.role);
    }

    const environment: Record<string, string> = {
      ...sharedEnvironment,
      ...pacing(rates.revoker),
      [ENV.outcomeEventBus]: outcomeEventBus.eventBusArn,
      [ENV.outcomeSource]: outcomeSource,
      [ENV.dryRun]: String(props.dryRun ?? false),
      [ENV.maxReceiveCount]: String(maxReceiveCount),
    };
    if (props.maxEventTimeSkew) {
      environment[ENV.maxEventTimeSkewSeconds] = String(validatedEventTimeSkew(props.maxEventTimeSkew));
    }
    // Not shared: the sweeper logs counts and endpoints, never identities, and is not granted the key.
    if (this.logHashKey) environment[ENV.logHashKeySecretArn] = this.logHashKey.secretArn;
    if (ledgerEnabled) {
      this.ledgerTable = new RevocationLedgerTable(this, 'Ledger', {
        removalPolicy: props.ledger?.removalPolicy,
      }).table;
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'RecordRevocations',
          actions: ['dynamodb:PutItem'],
          resources: [this.ledgerTable.tableArn],
        }),
      );
      environment[ENV.ledgerTableName] = this.ledgerTable.tableName;
      environment[ENV.ledgerRetentionDays] = String(ledgerRetention.toDays());
    }
    const propsError = (prop: string, message: string) => new ClientVpnRevokerPropsError(prop, message);
    const sources = addSourceRules(this, {
      sources: props,
      target,
      role: this.role,
      lift: ledgerEnabled,
      error: propsError,
    });
    this.runbookRequests = sources.requestBuses.runbook;
    this.rules.push(...sources.rules);
    Object.assign(environment, sources.environment);
    this.userDirectory = userDirectoryFor(this, sources.userDirectory, props.userDirectory, {
      logRetention,
      tracing: props.tracing ?? false,
      error: propsError,
    });
    if (this.userDirectory) Object.assign(environment, this.userDirectory.grantLookUp(this.role));

    const revoker = bundledFunction(this, 'Function', {
      description: 'Terminates the Client VPN connections of users the identity provider disabled',
      entry: 'lambda/revoker/handler.ts',
      memorySize,
      timeout,
      role: this.role,
      logRetention,
      environment,
    });
    this.function = revoker.fn;
    this.logGroup = revoker.logGroup;

    // --- revocation that sticks: connect handler and scheduled cleanup ---
    const connectHandlerEnabled = props.connectHandler?.enabled ?? true;
    if (!this.ledgerTable) validateNoConnectHandler(props.connectHandler);
    if (this.ledgerTable && connectHandlerEnabled) {
      const handlerProps = validateConnectHandler(props.connectHandler ?? {});
      this.connectHandler = new ClientConnectHandler(this, 'ConnectHandler', {
        table: this.ledgerTable,
        tracing: props.tracing ?? false,
        protectedIdentities,
        activeDirectoryDomains,
        onLedgerUnavailable: handlerProps.onLedgerUnavailable,
        ...(handlerProps.deniedMessage !== undefined && { deniedMessage: handlerProps.deniedMessage }),
        endpointIds: handlerProps.endpointIds,
        provisionedConcurrency: handlerProps.provisionedConcurrency,
        logRetention,
        ...(this.logHashKey && { logHashKey: this.logHashKey }),
      });
    }
    if (this.connectHandler && !sweeperEnabled) throw connectHandlerWithoutSweep();
    if (sweeperEnabled) {
      const cleanup = validateSessionCleanup(props.sessionCleanup ?? {});
      this.sweeper = new SessionSweeper(this, 'SessionCleanup', {
        regions: this.regions,
        tracing: props.tracing ?? false,
        endpoints: selection,
        interval: cleanup.interval,
        ...(cleanup.maxSessionAge && { maxSessionAge: cleanup.maxSessionAge }),
        ...(this.ledgerTable && { table: this.ledgerTable }),
        outcomeEventBus,
        outcomeSource,
        protectedIdentities,
        dryRun: props.dryRun ?? false,
        environment: { ...sharedEnvironment, ...pacing(rates.sweeper) },
        deadLetterQueue: this.deadLetterQueue,
        logRetention,
        ...(members && { memberAccounts: members }),
        ...(this.connectHandler && {
          connectHandler: {
            handlerArn: this.connectHandler.handlerArn,
            target: this.connectHandler.target,
            wiring: validateEndpointWiring(props.connectHandler?.endpointWiring),
          },
        }),
      });
    }
    if (members) {
      this.memberAccountTrustedRoleArns.push(
        this.role.roleArn,
        ...(this.sweeper ? [this.sweeper.role.roleArn] : []),
      );
    }

    this.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize,
        maxBatchingWindow,
        maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );

    // --- alarms (lib/parts/alarms.ts) ---
    this.alarms = new RevokerAlarms(this, 'Alarms', {
      function: this.function,
      queue: this.queue,
      deadLetterQueue: this.deadLetterQueue,
      rules: this.rules,
      alarmTopic: props.alarmTopic,
      ...(this.runbookRequests?.misroutedRequests && {
        misroutedRunbookRequests: this.runbookRequests.misroutedRequests,
      }),
      ...(this.connectHandler && { connectHandler: this.connectHandler.function }),
      ...(this.sweeper && { sweeper: this.sweeper.function }),
      ...(this.userDirectory?.sync && { directorySync: this.userDirectory.sync.function }),
    }).alarms;
    // --- end alarms ---

    // --- dashboard (lib/parts/dashboard.ts) ---
    if (props.dashboard ?? true) {
      this.dashboard = new RevokerDashboard(this, 'Dashboard', {
        function: this.function,
        queue: this.queue,
        deadLetterQueue: this.deadLetterQueue,
        rules: this.rules,
        alarms: this.alarms,
        ...(this.connectHandler && { connectHandler: this.connectHandler.function }),
        ...(this.sweeper && { sweeper: this.sweeper.function }),
      }).dashboard;
    }

    this.acknowledgeUnavoidableFindings(props.tracing ?? false);
  }

  /** cdk-nag findings that cannot be fixed, acknowledged one by one with the reason. */
  private acknowledgeUnavoidableFindings(tracing: boolean): void {
    // On the CloudFormation resources themselves, so nothing else created beside them is covered.
    const cfn = (construct: Construct) => construct.node.defaultChild ?? construct;
    const mapping = this.function.node.children.find((child) => child instanceof lambda.EventSourceMapping);
    Validations.of(cfn(mapping ?? this.function)).acknowledge({
      id: 'Serverless::Serverless-LambdaEventSourceMappingDestination',
      reason:
        'SQS event source mappings do not support OnFailure destinations; failed messages move to the ' +
        'dead-letter queue through the source queue redrive policy (maxReceiveCount)',
    });
    Validations.of(cfn(this.deadLetterQueue)).acknowledge({
      id: 'Serverless::Serverless-SQSRedrivePolicy',
      reason:
        'This queue is the dead-letter queue; a dead-letter queue of its own would only move the problem',
    });
    Validations.of(cfn(this.function)).acknowledge({
      id: 'Serverless::Serverless-LambdaDLQ',
      reason:
        'The function is only invoked synchronously by the SQS event source mapping; a function DLQ ' +
        'applies to asynchronous invocations only. Failures are dead-lettered by the source queue',
    });
    // Opt-in (lib/function-support.ts); the connect handler and the sweeper do the same for theirs.
    traceOrAcknowledge(this.function, tracing, 'EventBridge event id');
  }
}

/** The key usernames in logs are hashed with, when none is given: generated once, never rotated. */
function generatedLogHashKey(scope: Construct): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, 'LogHashKey', {
    description: 'Client VPN Revoker: key for the hashes of usernames in logs',
    generateSecretString: { passwordLength: 64, excludePunctuation: true },
  });
  Validations.of(secret.node.defaultChild ?? secret).acknowledge({
    id: 'AwsSolutions::AwsSolutions-SMG4',
    reason:
      'The value is an HMAC key for pseudonymising usernames in logs, not a credential: rotating it would ' +
      'make the same person hash differently before and after, breaking correlation across the logs',
  });
  return secret;
}
