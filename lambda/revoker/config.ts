import { z } from 'zod';
import { ConfigurationError } from '../core/errors.ts';
import { identityMappingSchema } from '../core/identity-mapping.ts';
import { AUTH0_LOST_ACCESS_EVENT_TYPES } from '../sources/auth0.ts';
import { COGNITO_LOST_ACCESS_EVENT_TYPES } from '../sources/cognito.ts';
import { IDENTITY_CENTER_EVENT_TYPES, type IdentityCenterEventType } from '../sources/identity-center.ts';
import type { SourcesConfig } from '../sources/index.ts';
import { OKTA_DEFAULT_EVENT_TYPES, OKTA_LOST_ACCESS_EVENT_TYPES } from '../sources/okta.ts';

/** Names of the environment variables the construct sets; the single source of truth for both sides. */
export const ENV = {
  regions: 'CLIENT_VPN_REGIONS',
  endpointIds: 'CLIENT_VPN_ENDPOINT_IDS',
  endpointTag: 'CLIENT_VPN_ENDPOINT_TAG',
  outcomeEventBus: 'OUTCOME_EVENT_BUS',
  outcomeSource: 'OUTCOME_EVENT_SOURCE',
  dryRun: 'DRY_RUN',
  terminateRetryBudgetMs: 'TERMINATE_RETRY_BUDGET_MS',
  maxReceiveCount: 'MAX_RECEIVE_COUNT',
  oktaEventSources: 'OKTA_EVENT_SOURCES',
  oktaEventTypes: 'OKTA_EVENT_TYPES',
  runbookSource: 'RUNBOOK_EVENT_SOURCE',
  identityStoreRegion: 'IDENTITY_STORE_REGION',
  oktaIdentityMapping: 'OKTA_IDENTITY_MAPPING',
  auth0EventSources: 'AUTH0_EVENT_SOURCES',
  auth0EventTypes: 'AUTH0_EVENT_TYPES',
  auth0IdentityMapping: 'AUTH0_IDENTITY_MAPPING',
  oneloginEventSources: 'ONELOGIN_EVENT_SOURCES',
  oneloginIdentityMapping: 'ONELOGIN_IDENTITY_MAPPING',
  identityCenterEventTypes: 'IDENTITY_CENTER_EVENT_TYPES',
  identityCenterStoreIds: 'IDENTITY_CENTER_STORE_IDS',
  identityCenterIdentityMapping: 'IDENTITY_CENTER_IDENTITY_MAPPING',
  cognitoUserPoolIds: 'COGNITO_USER_POOL_IDS',
  cognitoEventTypes: 'COGNITO_EVENT_TYPES',
  cognitoIdentityMapping: 'COGNITO_IDENTITY_MAPPING',
  runbookIdentityMapping: 'RUNBOOK_IDENTITY_MAPPING',
} as const;

export const DEFAULT_OUTCOME_SOURCE = 'client-vpn-revoker';
export const DEFAULT_TERMINATE_RETRY_BUDGET_MS = 30_000;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ENDPOINT_ID = /^cvpn-endpoint-[0-9a-f]{8,17}$/;

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** A comma-separated list whose items each pass `item`; unset or empty is an empty list. */
const listOf = <Item extends z.ZodType<unknown, string>>(item: Item) =>
  z.string().optional().transform(list).pipe(z.array(item));

/** A comma-separated list of at least one item; unset means `defaults`. */
const listOrDefault = <Item extends z.ZodType<unknown, string>>(item: Item, defaults: readonly string[]) =>
  z
    .string()
    .optional()
    .transform((value) => (value ? list(value) : [...defaults]))
    .pipe(z.array(item).min(1));

const regionSchema = z.string().regex(REGION, 'expected an AWS region such as us-east-1');

/** `region:cvpn-endpoint-…` pairs: endpoint ids are only unique within a region. */
const endpointRefSchema = z.string().transform((ref, ctx) => {
  const [region = '', endpointId = '', ...rest] = ref.split(':');
  if (!REGION.test(region) || !ENDPOINT_ID.test(endpointId) || rest.length > 0) {
    ctx.addIssue({ code: 'custom', message: `expected region:cvpn-endpoint-<hex>, got "${ref}"` });
    return z.NEVER;
  }
  return { region, endpointId };
});

/** `key=value` selects endpoints carrying that tag; `key` alone accepts any value. */
const endpointTagSchema = z.string().transform((tag, ctx) => {
  const separator = tag.indexOf('=');
  const parsed =
    separator < 0 ? { key: tag } : { key: tag.slice(0, separator), value: tag.slice(separator + 1) };
  if (parsed.key === '') {
    ctx.addIssue({ code: 'custom', message: `expected key=value or key with a non-empty key, got "${tag}"` });
    return z.NEVER;
  }
  return parsed;
});

/** JSON `{ "field"?, "lowercase"?, "template"? }`: see lambda/core/identity-mapping.ts. */
const identityMappingEnvSchema = z
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

const booleanSchema = z
  .enum(['true', 'false'], { error: 'expected "true" or "false"' })
  .transform((v) => v === 'true');

const envSchema = z
  .object({
    [ENV.regions]: z
      .string()
      .transform(list)
      .pipe(z.array(regionSchema).min(1, 'expected at least one region')),
    [ENV.endpointIds]: listOf(endpointRefSchema),
    [ENV.endpointTag]: z.string().min(1).optional().pipe(endpointTagSchema.optional()),
    [ENV.outcomeEventBus]: z.string().min(1, 'expected an event bus name or ARN'),
    [ENV.outcomeSource]: z.string().min(1).default(DEFAULT_OUTCOME_SOURCE),
    [ENV.dryRun]: booleanSchema.default(false),
    [ENV.terminateRetryBudgetMs]: z
      .string()
      .regex(/^\d+$/, 'expected a whole number of milliseconds')
      .transform(Number)
      .pipe(z.number().max(600_000, 'expected at most 600000 (10 minutes)'))
      .default(DEFAULT_TERMINATE_RETRY_BUDGET_MS),
    [ENV.maxReceiveCount]: z
      .string()
      .regex(/^[1-9]\d*$/, 'expected a positive whole number')
      .transform(Number)
      .default(5),
    [ENV.oktaEventSources]: listOf(
      z.string().startsWith('aws.partner/okta.com/', 'expected aws.partner/okta.com/<org>/<name>'),
    ),
    [ENV.oktaEventTypes]: listOrDefault(z.enum(OKTA_LOST_ACCESS_EVENT_TYPES), OKTA_DEFAULT_EVENT_TYPES),
    // Unset disables the runbook path: the handler then rejects runbook requests even if one reaches the queue.
    [ENV.runbookSource]: z.string().min(1).optional(),
    [ENV.oktaIdentityMapping]: identityMappingEnvSchema,
    [ENV.runbookIdentityMapping]: identityMappingEnvSchema,
    [ENV.auth0EventSources]: listOf(
      z.string().startsWith('aws.partner/auth0.com/', 'expected aws.partner/auth0.com/<tenant>/<name>'),
    ),
    [ENV.auth0EventTypes]: listOrDefault(
      z.enum(AUTH0_LOST_ACCESS_EVENT_TYPES),
      AUTH0_LOST_ACCESS_EVENT_TYPES,
    ),
    [ENV.auth0IdentityMapping]: identityMappingEnvSchema,
    [ENV.oneloginEventSources]: listOf(
      z
        .string()
        .startsWith('aws.partner/onelogin.com/', 'expected aws.partner/onelogin.com/<region>-<account>/<id>'),
    ),
    [ENV.oneloginIdentityMapping]: identityMappingEnvSchema,
    // Identity Center is enabled by listing its event types.
    [ENV.identityCenterEventTypes]: listOf(
      z.enum(IDENTITY_CENTER_EVENT_TYPES as [IdentityCenterEventType, ...IdentityCenterEventType[]]),
    ),
    [ENV.identityCenterStoreIds]: listOf(
      z.string().regex(/^d-[0-9a-f]{10}$|^[-a-zA-Z0-9]{1,64}$/, 'expected an identity store id (d-…)'),
    ),
    [ENV.identityCenterIdentityMapping]: identityMappingEnvSchema,
    // Cognito is enabled by listing its user pools.
    [ENV.cognitoUserPoolIds]: listOf(
      z.string().regex(/^[\w-]+_[0-9a-zA-Z]+$/, 'expected a user pool id (<region>_<id>)'),
    ),
    [ENV.cognitoEventTypes]: listOrDefault(
      z.enum(COGNITO_LOST_ACCESS_EVENT_TYPES),
      COGNITO_LOST_ACCESS_EVENT_TYPES,
    ),
    [ENV.cognitoIdentityMapping]: identityMappingEnvSchema,
    // IAM Identity Center lives in one home region, not necessarily the function's.
    [ENV.identityStoreRegion]: regionSchema.optional(),
    AWS_REGION: regionSchema.optional(),
  })
  .refine((env) => !(env[ENV.endpointIds].length > 0 && env[ENV.endpointTag]), {
    message: `set ${ENV.endpointIds} or ${ENV.endpointTag}, not both`,
    path: [ENV.endpointTag],
  });

export type EndpointSelection =
  | { readonly kind: 'ids'; readonly endpoints: readonly { region: string; endpointId: string }[] }
  | { readonly kind: 'tag'; readonly key: string; readonly value?: string }
  | { readonly kind: 'all' };

export interface RevokerConfig {
  readonly regions: readonly string[];
  readonly endpoints: EndpointSelection;
  readonly outcomeEventBus: string;
  readonly outcomeSource: string;
  readonly dryRun: boolean;
  readonly terminateRetryBudgetMs: number;
  readonly maxReceiveCount: number;
  readonly sources: SourcesConfig;
  /** Region of the Identity Store that id-only events are looked up in. */
  readonly identityStoreRegion: string;
}

/** Reads and validates the environment once, at cold start; the error names every bad variable. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): RevokerConfig {
  const result = envSchema.safeParse(environment);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigurationError(`Invalid configuration — ${problems.join('; ')}`);
  }
  const env = result.data;
  const endpointIds = env[ENV.endpointIds];
  const tag = env[ENV.endpointTag];
  const regions = env[ENV.regions];
  for (const { region, endpointId } of endpointIds) {
    if (!regions.includes(region)) {
      throw new ConfigurationError(
        `${ENV.endpointIds}: ${endpointId} is in ${region}, not one of ${ENV.regions}`,
      );
    }
  }
  const oktaSources = env[ENV.oktaEventSources];
  const runbookSource = env[ENV.runbookSource];
  const identityCenterTypes = env[ENV.identityCenterEventTypes];
  const userPoolIds = env[ENV.cognitoUserPoolIds];
  return {
    regions,
    endpoints:
      endpointIds.length > 0
        ? { kind: 'ids', endpoints: endpointIds }
        : tag
          ? { kind: 'tag', ...tag }
          : { kind: 'all' },
    outcomeEventBus: env[ENV.outcomeEventBus],
    outcomeSource: env[ENV.outcomeSource],
    dryRun: env[ENV.dryRun],
    terminateRetryBudgetMs: env[ENV.terminateRetryBudgetMs],
    maxReceiveCount: env[ENV.maxReceiveCount],
    identityStoreRegion: env[ENV.identityStoreRegion] ?? env.AWS_REGION ?? regions[0] ?? 'us-east-1',
    sources: {
      ...(oktaSources.length > 0 && {
        okta: {
          eventSourceNames: oktaSources,
          eventTypes: env[ENV.oktaEventTypes],
          ...withMapping(env[ENV.oktaIdentityMapping]),
        },
      }),
      ...(env[ENV.auth0EventSources].length > 0 && {
        auth0: {
          eventSourceNames: env[ENV.auth0EventSources],
          eventTypes: env[ENV.auth0EventTypes],
          ...withMapping(env[ENV.auth0IdentityMapping]),
        },
      }),
      ...(env[ENV.oneloginEventSources].length > 0 && {
        onelogin: {
          eventSourceNames: env[ENV.oneloginEventSources],
          ...withMapping(env[ENV.oneloginIdentityMapping]),
        },
      }),
      ...(identityCenterTypes.length > 0 && {
        identityCenter: {
          eventTypes: identityCenterTypes,
          identityStoreIds: env[ENV.identityCenterStoreIds],
          ...withMapping(env[ENV.identityCenterIdentityMapping]),
        },
      }),
      ...(userPoolIds.length > 0 && {
        cognito: {
          userPoolIds,
          eventTypes: env[ENV.cognitoEventTypes],
          ...withMapping(env[ENV.cognitoIdentityMapping]),
        },
      }),
      ...(runbookSource && {
        runbook: { source: runbookSource, ...withMapping(env[ENV.runbookIdentityMapping]) },
      }),
    },
  };
}

const withMapping = (mapping: z.infer<typeof identityMappingSchema> | undefined) =>
  mapping ? { identityMapping: mapping } : {};
