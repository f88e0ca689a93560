import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideConnection } from '../../lambda/connect-handler/decide.ts';
import { identityKeyFor } from '../../lambda/core/identity.ts';
import type { LedgerEntry } from '../../lambda/core/ledger.ts';
import { protectedIdentities } from '../../lambda/core/protected-identities.ts';
import { revokeAccess } from '../../lambda/engine/revoke-access.ts';
import { sweepSessions } from '../../lambda/sweeper/sweep.ts';
import { revocationRequest } from '../support/events.ts';
import { FakeClientVpn, fakeClock } from '../support/fake-client-vpn.ts';
import { AD_DOMAINS, spellingOf, twoPeople } from '../support/identity-variants.ts';

const SEED = 20261207;
const RUNS = 150;
const EAST = 'us-east-1';
const SAML = 'cvpn-endpoint-0aaa0000000000001';
const CERT = 'cvpn-endpoint-0bbb0000000000002';
const identityKey = identityKeyFor(AD_DOMAINS);

const revokedEntry = (identity: string): LedgerEntry => ({
  identity,
  state: 'revoked',
  source: 'client-vpn-revoker.runbook',
  reason: 'IR-2041',
  requestId: 'req-1',
  eventTime: '2026-11-22T09:00:00Z',
  recordedAt: '2026-11-22T09:00:01Z',
  expiresAt: '2026-12-22T09:00:01Z',
});

/** A ledger keyed the way the DynamoDB one is (`identityKey`), holding `revoked` as written. */
const ledgerHolding = (revoked: readonly string[]) => {
  const records = new Map(revoked.map((identity) => [identityKey(identity), revokedEntry(identity)]));
  return {
    findRevoked: async (identities: readonly string[]) =>
      identities.flatMap((identity) => {
        const found = identity === '' ? undefined : records.get(identityKey(identity));
        return found ? [found] : [];
      }),
    listRevoked: async () => [...records.values()],
    keepUntilLifted: async () => 0,
  };
};

/** A revoked person's spelling in the ledger, other spellings of them, and another person's spellings. */
const scenario = twoPeople.chain(([person, other]) =>
  fc.record({
    recorded: spellingOf(person, { padded: false }),
    spellings: fc.array(spellingOf(person), { minLength: 1, maxLength: 4 }),
    others: fc.array(spellingOf(other), { minLength: 1, maxLength: 3 }),
    onCertificate: fc.boolean(),
  }),
);

describe('every spelling of a revoked identity', () => {
  it('is denied by the connect handler, as username or common name; another person is allowed', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ recorded, spellings, others, onCertificate }) => {
        // Prepare
        const decide = decideConnection({
          protectedIdentities: protectedIdentities([], identityKey),
          findRevoked: ledgerHolding([recorded]).findRevoked,
          onLedgerUnavailable: 'deny',
        });
        const attempt = (name: string) =>
          decide({ username: onCertificate ? '' : name, 'common-name': onCertificate ? name : '' });

        // Act
        const mine = await Promise.all(spellings.map(attempt));
        const theirs = await Promise.all(others.map(attempt));

        // Assess
        for (const decision of mine) expect(decision.reason).toBe('revoked');
        for (const decision of theirs) expect(decision.reason).toBe('not-revoked');
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('is ended by the revoker engine, on username or common name; no other session is touched', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ recorded, spellings, others, onCertificate }) => {
        // Prepare
        const fake = new FakeClientVpn().addEndpoint(EAST, SAML).addEndpoint(EAST, CERT);
        const clock = fakeClock();
        const connect = (name: string) =>
          onCertificate
            ? fake.connect(EAST, CERT, { commonName: name })
            : fake.connect(EAST, SAML, { username: name, commonName: 'shared-device' });
        const mine = spellings.map(connect);
        const theirs = others.map(connect);
        const revoke = revokeAccess(
          { clientVpn: fake.forRegion, identityKey, ...clock },
          { regions: [EAST], endpoints: { kind: 'all' }, terminateRetryBudgetMs: 30_000 },
        );

        // Act
        const [result] = await revoke([revocationRequest(recorded)], { deadline: clock.now() + 120_000 });

        // Assess
        expect(result?.status).toBe('revoked');
        for (const id of mine) expect(fake.statusOf(id)).not.toBe('active');
        for (const id of theirs) expect(fake.statusOf(id)).toBe('active');
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('is ended by the sweeper even beside a protected certificate; no other session is touched', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ recorded, spellings, others }) => {
        // Prepare: the other person is on the break-glass list and lends a certificate to every session
        const fake = new FakeClientVpn().addEndpoint(EAST, SAML);
        const clock = fakeClock();
        const [otherName = ''] = others;
        const mine = spellings.map((name) =>
          fake.connect(EAST, SAML, { username: name, commonName: otherName }),
        );
        const theirs = others.map((name) => fake.connect(EAST, SAML, { username: name, commonName: name }));
        const sweep = sweepSessions(
          {
            clientVpn: fake.forRegion,
            ledger: ledgerHolding([recorded]),
            protectedIdentities: protectedIdentities([otherName.trim()], identityKey),
            identityKey,
            ...clock,
          },
          { regions: [EAST], endpoints: { kind: 'all' }, terminateRetryBudgetMs: 30_000, dryRun: false },
        );

        // Act
        const outcome = await sweep({ sweepId: 'sweep-1', deadline: clock.now() + 120_000 });

        // Assess
        expect(outcome.counts.connectionsTerminated).toBe(mine.length);
        for (const id of mine) expect(fake.statusOf(id)).not.toBe('active');
        for (const id of theirs) expect(fake.statusOf(id)).toBe('active');
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

describe('a revoked username with a protected certificate common name', () => {
  it('is denied by the connect handler whatever the spelling of either', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ recorded, spellings, others }) => {
        // Prepare
        const [protectedName = ''] = others;
        const decide = decideConnection({
          protectedIdentities: protectedIdentities([protectedName.trim()], identityKey),
          findRevoked: ledgerHolding([recorded]).findRevoked,
          onLedgerUnavailable: 'deny',
        });

        // Act
        const decisions = await Promise.all(
          spellings.map((name) => decide({ username: name, 'common-name': protectedName })),
        );
        const breakGlass = await decide({ username: '', 'common-name': protectedName });

        // Assess
        for (const decision of decisions) expect(decision.reason).toBe('revoked');
        expect(breakGlass.reason).toBe('protected');
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
