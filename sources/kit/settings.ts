import * as z from 'zod';
import { listOf } from '../../lambda/core/environment.ts';
import { ConfigurationError } from '../../lambda/core/errors.ts';
import type { EventPattern } from '../../lambda/core/event-pattern.ts';
import { type IdentityMapping, identityMappingSchema } from '../../lambda/core/identity-mapping.ts';
import type { BusRef, RuleSpec, WiringContext } from './definition.ts';

/** JSON `{ "field"?, "lowercase"?, "template"? }` in a function environment variable (lambda/core/identity-mapping.ts). */
export const identityMappingEnvSchema = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (!value) return undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'expected JSON such as {"template":"{local}","lowercase":true}',
      });
      return z.NEVER;
    }
  })
  .pipe(identityMappingSchema.optional());

/** The `identityMapping` option, when there is one. */
export const withMapping = (mapping: IdentityMapping | undefined) =>
  mapping ? { identityMapping: mapping } : {};

/** The environment variable carrying a validated identity mapping (none when unset). */
export function mappingEnvironment(
  variable: string,
  mapping: IdentityMapping | undefined,
  prop: string,
  error: WiringContext['error'],
): Record<string, string> {
  if (!mapping) return {};
  const parsed = identityMappingSchema.safeParse(mapping);
  if (!parsed.success) throw error(prop, parsed.error.issues.map((issue) => issue.message).join('; '));
  return { [variable]: JSON.stringify(parsed.data) };
}

/** A source's own checks (ConfigurationError) surface as errors about the prop. */
export function checked<T>(prop: string, build: () => T, error: WiringContext['error']): T {
  try {
    return build();
  } catch (cause) {
    if (cause instanceof ConfigurationError) throw error(prop, cause.message);
    throw cause;
  }
}

/** A partner's event source names: `aws.partner/<partner>/<…>/<…>`. */
export const partnerSourcePattern = (partner: string) =>
  new RegExp(`^aws\\.partner/${partner.replace('.', '\\.')}(/[.\\-_A-Za-z0-9]+){2,}$`);

/** A rule's description and pattern (a thunk: a lift pattern is only built when lifts are routed). */
export interface RuleOf<Argument = void> {
  readonly description: string;
  readonly pattern: (argument: Argument) => EventPattern;
}

/** A source's rules: construct id prefix, revoke rule, lift rule (when it reports re-enables). */
export interface SourceRules<Argument> {
  readonly id: string;
  readonly revoke: RuleOf<Argument>;
  readonly lift?: RuleOf<Argument>;
  /** The prop a pattern's own check (ConfigurationError) is reported against, as a props error. */
  readonly checkedAs?: { readonly prop: string; readonly error: WiringContext['error'] };
}

/**
 * A source's revoke rule `<id>Rule<suffix>` and, when lifts are routed and the source reports re-enables,
 * its lift rule `<id>LiftRule<suffix>`, both on `bus`.
 */
export function revokeAndLiftRules<Argument>(
  rules: SourceRules<Argument> & { readonly bus: BusRef },
  argument: Argument,
  routeLifts: boolean,
  suffix = '',
): RuleSpec[] {
  const { id, bus, revoke, lift, checkedAs } = rules;
  const patternOf = (rule: RuleOf<Argument>) =>
    checkedAs
      ? checked(checkedAs.prop, () => rule.pattern(argument), checkedAs.error)
      : rule.pattern(argument);
  const revokeRule = {
    id: `${id}Rule${suffix}`,
    description: revoke.description,
    bus,
    pattern: patternOf(revoke),
  };
  if (!(routeLifts && lift)) return [revokeRule];
  return [
    revokeRule,
    { id: `${id}LiftRule${suffix}`, description: lift.description, bus, pattern: patternOf(lift) },
  ];
}

/**
 * One rule per partner event source, on the partner bus of the same name (`<id>EventBus<suffix>`), matching
 * that exact source: only the partner can put events there (PutPartnerEvents). Plus each one's lift rule.
 */
export function partnerRules(
  rules: SourceRules<string>,
  names: readonly string[],
  routeLifts: boolean,
): RuleSpec[] {
  return names.flatMap((name, index) => {
    const suffix = index === 0 ? '' : String(index + 1);
    const bus = { kind: 'partner', id: `${rules.id}EventBus${suffix}`, name } as const;
    return revokeAndLiftRules({ ...rules, bus }, name, routeLifts, suffix);
  });
}

/** The distinct partner event source names of `prop`, each checked against `pattern` unless a token. */
export function partnerSourceNames(
  prop: string,
  names: readonly string[],
  expected: { readonly pattern: RegExp; readonly form: string },
  { error, isToken }: Pick<WiringContext, 'error' | 'isToken'>,
): string[] {
  const distinct = [...new Set(names)];
  if (distinct.length === 0) throw error(prop, 'expected at least one partner event source name');
  for (const name of distinct) {
    if (!isToken(name) && !expected.pattern.test(name)) {
      throw error(prop, `expected ${expected.form}, got ${JSON.stringify(name)}`);
    }
  }
  return distinct;
}

/** What is wrong with an EventBridge `source` an operator or tool puts (`aws.` is AWS's own), if anything. */
export function eventSourceProblem(source: string): string | undefined {
  if (source.length < 1 || source.length > 256)
    return `expected 1 to 256 characters, got ${JSON.stringify(source)}`;
  if (source.startsWith('aws.')) {
    return `expected a source not starting with "aws." (reserved), got ${JSON.stringify(source)}`;
  }
  return undefined;
}

/**
 * The revoker's environment variable of a partner source's event source names, for the form
 * `aws.partner/<partner>/<…>`: a comma-separated list, each name under that prefix.
 */
export const partnerEventSourcesEnv = (form: string) =>
  listOf(z.string().startsWith(form.slice(0, form.indexOf('<')), `expected ${form}`));

/** A partner source's options read back from the environment: enabled by naming event sources. */
export function partnerOptions<Extra extends object>(
  eventSourceNames: readonly string[],
  identityMapping: IdentityMapping | undefined,
  extra: Extra,
):
  | ({ readonly eventSourceNames: readonly string[]; readonly identityMapping?: IdentityMapping } & Extra)
  | undefined {
  return eventSourceNames.length > 0
    ? { eventSourceNames, ...extra, ...withMapping(identityMapping) }
    : undefined;
}
