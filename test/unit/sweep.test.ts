import { describe, expect, it } from 'vitest';
import type { EndpointSelection } from '../../lambda/core/environment.ts';
import { ConfigurationError } from '../../lambda/core/errors.ts';
import { type LedgerEntry, LedgerUnavailableError } from '../../lambda/core/ledger.ts';
import { protectedIdentities } from '../../lambda/core/protected-identities.ts';
import {
  SWEEP_OUTCOME_SCHEMA_VERSION,
  type SweepOutcomeDetail,
  sweepOutcomeDetailSchema,
} from '../../lambda/core/sweep-outcome.ts';
import { parseEstablishedTime, type SweepDependencies, sweepSessions } from '../../lambda/sweeper/sweep.ts';
import { FakeClientVpn, fakeClock } from '../support/fake-client-vpn.ts';

const EAST = 'us-east-1';
const WEST = 'eu-west-1';
const SAML = 'cvpn-endpoint-0aaa0000000000001';
const CERT = 'cvpn-endpoint-0bbb0000000000002';
const OTHER = 'cvpn-endpoint-0ccc0000000000003';
/** fakeClock starts at 2026-11-22T10:00:00Z; EC2 reports times as "YYYY-MM-DD HH:MM:SS" UTC. */
const TWO_HOURS_AGO = '2026-11-22 08:00:00';
const TEN_MINUTES_AGO = '2026-11-22 09:50:00';
const HOUR_MS = 60 * 60_000;

type SweeperLedger = NonNullable<SweepDependencies['ledger']>;

/** An in-memory ledger holding `identities` as revoked; `unavailable` makes every read fail. */
function fakeLedger(identities: readonly string[], options: { unavailable?: boolean } = {}) {
  const ledger = {
    reads: 0,
    keepUntilLifted: async (entries: readonly LedgerEntry[]) => entries.length,
    listRevoked: async (): Promise<LedgerEntry[]> => {
      ledger.reads++;
      if (options.unavailable) throw new LedgerUnavailableError('DynamoDB Scan failed: ThrottlingException');
      return identities.map((identity) => ({
        identity,
        state: 'revoked',
        source: 'aws.partner/okta.com/example-org/vpn-kill-switch',
        reason: 'Okta user.lifecycle.deactivate',
        requestId: `request-${identity}`,
        eventTime: '2026-11-22T09:00:00Z',
        recordedAt: '2026-11-22T09:00:01Z',
      }));
    },
  };
  return ledger satisfies SweeperLedger;
}

interface SetupOptions {
  readonly revoked?: readonly string[];
  readonly ledger?: SweeperLedger | null;
  readonly protect?: readonly string[];
  readonly maxSessionAgeMs?: number;
  readonly dryRun?: boolean;
  readonly budgetMs?: number;
  readonly selection?: EndpointSelection;
}

function setup(options: SetupOptions = {}) {
  const fake = new FakeClientVpn().addEndpoint(EAST, SAML).addEndpoint(EAST, CERT).addEndpoint(WEST, OTHER);
  const clock = fakeClock();
  const ledger = options.ledger === null ? undefined : (options.ledger ?? fakeLedger(options.revoked ?? []));
  const sweep = sweepSessions(
    {
      clientVpn: fake.forRegion,
      ...(ledger && { ledger }),
      protectedIdentities: protectedIdentities(options.protect ?? []),
      ...clock,
    },
    {
      regions: [EAST, WEST],
      endpoints: options.selection ?? { kind: 'all' },
      ...(options.maxSessionAgeMs !== undefined && { maxSessionAgeMs: options.maxSessionAgeMs }),
      terminateRetryBudgetMs: options.budgetMs ?? 30_000,
      dryRun: options.dryRun ?? false,
    },
  );
  /** Runs one sweep and checks its outcome against the published contract. */
  const run = async (): Promise<SweepOutcomeDetail> => {
    const outcome = await sweep({ sweepId: 'sweep-1', deadline: clock.now() + 120_000 });
    expect(sweepOutcomeDetailSchema.parse(outcome)).toEqual(outcome);
    return outcome;
  };
  return { fake, clock, run };
}

const terminates = (fake: FakeClientVpn) => fake.calls.filter((call) => call.action === 'terminate');
const entry = (outcome: SweepOutcomeDetail, connectionId: string) =>
  outcome.connections.find((connection) => connection.connectionId === connectionId);

describe('sweepSessions: revoked identities', () => {
  it('ends a revoked identity on two endpoints in two regions and leaves everyone else alone', async () => {
    // Prepare
    const { fake, run } = setup({ revoked: ['jane@example.com'] });
    const saml = [1, 2].map(() => fake.connect(EAST, SAML, { username: 'Jane@Example.com' }));
    const certificate = fake.connect(WEST, OTHER, { username: '', commonName: 'JANE@example.com' });
    const lookalike = fake.connect(EAST, SAML, { username: 'jane@example.com.evil' });
    const colleague = fake.connect(EAST, CERT, { username: 'bob@example.com' });

    // Act
    const outcome = await run();

    // Assess
    expect(outcome.status).toBe('swept');
    expect(outcome.counts).toEqual({
      revokedIdentities: 1,
      endpointsScanned: 3,
      endpointsUnreachable: 0,
      connectionsFound: 3,
      connectionsTerminated: 3,
      connectionsRemaining: 0,
      connectionsProtected: 0,
    });
    for (const id of [...saml, certificate]) expect(fake.statusOf(id)).toBe('terminating');
    expect(fake.statusOf(lookalike)).toBe('active');
    expect(fake.statusOf(colleague)).toBe('active');
    // 1–5 connections of one stored Username: one Terminate by Username; the certificate by ConnectionId.
    expect(terminates(fake).map((call) => [call.region, call.endpointId, call.target])).toEqual([
      [EAST, SAML, { username: 'Jane@Example.com' }],
      [WEST, OTHER, { connectionId: certificate }],
    ]);
    expect(entry(outcome, certificate)).toMatchObject({
      region: WEST,
      endpointId: OTHER,
      reason: 'revoked-identity',
      matchedOn: 'common-name',
      terminatedBy: 'connection-id',
      finalStatus: 'terminating',
    });
    expect(outcome.connections).toHaveLength(3);
    expect(outcome.errors).toEqual([]);
  });

  it('reads every page of connections and endpoints', async () => {
    // Prepare
    const { fake, run } = setup({ revoked: ['jane@example.com'] });
    fake.pageSize = 5;
    fake.endpointsPageSize = 1;
    for (let index = 0; index < 11; index++) fake.connect(EAST, CERT, { username: `user-${index}` });
    const last = fake.connect(EAST, CERT, { username: 'jane@example.com' });

    // Act
    const outcome = await run();

    // Assess
    expect(outcome.counts.endpointsScanned).toBe(3);
    expect(outcome.connections.map((connection) => connection.connectionId)).toEqual([last]);
    expect(fake.statusOf(last)).toBe('terminating');
  });

  it('ends a connection EC2 earlier failed to terminate, by ConnectionId', async () => {
    // Prepare
    const { fake, run } = setup({ revoked: ['jane@example.com'] });
    const stuck = fake.connect(EAST, SAML, { username: 'jane@example.com' }, 'failed-to-terminate');

    // Act
    const outcome = await run();

    // Assess
    expect(outcome.status).toBe('swept');
    expect(terminates(fake).map((call) => call.target)).toEqual([{ connectionId: stuck }]);
    expect(fake.statusOf(stuck)).toBe('terminating');
  });

  it('retries failed-to-terminate within the budget and reports the attempts', async () => {
    // Prepare
    const { fake, run } = setup({ revoked: ['jane@example.com'] });
    const flaky = fake.connect(EAST, SAML, { username: 'jane@example.com' });
    fake.failTerminate(flaky, 2);

    // Act
    const outcome = await run();

    // Assess
    expect(outcome.status).toBe('swept');
    expect(entry(outcome, flaky)).toMatchObject({ attempts: 3, finalStatus: 'terminating' });
    expect(terminates(fake)).toHaveLength(3);
  });

  it('reports failed when nothing it found could be ended within the budget', async () => {
    // Prepare
    const { fake, run } = setup({ revoked: ['jane@example.com'], budgetMs: 2_000 });
    const stubborn = fake.connect(EAST, SAML, { username: 'jane@example.com' });
    fake.failTerminate(stubborn);

    // Act
    const outcome = await run();

    // Assess
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toBe('1 connection(s) could not be ended');
    expect(outcome.counts).toMatchObject({ connectionsFound: 1, connectionsRemaining: 1 });
    expect(entry(outcome, stubborn)?.finalStatus).toBe('failed-to-terminate');
  });

  it('is clean, without a single EC2 call, when the ledger holds no revocation and no maximum age is set', async () => {
    // Prepare
    const { fake, run } = setup({ revoked: [] });
    fake.connect(EAST, SAML, { username: 'jane@example.com', establishedTime: TWO_HOURS_AGO });

    // Act
    const outcome = await run();

    // Assess
    expect(outcome.status).toBe('clean');
    expect(outcome.ledger).toEqual({ status: 'read' });
    expect(fake.calls).toEqual([]);
  });
});

describe('sweepSessions: revoked records kept until lifted', () => {
  /** A ledger whose records carry the expiry earlier versions wrote; keepUntilLifted records what it got. */
  const expiringLedger = (keep: (entries: readonly LedgerEntry[]) => Promise<number>) => {
    const base = fakeLedger(['jane@example.com', 'bob@example.com']);
    const kept: LedgerEntry[][] = [];
    const ledger: SweeperLedger = {
      listRevoked: async () =>
        (await base.listRevoked()).map((entry, index) =>
          index === 0 ? { ...entry, expiresAt: '2026-11-21T09:00:01.000Z' } : entry,
        ),
      keepUntilLifted: async (entries) => {
        kept.push([...entries]);
        return keep(entries);
      },
    };
    return { ledger, kept };
  };

  it('still enforces a revoked record whose expiry passed, and removes that expiry', async () => {
    // Prepare
    const { ledger, kept } = expiringLedger(async (entries) => entries.length);
    const { fake, run } = setup({ ledger });
    const jane = fake.connect(EAST, SAML, { username: 'jane@example.com' });

    // Act
    const outcome = await run();

    // Assess
    expect(fake.statusOf(jane)).toBe('terminating');
    expect(kept).toEqual([[expect.objectContaining({ identity: 'jane@example.com' })]]);
    expect(outcome.ledger).toEqual({ status: 'read', expiriesRemoved: 1 });
    expect(outcome.status).toBe('swept');
  });

  it('reports a failed expiry removal as partial, still enforcing every revoked record', async () => {
    // Prepare
    const { ledger } = expiringLedger(() =>
      Promise.reject(new LedgerUnavailableError('Could not update the revocation ledger')),
    );
    const { fake, run } = setup({ ledger });
    const jane = fake.connect(EAST, SAML, { username: 'jane@example.com' });

    // Act
    const outcome = await run();

    // Assess
    expect(fake.statusOf(jane)).toBe('terminating');
    expect(outcome.ledger).toEqual({
      status: 'read',
      expiryError: { code: 'LedgerUnavailableError', message: 'Could not update the revocation ledger' },
    });
    expect(outcome).toMatchObject({ status: 'partial', message: expect.stringMatching(/kept until lifted/) });
  });

  it('makes no update when no revoked record carries an expiry', async () => {
    // Prepare
    const { ledger, kept } = expiringLedger(async () => 0);
    const { run } = setup({
      ledger: { ...ledger, listRevoked: fakeLedger(['jane@example.com']).listRevoked },
    });

    // Act
    const outcome = await run();

    // Assess
    expect(kept).toEqual([]);
    expect(outcome.ledger).toEqual({ status: 'read' });
  });
});

describe('sweepSessions: protected identities', () => {
  it('never touches a protected identity, even when it is revoked and older than the maximum age', async () => {
    // Prepare
    const { fake, run } = setup({
      revoked: ['admin@example.com', 'jane@example.com'],
      protect: ['ADMIN@example.com', 'break-glass'],
      maxSessionAgeMs: HOUR_MS,
    });
    const admin = fake.connect(EAST, SAML, { username: 'admin@example.com', establishedTime: TWO_HOURS_AGO });
    const breakGlass = fake.connect(WEST, OTHER, {
      commonName: 'break-glass',
      establishedTime: TWO_HOURS_AGO,
    });
    const jane = fake.connect(EAST, CERT, { username: 'jane@example.com' });

    // Act
    const outcome = await run();

    // Assess
    expect(fake.statusOf(admin)).toBe('active');
    expect(fake.statusOf(breakGlass)).toBe('active');
    expect(fake.statusOf(jane)).toBe('terminating');
    expect(terminates(fake).map((call) => call.target)).toEqual([{ username: 'jane@example.com' }]);
    expect(outcome.status).toBe('swept');
    expect(outcome.counts).toMatchObject({ connectionsFound: 1, connectionsProtected: 2 });
    expect(entry(outcome, admin)).toBeUndefined();
  });

  it('ends a revoked Username even under a protected certificate CN: a protected name never shields a revoked one', async () => {
    // Prepare: a protected certificate CN connected with the revoked user's AD name
    const { fake, run } = setup({ revoked: ['jane'], protect: ['break-glass'] });
    const shared = fake.connect(EAST, SAML, { username: 'jane', commonName: 'break-glass' });
    const janes = [1, 2].map(() => fake.connect(EAST, SAML, { username: 'jane', commonName: 'jane' }));
    const breakGlassAlone = fake.connect(EAST, CERT, { commonName: 'break-glass' });

    // Act
    const outcome = await run();

    // Assess
    for (const id of [shared, ...janes]) expect(fake.statusOf(id)).toBe('terminating');
    expect(fake.statusOf(breakGlassAlone)).toBe('active');
    expect(outcome.status).toBe('swept');
    expect(outcome.counts).toMatchObject({ connectionsFound: 3, connectionsProtected: 0 });
    expect(outcome.connections.map((connection) => connection.matchedOn)).toEqual([
      'username',
      'username',
      'username',
    ]);
  });

  it('ends a connection whose revoked CN is not protected even when its username is', async () => {
    // Prepare
    const { fake, run } = setup({ revoked: ['stolen-laptop'], protect: ['ops-admin'] });
    const shielding = fake.connect(EAST, CERT, { username: 'ops-admin', commonName: 'stolen-laptop' });
    const admin = fake.connect(EAST, CERT, { username: 'ops-admin', commonName: 'ops-admin-laptop' });

    // Act
    const outcome = await run();

    // Assess
    expect(fake.statusOf(shielding)).toBe('terminating');
    expect(fake.statusOf(admin)).toBe('active');
    expect(terminates(fake).map((call) => call.target)).toEqual([{ connectionId: shielding }]);
    expect(entry(outcome, shielding)).toMatchObject({ reason: 'revoked-identity', matchedOn: 'common-name' });
  });

  it('keeps a session whose revoked name is itself protected (a record from before it was protected)', async () => {
    // Prepare
    const { fake, run } = setup({ revoked: ['ops-admin'], protect: ['OPS-ADMIN'] });
    const admin = fake.connect(EAST, CERT, { username: 'ops-admin', commonName: 'someone-else' });

    // Act
    const outcome = await run();

    // Assess
    expect(fake.statusOf(admin)).toBe('active');
    expect(outcome.counts).toMatchObject({ connectionsFound: 0, connectionsProtected: 1 });
  });
});

describe('sweepSessions: maximum session age', () => {
  it('ends old sessions of anyone one by one and leaves young ones, even of the same user', async () => {
    // Prepare
    const { fake, run } = setup({ ledger: null, maxSessionAgeMs: HOUR_MS, protect: ['ops-admin'] });
    const old = fake.connect(EAST, SAML, { username: 'alice@example.com', establishedTime: TWO_HOURS_AGO });
    const young = fake.connect(EAST, SAML, {
      username: 'alice@example.com',
      establishedTime: TEN_MINUTES_AGO,
    });
    const oldCertificate = fake.connect(WEST, OTHER, {
      commonName: 'build-agent',
      establishedTime: TWO_HOURS_AGO,
    });
    const protectedOld = fake.connect(EAST, CERT, { username: 'ops-admin', establishedTime: TWO_HOURS_AGO });
    const unknownAge = fake.connect(EAST, CERT, { username: 'carol@example.com' });

    // Act
    const outcome = await run();

    // Assess
    expect(fake.statusOf(old)).toBe('terminating');
    expect(fake.statusOf(oldCertificate)).toBe('terminating');
    for (const id of [young, protectedOld, unknownAge]) expect(fake.statusOf(id)).toBe('active');
    // Never by Username: that would end alice's young session too.
    expect(terminates(fake).map((call) => call.target)).toEqual([
      { connectionId: old },
      { connectionId: oldCertificate },
    ]);
    expect(outcome.status).toBe('swept');
    expect(outcome.ledger).toEqual({ status: 'not-configured' });
    expect(outcome.criteria).toEqual({ revokedIdentities: false, maxSessionAgeMs: HOUR_MS });
    expect(entry(outcome, old)).toMatchObject({
      reason: 'max-session-age',
      establishedTime: TWO_HOURS_AGO,
      terminatedBy: 'connection-id',
    });
    expect(entry(outcome, old)).not.toHaveProperty('matchedOn');
    expect(outcome.counts.connectionsProtected).toBe(1);
  });

  it('reports a revoked identity as such, whatever the age of its session', async () => {
    // Prepare
    const { fake, run } = setup({ revoked: ['jane@example.com'], maxSessionAgeMs: HOUR_MS });
    const old = fake.connect(EAST, SAML, { username: 'jane@example.com', establishedTime: TWO_HOURS_AGO });

    // Act
    const outcome = await run();

    // Assess
    expect(entry(outcome, old)).toMatchObject({ reason: 'revoked-identity', matchedOn: 'username' });
  });

  it('treats a session exactly at the maximum age as young', async () => {
    // Prepare
    const { fake, run } = setup({ ledger: null, maxSessionAgeMs: 2 * HOUR_MS });
    const atLimit = fake.connect(EAST, SAML, {
      username: 'alice@example.com',
      establishedTime: TWO_HOURS_AGO,
    });

    // Act
    const outcome = await run();

    // Assess
    expect(outcome.status).toBe('clean');
    expect(fake.statusOf(atLimit)).toBe('active');
  });
});

describe('sweepSessions: configuration', () => {
  it('refuses to be built without a ledger and without a maximum age: there is nothing to enforce', () => {
    // Prepare
    const build = () => setup({ ledger: null });

    // Act & Assess
    expect(build).toThrow(ConfigurationError);
  });
});

describe('sweepSessions: failures', () => {
  it('is partial, with the error, when one endpoint cannot be read; the others are swept', async () => {
    // Prepare
    const { fake, run } = setup({ revoked: ['jane@example.com'] });
    fake.failEndpoint(EAST, CERT, 'UnauthorizedOperation');
    const jane = fake.connect(EAST, SAML, { username: 'jane@example.com' });

    // Act
    const outcome = await run();

    // Assess
    expect(outcome.status).toBe('partial');
    expect(outcome.message).toBe('1 endpoint(s) or region(s) could not be read');
    expect(outcome.errors).toEqual([
      { region: EAST, endpointId: CERT, code: 'UnauthorizedOperation', message: 'injected failure' },
    ]);
    expect(outcome.counts).toMatchObject({ endpointsScanned: 2, endpointsUnreachable: 1 });
    expect(fake.statusOf(jane)).toBe('terminating');
  });

  it('is partial when nothing was found but a region could not be read', async () => {
    // Prepare
    const { fake, run } = setup({ revoked: ['jane@example.com'] });
    fake.regionFailures.set(WEST, 'UnauthorizedOperation');

    // Act
    const outcome = await run();

    // Assess
    expect(outcome.status).toBe('partial');
    expect(outcome.errors).toEqual([
      { region: WEST, code: 'UnauthorizedOperation', message: 'injected region failure' },
    ]);
  });

  it('is failed when no endpoint can be read', async () => {
    // Prepare
    const { fake, run } = setup({ revoked: ['jane@example.com'] });
    fake.regionFailures.set(EAST, 'UnauthorizedOperation');
    fake.regionFailures.set(WEST, 'UnauthorizedOperation');

    // Act
    const outcome = await run();

    // Assess
    expect(outcome.status).toBe('failed');
    expect(outcome.counts).toMatchObject({ endpointsScanned: 0, endpointsUnreachable: 2 });
  });

  it('does not count a configured endpoint that no longer exists against the sweep', async () => {
    // Prepare
    const { fake, run } = setup({
      revoked: ['jane@example.com'],
      selection: {
        kind: 'ids',
        endpoints: [
          { region: EAST, endpointId: SAML },
          { region: EAST, endpointId: 'cvpn-endpoint-0ddd0000000000004' },
        ],
      },
    });
    fake.connect(EAST, SAML, { username: 'jane@example.com' });

    // Act
    const outcome = await run();

    // Assess
    expect(outcome.status).toBe('swept');
    expect(outcome.errors).toEqual([
      expect.objectContaining({
        endpointId: 'cvpn-endpoint-0ddd0000000000004',
        code: 'InvalidClientVpnEndpointId.NotFound',
      }),
    ]);
  });

  it('still enforces the maximum age when the ledger cannot be read, and reports partial', async () => {
    // Prepare
    const ledger = fakeLedger(['jane@example.com'], { unavailable: true });
    const { fake, run } = setup({ ledger, maxSessionAgeMs: HOUR_MS });
    const old = fake.connect(EAST, SAML, { username: 'alice@example.com', establishedTime: TWO_HOURS_AGO });
    const jane = fake.connect(EAST, SAML, { username: 'jane@example.com', establishedTime: TEN_MINUTES_AGO });

    // Act
    const outcome = await run();

    // Assess
    expect(outcome.status).toBe('partial');
    expect(outcome.ledger).toEqual({
      status: 'unavailable',
      error: { code: 'LedgerUnavailableError', message: 'DynamoDB Scan failed: ThrottlingException' },
    });
    expect(outcome.message).toBe('the revocation ledger could not be read (LedgerUnavailableError)');
    expect(fake.statusOf(old)).toBe('terminating');
    expect(fake.statusOf(jane)).toBe('active');
  });

  it('is failed, without an EC2 call, when the ledger cannot be read and no maximum age is set', async () => {
    // Prepare
    const { fake, run } = setup({ ledger: fakeLedger([], { unavailable: true }) });
    fake.connect(EAST, SAML, { username: 'jane@example.com' });

    // Act
    const outcome = await run();

    // Assess
    expect(outcome.status).toBe('failed');
    expect(fake.calls).toEqual([]);
  });
});

describe('sweepSessions: dry run', () => {
  it('reports what it would end without a single Terminate', async () => {
    // Prepare
    const { fake, run } = setup({ revoked: ['jane@example.com'], maxSessionAgeMs: HOUR_MS, dryRun: true });
    const jane = fake.connect(EAST, SAML, { username: 'jane@example.com' });
    const old = fake.connect(WEST, OTHER, { username: 'alice@example.com', establishedTime: TWO_HOURS_AGO });

    // Act
    const outcome = await run();

    // Assess
    expect(terminates(fake)).toEqual([]);
    expect(fake.statusOf(jane)).toBe('active');
    expect(outcome.status).toBe('dry-run');
    expect(outcome.dryRun).toBe(true);
    expect(outcome.counts).toMatchObject({
      connectionsFound: 2,
      connectionsTerminated: 0,
      connectionsRemaining: 2,
    });
    expect(entry(outcome, jane)).toMatchObject({
      terminatedBy: null,
      attempts: 0,
      finalStatus: 'active',
      messages: ['Dry run: would terminate (revoked identity, matched on username)'],
    });
    expect(entry(outcome, old)?.messages).toEqual([
      'Dry run: would terminate (older than the maximum session age)',
    ]);
  });

  it('is clean when a dry run finds nothing', async () => {
    // Prepare
    const { run } = setup({ revoked: ['jane@example.com'], dryRun: true });

    // Act
    const outcome = await run();

    // Assess
    expect(outcome.status).toBe('clean');
  });
});

describe('sweepSessions: outcome', () => {
  it('carries the sweep id, criteria and timings', async () => {
    // Prepare
    const { fake, run } = setup({ revoked: ['jane@example.com', 'JANE@example.com', 'bob'] });
    fake.connect(EAST, SAML, { username: 'jane@example.com' });

    // Act
    const outcome = await run();

    // Assess
    expect(outcome).toMatchObject({
      schemaVersion: SWEEP_OUTCOME_SCHEMA_VERSION,
      sweepId: 'sweep-1',
      dryRun: false,
      criteria: { revokedIdentities: true, maxSessionAgeMs: null },
      ledger: { status: 'read' },
      timings: { startedAt: '2026-11-22T10:00:00.000Z', ledgerMs: 0, findMs: 0 },
    });
    // Identities are counted case-insensitively, like every comparison.
    expect(outcome.counts.revokedIdentities).toBe(2);
    expect(outcome).not.toHaveProperty('truncated');
  });
});

describe('parseEstablishedTime', () => {
  it.each([
    ['2026-11-22 08:00:00', Date.parse('2026-11-22T08:00:00Z')],
    ['2025-03-04 14:50:02', Date.parse('2025-03-04T14:50:02Z')],
    ['2026-11-22T08:00:00Z', undefined],
    ['2026-13-01 00:00:00', undefined],
    ['-', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (value, expected) => {
    // Act
    const parsed = parseEstablishedTime(value);

    // Assess
    expect(parsed).toBe(expected);
  });
});
