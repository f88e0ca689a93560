import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import type * as z from 'zod';
import {
  accountsOf,
  type EndpointSelection,
  endpointRefSchema,
  endpointSelection,
  endpointTagSchema,
  regionSchema,
  roleArnSchema,
} from '../lambda/core/environment.ts';
import { activeDirectoryDomainSchema, identitySchema } from '../lambda/core/identity.ts';
import {
  DEFAULT_RUNBOOK_EVENT_BUS,
  DEFAULT_RUNBOOK_SOURCE,
  runbookDetailSchema,
} from '../sources/runbook/events.ts';
import { UsageError } from './exit-codes.ts';

/**
 * The command line, parsed and validated in full before anything else happens: every mistake is a
 * `UsageError` naming the option and what it expects, so bad input never reaches AWS.
 */

export const COMMANDS = ['revoke', 'sessions', 'request', 'lift'] as const;
export type CommandName = (typeof COMMANDS)[number];

// The runbook bus of the stack deployed from this repository as is; `--event-bus` names any other.
export const DEFAULT_EVENT_BUS = DEFAULT_RUNBOOK_EVENT_BUS;
export { DEFAULT_RUNBOOK_SOURCE };
export const DEFAULT_REVOKE_REASON = 'Ended with the client-vpn-revoker CLI';
export const DEFAULT_RETRY_SECONDS = 30;
const MAX_RETRY_SECONDS = 600;

/** Where to look: explicit regions (empty = the default region), which endpoints there, in which accounts. */
export interface Scope {
  readonly regions: readonly string[];
  readonly endpoints: EndpointSelection;
  /** Member accounts searched through these roles, in the same regions and endpoints (none = own only). */
  readonly memberRoleArns: readonly string[];
  /** Whether the account of the operator's credentials is searched too (it always is without roles). */
  readonly searchOwnAccount: boolean;
  /** Active Directory domains whose `DOMAIN\\user` and `user@domain` match `user`, as in the deployed stack. */
  readonly activeDirectoryDomains: readonly string[];
}

export type Command =
  | { readonly name: 'help'; readonly topic?: CommandName }
  | {
      readonly name: 'revoke';
      readonly identity: string;
      readonly reason: string;
      readonly dryRun: boolean;
      readonly scope: Scope;
      readonly retryBudgetMs: number;
      readonly json: boolean;
    }
  | {
      readonly name: 'sessions';
      readonly identity?: string;
      readonly scope: Scope;
      readonly json: boolean;
    }
  | {
      readonly name: 'request' | 'lift';
      readonly identity: string;
      readonly reason: string;
      readonly dryRun: boolean;
      readonly eventBus: string;
      readonly source: string;
      /** The region of the bus; unset = the default region. */
      readonly region?: string;
      readonly json: boolean;
    };

const COMMON = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsOptionsConfig;

const SCOPE = {
  region: { type: 'string', multiple: true },
  endpoint: { type: 'string', multiple: true },
  tag: { type: 'string', multiple: true },
  'role-arn': { type: 'string', multiple: true },
  'skip-own-account': { type: 'boolean' },
  'ad-domain': { type: 'string', multiple: true },
} as const satisfies ParseArgsOptionsConfig;

const OPTIONS = {
  revoke: {
    ...COMMON,
    ...SCOPE,
    'dry-run': { type: 'boolean' },
    reason: { type: 'string', multiple: true },
    'retry-for': { type: 'string', multiple: true },
  },
  sessions: { ...COMMON, ...SCOPE },
  request: {
    ...COMMON,
    'dry-run': { type: 'boolean' },
    reason: { type: 'string', multiple: true },
    'event-bus': { type: 'string', multiple: true },
    source: { type: 'string', multiple: true },
    region: { type: 'string', multiple: true },
  },
} as const satisfies Record<string, ParseArgsOptionsConfig>;

const isCommand = (word: string | undefined): word is CommandName =>
  (COMMANDS as readonly string[]).includes(word ?? '');

/** `argv` without the node and script paths. */
export function parseCommandLine(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('expected a command: revoke, sessions, request or lift');
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = rest[0];
    if (topic !== undefined && !isCommand(topic)) throw new UsageError(`help: unknown command '${topic}'`);
    return { name: 'help', ...(topic && { topic }) };
  }
  if (!isCommand(first)) {
    throw new UsageError(
      first.startsWith('-')
        ? `expected a command before the options, got '${first}'`
        : `unknown command '${first}'; expected revoke, sessions, request or lift`,
    );
  }
  // Help wins over everything else on the line, so `revoke --bogus --help` still explains itself.
  if (rest.some((arg) => arg === '--help' || arg === '-h')) return { name: 'help', topic: first };
  switch (first) {
    case 'revoke':
      return parseRevoke(rest);
    case 'sessions':
      return parseSessions(rest);
    default:
      return parseRequest(first, rest);
  }
}

function parse<Options extends ParseArgsOptionsConfig>(
  command: CommandName,
  args: string[],
  options: Options,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(`${command}: ${parseArgsMessage(error)}`, { cause: error });
  }
}

/** Node's parseArgs messages, without the advice about `--` that rarely applies here. */
function parseArgsMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(message)?.[1] ?? message;
    return `unknown option '${option}'`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return message.replace(/^Option '([^']+)'/, "option '$1'").replace(/\.$/, '');
  }
  return message;
}

function parseRevoke(args: string[]): Command {
  const { values, positionals } = parse('revoke', args, OPTIONS.revoke);
  const identity = oneIdentity('revoke', positionals);
  const reason = once('revoke', '--reason', values.reason) ?? DEFAULT_REVOKE_REASON;
  validateDetail('revoke', identity, reason);
  return {
    name: 'revoke',
    identity,
    reason,
    dryRun: values['dry-run'] ?? false,
    scope: parseScope('revoke', values),
    retryBudgetMs: parseRetrySeconds(once('revoke', '--retry-for', values['retry-for'])) * 1000,
    json: values.json ?? false,
  };
}

function parseSessions(args: string[]): Command {
  const { values, positionals } = parse('sessions', args, OPTIONS.sessions);
  if (positionals.length > 1) {
    throw new UsageError(
      `sessions: expected at most one identity, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  const identity = positionals[0];
  if (identity !== undefined) check('sessions', '<identity>', identitySchema, identity);
  return {
    name: 'sessions',
    ...(identity !== undefined && { identity }),
    scope: parseScope('sessions', values),
    json: values.json ?? false,
  };
}

function parseRequest(command: 'request' | 'lift', args: string[]): Command {
  const { values, positionals } = parse(command, args, OPTIONS.request);
  const identity = oneIdentity(command, positionals);
  const reason = once(command, '--reason', values.reason);
  if (reason === undefined) {
    throw new UsageError(
      `${command}: --reason is required (why, e.g. a ticket: --reason "IR-2041: laptop stolen")`,
    );
  }
  validateDetail(command, identity, reason);
  const eventBus = once(command, '--event-bus', values['event-bus']) ?? DEFAULT_EVENT_BUS;
  if (!EVENT_BUS.test(eventBus)) {
    throw new UsageError(`${command}: --event-bus expects an event bus name or ARN, got '${eventBus}'`);
  }
  const source = once(command, '--source', values.source) ?? DEFAULT_RUNBOOK_SOURCE;
  if (source.length === 0 || source.length > 256 || source.startsWith('aws.')) {
    throw new UsageError(
      `${command}: --source expects the runbook source the stack trusts (1–256 characters, not starting ` +
        `with "aws."), got '${source}'`,
    );
  }
  const region = once(command, '--region', values.region);
  if (region !== undefined) check(command, '--region', regionSchema, region);
  return {
    name: command,
    identity,
    reason,
    dryRun: values['dry-run'] ?? false,
    eventBus,
    source,
    ...(region !== undefined && { region }),
    json: values.json ?? false,
  };
}

/** EventBridge's EventBusName: a name, or the bus ARN. */
const EVENT_BUS =
  /^(arn:aws[\w-]*:events:[a-z]{2}-[a-z]+-[\w-]+:\d{12}:event-bus\/)?[/.\-_A-Za-z0-9]{1,256}$/;

function oneIdentity(command: CommandName, positionals: readonly string[]): string {
  if (positionals.length === 0) {
    throw new UsageError(
      `${command}: expected the identity (username, SAML NameID or certificate common name) as an argument`,
    );
  }
  if (positionals.length > 1) {
    throw new UsageError(
      `${command}: expected one identity, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  return positionals[0] as string;
}

/** An option given at most once (parseArgs would silently keep the last of several). */
function once(
  command: CommandName,
  option: string,
  values: readonly string[] | undefined,
): string | undefined {
  if (values && values.length > 1) throw new UsageError(`${command}: ${option} may be given once`);
  return values?.[0];
}

/** The same detail checks the revoker applies to a runbook event, so what is put is what it accepts. */
function validateDetail(command: CommandName, identity: string, reason: string): void {
  const result = runbookDetailSchema.safeParse({ username: identity, reason });
  if (result.success) return;
  const issue = result.error.issues[0];
  const option = issue?.path[0] === 'username' ? '<identity>' : '--reason';
  throw new UsageError(`${command}: ${option}: ${issue?.message ?? 'invalid'}`);
}

function check<Schema extends z.ZodType>(
  command: CommandName,
  option: string,
  schema: Schema,
  value: string,
) {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new UsageError(
      `${command}: ${option}: ${result.error.issues[0]?.message ?? 'invalid'}, got '${value}'`,
    );
  }
  return result.data as z.infer<Schema>;
}

function parseScope(
  command: CommandName,
  values: {
    region?: string[];
    endpoint?: string[];
    tag?: string[];
    'role-arn'?: string[];
    'skip-own-account'?: boolean;
    'ad-domain'?: string[];
  },
): Scope {
  const regions = [
    ...new Set((values.region ?? []).map((region) => check(command, '--region', regionSchema, region))),
  ];
  const endpoints = (values.endpoint ?? []).map((ref) => {
    const result = endpointRefSchema.safeParse(ref);
    if (!result.success) {
      throw new UsageError(`${command}: --endpoint: ${result.error.issues[0]?.message ?? 'invalid'}`);
    }
    return result.data;
  });
  const tagText = once(command, '--tag', values.tag);
  let tag: { key: string; value?: string } | undefined;
  if (tagText !== undefined) {
    const result = endpointTagSchema.safeParse(tagText);
    if (!result.success)
      throw new UsageError(`${command}: --tag: ${result.error.issues[0]?.message ?? 'invalid'}`);
    tag = result.data;
  }
  if (endpoints.length > 0 && tag) {
    throw new UsageError(
      `${command}: --endpoint and --tag are alternatives; give endpoint ids or a tag, not both`,
    );
  }
  for (const { region, endpointId } of endpoints) {
    if (regions.length > 0 && !regions.includes(region)) {
      throw new UsageError(
        `${command}: --endpoint: ${endpointId} is in ${region}, not in one of the --region values (${regions.join(', ')})`,
      );
    }
  }
  const memberRoleArns = (values['role-arn'] ?? []).map((arn) =>
    check(command, '--role-arn', roleArnSchema, arn),
  );
  const { listedTwice } = accountsOf(undefined, memberRoleArns);
  if (listedTwice) throw new UsageError(`${command}: --role-arn: account ${listedTwice} is given twice`);
  const searchOwnAccount = !values['skip-own-account'];
  if (!searchOwnAccount && memberRoleArns.length === 0) {
    throw new UsageError(`${command}: --skip-own-account leaves no account to search without --role-arn`);
  }
  if (memberRoleArns.length > 0 && endpoints.length > 0) {
    throw new UsageError(
      `${command}: --endpoint names endpoints of your own account; with --role-arn select endpoints by --tag ` +
        'or search them all',
    );
  }
  // Named endpoints carry their regions: no default region is needed.
  const scopeRegions = regions.length > 0 ? regions : [...new Set(endpoints.map((ref) => ref.region))];
  return {
    regions: scopeRegions,
    endpoints: endpointSelection(endpoints, tag),
    memberRoleArns,
    searchOwnAccount,
    activeDirectoryDomains: [
      ...new Set(
        (values['ad-domain'] ?? []).map((domain) =>
          check(command, '--ad-domain', activeDirectoryDomainSchema, domain),
        ),
      ),
    ],
  };
}

function parseRetrySeconds(text: string | undefined): number {
  if (text === undefined) return DEFAULT_RETRY_SECONDS;
  const seconds = /^(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds >= 0 && seconds <= MAX_RETRY_SECONDS)) {
    throw new UsageError(
      `revoke: --retry-for expects a number of seconds from 0 to ${MAX_RETRY_SECONDS}, got '${text}'`,
    );
  }
  return seconds;
}
