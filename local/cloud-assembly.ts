import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventPattern } from '../lambda/core/event-pattern.ts';

/** What a local run needs from the synthesized stack: the bundle, its environment and the delivery settings. */
export interface SynthesizedRevoker {
  readonly bundleFile: string;
  readonly exportName: string;
  readonly environment: Record<string, string>;
  readonly timeoutMs: number;
  readonly rules: readonly {
    readonly logicalId: string;
    readonly eventBusName: string;
    readonly pattern: EventPattern;
  }[];
  readonly maxReceiveCount: number;
  readonly batchSize: number;
}

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
    const fn = resources.find(
      ([, resource]) =>
        resource.Type === 'AWS::Lambda::Function' &&
        resource.Metadata?.['aws:asset:path'] &&
        JSON.stringify(resource.Properties?.Environment ?? {}).includes('OUTCOME_EVENT_BUS'),
    );
    if (!fn) continue;
    const [, fnResource] = fn;
    const properties = fnResource.Properties ?? {};
    const [file = 'index', exportName = 'handler'] = String(properties.Handler).split('.');
    const assetDir = join(cdkOut, String(fnResource.Metadata?.['aws:asset:path']));
    const bundleFile = ['.mjs', '.js']
      .map((ext) => join(assetDir, file + ext))
      .find((path) => existsSync(path));
    if (!bundleFile)
      throw new Error(`No bundle for ${properties.Handler} in ${assetDir}: was bundling skipped?`);
    const variables = resolveIntrinsics(
      (properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {},
      context,
    ) as Record<string, unknown>;
    const queue = resources.find(
      ([, resource]) => resource.Type === 'AWS::SQS::Queue' && resource.Properties?.RedrivePolicy,
    );
    const mapping = resources.find(([, resource]) => resource.Type === 'AWS::Lambda::EventSourceMapping');
    return {
      bundleFile,
      exportName,
      environment: Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, String(value)])),
      timeoutMs: Number(properties.Timeout ?? 3) * 1000,
      rules: resources
        .filter(([, resource]) => resource.Type === 'AWS::Events::Rule')
        .map(([logicalId, resource]) => ({
          logicalId,
          eventBusName: String(resolveIntrinsics(resource.Properties?.EventBusName ?? 'default', context)),
          pattern: resource.Properties?.EventPattern as EventPattern,
        })),
      maxReceiveCount: Number(
        (queue?.[1].Properties?.RedrivePolicy as { maxReceiveCount?: number })?.maxReceiveCount ?? 5,
      ),
      batchSize: Number(mapping?.[1].Properties?.BatchSize ?? 10),
    };
  }
  throw new Error(`No Client VPN Revoker function found in ${cdkOut}: run \`npx cdk synth\` first`);
}
