import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, type IDependable } from 'constructs';
import { SWEEP_OUTCOME_DETAIL_TYPE } from '../../contracts/events.ts';
import { ENV } from '../../lambda/core/environment.ts';
import {
  bundledFunction,
  type EndpointScope,
  endpointArn,
  endpointTagCondition,
  functionRole,
  grantClientVpnConnections,
  invokeOnSchedule,
  nagResource,
  traceOrAcknowledge,
} from '../function-support.ts';
import { ClientVpnRevokerPropsError } from '../props-validation.ts';
import { EndpointWiring } from './connect-handler.ts';
import { grantAssumeMemberRoles, type ResolvedMemberAccounts } from './member-accounts.ts';

/** Bounds of a retried sweep's age: at least two minutes, at most Lambda's asynchronous limit of 6 hours. */
const MIN_EVENT_AGE_SECONDS = 120;
const MAX_EVENT_AGE_SECONDS = 6 * 3600;

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

/**
 * Whether to create the sweeper. It needs something to sweep for: revoked identities (the ledger) or a maximum
 * session age. Without either, the default cleanup is left out, and an explicitly requested one is an error.
 */
export function sweeperWanted(props: SessionCleanupProps | undefined, ledgerEnabled: boolean): boolean {
  if (props?.enabled === false) return false;
  if (ledgerEnabled || props?.maxSessionAge) return true;
  if (props?.enabled === true || props?.interval) {
    throw new ClientVpnRevokerPropsError(
      'sessionCleanup',
      'without the ledger a sweep needs maxSessionAge (there are no revoked identities to sweep for)',
    );
  }
  return false;
}

export function validateSessionCleanup(props: SessionCleanupProps) {
  const interval = props.interval ?? Duration.minutes(5);
  const minutes = interval.toMinutes({ integral: false });
  if (!(Number.isInteger(minutes) && minutes >= 1 && minutes <= 24 * 60)) {
    throw new ClientVpnRevokerPropsError(
      'sessionCleanup.interval',
      `expected whole minutes from 1 minute to 24 hours, got ${interval}`,
    );
  }
  const { maxSessionAge } = props;
  if (maxSessionAge) {
    const ageMinutes = maxSessionAge.toMinutes({ integral: false });
    if (!(Number.isInteger(ageMinutes) && ageMinutes >= 15 && ageMinutes < 8 * 60)) {
      throw new ClientVpnRevokerPropsError(
        'sessionCleanup.maxSessionAge',
        `expected whole minutes from 15 minutes to below 8 hours (Client VPN's minimum session timeout; ` +
          `set the endpoint's sessionTimeoutHours for longer), got ${maxSessionAge}`,
      );
    }
  }
  return { interval, maxSessionAge };
}

export interface SessionSweeperProps {
  readonly regions: readonly string[];
  readonly endpoints: EndpointScope;
  readonly interval: Duration;
  readonly maxSessionAge?: Duration;
  readonly table?: dynamodb.ITable;
  readonly outcomeEventBus: events.IEventBus;
  readonly outcomeSource: string;
  readonly protectedIdentities: readonly string[];
  readonly dryRun: boolean;
  /** Environment shared with the revoker: EC2 pacing, retry budget. */
  readonly environment: Readonly<Record<string, string>>;
  readonly deadLetterQueue: sqs.IQueue;
  readonly logRetention: logs.RetentionDays;
  /** Active X-Ray tracing through Powertools Tracer (the construct's `tracing` prop). */
  readonly tracing: boolean;
  /** Member accounts searched through a role each (their environment is in `environment`). */
  readonly memberAccounts?: ResolvedMemberAccounts;
  /** The stack's connect handler: each sweep checks that the governed endpoints name it, and wires them. */
  readonly connectHandler?: {
    readonly handlerArn: string;
    /** What `handlerArn` names; the sweeper is deployed after it, so it never sets a handler not there yet. */
    readonly target: IDependable;
    readonly wiring: EndpointWiring;
  };
}

/**
 * Scheduled session cleanup: every `interval`, one sweep over every endpoint in scope ends the sessions of
 * identities the ledger holds as revoked (reconnects that slipped in, earlier failures) and, when configured,
 * sessions older than `maxSessionAge`; one outcome event per sweep. Sweeps never overlap (reserved
 * concurrency 1); a sweep whose invocation fails is retried by Lambda and then dead-lettered.
 */
export class SessionSweeper extends Construct {
  public readonly function: lambda.Function;
  public readonly schedule: scheduler.Schedule;
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SessionSweeperProps) {
    super(scope, id);
    const role = functionRole(this, 'Role', 'Client VPN Revoker: scheduled session cleanup');
    this.role = role;
    if (props.memberAccounts?.includeOwnAccount ?? true) {
      grantClientVpnConnections(role, props.endpoints, props.regions);
    }
    grantAssumeMemberRoles(role, props.memberAccounts);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PublishSweepOutcome',
        actions: ['events:PutEvents'],
        resources: [props.outcomeEventBus.eventBusArn],
        conditions: {
          StringEquals: {
            'events:source': props.outcomeSource,
            'events:detail-type': SWEEP_OUTCOME_DETAIL_TYPE,
          },
        },
      }),
    );
    const environment: Record<string, string> = {
      ...props.environment,
      [ENV.outcomeEventBus]: props.outcomeEventBus.eventBusArn,
      [ENV.outcomeSource]: props.outcomeSource,
      [ENV.dryRun]: String(props.dryRun),
    };
    if (props.table) {
      environment[ENV.ledgerTableName] = props.table.tableName;
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ReadRevokedIdentities',
          actions: ['dynamodb:Scan'],
          resources: [props.table.tableArn],
        }),
      );
      // Removes the expiry that earlier versions wrote on revoked records (conditional on the record).
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'KeepRevokedUntilLifted',
          actions: ['dynamodb:UpdateItem'],
          resources: [props.table.tableArn],
        }),
      );
    }
    if (props.connectHandler) {
      environment[ENV.connectHandlerArn] = props.connectHandler.handlerArn;
      environment[ENV.connectHandlerEndpointWiring] = props.connectHandler.wiring;
      if (props.memberAccounts?.includeOwnAccount ?? true) {
        grantConnectHandlerWiring(role, props.endpoints, props.regions, props.connectHandler.wiring);
      }
    }
    if (props.maxSessionAge) environment[ENV.maxSessionAgeMinutes] = String(props.maxSessionAge.toMinutes());
    if (props.protectedIdentities.length > 0) {
      environment[ENV.protectedIdentities] = props.protectedIdentities.join(',');
    }
    const { fn } = bundledFunction(this, 'Function', {
      entry: 'lambda/sweeper/handler.ts',
      description: 'Ends Client VPN sessions of revoked identities and sessions past the maximum age',
      role,
      timeout: Duration.minutes(5),
      memorySize: 512,
      logRetention: props.logRetention,
      environment,
      // One sweep at a time: a slow sweep delays the next instead of doubling the EC2 calls.
      reservedConcurrentExecutions: 1,
      // Scheduler invokes asynchronously: after Lambda's retries a failed sweep's event is dead-lettered.
      deadLetterQueue: props.deadLetterQueue,
    });
    this.function = fn;
    if (props.connectHandler) fn.node.addDependency(props.connectHandler.target);
    fn.configureAsyncInvoke({
      retryAttempts: 2,
      // A sweep older than the interval is superseded by the next one (Lambda accepts 60 s to 6 h).
      maxEventAge: Duration.seconds(
        Math.min(Math.max(props.interval.toSeconds(), MIN_EVENT_AGE_SECONDS), MAX_EVENT_AGE_SECONDS),
      ),
    });
    const invokeConfig = fn.node.findChild('EventInvokeConfig');
    Validations.of(invokeConfig.node.defaultChild ?? invokeConfig).acknowledge({
      id: 'Serverless::Serverless-LambdaAsyncFailureDestination',
      reason:
        "Failed sweeps already go to the product's dead-letter queue through the function's DeadLetterConfig; " +
        'an on-failure destination to the same queue would deliver each failure twice',
    });
    this.schedule = invokeOnSchedule(this, fn, {
      what: 'session cleanup sweep',
      interval: props.interval,
      input: scheduler.ScheduleTargetInput.fromObject({ sweepId: scheduler.ContextAttribute.executionId }),
      deadLetterQueue: props.deadLetterQueue,
    });
    traceOrAcknowledge(fn, props.tracing, 'sweep id (also in the sweep outcome event)');
  }
}

/**
 * What the wiring check needs in the handler's own account and region (the stack's): reading the endpoints'
 * ClientConnectOptions and, in enforce mode, ModifyClientVpnEndpoint on exactly the governed endpoints there.
 * AWS requires no permission on the Lambda function to set it as the handler: Client VPN invokes it through
 * its service-linked role (docs/configuration.md, IAM).
 */
function grantConnectHandlerWiring(
  role: iam.Role,
  scope: EndpointScope,
  regions: readonly string[],
  wiring: EndpointWiring,
): void {
  const { region } = Stack.of(role);
  // An environment-agnostic stack's region is known at deployment only: the ARN below still limits it to there.
  if (!Token.isUnresolved(region) && !regions.includes(region)) return;
  const endpointsHere = scope.endpoints?.filter((endpoint) => endpoint.region === region);
  if (endpointsHere) {
    if (endpointsHere.length === 0) return;
    // Listed endpoints are scanned without DescribeClientVpnEndpoints; their ClientConnectOptions need it.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadConnectHandlerOfEndpoints',
        actions: ['ec2:DescribeClientVpnEndpoints'],
        resources: ['*'],
        conditions: { StringEquals: { 'ec2:Region': region } },
      }),
    );
    const policy = role.node.findChild('DefaultPolicy');
    Validations.of(policy.node.defaultChild ?? policy).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'ec2:DescribeClientVpnEndpoints has no resource type (Service Authorization Reference); it is ' +
        "conditioned on ec2:Region to the connect handler's region, the only one whose endpoints it can guard",
    });
  }
  if (wiring !== EndpointWiring.ENFORCE) return;
  const { tag } = scope;
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'WireConnectHandler',
      actions: ['ec2:ModifyClientVpnEndpoint'],
      resources: (endpointsHere?.map((endpoint) => endpoint.endpointId) ?? ['*']).map((endpointId) =>
        endpointArn(role, region, endpointId),
      ),
      ...(tag && { conditions: endpointTagCondition(tag) }),
    }),
  );
  if (endpointsHere) return;
  const policy = role.node.findChild('DefaultPolicy');
  Validations.of(policy.node.defaultChild ?? policy).acknowledge({
    id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagResource(role, endpointArn(role, region, '*'))}]`,
    reason: tag
      ? 'ModifyClientVpnEndpoint (only ClientConnectOptions) on tagged endpoints: the grant is conditioned ' +
        "on aws:ResourceTag, so the ARN covers every endpoint of the connect handler's region"
      : 'No endpoint selection configured: every endpoint of the connect handler region is governed and ' +
        'gets the handler; pass endpoints or endpointTag to narrow it',
  });
}
