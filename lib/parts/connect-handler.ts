import { ArnFormat, Duration, Names, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ENV } from '../../lambda/core/environment.ts';
import { bundledFunction, functionRole, traceOrAcknowledge } from '../function-support.ts';
import {
  ClientVpnRevokerPropsError,
  known,
  show,
  validateEndpointId,
  validateInteger,
} from '../props-validation.ts';

/**
 * What the session sweeper does with a governed endpoint (in the connect handler's account and region) whose
 * ClientConnectOptions do not name the handler. An endpoint naming another handler is never overwritten.
 */
export enum EndpointWiring {
  /** Sets the handler on endpoints without one (ModifyClientVpnEndpoint), and reports the rest. */
  ENFORCE = 'enforce',
  /** Only reports (metric, alarm, sweep outcome): for endpoints whose settings other IaC owns. */
  REPORT = 'report',
}

/** What the connect handler answers when it cannot read the ledger in time. */
export enum LedgerUnavailableAction {
  /** Fail closed, like Client VPN itself does when a handler fails. */
  DENY = 'deny',
  /** Keep everyone able to connect, revoked identities included: the identity provider and the sweep remain. */
  ALLOW = 'allow',
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
   * What the handler answers when the ledger cannot be read in time: `DENY` fails closed, like Client VPN
   * itself does on handler failure; `ALLOW` keeps everyone (including revoked identities) able to connect
   * during a DynamoDB outage, relying on the identity provider and the next sweep.
   * @default LedgerUnavailableAction.DENY
   */
  readonly onLedgerUnavailable?: LedgerUnavailableAction;
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

/** Client VPN only invokes connect handlers whose name starts with this (its service-linked role's grant). */
export const CONNECT_HANDLER_NAME_PREFIX = 'AWSClientVPN-';
const MAX_FUNCTION_NAME_LENGTH = 64;
const LIVE_ALIAS = 'live';

export interface ClientConnectHandlerProps {
  readonly table: dynamodb.ITable;
  readonly protectedIdentities: readonly string[];
  /** Active Directory domains stripped from names (the construct's `activeDirectoryDomains`). */
  readonly activeDirectoryDomains: readonly string[];
  readonly onLedgerUnavailable: LedgerUnavailableAction;
  readonly deniedMessage?: string;
  /** Endpoints (in the stack's region) whose ClientConnectOptions are set to this handler on deploy. */
  readonly endpointIds: readonly string[];
  readonly provisionedConcurrency: number;
  readonly logRetention: logs.RetentionDays;
  readonly logHashKey?: secretsmanager.ISecret;
  /** Active X-Ray tracing through Powertools Tracer (the construct's `tracing` prop). */
  readonly tracing: boolean;
}

/**
 * The client connect handler Client VPN calls on every connection attempt: denies identities the ledger
 * holds as revoked (one strongly consistent key lookup), allows everyone else and the break-glass identities.
 * Optionally wires itself into existing endpoints (ModifyClientVpnEndpoint through a custom resource).
 */
export class ClientConnectHandler extends Construct {
  public readonly function: lambda.Function;
  /** What endpoints' ClientConnectOptions.LambdaFunctionArn must name: the alias when provisioned. */
  public readonly handlerArn: string;
  /** The function, or its alias when provisioned: what `handlerArn` names (depend on it before wiring). */
  public readonly target: lambda.IFunction;

  constructor(scope: Construct, id: string, props: ClientConnectHandlerProps) {
    super(scope, id);
    const role = functionRole(this, 'Role', 'Client VPN Revoker: client connect handler (ledger lookups)');
    const functionName =
      CONNECT_HANDLER_NAME_PREFIX +
      Names.uniqueResourceName(this, {
        maxLength: MAX_FUNCTION_NAME_LENGTH - CONNECT_HANDLER_NAME_PREFIX.length,
        separator: '-',
      });
    const environment: Record<string, string> = {
      [ENV.ledgerTableName]: props.table.tableName,
      [ENV.onLedgerUnavailable]: props.onLedgerUnavailable,
    };
    if (props.protectedIdentities.length > 0) {
      environment[ENV.protectedIdentities] = props.protectedIdentities.join(',');
    }
    if (props.activeDirectoryDomains.length > 0) {
      environment[ENV.activeDirectoryDomains] = props.activeDirectoryDomains.join(',');
    }
    if (props.deniedMessage !== undefined) environment[ENV.deniedMessage] = props.deniedMessage;
    if (props.logHashKey) {
      environment[ENV.logHashKeySecretArn] = props.logHashKey.secretArn;
      props.logHashKey.grantRead(role);
    }
    const { fn } = bundledFunction(this, 'Function', {
      entry: 'lambda/connect-handler/handler.ts',
      description: 'Client VPN client connect handler: denies identities whose access was revoked',
      functionName,
      role,
      // Client VPN waits at most 30 s, then denies; the handler answers within its own 5 s budget.
      timeout: Duration.seconds(10),
      memorySize: 256,
      logRetention: props.logRetention,
      environment,
    });
    this.function = fn;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'LookUpRevokedIdentities',
        actions: ['dynamodb:BatchGetItem'],
        resources: [props.table.tableArn],
      }),
    );

    let target: lambda.IFunction = fn;
    if (props.provisionedConcurrency > 0) {
      target = fn.addAlias(LIVE_ALIAS, { provisionedConcurrentExecutions: props.provisionedConcurrency });
    }
    this.target = target;
    // Built from the fixed function name, not a GetAtt, so that it reads the same before deployment (local runs);
    // whoever uses it depends on `target`, which a reference would have ensured.
    this.handlerArn = Stack.of(this).formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: props.provisionedConcurrency > 0 ? `${functionName}:${LIVE_ALIAS}` : functionName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    props.endpointIds.forEach((endpointId, index) => {
      this.wire(endpointId, index, props.logRetention);
    });
    if (props.endpointIds.length > 0) acknowledgeWiringProviderFindings(this);
    Validations.of(fn.node.defaultChild ?? fn).acknowledge({
      id: 'Serverless::Serverless-LambdaDLQ',
      reason:
        'Client VPN invokes the handler synchronously on each connection attempt; a DLQ applies to ' +
        'asynchronous invocations only. A failed invocation denies that attempt (fail-closed)',
    });
    traceOrAcknowledge(fn, props.tracing, 'connection id');
  }

  /** Sets the endpoint's ClientConnectOptions to this handler on deploy, and disables it again on removal. */
  private wire(endpointId: string, index: number, logRetention: logs.RetentionDays): void {
    const stack = Stack.of(this);
    const provider = wiringProvider(this, logRetention);
    const endpointArn = stack.formatArn({
      service: 'ec2',
      resource: 'client-vpn-endpoint',
      resourceName: endpointId,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const modify = (enabled: boolean): cr.AwsSdkCall => ({
      service: 'EC2',
      action: 'ModifyClientVpnEndpoint',
      parameters: {
        ClientVpnEndpointId: endpointId,
        ClientConnectOptions: enabled
          ? { Enabled: true, LambdaFunctionArn: this.handlerArn }
          : { Enabled: false },
      },
      physicalResourceId: cr.PhysicalResourceId.of(`${endpointId}-client-connect-handler`),
    });
    const wiring = new cr.AwsCustomResource(
      this,
      `Wire${Token.isUnresolved(endpointId) ? index : endpointId}`,
      {
        onCreate: modify(true),
        onUpdate: modify(true),
        onDelete: modify(false),
        installLatestAwsSdk: false,
        role: provider.role,
        logGroup: provider.logGroup,
        memorySize: WIRING_PROVIDER_MEMORY_SIZE,
        policy: cr.AwsCustomResourcePolicy.fromStatements([
          new iam.PolicyStatement({ actions: ['ec2:ModifyClientVpnEndpoint'], resources: [endpointArn] }),
        ]),
      },
    );
    wiring.node.addDependency(this.target);
    // The provider must be able to write its logs before its first invocation.
    wiring.node.addDependency(provider);
  }
}

/** What the handler shares with the rest of the revoker; no table means no ledger. */
export type ConnectHandlerSettings = Pick<
  ClientConnectHandlerProps,
  'protectedIdentities' | 'activeDirectoryDomains' | 'logRetention' | 'logHashKey' | 'tracing'
> & { readonly table?: dynamodb.ITable };

/**
 * The connect handler of a ClientVpnRevoker: created when there is a ledger to look revoked identities up in,
 * unless disabled; asking for one without a ledger is an error.
 */
export function connectHandlerFor(
  scope: Construct,
  props: ConnectHandlerProps | undefined,
  settings: ConnectHandlerSettings,
): ClientConnectHandler | undefined {
  const { table, ...shared } = settings;
  if (!table) {
    validateNoConnectHandler(props);
    return undefined;
  }
  if (!(props?.enabled ?? true)) return undefined;
  const { deniedMessage, ...options } = validateConnectHandler(props ?? {});
  return new ClientConnectHandler(scope, 'ConnectHandler', {
    table,
    ...shared,
    ...options,
    ...(deniedMessage !== undefined && { deniedMessage }),
  });
}

/** What each session sweep needs to wire the governed endpoints to `handler`, or to report them. */
export const sweepWiring = (handler: ClientConnectHandler, props: ConnectHandlerProps | undefined) => ({
  handlerArn: handler.handlerArn,
  target: handler.target,
  wiring: validateEndpointWiring(props?.endpointWiring),
});

/** Without a ledger there is nothing for a connect handler to look up: asking for one is an error. */
export function validateNoConnectHandler(props: ConnectHandlerProps | undefined): void {
  if (!props || props.enabled === false) return;
  const { enabled, ...options } = props;
  if (enabled === true || Object.values(options).some((value) => value !== undefined)) {
    throw new ClientVpnRevokerPropsError(
      'connectHandler.enabled',
      'the connect handler needs the ledger (ledger.enabled is false); set connectHandler.enabled to false',
    );
  }
}

export function validateConnectHandler(props: ConnectHandlerProps) {
  const endpointIds = [...new Set(props.endpointIds ?? [])];
  for (const endpointId of endpointIds) validateEndpointId('connectHandler.endpointIds', endpointId);
  const onLedgerUnavailable = props.onLedgerUnavailable ?? LedgerUnavailableAction.DENY;
  if (!Object.values(LedgerUnavailableAction).includes(onLedgerUnavailable)) {
    throw new ClientVpnRevokerPropsError(
      'connectHandler.onLedgerUnavailable',
      `expected 'deny' or 'allow', got ${show(onLedgerUnavailable)}`,
    );
  }
  const { deniedMessage } = props;
  if (
    deniedMessage !== undefined &&
    known(deniedMessage) &&
    (deniedMessage === '' || deniedMessage.length > 255)
  ) {
    throw new ClientVpnRevokerPropsError(
      'connectHandler.deniedMessage',
      `expected 1 to 255 characters (Client VPN's limit), got ${deniedMessage.length}`,
    );
  }
  const provisionedConcurrency = props.provisionedConcurrency ?? 0;
  validateInteger('connectHandler.provisionedConcurrency', provisionedConcurrency, 0, 1000);
  return { endpointIds, onLedgerUnavailable, deniedMessage, provisionedConcurrency };
}

export function validateEndpointWiring(wiring: EndpointWiring | undefined): EndpointWiring {
  if (wiring === undefined) return EndpointWiring.ENFORCE;
  if (!Object.values(EndpointWiring).includes(wiring)) {
    throw new ClientVpnRevokerPropsError(
      'connectHandler.endpointWiring',
      `expected EndpointWiring.ENFORCE ('enforce') or EndpointWiring.REPORT ('report'), got ${show(wiring)}`,
    );
  }
  return wiring;
}

/**
 * The session sweep is what wires governed endpoints to the connect handler (or reports them): without it a
 * handler would guard nothing, silently.
 */
export const connectHandlerWithoutSweep = () =>
  new ClientVpnRevokerPropsError(
    'sessionCleanup.enabled',
    'is false, but the session sweep is what wires the governed endpoints to the connect handler and reports ' +
      'those it does not guard. Re-enable sessionCleanup (with connectHandler.endpointWiring: ' +
      'EndpointWiring.REPORT to only report, when other IaC owns the endpoints), or set ' +
      'connectHandler.enabled to false',
  );

/** Construct id of the stack's AwsCustomResource provider function (a SingletonFunction, `lambdaPurpose` AWS). */
const AWS_CUSTOM_RESOURCE_PROVIDER_ID = `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;
const WIRING_PROVIDER_ID = 'ClientConnectWiringProvider';
const WIRING_PROVIDER_MEMORY_SIZE = 256;

/**
 * The execution role and log group of the stack's AwsCustomResource provider function, which calls
 * ModifyClientVpnEndpoint. One per stack, like the provider function itself: a role without the
 * AWSLambdaBasicExecutionRole managed policy, allowed to write to its own log group only; each wiring adds a
 * policy for exactly its endpoint.
 */
class WiringProvider extends Construct {
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, logRetention: logs.RetentionDays) {
    super(scope, id);
    this.role = functionRole(
      this,
      'Role',
      'Client VPN Revoker: wire the client connect handler into endpoints',
    );
    this.logGroup = new logs.LogGroup(this, 'LogGroup', { retention: logRetention });
    this.logGroup.grantWrite(this.role);
  }
}

function wiringProvider(scope: Construct, logRetention: logs.RetentionDays): WiringProvider {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(WIRING_PROVIDER_ID);
  if (existing instanceof WiringProvider) return existing;
  return new WiringProvider(stack, WIRING_PROVIDER_ID, logRetention);
}

/**
 * cdk-nag findings on CDK's provider function that cannot be fixed from here, acknowledged on that function only
 * (call after the first AwsCustomResource exists).
 */
function acknowledgeWiringProviderFindings(scope: Construct): void {
  const provider = Stack.of(scope).node.tryFindChild(AWS_CUSTOM_RESOURCE_PROVIDER_ID);
  if (!provider)
    throw new Error(`expected the AwsCustomResource provider ${AWS_CUSTOM_RESOURCE_PROVIDER_ID}`);
  const cfn = provider.node.defaultChild ?? provider;
  Validations.of(cfn).acknowledge({
    id: 'Serverless::Serverless-LambdaDLQ',
    reason:
      'CloudFormation invokes the custom resource provider, which reports every failure to CloudFormation ' +
      'through the response URL, failing and rolling back the deployment; a dead-lettered event would be ' +
      'stale and could not be replayed',
  });
  Validations.of(cfn).acknowledge({
    id: 'Serverless::Serverless-LambdaTracing',
    reason:
      "CDK's provider code makes one ModifyClientVpnEndpoint call per deployment and is not instrumented; " +
      'active tracing would add a wildcard xray:PutTraceSegments grant for no spans',
  });
}
