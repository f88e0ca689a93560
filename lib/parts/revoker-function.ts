import { Duration, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { OUTCOME_DETAIL_TYPE } from '../../contracts/events.ts';
import { ENV } from '../../lambda/core/environment.ts';
import { MAX_EVENT_TIME_SKEW_MS } from '../../lambda/core/event-time.ts';
import { activeDirectoryDomainSchema, identitySchema } from '../../lambda/core/identity.ts';
import {
  bundledFunction,
  type EndpointScope,
  functionRole,
  grantClientVpnConnections,
  traceOrAcknowledge,
} from '../function-support.ts';
import {
  ClientVpnRevokerPropsError,
  known,
  show,
  validateInteger,
  validateLogRetention,
} from '../props-validation.ts';
import {
  grantAssumeMemberRoles,
  memberAccountsEnvironment,
  type ResolvedMemberAccounts,
} from './member-accounts.ts';

// The revoker function and what it is built from: its role, its environment and its SQS event source. Plain
// functions creating in the revoker's own scope, so the logical ids stay those of the revoker's children.

/** The function's and its event source's settings (ClientVpnRevokerProps documents each). */
export interface RevokerFunctionSettings {
  readonly timeout: Duration;
  readonly terminateRetryBudget: Duration;
  readonly maxBatchingWindow: Duration;
  readonly maxConcurrency: number;
  readonly batchSize: number;
  readonly maxReceiveCount: number;
  readonly memorySize: number;
  readonly logRetention: logs.RetentionDays;
}

/** The settings given, with their defaults, checked. */
export function revokerFunctionSettings(props: Partial<RevokerFunctionSettings>): RevokerFunctionSettings {
  const settings: RevokerFunctionSettings = {
    timeout: props.timeout ?? Duration.minutes(5),
    terminateRetryBudget: props.terminateRetryBudget ?? Duration.seconds(30),
    maxBatchingWindow: props.maxBatchingWindow ?? Duration.seconds(5),
    maxConcurrency: props.maxConcurrency ?? 2,
    batchSize: props.batchSize ?? 100,
    maxReceiveCount: props.maxReceiveCount ?? 5,
    memorySize: props.memorySize ?? 512,
    logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
  };
  validateInteger('maxConcurrency', settings.maxConcurrency, 2, 1000);
  validateInteger('batchSize', settings.batchSize, 1, 10_000);
  validateInteger('maxReceiveCount', settings.maxReceiveCount, 1, 1000);
  validateInteger('memorySize', settings.memorySize, 128, 10_240);
  validateLogRetention('logRetention', settings.logRetention);
  validateDurations(settings);
  return settings;
}

function validateDurations(settings: RevokerFunctionSettings): void {
  const { timeout, terminateRetryBudget, maxBatchingWindow, batchSize } = settings;
  const timeoutSeconds = timeout.toSeconds();
  if (timeoutSeconds < 30 || timeoutSeconds > 900) {
    throw new ClientVpnRevokerPropsError('timeout', `expected 30 seconds to 15 minutes, got ${timeout}`);
  }
  const budgetMs = terminateRetryBudget.toMilliseconds();
  // At most 450 s (half of 15 min), so always within the function's own 600 s limit.
  const ceilingMs = timeout.toMilliseconds() / 2;
  if (budgetMs > ceilingMs) {
    throw new ClientVpnRevokerPropsError(
      'terminateRetryBudget',
      `expected at most half of timeout (${ceilingMs} ms) so listing, verifying and publishing still fit, ` +
        `got ${budgetMs} ms`,
    );
  }
  const windowSeconds = maxBatchingWindow.toSeconds();
  if (windowSeconds > 300) {
    throw new ClientVpnRevokerPropsError(
      'maxBatchingWindow',
      `expected 0 to 300 seconds, got ${windowSeconds}`,
    );
  }
  if (batchSize > 10 && windowSeconds === 0) {
    throw new ClientVpnRevokerPropsError(
      'batchSize',
      'a batchSize above 10 needs a maxBatchingWindow above 0',
    );
  }
}

export function validateProtectedIdentities(identities: readonly string[]): string[] {
  for (const identity of identities) {
    // The functions parse the list with identitySchema at cold start: reject here what they would reject.
    if (known(identity) && (identity.includes(',') || !identitySchema.safeParse(identity).success)) {
      throw new ClientVpnRevokerPropsError(
        'protectedIdentities',
        'expected non-empty names of at most 256 characters without surrounding spaces, commas or ' +
          `control characters, got ${show(identity)}`,
      );
    }
  }
  return [...new Set(identities)];
}

export function validateActiveDirectoryDomains(domains: readonly string[]): string[] {
  for (const domain of domains) {
    const parsed = activeDirectoryDomainSchema.safeParse(domain);
    if (known(domain) && !parsed.success) {
      throw new ClientVpnRevokerPropsError(
        'activeDirectoryDomains',
        `${parsed.error.issues[0]?.message}, got ${show(domain)}`,
      );
    }
  }
  return [...new Set(domains)];
}

/** The skew in whole seconds, 0 to MAX_EVENT_TIME_SKEW_MS. */
export function validatedEventTimeSkew(skew: Duration): number {
  const skewSeconds = skew.toMilliseconds() / 1000;
  const maxSeconds = MAX_EVENT_TIME_SKEW_MS / 1000;
  if (!Number.isInteger(skewSeconds) || skewSeconds < 0 || skewSeconds > maxSeconds) {
    throw new ClientVpnRevokerPropsError(
      'maxEventTimeSkew',
      `expected whole seconds from 0 to ${maxSeconds} (1 hour), got ${skew}`,
    );
  }
  return skewSeconds;
}

export interface RevokerRoleProps {
  readonly outcomeEventBus: events.IEventBus;
  readonly outcomeSource: string;
  readonly endpoints: EndpointScope;
  readonly regions: readonly string[];
  readonly memberAccounts?: ResolvedMemberAccounts;
}

/** The function's role (id `Role`): publish outcomes, list and terminate connections, assume member roles. */
export function createRevokerRole(scope: Construct, props: RevokerRoleProps): iam.Role {
  const role = functionRole(
    scope,
    'Role',
    'Client VPN Revoker: terminate Client VPN connections, publish outcomes',
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'PublishOutcome',
      actions: ['events:PutEvents'],
      resources: [props.outcomeEventBus.eventBusArn],
      conditions: {
        StringEquals: { 'events:source': props.outcomeSource, 'events:detail-type': OUTCOME_DETAIL_TYPE },
      },
    }),
  );
  if (props.memberAccounts?.includeOwnAccount ?? true) {
    grantClientVpnConnections(role, props.endpoints, props.regions);
  }
  grantAssumeMemberRoles(role, props.memberAccounts);
  return role;
}

export interface SharedEnvironmentProps {
  readonly regions: readonly string[];
  readonly terminateRetryBudget: Duration;
  readonly endpoints: EndpointScope;
  readonly memberAccounts?: ResolvedMemberAccounts;
  readonly protectedIdentities: readonly string[];
  readonly activeDirectoryDomains: readonly string[];
}

/** What the revoker and the sweeper both read: where to search, whom to spare, how long to retry. */
export function sharedEnvironment(scope: Construct, props: SharedEnvironmentProps): Record<string, string> {
  const environment: Record<string, string> = {
    [ENV.regions]: props.regions.join(','),
    [ENV.terminateRetryBudgetMs]: String(props.terminateRetryBudget.toMilliseconds()),
  };
  const { endpoints, tag } = props.endpoints;
  if (endpoints) environment[ENV.endpointIds] = endpoints.map((e) => `${e.region}:${e.endpointId}`).join(',');
  if (tag) environment[ENV.endpointTag] = tag.value === undefined ? tag.key : `${tag.key}=${tag.value}`;
  Object.assign(environment, memberAccountsEnvironment(props.memberAccounts, scope));
  if (props.protectedIdentities.length > 0) {
    environment[ENV.protectedIdentities] = props.protectedIdentities.join(',');
  }
  if (props.activeDirectoryDomains.length > 0) {
    environment[ENV.activeDirectoryDomains] = props.activeDirectoryDomains.join(',');
  }
  return environment;
}

export interface RevokerEnvironmentProps {
  readonly outcomeEventBus: events.IEventBus;
  readonly outcomeSource: string;
  readonly dryRun: boolean;
  readonly maxReceiveCount: number;
  readonly maxEventTimeSkew?: Duration;
  readonly logHashKey?: secretsmanager.ISecret;
}

/** What only the revoker reads: where its outcomes go, and how it treats its messages. */
export function revokerEnvironment(props: RevokerEnvironmentProps): Record<string, string> {
  const environment: Record<string, string> = {
    [ENV.outcomeEventBus]: props.outcomeEventBus.eventBusArn,
    [ENV.outcomeSource]: props.outcomeSource,
    [ENV.dryRun]: String(props.dryRun),
    [ENV.maxReceiveCount]: String(props.maxReceiveCount),
  };
  if (props.maxEventTimeSkew) {
    environment[ENV.maxEventTimeSkewSeconds] = String(validatedEventTimeSkew(props.maxEventTimeSkew));
  }
  // Not shared: the sweeper logs counts and endpoints, never identities, and is not granted the key.
  if (props.logHashKey) environment[ENV.logHashKeySecretArn] = props.logHashKey.secretArn;
  return environment;
}

export interface RevokerFunctionProps {
  readonly settings: RevokerFunctionSettings;
  readonly role: iam.Role;
  readonly environment: Record<string, string>;
  /** The queue the function consumes, with partial batch responses. */
  readonly queue: sqs.IQueue;
  readonly tracing: boolean;
}

/** The function (id `Function`) and its SQS event source. */
export function createRevokerFunction(
  scope: Construct,
  props: RevokerFunctionProps,
): { fn: lambda.Function; logGroup: logs.LogGroup } {
  const { settings } = props;
  const revoker = bundledFunction(scope, 'Function', {
    description: 'Terminates the Client VPN connections of users the identity provider disabled',
    entry: 'lambda/revoker/handler.ts',
    memorySize: settings.memorySize,
    timeout: settings.timeout,
    role: props.role,
    logRetention: settings.logRetention,
    environment: props.environment,
  });
  const { fn } = revoker;
  fn.addEventSource(
    new SqsEventSource(props.queue, {
      batchSize: settings.batchSize,
      maxBatchingWindow: settings.maxBatchingWindow,
      maxConcurrency: settings.maxConcurrency,
      reportBatchItemFailures: true,
    }),
  );
  acknowledgeUnavoidableFindings(fn, props.tracing);
  return revoker;
}

/** cdk-nag findings that cannot be fixed, acknowledged one by one with the reason. */
function acknowledgeUnavoidableFindings(fn: lambda.Function, tracing: boolean): void {
  // On the CloudFormation resources themselves, so nothing else created beside them is covered.
  const cfn = (construct: Construct) => construct.node.defaultChild ?? construct;
  const mapping = fn.node.children.find((child) => child instanceof lambda.EventSourceMapping);
  Validations.of(cfn(mapping ?? fn)).acknowledge({
    id: 'Serverless::Serverless-LambdaEventSourceMappingDestination',
    reason:
      'SQS event source mappings do not support OnFailure destinations; failed messages move to the ' +
      'dead-letter queue through the source queue redrive policy (maxReceiveCount)',
  });
  Validations.of(cfn(fn)).acknowledge({
    id: 'Serverless::Serverless-LambdaDLQ',
    reason:
      'The function is only invoked synchronously by the SQS event source mapping; a function DLQ ' +
      'applies to asynchronous invocations only. Failures are dead-lettered by the source queue',
  });
  // Opt-in (lib/function-support.ts); the connect handler and the sweeper do the same for theirs.
  traceOrAcknowledge(fn, tracing, 'EventBridge event id');
}
