import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ArnFormat, AssetHashType, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE, METRICS_SERVICE } from '../contracts/metrics.ts';
import { TRACE_ENABLED_ENV } from '../contracts/tracing.ts';

/** Which endpoints the functions act on: listed ARNs, a tag condition, or every endpoint of the regions. */
export interface EndpointScope {
  readonly endpoints?: readonly { region: string; endpointId: string }[];
  readonly tag?: { readonly key: string; readonly value?: string };
}

export interface BundledFunctionProps {
  /** Path of the handler module, relative to the repository root (e.g. `lambda/revoker/handler.ts`). */
  readonly entry: string;
  readonly description: string;
  readonly role: iam.IRole;
  readonly logRetention: logs.RetentionDays;
  readonly environment: Record<string, string>;
  readonly timeout: Duration;
  readonly memorySize: number;
  /** Only where AWS requires a name (Client VPN connect handlers must start with `AWSClientVPN-`). */
  readonly functionName?: string;
  readonly reservedConcurrentExecutions?: number;
  /** For asynchronously invoked functions: where events go after Lambda's retries. */
  readonly deadLetterQueue?: sqs.IQueue;
}

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE_CLI = fileURLToPath(new URL('./bundling/bundle-cli.ts', import.meta.url));
/** The TypeScript loader the bundling child process runs under (a devDependency, like esbuild). */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Function code bundled on this machine by lib/bundling/bundle-cli.ts (esbuild, no Docker). The asset hash is
 * taken from the bundle, so a change to any module the handler imports, or to the lock file's SDK, deploys.
 */
function bundledCode(entry: string): lambda.Code {
  const entryPath = fileURLToPath(new URL(`../${entry}`, import.meta.url));
  // The handler's directory: CDK stages (and caches) an asset per source path, one per function.
  return lambda.Code.fromAsset(dirname(entryPath), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the API, never pulled: local bundling either succeeds or throws.
      image: lambda.Runtime.NODEJS_24_X.bundlingImage,
      local: {
        tryBundle(outputDir) {
          const run = spawnSync(
            process.execPath,
            ['--import', TSX_LOADER, BUNDLE_CLI, entryPath, outputDir],
            {
              cwd: REPO_ROOT,
              encoding: 'utf8',
              stdio: ['ignore', 'inherit', 'pipe'],
            },
          );
          if (run.status !== 0) {
            throw new Error(`Bundling ${entry} failed (exit ${run.status}):\n${run.stderr ?? run.error}`);
          }
          return true;
        },
      },
    },
  });
}

/**
 * Every function of the product is built the same way: Node 24 on arm64, one minified ESM bundle with the AWS
 * SDK inside (lib/bundling/), source maps, its own log group with retention.
 */
export function bundledFunction(
  scope: Construct,
  id: string,
  props: BundledFunctionProps,
): { fn: lambda.Function; logGroup: logs.LogGroup } {
  const logGroup = new logs.LogGroup(scope, `${id}LogGroup`, { retention: props.logRetention });
  logGroup.grantWrite(props.role);
  const fn = new lambda.Function(scope, id, {
    description: props.description,
    ...(props.functionName && { functionName: props.functionName }),
    ...(props.deadLetterQueue && { deadLetterQueue: props.deadLetterQueue }),
    ...(props.reservedConcurrentExecutions !== undefined && {
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
    }),
    code: bundledCode(props.entry),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: props.timeout,
    role: props.role,
    logGroup,
    environment: {
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: METRICS_SERVICE,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      ...props.environment,
    },
  });
  // Make sure the role can write logs before the function can be invoked.
  fn.node.addDependency(props.role);
  return { fn, logGroup };
}

/**
 * What tracing adds to a function's environment: Powertools Tracer on (the handler loads it only then), and
 * the handler's response left out of the trace (message ids, counts or a connect decision: logged already).
 */
export const TRACING_ENVIRONMENT: Readonly<Record<string, string>> = {
  [TRACE_ENABLED_ENV]: 'true',
  POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
};

/**
 * Active X-Ray tracing for a function already built: what `tracing: lambda.Tracing.ACTIVE` does at creation
 * (the TracingConfig, and the X-Ray write grant on the function's role), plus TRACING_ENVIRONMENT. The grant's
 * `*` resource is acknowledged on that role's policy alone.
 */
export function traceFunction(fn: lambda.Function): void {
  (fn.node.defaultChild as lambda.CfnFunction).tracingConfig = { mode: lambda.Tracing.ACTIVE };
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
      resources: ['*'],
    }),
  );
  for (const [name, value] of Object.entries(TRACING_ENVIRONMENT)) fn.addEnvironment(name, value);
  const policy = fn.role?.node.findChild('DefaultPolicy');
  if (!policy) throw new Error(`${fn.node.path} has no role policy to hold the X-Ray grant`);
  Validations.of(policy.node.defaultChild ?? policy).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    reason:
      'xray:PutTraceSegments and xray:PutTelemetryRecords (the grant of active tracing) have no resource ' +
      'type in the Service Authorization Reference: they can only be granted on *',
  });
}

/**
 * Traces `fn` when the construct's `tracing` prop is on; otherwise acknowledges the untraced function, saying
 * how its invocations are correlated instead (`correlation`, e.g. "sweep id").
 */
export function traceOrAcknowledge(fn: lambda.Function, tracing: boolean, correlation: string): void {
  if (tracing) {
    traceFunction(fn);
    return;
  }
  Validations.of(fn.node.defaultChild ?? fn).acknowledge({
    id: 'Serverless::Serverless-LambdaTracing',
    reason:
      'Tracing is opt-in (the tracing prop): loading the X-Ray SDK lengthens every cold start. ' +
      `Without it, invocations are correlated by ${correlation} in Powertools logs`,
  });
}

/** A role Lambda assumes, with nothing attached (grants are added one by one, scoped). */
export const functionRole = (scope: Construct, id: string, description: string) =>
  new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description });

/** The ARN of a Client VPN endpoint of the stack's account (`*`: every endpoint of the region). */
export const endpointArn = (scope: Construct, region: string, endpointId: string) =>
  Stack.of(scope).formatArn({
    service: 'ec2',
    region,
    resource: 'client-vpn-endpoint',
    resourceName: endpointId,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });

/**
 * Describe and Terminate Client VPN connections on exactly the selected endpoints (ARNs), on tagged endpoints
 * (aws:ResourceTag condition) or on every endpoint of the regions; DescribeClientVpnEndpoints has no resource
 * type and is conditioned on the regions. cdk-nag's wildcard findings are acknowledged on this policy only.
 */
export function grantClientVpnConnections(
  role: iam.Role,
  scope: EndpointScope,
  regions: readonly string[],
  sidPrefix = '',
): void {
  const actions = ['ec2:DescribeClientVpnConnections', 'ec2:TerminateClientVpnConnections'];
  if (scope.endpoints) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: `${sidPrefix}TerminateOnSelectedEndpoints`,
        actions,
        resources: scope.endpoints.map((e) => endpointArn(role, e.region, e.endpointId)),
      }),
    );
    return;
  }
  const { tag } = scope;
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: `${sidPrefix}${tag ? 'TerminateOnTaggedEndpoints' : 'TerminateOnAllEndpoints'}`,
      actions,
      resources: regions.map((region) => endpointArn(role, region, '*')),
      ...(tag && { conditions: endpointTagCondition(tag) }),
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: `${sidPrefix}ListEndpoints`,
      actions: ['ec2:DescribeClientVpnEndpoints'],
      resources: ['*'],
      conditions: { StringEquals: { 'ec2:Region': [...regions] } },
    }),
  );
  const policy = role.node.findChild('DefaultPolicy');
  const cfnPolicy = policy.node.defaultChild ?? policy;
  Validations.of(cfnPolicy).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    reason:
      'ec2:DescribeClientVpnEndpoints has no resource type (Service Authorization Reference); ' +
      'it is conditioned on ec2:Region to the configured regions',
  });
  for (const region of regions) {
    Validations.of(cfnPolicy).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagResource(role, endpointArn(role, region, '*'))}]`,
      reason: tag
        ? 'Endpoints are selected by tag: the grant is conditioned on aws:ResourceTag, so the ARN ' +
          'must cover every endpoint in the region'
        : 'No endpoint selection configured: the product acts on every Client VPN endpoint in the ' +
          'region by design; pass endpoints or endpointTag to narrow it',
    });
  }
}

/** Limits a grant to endpoints carrying the tag (any value when `value` is absent). */
export const endpointTagCondition = (tag: NonNullable<EndpointScope['tag']>) =>
  tag.value === undefined
    ? { Null: { [`aws:ResourceTag/${tag.key}`]: 'false' } }
    : { StringEquals: { [`aws:ResourceTag/${tag.key}`]: tag.value } };

/** The string cdk-nag reports for a policy resource (its flattenCfnReference), to acknowledge exactly it. */
export function nagResource(scope: Construct, value: string): string {
  const flatten = (node: unknown): string => {
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
    if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (Array.isArray(record['Fn::Join'])) {
        const [delimiter, items] = record['Fn::Join'] as [string, unknown[]];
        return items.map(flatten).join(delimiter);
      }
      if ('Ref' in record) return `<${flatten(record.Ref)}>`;
      if (Array.isArray(record['Fn::GetAtt'])) {
        const [resource, attribute] = record['Fn::GetAtt'] as [unknown, unknown];
        return `<${flatten(resource)}.${flatten(attribute)}>`;
      }
    }
    return JSON.stringify(node);
  };
  return flatten(Stack.of(scope).resolve(value));
}

/**
 * Invokes `fn` every `interval` on EventBridge Scheduler (asynchronously, retried 3 times within an hour),
 * through a role of its own that may invoke only `fn`. `what` names the job in descriptions.
 */
export function invokeOnSchedule(
  scope: Construct,
  fn: lambda.Function,
  props: {
    readonly what: string;
    readonly interval: Duration;
    readonly input?: scheduler.ScheduleTargetInput;
    readonly deadLetterQueue?: sqs.IQueue;
  },
): scheduler.Schedule {
  const schedulerRole = new iam.Role(scope, 'SchedulerRole', {
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
    description: `Client VPN Revoker: invoke the ${props.what}`,
  });
  const schedule = new scheduler.Schedule(scope, 'Schedule', {
    description: `Client VPN Revoker: ${props.what}`,
    schedule: scheduler.ScheduleExpression.rate(props.interval),
    target: new schedulerTargets.LambdaInvoke(fn, {
      ...(props.input && { input: props.input }),
      retryAttempts: 3,
      maxEventAge: Duration.hours(1),
      ...(props.deadLetterQueue && { deadLetterQueue: props.deadLetterQueue }),
      role: schedulerRole,
    }),
  });
  const schedulerPolicy = schedulerRole.node.findChild('DefaultPolicy');
  Validations.of(schedulerPolicy.node.defaultChild ?? schedulerPolicy).acknowledge({
    id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagResource(scope, `${fn.functionArn}:*`)}]`,
    reason:
      `lambda:InvokeFunction on the ${props.what} function and its versions/aliases (grantInvoke); no other ` +
      'function is covered',
  });
  return schedule;
}
