import type * as z from 'zod';
import type { Auth0SourceProps } from './auth0/source.ts';
import { auth0Source } from './auth0/source.ts';
import type { CognitoSourceProps } from './cognito/source.ts';
import { cognitoSource } from './cognito/source.ts';
import type { IdentityCenterSourceProps } from './identity-center/source.ts';
import { identityCenterSource } from './identity-center/source.ts';
import type { ContextKit, ContextRefinement } from './kit/definition.ts';
import type { OktaSourceProps } from './okta/source.ts';
import { oktaSource } from './okta/source.ts';
import type { OneLoginSourceProps } from './onelogin/source.ts';
import { oneloginSource } from './onelogin/source.ts';
import type { RunbookSourceProps } from './runbook/source.ts';
import { runbookSource } from './runbook/source.ts';

/** The identity sources a ClientVpnRevoker takes, each under its own prop. */
export interface SourcesProps {
  /**
   * Okta as identity source.
   * @default - no Okta rule
   */
  readonly okta?: OktaSourceProps;
  /**
   * The runbook (manual revocation request) source.
   * @default - enabled, source 'client-vpn-revoker.runbook', on a dedicated bus
   */
  readonly runbook?: RunbookSourceProps;
  /**
   * IAM Identity Center (console, Identity Store API and SCIM disables and deletes, via CloudTrail).
   * @default - no Identity Center rule
   */
  readonly identityCenter?: IdentityCenterSourceProps;
  /**
   * Amazon Cognito user pools (AdminDisableUser, AdminDeleteUser, AdminUserGlobalSignOut, via CloudTrail).
   * @default - no Cognito rule
   */
  readonly cognito?: CognitoSourceProps;
  /**
   * Auth0 log streams (user deleted, blocked, deleted through the API, brute-force blocked).
   * @default - no Auth0 rule
   */
  readonly auth0?: Auth0SourceProps;
  /**
   * OneLogin event webhooks for EventBridge (user deleted, suspended, locked).
   * @default - no OneLogin rule
   */
  readonly onelogin?: OneLoginSourceProps;
}

/**
 * Every identity source, under its prop. Adding a source = its folder, a line here and its prop above. The
 * order is the order of the rules (and so of their alarms and dashboard rows).
 */
export const SOURCES = {
  okta: oktaSource,
  runbook: runbookSource,
  identityCenter: identityCenterSource,
  cognito: cognitoSource,
  auth0: auth0Source,
  onelogin: oneloginSource,
} as const satisfies { readonly [Key in keyof Required<SourcesProps>]: unknown };

export type SourceKey = keyof typeof SOURCES;
type Definition<Key extends SourceKey> = (typeof SOURCES)[Key];

// Each definition's props type must be the one its prop declares.
type PropsOf<Key extends SourceKey> = NonNullable<ReturnType<Definition<Key>['context']['toProps']>>;
const propsMatch: { [Key in SourceKey]: PropsOf<Key> extends NonNullable<SourcesProps[Key]> ? true : never } =
  {
    okta: true,
    runbook: true,
    identityCenter: true,
    cognito: true,
    auth0: true,
    onelogin: true,
  };
void propsMatch;

/** The run-time options of each source, as the revoker reads them from its environment. */
export type SourceOptionsOf<Key extends SourceKey> = NonNullable<
  ReturnType<Definition<Key>['environment']['toOptions']>
>;

type UnionToIntersection<Union> = (Union extends unknown ? (value: Union) => void : never) extends (
  value: infer Intersection,
) => void
  ? Intersection
  : never;

export const SOURCE_KEYS = Object.keys(SOURCES) as SourceKey[];
const definitions = Object.values(SOURCES);

/** The context keys of every source. */
export const sourcesContextShape = Object.assign(
  {},
  ...definitions.map((definition) => definition.context.shape),
) as UnionToIntersection<Definition<SourceKey>['context']['shape']>;
export type SourcesContext = z.output<z.ZodObject<typeof sourcesContextShape>>;

/** Every source's checks across its context keys. */
export const sourcesContextRefinements: readonly ContextRefinement<SourcesContext>[] = definitions.flatMap(
  (definition) =>
    ((definition.context as { refinements?: readonly ContextRefinement<SourcesContext>[] }).refinements ??
      []) as ContextRefinement<SourcesContext>[],
);

/** The props the context asks for, source by source. */
export function sourcesFromContext(context: SourcesContext, kit: ContextKit): SourcesProps {
  return Object.fromEntries(
    SOURCE_KEYS.map((key) => [key, (SOURCES[key].context.toProps as Lenient['toProps'])(context, kit)]),
  ) as SourcesProps;
}

/** The revoker environment variables of every source. */
export const sourcesEnvironmentShape = Object.assign(
  {},
  ...definitions.map((definition) => definition.environment.shape),
) as UnionToIntersection<Definition<SourceKey>['environment']['shape']>;
export type SourcesEnvironment = z.output<z.ZodObject<typeof sourcesEnvironmentShape>>;

/** Which sources are enabled, with their options; absent = disabled. */
export type EnabledSourcesOptions = { readonly [Key in SourceKey]?: SourceOptionsOf<Key> };

/** The options of each source the revoker's environment enables. */
export function sourcesFromEnvironment(environment: SourcesEnvironment): EnabledSourcesOptions {
  const enabled: Record<string, unknown> = {};
  for (const key of SOURCE_KEYS) {
    const options = (SOURCES[key].environment.toOptions as Lenient['toOptions'])(environment);
    if (options) enabled[key] = options;
  }
  return enabled as EnabledSourcesOptions;
}

/** A definition seen without its own types, for the loops over all of them. */
interface Lenient {
  toProps(context: unknown, kit: ContextKit): unknown;
  toOptions(environment: unknown): unknown;
}
