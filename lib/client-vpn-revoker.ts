import { Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_OUTCOME_SOURCE } from '../lambda/core/environment.ts';
import type { ClientVpnRevokerProps } from './client-vpn-revoker-props.ts';
import {
  type ClientConnectHandler,
  connectHandlerFor,
  connectHandlerWithoutSweep,
  sweepWiring,
} from './parts/connect-handler.ts';
import { pacingEnvironment, splitBudget } from './parts/ec2-call-budget.ts';
import { validateEndpoints, validateRegions } from './parts/endpoint-selection.ts';
import { logHashKeyFor } from './parts/log-hash-key.ts';
import { resolveMemberAccounts } from './parts/member-accounts.ts';
import { addObservability } from './parts/observability.ts';
import type { RequestBus } from './parts/request-bus.ts';
import { createRequestQueue } from './parts/request-queue.ts';
import { ledgerSettings, RevocationLedgerTable } from './parts/revocation-ledger.ts';
import {
  createRevokerFunction,
  createRevokerRole,
  revokerEnvironment,
  revokerFunctionSettings,
  sharedEnvironment,
  validateActiveDirectoryDomains,
  validateProtectedIdentities,
} from './parts/revoker-function.ts';
import { SessionSweeper, sweeperWanted, validateSessionCleanup } from './parts/session-sweeper.ts';
import { addSourceRules } from './parts/source-rules.ts';
import { type UserDirectory, userDirectoryFor } from './parts/user-directory.ts';
import { ClientVpnRevokerPropsError, validateSource } from './props-validation.ts';

// What importers of this module use, wherever it now lives.
export type { SourcesProps } from '../sources/registry.ts';
export type { ClientVpnRevokerProps } from './client-vpn-revoker-props.ts';
export {
  type ConnectHandlerProps,
  EndpointWiring,
  LedgerUnavailableAction,
} from './parts/connect-handler.ts';
export type { Ec2CallBudget } from './parts/ec2-call-budget.ts';
export type { ClientVpnEndpointReference, ClientVpnEndpointTag } from './parts/endpoint-selection.ts';
export type { MemberAccountsProps } from './parts/member-accounts.ts';
export type { LedgerProps } from './parts/revocation-ledger.ts';
export type { SessionCleanupProps } from './parts/session-sweeper.ts';
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
    const settings = revokerFunctionSettings(props);
    const { logRetention } = settings;
    const tracing = props.tracing ?? false;
    const dryRun = props.dryRun ?? false;
    const outcomeSource = props.outcomeSource ?? DEFAULT_OUTCOME_SOURCE;
    validateSource('outcomeSource', outcomeSource);
    const endpoints = validateEndpoints(props, stack.region);
    const members = resolveMemberAccounts(props.memberAccounts, this, endpoints);
    this.regions = validateRegions(props.regions, endpoints, stack.region);

    const requests = createRequestQueue(this, {
      functionTimeout: settings.timeout,
      maxReceiveCount: settings.maxReceiveCount,
    });
    this.queue = requests.queue;
    this.deadLetterQueue = requests.deadLetterQueue;
    const outcomeEventBus =
      props.outcomeEventBus ?? events.EventBus.fromEventBusName(this, 'DefaultEventBus', 'default');
    this.role = createRevokerRole(this, {
      outcomeEventBus,
      outcomeSource,
      endpoints,
      regions: this.regions,
      memberAccounts: members,
    });

    // --- settings the revoker shares with the connect handler and the sweeper ---
    const protectedIdentities = validateProtectedIdentities(props.protectedIdentities ?? []);
    const activeDirectoryDomains = validateActiveDirectoryDomains(props.activeDirectoryDomains ?? []);
    const sweeperEnabled = sweeperWanted(props.sessionCleanup, props.ledger?.enabled ?? true);
    const ledger = ledgerSettings(props.ledger);
    // Each concurrent environment paces itself to its share of the budget.
    const rates = splitBudget(props.ec2CallBudget, settings.maxConcurrency, sweeperEnabled);
    const shared = sharedEnvironment(this, {
      regions: this.regions,
      terminateRetryBudget: settings.terminateRetryBudget,
      endpoints,
      memberAccounts: members,
      protectedIdentities,
      activeDirectoryDomains,
    });
    this.logHashKey = logHashKeyFor(this, props, this.role);
    const environment: Record<string, string> = {
      ...shared,
      ...pacingEnvironment(rates.revoker),
      ...revokerEnvironment({
        outcomeEventBus,
        outcomeSource,
        dryRun,
        maxReceiveCount: settings.maxReceiveCount,
        maxEventTimeSkew: props.maxEventTimeSkew,
        logHashKey: this.logHashKey,
      }),
    };

    // --- what the revoker reads and writes besides EC2: the ledger, the sources, the user directory ---
    if (ledger) {
      const table = new RevocationLedgerTable(this, 'Ledger', ledger);
      this.ledgerTable = table.table;
      Object.assign(environment, table.grantRecord(this.role));
    }
    const sources = addSourceRules(this, {
      sources: props,
      target: requests.target,
      role: this.role,
      lift: ledger !== undefined,
      error: (prop, message) => new ClientVpnRevokerPropsError(prop, message),
    });
    this.rules = sources.rules;
    this.runbookRequests = sources.requestBuses.runbook;
    Object.assign(environment, sources.environment);
    this.userDirectory = userDirectoryFor(this, sources.userDirectory, props.userDirectory, {
      logRetention,
      tracing,
    });
    if (this.userDirectory) Object.assign(environment, this.userDirectory.grantLookUp(this.role));

    const revoker = createRevokerFunction(this, {
      settings,
      role: this.role,
      environment,
      queue: this.queue,
      tracing,
    });
    this.function = revoker.fn;
    this.logGroup = revoker.logGroup;

    // --- revocation that sticks: connect handler and scheduled cleanup ---
    this.connectHandler = connectHandlerFor(this, props.connectHandler, {
      table: this.ledgerTable,
      protectedIdentities,
      activeDirectoryDomains,
      logRetention,
      logHashKey: this.logHashKey,
      tracing,
    });
    if (this.connectHandler && !sweeperEnabled) throw connectHandlerWithoutSweep();
    if (sweeperEnabled) {
      this.sweeper = new SessionSweeper(this, 'SessionCleanup', {
        ...validateSessionCleanup(props.sessionCleanup ?? {}),
        regions: this.regions,
        endpoints,
        table: this.ledgerTable,
        outcomeEventBus,
        outcomeSource,
        protectedIdentities,
        dryRun,
        environment: { ...shared, ...pacingEnvironment(rates.sweeper) },
        deadLetterQueue: this.deadLetterQueue,
        logRetention,
        tracing,
        memberAccounts: members,
        connectHandler: this.connectHandler && sweepWiring(this.connectHandler, props.connectHandler),
      });
    }
    if (members) {
      this.memberAccountTrustedRoleArns.push(
        this.role.roleArn,
        ...(this.sweeper ? [this.sweeper.role.roleArn] : []),
      );
    }

    const observability = addObservability(this, {
      function: this.function,
      queue: this.queue,
      deadLetterQueue: this.deadLetterQueue,
      rules: this.rules,
      alarmTopic: props.alarmTopic,
      dashboard: props.dashboard ?? true,
      misroutedRunbookRequests: this.runbookRequests?.misroutedRequests,
      connectHandler: this.connectHandler?.function,
      sweeper: this.sweeper?.function,
      directorySync: this.userDirectory?.sync?.function,
    });
    this.alarms = observability.alarms;
    this.dashboard = observability.dashboard;
  }
}
