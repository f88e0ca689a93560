import * as z from 'zod';
import {
  type ConnectionWorkSettings,
  connectionWorkEnvironment,
  connectionWorkSettings,
  ENV,
  oneEndpointSelection,
  parseEnvironment,
} from '../core/environment.ts';
import { ENDPOINT_WIRING_MODES, type EndpointWiringMode } from '../core/sweep-outcome.ts';
import { LAMBDA_FUNCTION_ARN } from './connect-handler-wiring.ts';

/**
 * Client VPN's shortest session timeout is 8 hours (`SessionTimeoutHours` 8|10|12|24): a maximum age of
 * 8 hours or more would never end a session the endpoint had not already ended.
 */
export const MAX_SESSION_AGE_MINUTES_LIMIT = 8 * 60;

const envSchema = z
  .object({
    ...connectionWorkEnvironment,
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
    // Unset: the stack has no connect handler, so there is nothing to wire.
    [ENV.connectHandlerArn]: z
      .string()
      .regex(
        LAMBDA_FUNCTION_ARN,
        'expected a Lambda function ARN, arn:<partition>:lambda:<region>:<account>:function:<name>[:<alias>]',
      )
      .optional(),
    [ENV.connectHandlerEndpointWiring]: z
      .enum(ENDPOINT_WIRING_MODES, { error: 'expected "enforce" or "report"' })
      .default('enforce'),
  })
  .refine(...oneEndpointSelection)
  .refine((env) => env[ENV.ledgerTableName] !== undefined || env[ENV.maxSessionAgeMinutes] !== undefined, {
    message: `set ${ENV.ledgerTableName}, ${ENV.maxSessionAgeMinutes} or both: without either there is nothing to sweep`,
    path: [ENV.maxSessionAgeMinutes],
  });

export interface SweeperConfig extends ConnectionWorkSettings {
  /** The revocation ledger's table; absent: only the maximum session age is enforced. */
  readonly ledgerTableName?: string;
  /** Sessions established longer ago than this are ended; absent: no maximum. */
  readonly maxSessionAgeMs?: number;
  /** The connect handler governed endpoints must name, and whether the sweeper wires them; absent: none. */
  readonly connectHandler?: { readonly handlerArn: string; readonly wiring: EndpointWiringMode };
}

/** Reads and validates the environment once, at cold start; the error names every bad variable. */
export function loadSweeperConfig(environment: NodeJS.ProcessEnv = process.env): SweeperConfig {
  const env = parseEnvironment(envSchema, environment);
  const ledgerTableName = env[ENV.ledgerTableName];
  const maxSessionAgeMinutes = env[ENV.maxSessionAgeMinutes];
  const handlerArn = env[ENV.connectHandlerArn];
  return {
    ...connectionWorkSettings(env),
    ...(ledgerTableName !== undefined && { ledgerTableName }),
    ...(maxSessionAgeMinutes !== undefined && { maxSessionAgeMs: maxSessionAgeMinutes * 60_000 }),
    ...(handlerArn !== undefined && {
      connectHandler: { handlerArn, wiring: env[ENV.connectHandlerEndpointWiring] },
    }),
  };
}
