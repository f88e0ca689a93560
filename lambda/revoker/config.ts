import * as z from 'zod';
import {
  booleanSchema,
  type ConnectionWorkSettings,
  connectionWorkEnvironment,
  connectionWorkSettings,
  ENV,
  listOf,
  listOrDefault,
  oneEndpointSelection,
  parseEnvironment,
  regionSchema,
} from '../core/environment.ts';
import { DEFAULT_MAX_EVENT_TIME_SKEW_MS, MAX_EVENT_TIME_SKEW_MS } from '../core/event-time.ts';
import { identityMappingSchema } from '../core/identity-mapping.ts';
import {
  identityStoreIdsSchema,
  retentionDaysSchema,
  type UserDirectorySettings,
  userDirectorySettings,
  userPoolIdsSchema,
} from '../core/user-directory-config.ts';
import { AUTH0_LOST_ACCESS_EVENT_TYPES } from '../sources/auth0.ts';
import { COGNITO_LOST_ACCESS_EVENT_TYPES } from '../sources/cognito.ts';
import { IDENTITY_CENTER_EVENT_TYPES, type IdentityCenterEventType } from '../sources/identity-center.ts';
import type { SourcesConfig } from '../sources/index.ts';
import { OKTA_DEFAULT_EVENT_TYPES, OKTA_LOST_ACCESS_EVENT_TYPES } from '../sources/okta.ts';

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

const envSchema = z
  .object({
    ...connectionWorkEnvironment,
    [ENV.maxReceiveCount]: z
      .string()
      .regex(/^[1-9]\d*$/, 'expected a positive whole number')
      .transform(Number)
      .default(5),
    [ENV.maxEventTimeSkewSeconds]: z
      .string()
      .regex(/^\d+$/, 'expected a whole number of seconds')
      .transform(Number)
      .pipe(
        z.number().max(MAX_EVENT_TIME_SKEW_MS / 1000, `expected at most ${MAX_EVENT_TIME_SKEW_MS / 1000}`),
      )
      .default(DEFAULT_MAX_EVENT_TIME_SKEW_MS / 1000),
    [ENV.oktaEventSources]: listOf(
      z.string().startsWith('aws.partner/okta.com/', 'expected aws.partner/okta.com/<org>/<name>'),
    ),
    [ENV.oktaEventTypes]: listOrDefault(z.enum(OKTA_LOST_ACCESS_EVENT_TYPES), OKTA_DEFAULT_EVENT_TYPES),
    // Unset disables the runbook path: the handler then rejects runbook requests even if one reaches the queue.
    [ENV.runbookSource]: z.string().min(1).optional(),
    // Unset refuses runbook lifts: only the principals the runbook bus names may lift (lib/runbook-bus.ts).
    [ENV.runbookLiftsAllowed]: booleanSchema.default(false),
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
    [ENV.identityCenterStoreIds]: identityStoreIdsSchema,
    [ENV.identityCenterIdentityMapping]: identityMappingEnvSchema,
    // Cognito is enabled by listing its user pools.
    [ENV.cognitoUserPoolIds]: userPoolIdsSchema,
    [ENV.cognitoEventTypes]: listOrDefault(
      z.enum(COGNITO_LOST_ACCESS_EVENT_TYPES),
      COGNITO_LOST_ACCESS_EVENT_TYPES,
    ),
    [ENV.cognitoIdentityMapping]: identityMappingEnvSchema,
    [ENV.logHashKeySecretArn]: z
      .string()
      .regex(/^arn:[^:]+:secretsmanager:/, 'expected a Secrets Manager secret ARN')
      .optional(),
    [ENV.ledgerTableName]: z.string().min(3, 'expected a DynamoDB table name or ARN').optional(),
    [ENV.ledgerRetentionDays]: z
      .string()
      .regex(/^[1-9]\d*$/, 'expected a positive whole number of days')
      .transform(Number)
      .default(30),
    [ENV.userDirectoryTableName]: z.string().min(3, 'expected a DynamoDB table name or ARN').optional(),
    [ENV.userDirectoryRetentionDays]: retentionDaysSchema,
    // IAM Identity Center lives in one home region, not necessarily the function's.
    [ENV.identityStoreRegion]: regionSchema.optional(),
    AWS_REGION: regionSchema.optional(),
  })
  .refine(...oneEndpointSelection);

export interface RevokerConfig extends ConnectionWorkSettings {
  readonly maxReceiveCount: number;
  /** How far an event time may run ahead of the queue's receipt of the event. */
  readonly maxEventTimeSkewMs: number;
  readonly sources: SourcesConfig;
  /** Secret holding the key that hashes identities in logs; unset = names are logged. */
  readonly logHashKeySecretArn?: string;
  /** The revocation ledger; unset = no reconnect blocking and no lifts. */
  readonly ledger?: { readonly tableName: string; readonly retentionMs: number };
  /** Region of the Identity Store that id-only events are looked up in. */
  readonly identityStoreRegion: string;
  /** Where users of the id-only sources are recorded while they exist; unset = no fallback for deleted users. */
  readonly userDirectory?: UserDirectorySettings;
}

/** Reads and validates the environment once, at cold start; the error names every bad variable. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): RevokerConfig {
  const env = parseEnvironment(envSchema, environment);
  const settings = connectionWorkSettings(env);
  const oktaSources = env[ENV.oktaEventSources];
  const runbookSource = env[ENV.runbookSource];
  const identityCenterTypes = env[ENV.identityCenterEventTypes];
  const userPoolIds = env[ENV.cognitoUserPoolIds];
  const ledgerTableName = env[ENV.ledgerTableName];
  const directoryTableName = env[ENV.userDirectoryTableName];
  return {
    ...settings,
    maxReceiveCount: env[ENV.maxReceiveCount],
    maxEventTimeSkewMs: env[ENV.maxEventTimeSkewSeconds] * 1000,
    ...(env[ENV.logHashKeySecretArn] && { logHashKeySecretArn: env[ENV.logHashKeySecretArn] }),
    ...(ledgerTableName && {
      ledger: { tableName: ledgerTableName, retentionMs: env[ENV.ledgerRetentionDays] * 86_400_000 },
    }),
    ...(directoryTableName && {
      userDirectory: userDirectorySettings(directoryTableName, env[ENV.userDirectoryRetentionDays]),
    }),
    identityStoreRegion: env[ENV.identityStoreRegion] ?? env.AWS_REGION ?? settings.regions[0] ?? 'us-east-1',
    sources: {
      // Re-enable events lift revocations, which only a ledger records.
      lift: !!ledgerTableName,
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
        runbook: {
          source: runbookSource,
          liftsAllowed: env[ENV.runbookLiftsAllowed],
          ...withMapping(env[ENV.runbookIdentityMapping]),
        },
      }),
    },
  };
}

const withMapping = (mapping: z.infer<typeof identityMappingSchema> | undefined) =>
  mapping ? { identityMapping: mapping } : {};
