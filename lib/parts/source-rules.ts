import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { EventPattern as SourceEventPattern } from '../../lambda/core/event-pattern.ts';
import type {
  BusRef,
  GrantSpec,
  SourceWiring,
  UserDirectoryContribution,
  WiringContext,
} from '../../sources/kit/definition.ts';
import { SOURCE_KEYS, SOURCES, type SourceKey, type SourcesProps } from '../../sources/registry.ts';
import { nagResource } from '../function-support.ts';
import { RequestBus } from './request-bus.ts';

/** Lambda and EventBridge speak the same pattern language; CDK wants camel-cased top-level keys. */
const CDK_PATTERN_KEYS: Readonly<Record<string, keyof events.EventPattern>> = {
  version: 'version',
  id: 'id',
  'detail-type': 'detailType',
  source: 'source',
  account: 'account',
  time: 'time',
  region: 'region',
  resources: 'resources',
  detail: 'detail',
};

export function toCdkEventPattern(pattern: SourceEventPattern): events.EventPattern {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pattern)) {
    const cdkKey = CDK_PATTERN_KEYS[key];
    if (!cdkKey) throw new Error(`event pattern key "${key}" has no CDK EventPattern equivalent`);
    result[cdkKey] = structuredClone(value);
  }
  return result as events.EventPattern;
}

export interface SourceRulesProps {
  readonly sources: SourcesProps;
  /** Where every rule delivers: the revocation queue. */
  readonly target: events.IRuleTarget;
  /** The revoker's role, which the sources' look-up grants go to. */
  readonly role: iam.Role;
  /** Route re-enable events as lifts (the stack has a revocation ledger). */
  readonly lift: boolean;
  readonly error: WiringContext['error'];
}

export interface WiredSources {
  /** In registry order, each source's revoke rule before its lift rule. */
  readonly rules: events.Rule[];
  /** The revoker environment that enables the sources. */
  readonly environment: Record<string, string>;
  /** The request buses of the sources that have one, by source. */
  readonly requestBuses: Partial<Record<SourceKey, RequestBus>>;
  /** What the enabled id-only sources ask of the user directory. */
  readonly userDirectory: UserDirectoryContribution[];
}

/**
 * Turns the enabled sources' declarative wiring (sources/<name>/source.ts) into rules, buses, grants and the
 * revoker's environment, all in `scope` with the ids the sources give, so logical ids do not move.
 */
export function addSourceRules(scope: Construct, props: SourceRulesProps): WiredSources {
  const stack = Stack.of(scope);
  const context: WiringContext = {
    partition: stack.partition,
    account: stack.account,
    region: stack.region,
    lift: props.lift,
    error: props.error,
    isToken: (value) => Token.isUnresolved(value),
  };
  const wired: WiredSources = { rules: [], environment: {}, requestBuses: {}, userDirectory: [] };
  for (const key of SOURCE_KEYS) {
    const wire = SOURCES[key].wiring as (props: unknown, context: WiringContext) => SourceWiring | undefined;
    const wiring = wire(props.sources[key], context);
    if (!wiring) continue;
    const applied = applyWiring(scope, wiring, props);
    wired.rules.push(...applied.rules);
    Object.assign(wired.environment, wiring.environment);
    if (applied.requestBus) wired.requestBuses[key] = applied.requestBus;
    if (wiring.userDirectory) wired.userDirectory.push(wiring.userDirectory);
  }
  return wired;
}

/** One source's wiring made real: its request bus, its rules (in order) and its grants. */
export function applyWiring(
  scope: Construct,
  wiring: SourceWiring,
  { target, role }: Pick<SourceRulesProps, 'target' | 'role'>,
): { readonly rules: events.Rule[]; readonly requestBus?: RequestBus } {
  const requestBus = wiring.requestBus && new RequestBus(scope, wiring.requestBus.id, wiring.requestBus);
  const busOf = (ref: BusRef): events.IEventBus | undefined => {
    if (ref.kind === 'default') return undefined;
    if (ref.kind === 'partner') {
      // A partner bus carries its event source's name; a revoke rule and a lift rule share its import.
      const imported = scope.node.tryFindChild(ref.id) as events.IEventBus | undefined;
      return imported ?? events.EventBus.fromEventBusName(scope, ref.id, ref.name);
    }
    if (!requestBus) throw new Error(`rule ${ref.kind}: the source's wiring has no request bus`);
    return requestBus.eventBus;
  };
  const rules = wiring.rules.map(
    (rule) =>
      new events.Rule(scope, rule.id, {
        description: rule.description,
        eventBus: busOf(rule.bus),
        eventPattern: toCdkEventPattern(rule.pattern),
        targets: [target],
      }),
  );
  for (const grant of wiring.grants ?? []) addGrant(role, grant);
  return { rules, ...(requestBus && { requestBus }) };
}

function addGrant(role: iam.Role, grant: GrantSpec): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ sid: grant.sid, actions: [...grant.actions], resources: [...grant.resources] }),
  );
  const policy = role.node.findChild('DefaultPolicy');
  // On the CloudFormation resource itself, so nothing else created beside it is covered.
  for (const { resource, reason } of grant.wildcards ?? []) {
    Validations.of(policy.node.defaultChild ?? policy).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagResource(role, resource)}]`,
      reason,
    });
  }
}
