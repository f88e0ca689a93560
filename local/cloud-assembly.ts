import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV } from '../lambda/core/environment.ts';
import type { EventPattern } from '../lambda/core/event-pattern.ts';

/** One bundled function of the stack, as deployment would run it. */
export interface SynthesizedFunction {
  readonly bundleFile: string;
  readonly exportName: string;
  readonly environment: Record<string, string>;
  readonly timeoutMs: number;
  /** The physical name when the template sets one (the connect handler's `AWSClientVPN-…`). */
  readonly functionName?: string;
}

/** What a local run needs from the synthesized stack: the bundles, their environments and the delivery settings. */
export interface SynthesizedRevoker extends SynthesizedFunction {
  /** The client connect handler, when the stack has one. */
  readonly connectHandler?: SynthesizedFunction;
  /** The session sweeper, when the stack has one. */
  readonly sweeper?: SynthesizedFunction;
  /** The user directory sync, when the stack has one. */
  readonly directorySync?: SynthesizedFunction;
  readonly rules: readonly {
    readonly logicalId: string;
    readonly eventBusName: string;
    readonly pattern: EventPattern;
  }[];
  readonly maxReceiveCount: number;
  /** The queue's VisibilityTimeout (SQS's default 30 s when unset), in milliseconds. */
  readonly visibilityTimeoutMs: number;
  readonly batchSize: number;
  /** Most invocations in flight: the mapping's ScalingConfig.MaximumConcurrency (else reserved concurrency). */
  readonly maxConcurrency: number;
  /** The mapping's MaximumBatchingWindowInSeconds, in milliseconds. */
  readonly batchingWindowMs: number;
}

/** What Lambda allows without ScalingConfig or reserved concurrency: the account's default limit. */
const ACCOUNT_CONCURRENCY = 1000;

type Template = {
  Resources: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }
  >;
};

export interface ResolveContext {
  readonly region: string;
  readonly account: string;
}

/** Resolves the CloudFormation intrinsics CDK emits for environment values, as deployment would. */
export function resolveIntrinsics(value: unknown, context: ResolveContext): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, context));
  const record = value as Record<string, unknown>;
  if ('Ref' in record) {
    const pseudo: Record<string, string> = {
      'AWS::Region': context.region,
      'AWS::AccountId': context.account,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
    };
    return pseudo[record.Ref as string] ?? String(record.Ref);
  }
  if ('Fn::Join' in record) {
    const [separator, parts] = record['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolveIntrinsics(part, context)).join(separator);
  }
  if ('Fn::GetAtt' in record) return (record['Fn::GetAtt'] as string[]).join('.');
  return Object.fromEntries(
    Object.entries(record).map(([key, item]) => [key, resolveIntrinsics(item, context)]),
  );
}

/** Reads the revoker's function, rules and queue settings from a `cdk synth` output directory. */
export function readSynthesizedRevoker(cdkOut: string, context: ResolveContext): SynthesizedRevoker {
  const manifest = JSON.parse(readFileSync(join(cdkOut, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; properties?: { templateFile?: string } }>;
  };
  const templates = Object.values(manifest.artifacts)
    .filter((artifact) => artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile)
    .map(
      (artifact) =>
        JSON.parse(readFileSync(join(cdkOut, artifact.properties?.templateFile ?? ''), 'utf8')) as Template,
    );
  for (const template of templates) {
    const resources = Object.entries(template.Resources);
    // The product's functions, told apart by the settings only each of them has.
    const bundled = resources
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['aws:asset:path'])
      .map(([, r]) => readFunction(cdkOut, r, context));
    const revoker = bundled.find((fn) => ENV.maxReceiveCount in fn.environment);
    if (!revoker) continue;
    const connectHandler = bundled.find((fn) => ENV.onLedgerUnavailable in fn.environment);
    const sweeper = bundled.find(
      (fn) =>
        fn !== revoker && ENV.outcomeEventBus in fn.environment && !(ENV.maxReceiveCount in fn.environment),
    );
    const directorySync = bundled.find(
      (fn) => ENV.userDirectoryTableName in fn.environment && !(ENV.maxReceiveCount in fn.environment),
    );
    const queue = resources.find(
      ([, resource]) => resource.Type === 'AWS::SQS::Queue' && resource.Properties?.RedrivePolicy,
    );
    const mapping = resources.find(([, resource]) => resource.Type === 'AWS::Lambda::EventSourceMapping');
    const revokerResource = resources.find(
      ([, r]) =>
        r.Type === 'AWS::Lambda::Function' &&
        JSON.stringify(r.Properties?.Environment ?? {}).includes(ENV.maxReceiveCount),
    )?.[1];
    return {
      ...revoker,
      ...(connectHandler && { connectHandler }),
      ...(sweeper && { sweeper }),
      ...(directorySync && { directorySync }),
      // The rules that feed the revoker's queue (not, e.g., the one keeping misrouted runbook requests).
      rules: resources
        .filter(
          ([, resource]) =>
            resource.Type === 'AWS::Events::Rule' &&
            !!queue &&
            JSON.stringify(resource.Properties?.Targets ?? []).includes(`"${queue[0]}"`),
        )
        .map(([logicalId, resource]) => ({
          logicalId,
          eventBusName: busName(template, resource.Properties?.EventBusName, context),
          pattern: resource.Properties?.EventPattern as EventPattern,
        })),
      maxReceiveCount: Number(
        (queue?.[1].Properties?.RedrivePolicy as { maxReceiveCount?: number })?.maxReceiveCount ?? 5,
      ),
      visibilityTimeoutMs: Number(queue?.[1].Properties?.VisibilityTimeout ?? 30) * 1000,
      batchSize: Number(mapping?.[1].Properties?.BatchSize ?? 10),
      maxConcurrency: Number(
        (mapping?.[1].Properties?.ScalingConfig as { MaximumConcurrency?: number } | undefined)
          ?.MaximumConcurrency ??
          revokerResource?.Properties?.ReservedConcurrentExecutions ??
          ACCOUNT_CONCURRENCY,
      ),
      batchingWindowMs: Number(mapping?.[1].Properties?.MaximumBatchingWindowInSeconds ?? 0) * 1000,
    };
  }
  throw new Error(`No Client VPN Revoker function found in ${cdkOut}: run \`npx cdk synth\` first`);
}

/** A rule's bus by name: a bus of the template is referred to by its logical id, and named by `Name`. */
function busName(template: Template, eventBusName: unknown, context: ResolveContext): string {
  const ref = (eventBusName as { Ref?: unknown } | undefined)?.Ref;
  const bus = typeof ref === 'string' ? template.Resources[ref] : undefined;
  if (bus?.Type === 'AWS::Events::EventBus') return String(resolveIntrinsics(bus.Properties?.Name, context));
  return String(resolveIntrinsics(eventBusName ?? 'default', context));
}

function readFunction(
  cdkOut: string,
  resource: Template['Resources'][string],
  context: ResolveContext,
): SynthesizedFunction {
  const properties = resource.Properties ?? {};
  const [file = 'index', exportName = 'handler'] = String(properties.Handler).split('.');
  const assetDir = join(cdkOut, String(resource.Metadata?.['aws:asset:path']));
  const bundleFile = ['.mjs', '.js']
    .map((ext) => join(assetDir, file + ext))
    .find((path) => existsSync(path));
  if (!bundleFile)
    throw new Error(`No bundle for ${properties.Handler} in ${assetDir}: was bundling skipped?`);
  const variables = resolveIntrinsics(
    (properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {},
    context,
  ) as Record<string, unknown>;
  return {
    bundleFile,
    exportName,
    environment: Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, String(value)])),
    timeoutMs: Number(properties.Timeout ?? 3) * 1000,
    ...(typeof properties.FunctionName === 'string' && { functionName: properties.FunctionName }),
  };
}
