import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import * as z from 'zod';
import { ACCOUNT_ID_PATTERN, ROLE_ARN_PATTERN } from '../lambda/core/environment.ts';
import { activeDirectoryDomainSchema, identitySchema } from '../lambda/core/identity.ts';
import {
  boolean,
  eventSource,
  fromString,
  list,
  parseJson,
  region,
  text,
} from '../sources/kit/context-values.ts';
import { sourcesContextRefinements, sourcesContextShape } from '../sources/registry.ts';
import { EndpointWiring, LedgerUnavailableAction } from './parts/connect-handler.ts';
import { ENDPOINT_ID_PATTERN } from './props-validation.ts';

/** Thrown for invalid cdk.json / `-c` context; the message names every bad key and what was expected. */
export class ContextError extends Error {
  override readonly name = 'ContextError';
}

const integer = (min: number, max: number) =>
  z.preprocess(
    fromString((value) => (/^-?\d+$/.test(value) ? Number(value) : value)),
    z
      .number({ error: 'expected an integer' })
      .int('expected an integer')
      .min(min, `expected at least ${min}`)
      .max(max, `expected at most ${max}`),
  );

/** A decimal such as `4` or `1.5`, more than 0 and at most `max`. */
const positiveNumber = (max: number) =>
  z.preprocess(
    fromString((value) => (/^(\d+(\.\d*)?|\.\d+)$/.test(value) ? Number(value) : value)),
    z
      .number({ error: 'expected a number' })
      .positive('expected more than 0')
      .max(max, `expected at most ${max}`),
  );

const LOG_RETENTION_DAYS = Object.values(RetentionDays).filter(
  (days): days is number => typeof days === 'number',
);

const endpointId = z
  .string({ error: 'expected an endpoint id string' })
  .regex(ENDPOINT_ID_PATTERN, 'expected cvpn-endpoint-<8 to 17 hex digits>');

/** `region:cvpn-endpoint-…`, a bare `cvpn-endpoint-…` (the stack's region) or `{ region?, endpointId }`. */
const endpoint = z.preprocess(
  fromString((ref) => {
    const separator = ref.indexOf(':');
    return separator < 0
      ? { endpointId: ref }
      : { region: ref.slice(0, separator), endpointId: ref.slice(separator + 1) };
  }),
  z.strictObject(
    { region: region.optional(), endpointId },
    { error: 'expected region:cvpn-endpoint-<hex>, cvpn-endpoint-<hex> or { "region", "endpointId" }' },
  ),
);

/** `key=value`, `key` (any value) or `{ key, value? }`. */
const endpointTag = z.preprocess(
  fromString((value) =>
    parseJson(value, (tag) => {
      const separator = tag.indexOf('=');
      return separator < 0 ? { key: tag } : { key: tag.slice(0, separator), value: tag.slice(separator + 1) };
    }),
  ),
  z.strictObject(
    {
      key: text.refine((key) => !key.includes('='), 'expected a tag key without "="'),
      value: z.string({ error: 'expected a string' }).optional(),
    },
    { error: 'expected key=value, key or { "key", "value" }' },
  ),
);

const roleArn = z
  .string({ error: 'expected an IAM role ARN string' })
  .regex(ROLE_ARN_PATTERN, 'expected arn:<partition>:iam::<account>:role/<name>');

/** A break-glass identity: as the functions parse it (identitySchema), and no comma (the list separator). */
const protectedIdentity = identitySchema.refine((identity) => !identity.includes(','), 'expected no comma');

/** A complete secret ARN, with the 6-character suffix Secrets Manager appends to the name. */
const SECRET_COMPLETE_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/;

/** Keys that configure the connect handler: meaningless, and so rejected, without the ledger. */
const CONNECT_HANDLER_OPTIONS = [
  'connectHandlerEnabled',
  'connectHandlerEndpointIds',
  'onLedgerUnavailable',
  'deniedMessage',
  'connectHandlerProvisionedConcurrency',
  'connectHandlerEndpointWiring',
] as const;

/** Every context key the app reads, in cdk.json or as `-c key=value`. */
export const contextSchema = z
  .strictObject({
    regions: list(region, 'region').optional(),
    endpoints: list(endpoint, 'endpoint').optional(),
    endpointTag: endpointTag.optional(),
    ...sourcesContextShape,
    outcomeEventBusName: text.optional(),
    outcomeSource: eventSource.optional(),
    dryRun: boolean.optional(),
    maxConcurrency: integer(2, 1000).optional(),
    batchSize: integer(1, 10_000).optional(),
    maxBatchingWindowSeconds: integer(0, 300).optional(),
    maxReceiveCount: integer(1, 1000).optional(),
    timeoutSeconds: integer(30, 900).optional(),
    terminateRetryBudgetSeconds: integer(0, 600).optional(),
    maxEventTimeSkewSeconds: integer(0, 3600).optional(),
    logRetentionDays: integer(1, 3653)
      .refine((days) => LOG_RETENTION_DAYS.includes(days), {
        message: `expected one of ${LOG_RETENTION_DAYS.join(', ')} (CloudWatch Logs retention days)`,
      })
      .optional(),
    memorySize: integer(128, 10_240).optional(),
    protectedIdentities: list(protectedIdentity, 'identity').optional(),
    activeDirectoryDomains: list(activeDirectoryDomainSchema, 'domain').optional(),
    hashIdentitiesInLogs: boolean.optional(),
    logHashKeySecretArn: z
      .string({ error: 'expected a Secrets Manager secret ARN' })
      .regex(
        SECRET_COMPLETE_ARN,
        'expected a complete secret ARN, arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters>',
      )
      .optional(),
    ec2TerminateCallsPerSecond: positiveNumber(5).optional(),
    ec2DescribeCallsPerSecond: positiveNumber(20).optional(),
    ledgerEnabled: boolean.optional(),
    ledgerRetentionDays: integer(1, 3650).optional(),
    connectHandlerEnabled: boolean.optional(),
    connectHandlerEndpointIds: list(endpointId, 'endpoint id').optional(),
    onLedgerUnavailable: z.enum(LedgerUnavailableAction, { error: 'expected deny or allow' }).optional(),
    deniedMessage: text.max(255, "expected at most 255 characters (Client VPN's limit)").optional(),
    connectHandlerProvisionedConcurrency: integer(0, 1000).optional(),
    connectHandlerEndpointWiring: z.enum(EndpointWiring, { error: 'expected enforce or report' }).optional(),
    userDirectoryEnabled: boolean.optional(),
    userDirectorySyncIntervalMinutes: integer(1, 24 * 60).optional(),
    userDirectoryRetentionDays: integer(15, 3650).optional(),
    sessionCleanupEnabled: boolean.optional(),
    sessionCleanupIntervalMinutes: integer(1, 24 * 60).optional(),
    maxSessionAgeMinutes: integer(15, 8 * 60 - 1).optional(),
    alarmTopicArn: z
      .string({ error: 'expected an SNS topic ARN' })
      .regex(
        /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/,
        'expected arn:<partition>:sns:<region>:<account>:<topic>',
      )
      .optional(),
    dashboardEnabled: boolean.optional(),
    tracingEnabled: boolean.optional(),
    memberAccountRoleArns: list(roleArn, 'role ARN').optional(),
    memberAccountIds: list(
      z
        .string({ error: 'expected an account id string' })
        .regex(ACCOUNT_ID_PATTERN, 'expected a 12-digit account id'),
      'account id',
    ).optional(),
    memberAccountRoleName: text.optional(),
    includeOwnAccount: boolean.optional(),
    memberRoleTrustedRoleArns: list(roleArn, 'role ARN').optional(),
  })
  .refine((context) => !(context.memberAccountRoleArns && context.memberAccountIds), {
    message: 'expected memberAccountRoleArns or memberAccountIds, not both',
    path: ['memberAccountIds'],
  })
  .refine(
    (context) =>
      (context.memberAccountRoleName === undefined ||
        !!(context.memberAccountIds ?? context.memberRoleTrustedRoleArns)) &&
      (context.includeOwnAccount === undefined ||
        !!(context.memberAccountIds ?? context.memberAccountRoleArns)),
    {
      message:
        'memberAccountRoleName applies with memberAccountIds or memberRoleTrustedRoleArns, includeOwnAccount ' +
        'with member accounts',
      path: ['memberAccountRoleName'],
    },
  )
  .refine((context) => !(context.endpoints && context.endpointTag), {
    message: 'expected either endpoints or endpointTag, not both',
    path: ['endpointTag'],
  })
  .refine((context) => !(context.logHashKeySecretArn && context.hashIdentitiesInLogs !== true), {
    message: 'logHashKeySecretArn needs hashIdentitiesInLogs=true',
    path: ['logHashKeySecretArn'],
  })
  .refine((context) => !(context.ledgerEnabled === false && context.ledgerRetentionDays !== undefined), {
    message: 'ledgerRetentionDays given but ledgerEnabled is false',
    path: ['ledgerRetentionDays'],
  })
  .refine(
    (context) =>
      !(
        context.ledgerEnabled === false &&
        context.connectHandlerEnabled !== false &&
        CONNECT_HANDLER_OPTIONS.some((key) => context[key] !== undefined)
      ),
    {
      message: 'the connect handler needs the ledger (ledgerEnabled is false)',
      path: ['connectHandlerEnabled'],
    },
  )
  .refine(
    (context) =>
      !(
        context.userDirectoryEnabled === false &&
        (context.userDirectorySyncIntervalMinutes !== undefined ||
          context.userDirectoryRetentionDays !== undefined)
      ),
    {
      message:
        'userDirectorySyncIntervalMinutes/userDirectoryRetentionDays given but userDirectoryEnabled is false',
      path: ['userDirectoryEnabled'],
    },
  )
  .refine(
    (context) =>
      !(
        context.sessionCleanupEnabled === false &&
        (context.sessionCleanupIntervalMinutes !== undefined || context.maxSessionAgeMinutes !== undefined)
      ),
    {
      message: 'sessionCleanupIntervalMinutes/maxSessionAgeMinutes given but sessionCleanupEnabled is false',
      path: ['sessionCleanupEnabled'],
    },
  )
  .superRefine((context, ctx) => {
    for (const { valid, message, key } of sourcesContextRefinements) {
      if (!valid(context)) ctx.addIssue({ code: 'custom', message, path: [key] });
    }
  });

export type RevokerContext = z.output<typeof contextSchema>;

export const CONTEXT_KEYS = Object.keys(contextSchema.shape) as (keyof RevokerContext)[];

/** Validates raw context values (only the keys of `contextSchema`; undefined = not set). */
export function parseContext(raw: Record<string, unknown>): RevokerContext {
  const defined = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined));
  const result = contextSchema.safeParse(defined);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const [key, ...rest] = issue.path.map(String);
      const where = rest.length > 0 ? ` (at ${rest.join('.')})` : '';
      const message =
        issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : issue.message;
      return key ? `context key ${key}${where}: ${message}` : `context: ${message}`;
    });
    throw new ContextError(`Invalid context — ${problems.join('; ')}`);
  }
  return result.data;
}

/** Reads every context key the app knows from the construct tree (cdk.json, `-c`, `App({ context })`). */
export function readContext(scope: Construct): RevokerContext {
  return parseContext(Object.fromEntries(CONTEXT_KEYS.map((key) => [key, scope.node.tryGetContext(key)])));
}
