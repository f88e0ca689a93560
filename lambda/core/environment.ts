import * as z from 'zod';
import { ConfigurationError } from './errors.ts';
import { activeDirectoryDomainSchema, identitySchema } from './identity.ts';

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
  maxEventTimeSkewSeconds: 'MAX_EVENT_TIME_SKEW_SECONDS',
  // The Identity Store's home region (the Identity Center source and the user directory sync read it).
  identityStoreRegion: 'IDENTITY_STORE_REGION',
  // Reliability and security (every function that acts on connections reads these).
  protectedIdentities: 'PROTECTED_IDENTITIES',
  /** Active Directory domains (NetBIOS and DNS names) whose `DOMAIN\user` and `user@domain` mean `user`. */
  activeDirectoryDomains: 'ACTIVE_DIRECTORY_DOMAINS',
  logHashKeySecretArn: 'LOG_IDENTITY_HASH_KEY_SECRET_ARN',
  terminateCallsPerSecond: 'EC2_TERMINATE_CALLS_PER_SECOND',
  describeCallsPerSecond: 'EC2_DESCRIBE_CALLS_PER_SECOND',
  // Revocation ledger, client connect handler and session sweeper.
  ledgerTableName: 'LEDGER_TABLE_NAME',
  ledgerRetentionDays: 'LEDGER_RETENTION_DAYS',
  onLedgerUnavailable: 'ON_LEDGER_UNAVAILABLE',
  deniedMessage: 'DENIED_CONNECTION_MESSAGE',
  maxSessionAgeMinutes: 'MAX_SESSION_AGE_MINUTES',
  // The sweeper keeps governed endpoints wired to the connect handler (enforce) or reports them (report).
  connectHandlerArn: 'CONNECT_HANDLER_ARN',
  connectHandlerEndpointWiring: 'CONNECT_HANDLER_ENDPOINT_WIRING',
  // User directory: users of the id-only sources, recorded while they exist (lambda/core/user-directory.ts).
  userDirectoryTableName: 'USER_DIRECTORY_TABLE_NAME',
  userDirectoryRetentionDays: 'USER_DIRECTORY_RETENTION_DAYS',
  // Multi-account: member accounts reached through a role each, and whether the function's own is scanned.
  memberAccountRoleArns: 'MEMBER_ACCOUNT_ROLE_ARNS',
  ownAccountId: 'OWN_ACCOUNT_ID',
  scanOwnAccount: 'SCAN_OWN_ACCOUNT',
} as const;

export const DEFAULT_OUTCOME_SOURCE = 'client-vpn-revoker';
export const DEFAULT_TERMINATE_RETRY_BUDGET_MS = 30_000;

export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
/** An IAM role in a member account; the account id is read from it. */
export const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

const ENDPOINT_ID = /^cvpn-endpoint-[0-9a-f]{8,17}$/;

export const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** A comma-separated list whose items each pass `item`; unset or empty is an empty list. */
export const listOf = <Item extends z.ZodType<unknown, string>>(item: Item) =>
  z.string().optional().transform(list).pipe(z.array(item));

/** A comma-separated list of at least one item; unset means `defaults`. */
export const listOrDefault = <Item extends z.ZodType<unknown, string>>(
  item: Item,
  defaults: readonly string[],
) =>
  z
    .string()
    .optional()
    .transform((value) => (value ? list(value) : [...defaults]))
    .pipe(z.array(item).min(1));

export const regionSchema = z.string().regex(REGION_PATTERN, 'expected an AWS region such as us-east-1');

/** `region:cvpn-endpoint-…` pairs: endpoint ids are only unique within a region. */
export const endpointRefSchema = z.string().transform((ref, ctx) => {
  const [region = '', endpointId = '', ...rest] = ref.split(':');
  if (!REGION_PATTERN.test(region) || !ENDPOINT_ID.test(endpointId) || rest.length > 0) {
    ctx.addIssue({ code: 'custom', message: `expected region:cvpn-endpoint-<hex>, got "${ref}"` });
    return z.NEVER;
  }
  return { region, endpointId };
});

/** `key=value` selects endpoints carrying that tag; `key` alone accepts any value. */
export const endpointTagSchema = z.string().transform((tag, ctx) => {
  const separator = tag.indexOf('=');
  const parsed =
    separator < 0 ? { key: tag } : { key: tag.slice(0, separator), value: tag.slice(separator + 1) };
  if (parsed.key === '') {
    ctx.addIssue({ code: 'custom', message: `expected key=value or key with a non-empty key, got "${tag}"` });
    return z.NEVER;
  }
  return parsed;
});

export const accountIdSchema = z.string().regex(ACCOUNT_ID_PATTERN, 'expected a 12-digit account id');

export const roleArnSchema = z
  .string()
  .regex(
    ROLE_ARN_PATTERN,
    'expected an IAM role ARN such as arn:aws:iam::123456789012:role/ClientVpnRevokerMember',
  );

export const booleanSchema = z
  .enum(['true', 'false'], { error: 'expected "true" or "false"' })
  .transform((v) => v === 'true');

export type EndpointSelection =
  | { readonly kind: 'ids'; readonly endpoints: readonly { region: string; endpointId: string }[] }
  | { readonly kind: 'tag'; readonly key: string; readonly value?: string }
  | { readonly kind: 'all' };

/** Which endpoints a function acts on: listed ids, a tag, or every endpoint of the regions. */
export const endpointSelection = (
  endpointIds: readonly { region: string; endpointId: string }[],
  tag: { key: string; value?: string } | undefined,
): EndpointSelection =>
  endpointIds.length > 0
    ? { kind: 'ids', endpoints: endpointIds }
    : tag
      ? { kind: 'tag', ...tag }
      : { kind: 'all' };

/** Validates a function's environment once, at cold start; the error names every bad variable. */
export function parseEnvironment<Schema extends z.ZodType>(
  schema: Schema,
  environment: NodeJS.ProcessEnv,
): z.infer<Schema> {
  const result = schema.safeParse(environment);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigurationError(`Invalid configuration — ${problems.join('; ')}`);
  }
  return result.data;
}

/**
 * Per execution environment, EC2 calls per second per region when nothing else is configured: a revoker
 * environment's share of the stack's default budget (4.75 Terminates/s of the 5/s refill, 15 Describes/s of
 * 20/s; 95 % of it split over the default two concurrent environments, 5 % left to the sweeper).
 */
export const DEFAULT_TERMINATE_CALLS_PER_SECOND = 2.25;
export const DEFAULT_DESCRIBE_CALLS_PER_SECOND = 7.12;

/** EC2 calls per second per region for one execution environment: a positive number such as 2 or 0.5. */
const callsPerSecondSchema = (fallback: number) =>
  z
    .string()
    .regex(/^(\d+(\.\d*)?|\.\d+)$/, 'expected a positive number of calls per second, such as 2 or 0.5')
    .transform(Number)
    .pipe(z.number().positive('expected a positive number of calls per second, such as 2 or 0.5'))
    .default(fallback);

/**
 * The settings of every function that finds and ends connections (the revoker and the sweeper): where, how
 * fast, whom never to touch, and where the outcome goes.
 */
export const connectionWorkEnvironment = {
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
  [ENV.terminateCallsPerSecond]: callsPerSecondSchema(DEFAULT_TERMINATE_CALLS_PER_SECOND),
  [ENV.describeCallsPerSecond]: callsPerSecondSchema(DEFAULT_DESCRIBE_CALLS_PER_SECOND),
  [ENV.protectedIdentities]: listOf(identitySchema),
  [ENV.activeDirectoryDomains]: listOf(activeDirectoryDomainSchema),
  [ENV.memberAccountRoleArns]: listOf(roleArnSchema),
  [ENV.ownAccountId]: accountIdSchema.optional(),
  [ENV.scanOwnAccount]: booleanSchema.default(true),
};

/** Endpoint ids and an endpoint tag are alternatives. */
export const oneEndpointSelection: [
  (env: { [ENV.endpointIds]: readonly unknown[]; [ENV.endpointTag]?: unknown }) => boolean,
  { message: string; path: string[] },
] = [
  (env) => !(env[ENV.endpointIds].length > 0 && env[ENV.endpointTag]),
  { message: `set ${ENV.endpointIds} or ${ENV.endpointTag}, not both`, path: [ENV.endpointTag] },
];

/** Every listed endpoint must be in one of the regions (endpoint ids are only unique within a region). */
export function checkEndpointRegions(
  endpointIds: readonly { region: string; endpointId: string }[],
  regions: readonly string[],
): void {
  for (const { region, endpointId } of endpointIds) {
    if (!regions.includes(region)) {
      throw new ConfigurationError(
        `${ENV.endpointIds}: ${endpointId} is in ${region}, not one of ${ENV.regions}`,
      );
    }
  }
}

/** What `connectionWorkEnvironment` configures, in the shape the engine and the pacer take. */
export interface ConnectionWorkSettings {
  readonly regions: readonly string[];
  readonly endpoints: EndpointSelection;
  readonly outcomeEventBus: string;
  readonly outcomeSource: string;
  readonly dryRun: boolean;
  readonly terminateRetryBudgetMs: number;
  /**
   * EC2 calls per second per region this execution environment may make (its share of the account's
   * budget, below EC2's bucket refill so that other callers keep tokens).
   */
  readonly pacing: { readonly terminatePerSecond: number; readonly describePerSecond: number };
  /** Break-glass identities: never revoked, denied or swept. */
  readonly protectedIdentities: readonly string[];
  /** Active Directory domains stripped from names (`CORP\jdoe`, `jdoe@corp.example.com` are `jdoe`). */
  readonly activeDirectoryDomains: readonly string[];
  /**
   * The accounts searched, when member accounts are configured: the function's own (no role) and each
   * member through its role. Absent: the function's own account only, and outcomes name no account.
   */
  readonly accounts?: readonly AccountAccess[];
}

/** An account the functions search: through `roleArn`, or with the function's own credentials. */
export interface AccountAccess {
  readonly accountId: string;
  readonly roleArn?: string;
}

type ConnectionWorkEnvironment = z.infer<z.ZodObject<typeof connectionWorkEnvironment>>;

/** The shared settings from a parsed environment; every listed endpoint must be in one of the regions. */
export function connectionWorkSettings(env: ConnectionWorkEnvironment): ConnectionWorkSettings {
  const endpointIds = env[ENV.endpointIds];
  const regions = env[ENV.regions];
  checkEndpointRegions(endpointIds, regions);
  const accounts = accountsToSearch(env);
  if (accounts && endpointIds.length > 0) {
    throw new ConfigurationError(
      `${ENV.endpointIds} names endpoints of the function's own account; with ${ENV.memberAccountRoleArns} ` +
        `select endpoints by ${ENV.endpointTag} or search them all`,
    );
  }
  return {
    regions,
    endpoints: endpointSelection(endpointIds, env[ENV.endpointTag]),
    outcomeEventBus: env[ENV.outcomeEventBus],
    outcomeSource: env[ENV.outcomeSource],
    dryRun: env[ENV.dryRun],
    terminateRetryBudgetMs: env[ENV.terminateRetryBudgetMs],
    pacing: {
      terminatePerSecond: env[ENV.terminateCallsPerSecond],
      describePerSecond: env[ENV.describeCallsPerSecond],
    },
    protectedIdentities: env[ENV.protectedIdentities],
    activeDirectoryDomains: env[ENV.activeDirectoryDomains],
    ...(accounts && { accounts }),
  };
}

/** The own account (unless excluded) then each member account; undefined without member accounts. */
function accountsToSearch(env: ConnectionWorkEnvironment): AccountAccess[] | undefined {
  const roleArns = env[ENV.memberAccountRoleArns];
  const ownAccountId = env[ENV.ownAccountId];
  const scanOwn = env[ENV.scanOwnAccount];
  if (roleArns.length === 0) {
    if (!scanOwn) {
      throw new ConfigurationError(
        `${ENV.scanOwnAccount}: false leaves no account to search without ${ENV.memberAccountRoleArns}`,
      );
    }
    return undefined;
  }
  if (scanOwn && !ownAccountId) {
    throw new ConfigurationError(
      `${ENV.ownAccountId}: required with ${ENV.memberAccountRoleArns} unless ${ENV.scanOwnAccount} is false`,
    );
  }
  const { accounts, listedTwice } = accountsOf(scanOwn ? ownAccountId : undefined, roleArns);
  if (listedTwice) {
    throw new ConfigurationError(
      `${ENV.memberAccountRoleArns}: account ${listedTwice} is listed twice (or is the function's own account)`,
    );
  }
  return accounts;
}

/**
 * The own account (when searched) then each member account through its role, the account id read from the
 * role ARN; `listedTwice` names an account that appears twice, which the caller reports.
 */
export function accountsOf(
  ownAccountId: string | undefined,
  roleArns: readonly string[],
): { accounts: AccountAccess[]; listedTwice?: string } {
  const accounts: AccountAccess[] = ownAccountId ? [{ accountId: ownAccountId }] : [];
  for (const roleArn of roleArns) {
    const accountId = ROLE_ARN_PATTERN.exec(roleArn)?.[1];
    if (!accountId) throw new Error(`not a role ARN: ${roleArn}`);
    if (accounts.some((account) => account.accountId === accountId))
      return { accounts, listedTwice: accountId };
    accounts.push({ accountId, roleArn });
  }
  return { accounts };
}
