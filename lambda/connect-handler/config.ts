import * as z from 'zod';
import { ENV, listOf, parseEnvironment } from '../core/environment.ts';
import { activeDirectoryDomainSchema, identitySchema } from '../core/identity.ts';
import { DEFAULT_DENIED_MESSAGE, MAX_DENIED_MESSAGE_LENGTH } from './decide.ts';

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[a-zA-Z0-9_.-]{3,255}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;

/** An optional setting: unset or empty means absent. */
const optional = <Item extends z.ZodType<unknown, string>>(item: Item) =>
  z
    .string()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .pipe(item.optional());

const envSchema = z.object({
  [ENV.ledgerTableName]: z
    .string({ error: 'expected the revocation ledger table name' })
    .refine(
      (value) => TABLE_NAME.test(value) || TABLE_ARN.test(value),
      'expected a DynamoDB table name or ARN',
    ),
  [ENV.protectedIdentities]: listOf(identitySchema),
  [ENV.activeDirectoryDomains]: listOf(activeDirectoryDomainSchema),
  [ENV.onLedgerUnavailable]: z
    .enum(['deny', 'allow'], { error: 'expected "deny" or "allow"' })
    .default('deny'),
  [ENV.deniedMessage]: optional(
    z
      .string()
      .max(
        MAX_DENIED_MESSAGE_LENGTH,
        `expected at most ${MAX_DENIED_MESSAGE_LENGTH} characters (Client VPN's limit)`,
      ),
  ),
  [ENV.logHashKeySecretArn]: optional(z.string().regex(SECRET_ARN, 'expected a Secrets Manager secret ARN')),
});

export interface ConnectHandlerConfig {
  readonly ledgerTableName: string;
  /** Break-glass identities: always allowed, never looked up. */
  readonly protectedIdentities: readonly string[];
  /** Active Directory domains stripped from names (`CORP\jdoe`, `jdoe@corp.example.com` are `jdoe`). */
  readonly activeDirectoryDomains: readonly string[];
  /** Fail closed (`deny`, the default) or open when the ledger cannot be read in time. */
  readonly onLedgerUnavailable: 'deny' | 'allow';
  readonly deniedMessage: string;
  /** Secret holding the key that hashes identities in logs; unset logs them as they are. */
  readonly logHashKeySecretArn?: string;
}

/** Reads and validates the environment once, at cold start; the error names every bad variable. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): ConnectHandlerConfig {
  const env = parseEnvironment(envSchema, environment);
  const logHashKeySecretArn = env[ENV.logHashKeySecretArn];
  return {
    ledgerTableName: env[ENV.ledgerTableName],
    protectedIdentities: env[ENV.protectedIdentities],
    activeDirectoryDomains: env[ENV.activeDirectoryDomains],
    onLedgerUnavailable: env[ENV.onLedgerUnavailable],
    deniedMessage: env[ENV.deniedMessage] ?? DEFAULT_DENIED_MESSAGE,
    ...(logHashKeySecretArn && { logHashKeySecretArn }),
  };
}
