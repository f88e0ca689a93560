import * as z from 'zod';
import { sourcesEnvironmentShape, sourcesFromEnvironment } from '../../sources/registry.ts';
import type { SourcesConfig } from '../../sources/requests.ts';
import {
  type ConnectionWorkSettings,
  connectionWorkEnvironment,
  connectionWorkSettings,
  ENV,
  oneEndpointSelection,
  parseEnvironment,
  regionSchema,
} from '../core/environment.ts';
import { DEFAULT_MAX_EVENT_TIME_SKEW_MS, MAX_EVENT_TIME_SKEW_MS } from '../core/event-time.ts';
import {
  retentionDaysSchema,
  type UserDirectorySettings,
  userDirectorySettings,
} from '../core/user-directory-config.ts';

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
    ...sourcesEnvironmentShape,
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
      ...sourcesFromEnvironment(env),
    },
  };
}
