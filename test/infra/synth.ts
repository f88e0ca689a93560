import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ClientVpnRevoker, type ClientVpnRevokerProps } from '../../lib/client-vpn-revoker.ts';

/** The feature flags of cdk.json (not its example app settings), so tests synthesize what `cdk synth` does. */
export const cdkJsonContext: Record<string, unknown> = Object.fromEntries(
  Object.entries(
    JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<
      string,
      unknown
    >,
  ).filter(([key]) => key.startsWith('@aws-cdk')),
);

export const ACCOUNT = '111122223333';

/** A fresh app with bundling skipped: tests never run esbuild. */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...cdkJsonContext, ...context, 'aws:cdk:bundling-stacks': [] } });
}

export function synthRevoker(
  props?: ClientVpnRevokerProps,
  env: StackProps['env'] = { account: ACCOUNT, region: 'eu-west-1' },
) {
  const stack = new Stack(testApp(), 'Test', { env });
  const revoker = new ClientVpnRevoker(stack, 'Revoker', props);
  return { stack, revoker, template: Template.fromStack(stack) };
}

/** Resolved CloudFormation (Ref, Fn::GetAtt, Fn::Join) flattened to `<…>` strings, as cdk-nag does. */
export function flatten(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(flatten);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('Ref' in record) return `<${String(record.Ref)}>`;
    if (Array.isArray(record['Fn::GetAtt'])) return `<${(record['Fn::GetAtt'] as string[]).join('.')}>`;
    if (Array.isArray(record['Fn::Join'])) {
      const [delimiter, items] = record['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, flatten(item)]));
  }
  return value;
}

/** The single resource of a type, properties flattened. */
export function onlyResource(template: Template, type: string): Record<string, unknown> {
  const resources = Object.values(template.findResources(type));
  if (resources.length !== 1) throw new Error(`expected one ${type}, found ${resources.length}`);
  return flatten(resources[0]?.Properties) as Record<string, unknown>;
}

export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** A construct's CloudFormation resource (its default child's), properties flattened. */
export function resourceOf(
  template: Template,
  stack: Stack,
  construct: { node: { defaultChild?: unknown } },
): Record<string, unknown> {
  const id = logicalId(stack, construct);
  const resource = template.toJSON().Resources?.[id] as { Properties?: unknown } | undefined;
  if (!resource) throw new Error(`expected a resource ${id}`);
  return flatten(resource.Properties) as Record<string, unknown>;
}

/** A function's environment variables, flattened. */
export function environmentOf(
  template: Template,
  stack: Stack,
  fn: { node: { defaultChild?: unknown } },
): Record<string, string> {
  return (resourceOf(template, stack, fn) as { Environment: { Variables: Record<string, string> } })
    .Environment.Variables;
}

/** Statements of every policy attached to a role (its DefaultPolicy and any other), flattened. */
export function policyStatements(template: Template, stack: Stack, role: iam.IRole): Statement[] {
  const roleRef = `<${logicalId(stack, role)}>`;
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .map(
      (policy) =>
        flatten(policy.Properties) as { Roles: unknown[]; PolicyDocument: { Statement: Statement[] } },
    )
    .filter((policy) => policy.Roles.includes(roleRef))
    .flatMap((policy) => policy.PolicyDocument.Statement);
}

/** Statements of the revoker function role's policy, flattened. */
export function roleStatements(
  template: Template,
  stack: Stack,
  revoker: { readonly role: iam.IRole },
): Statement[] {
  return policyStatements(template, stack, revoker.role);
}

/** Every policy statement in the template, flattened. */
export function allStatements(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) =>
      (flatten(policy.Properties) as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
  );
}

export const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** Logical id of an L2 construct's CloudFormation resource. */
export function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

interface ValidationReport {
  pluginReports: { pluginName: string; violations: { ruleName: string; severity: string }[] }[];
}

/** Synthesizes what `build` adds to an app with both cdk-nag packs, as bin/ does; the unacknowledged findings. */
export function unacknowledgedNagFindings(build: (app: App) => void): string[] {
  const app = testApp();
  build(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  // Error findings make synth throw with the report, so the failure shows what to fix.
  const assembly = app.synth();
  // Warnings do not fail synth; the report lists them (acknowledged findings are left out).
  const report: ValidationReport = JSON.parse(
    readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'),
  );
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.map((v) => `${v.severity} ${plugin.pluginName} ${v.ruleName}`),
  );
}
