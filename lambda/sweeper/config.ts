import { z } from 'zod';
import {
  booleanSchema,
  DEFAULT_DESCRIBE_CALLS_PER_SECOND,
  DEFAULT_OUTCOME_SOURCE,
  DEFAULT_TERMINATE_CALLS_PER_SECOND,
  DEFAULT_TERMINATE_RETRY_BUDGET_MS,
  ENV,
  type EndpointSelection,
  endpointRefSchema,
  endpointSelection,
  endpointTagSchema,
  list,
  listOf,
  parseEnvironment,
  regionSchema,
} from '../core/environment.ts';
import { ConfigurationError } from '../core/errors.ts';
import { identitySchema } from '../core/identity.ts';

/**
 * Client VPN's shortest session timeout is 8 hours (`SessionTimeoutHours` 8|10|12|24): a maximum age of
 * 8 hours or more would never end a session the endpoint had not already ended.
 */
export const MAX_SESSION_AGE_MINUTES_LIMIT = 8 * 60;

const callsPerSecond = (fallback: number) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'expected a positive number of calls per second')
    .transform(Number)
    .pipe(z.number().positive('expected a positive number of calls per second'))
    .default(fallback);

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
    // Unset: no ledger, so only the maximum session age is enforced.
    [ENV.ledgerTableName]: z.string().min(1, 'expected a DynamoDB table name or ARN').optional(),
    [ENV.maxSessionAgeMinutes]: z
      .string()
      .regex(/^[1-9]\d*$/, 'expected a positive whole number of minutes')
      .transform(Number)
      .pipe(
        z
          .number()
          .lt(
            MAX_SESSION_AGE_MINUTES_LIMIT,
            `expected fewer than ${MAX_SESSION_AGE_MINUTES_LIMIT} minutes: Client VPN's shortest session ` +
              'timeout is 8 hours, so a longer maximum would never end a session',
          ),
      )
      .optional(),
    [ENV.protectedIdentities]: listOf(identitySchema),
    [ENV.terminateCallsPerSecond]: callsPerSecond(DEFAULT_TERMINATE_CALLS_PER_SECOND),
    [ENV.describeCallsPerSecond]: callsPerSecond(DEFAULT_DESCRIBE_CALLS_PER_SECOND),
  })
  .refine((env) => !(env[ENV.endpointIds].length > 0 && env[ENV.endpointTag]), {
    message: `set ${ENV.endpointIds} or ${ENV.endpointTag}, not both`,
    path: [ENV.endpointTag],
  })
  .refine((env) => env[ENV.ledgerTableName] !== undefined || env[ENV.maxSessionAgeMinutes] !== undefined, {
    message: `set ${ENV.ledgerTableName}, ${ENV.maxSessionAgeMinutes} or both: without either there is nothing to sweep`,
    path: [ENV.maxSessionAgeMinutes],
  });

export interface SweeperConfig {
  readonly regions: readonly string[];
  readonly endpoints: EndpointSelection;
  readonly outcomeEventBus: string;
  readonly outcomeSource: string;
  readonly dryRun: boolean;
  readonly terminateRetryBudgetMs: number;
  /** The revocation ledger's table; absent: only the maximum session age is enforced. */
  readonly ledgerTableName?: string;
  /** Sessions established longer ago than this are ended; absent: no maximum. */
  readonly maxSessionAgeMs?: number;
  readonly protectedIdentities: readonly string[];
  /** Per region, for this function's client-side pacing of EC2 calls. */
  readonly terminateCallsPerSecond: number;
  readonly describeCallsPerSecond: number;
}

/** Reads and validates the environment once, at cold start; the error names every bad variable. */
export function loadSweeperConfig(environment: NodeJS.ProcessEnv = process.env): SweeperConfig {
  const env = parseEnvironment(envSchema, environment);
  const endpointIds = env[ENV.endpointIds];
  const regions = env[ENV.regions];
  for (const { region, endpointId } of endpointIds) {
    if (!regions.includes(region)) {
      throw new ConfigurationError(
        `${ENV.endpointIds}: ${endpointId} is in ${region}, not one of ${ENV.regions}`,
      );
    }
  }
  const ledgerTableName = env[ENV.ledgerTableName];
  const maxSessionAgeMinutes = env[ENV.maxSessionAgeMinutes];
  return {
    regions,
    endpoints: endpointSelection(endpointIds, env[ENV.endpointTag]),
    outcomeEventBus: env[ENV.outcomeEventBus],
    outcomeSource: env[ENV.outcomeSource],
    dryRun: env[ENV.dryRun],
    terminateRetryBudgetMs: env[ENV.terminateRetryBudgetMs],
    ...(ledgerTableName !== undefined && { ledgerTableName }),
    ...(maxSessionAgeMinutes !== undefined && { maxSessionAgeMs: maxSessionAgeMinutes * 60_000 }),
    protectedIdentities: env[ENV.protectedIdentities],
    terminateCallsPerSecond: env[ENV.terminateCallsPerSecond],
    describeCallsPerSecond: env[ENV.describeCallsPerSecond],
  };
}
