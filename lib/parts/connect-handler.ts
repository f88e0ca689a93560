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

/** Client VPN only invokes connect handlers whose name starts with this (its service-linked role's grant). */
export const CONNECT_HANDLER_NAME_PREFIX = 'AWSClientVPN-';
const MAX_FUNCTION_NAME_LENGTH = 64;
const LIVE_ALIAS = 'live';

export interface ClientConnectHandlerProps {
  readonly table: dynamodb.ITable;
  readonly protectedIdentities: readonly string[];
  /** Active Directory domains stripped from names (the construct's `activeDirectoryDomains`). */
  readonly activeDirectoryDomains: readonly string[];
  readonly onLedgerUnavailable: 'deny' | 'allow';
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
