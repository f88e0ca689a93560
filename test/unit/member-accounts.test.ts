import { describe, expect, it } from 'vitest';
import { ClientVpnApiError } from '../../lambda/core/errors.ts';
import { protectedIdentities } from '../../lambda/core/protected-identities.ts';
import type { RevocationRequest } from '../../lambda/core/request.ts';
import { BURST_SECONDS, pacedClientVpn } from '../../lambda/engine/pacing.ts';
import type { ClientVpnApi, ClientVpnApiForRegion } from '../../lambda/engine/ports.ts';
import { revokeAccess } from '../../lambda/engine/revoke-access.ts';
import { sweepSessions } from '../../lambda/sweeper/sweep.ts';
import { revocationRequest } from '../support/events.ts';
import { FakeClientVpn, fakeClock } from '../support/fake-client-vpn.ts';

const EAST = 'us-east-1';
const WEST = 'eu-west-1';
const OWN = '111122223333';
const MEMBER = '222233334444';
const LOST = '333344445555';
const ENDPOINT = 'cvpn-endpoint-0aaa0000000000001';
const MEMBER_ENDPOINT = 'cvpn-endpoint-0bbb0000000000002';
const JANE = 'jane@example.com';

/** Every call of an account whose role cannot be assumed fails as the credential provider makes it fail. */
const unreachableAccount: ClientVpnApi = {
  describeEndpoints: () => Promise.reject(assumeRoleDenied()),
  describeConnections: () => Promise.reject(assumeRoleDenied()),
  terminate: () => Promise.reject(assumeRoleDenied()),
};
const assumeRoleDenied = () =>
  new ClientVpnApiError(
    'AccessDenied',
    `Could not assume arn:aws:iam::${LOST}:role/ClientVpnRevokerMember: not authorized`,
    false,
  );

/** One fake EC2 per account; the lost account's every call fails. */
function accounts() {
  const own = new FakeClientVpn()
    .addEndpoint(EAST, ENDPOINT)
    .addEndpoint(WEST, 'cvpn-endpoint-0ccc0000000000003');
  const member = new FakeClientVpn().addEndpoint(EAST, MEMBER_ENDPOINT);
  const clientVpn: ClientVpnApiForRegion = (region, accountId) => {
    if (accountId === OWN) return own.forRegion(region);
    if (accountId === MEMBER) return member.forRegion(region);
    if (accountId === LOST) return unreachableAccount;
    throw new Error(`no fake for account ${accountId}`);
  };
  return { own, member, clientVpn };
}

function revoker(clientVpn: ClientVpnApiForRegion, accountIds: readonly string[]) {
  const clock = fakeClock();
  const revoke = revokeAccess(
    { clientVpn, ...clock },
    {
      regions: [EAST, WEST],
      endpoints: { kind: 'all' },
      accounts: accountIds.map((accountId) => ({ accountId })),
      terminateRetryBudgetMs: 30_000,
    },
  );
  return (...requests: RevocationRequest[]) => revoke(requests, { deadline: clock.now() + 120_000 });
}

describe('revocation across member accounts', () => {
  it('ends the sessions in every account and reports each region and account by id', async () => {
    // Prepare
    const { own, member, clientVpn } = accounts();
    const inOwn = own.connect(EAST, ENDPOINT, { username: JANE });
    const inMember = member.connect(EAST, MEMBER_ENDPOINT, { username: JANE });
    const bystander = member.connect(EAST, MEMBER_ENDPOINT, { username: 'someone.else@example.com' });

    // Act
    const [result] = await revoker(clientVpn, [OWN, MEMBER])(revocationRequest(JANE));

    // Assess
    expect(result?.status).toBe('revoked');
    expect([own.statusOf(inOwn), member.statusOf(inMember)]).toEqual(['terminating', 'terminating']);
    expect(member.statusOf(bystander)).toBe('active');
    expect(result?.summary).toMatchObject({
      endpointsScanned: 3,
      connectionsFound: 2,
      connectionsTerminated: 2,
    });
    expect(result?.regions.map((region) => `${region.accountId}/${region.region}`)).toEqual([
      `${OWN}/${EAST}`,
      `${OWN}/${WEST}`,
      `${MEMBER}/${EAST}`,
      `${MEMBER}/${WEST}`,
    ]);
    const memberEast = result?.regions.find(
      (region) => region.accountId === MEMBER && region.region === EAST,
    );
    expect(memberEast?.endpoints[0]?.connections.map((c) => c.connectionId)).toEqual([inMember]);
    expect(result?.accounts).toEqual([
      {
        accountId: OWN,
        status: 'reached',
        summary: {
          endpointsScanned: 2,
          endpointsUnreachable: 0,
          connectionsFound: 1,
          connectionsTerminated: 1,
          connectionsRemaining: 0,
        },
      },
      {
        accountId: MEMBER,
        status: 'reached',
        summary: {
          endpointsScanned: 1,
          endpointsUnreachable: 0,
          connectionsFound: 1,
          connectionsTerminated: 1,
          connectionsRemaining: 0,
        },
      },
    ]);
  });

  it('reports an account whose role cannot be assumed, and still ends the sessions in the others', async () => {
    // Prepare
    const { own, member, clientVpn } = accounts();
    const inOwn = own.connect(EAST, ENDPOINT, { username: JANE });
    const inMember = member.connect(EAST, MEMBER_ENDPOINT, { username: JANE });

    // Act
    const [result] = await revoker(clientVpn, [OWN, LOST, MEMBER])(revocationRequest(JANE));

    // Assess
    expect([own.statusOf(inOwn), member.statusOf(inMember)]).toEqual(['terminating', 'terminating']);
    // Sessions may remain in the lost account: the request is partial, so it is retried.
    expect(result?.status).toBe('partial');
    expect(result?.message).toContain('2 endpoint(s) or region(s) could not be read');
    const lost = result?.accounts?.find((account) => account.accountId === LOST);
    expect(lost).toMatchObject({
      status: 'unreachable',
      error: { code: 'AccessDenied', message: expect.stringContaining(`arn:aws:iam::${LOST}:role/`) },
      summary: { endpointsScanned: 0, endpointsUnreachable: 2, connectionsFound: 0 },
    });
    expect(result?.accounts?.filter((account) => account.status === 'reached')).toHaveLength(2);
  });

  it('fails, and ends nothing, when no account can be reached', async () => {
    // Prepare
    const { clientVpn } = accounts();

    // Act
    const [result] = await revoker(clientVpn, [LOST])(revocationRequest(JANE));

    // Assess
    expect(result?.status).toBe('failed');
    expect(result?.accounts).toEqual([expect.objectContaining({ accountId: LOST, status: 'unreachable' })]);
  });

  it('keeps two accounts apart even when an endpoint id is the same in both', async () => {
    // Prepare
    const own = new FakeClientVpn().addEndpoint(EAST, ENDPOINT);
    const member = new FakeClientVpn().addEndpoint(EAST, ENDPOINT);
    const inOwn = own.connect(EAST, ENDPOINT, { commonName: JANE });
    const inMember = member.connect(EAST, ENDPOINT, { commonName: JANE });
    const clientVpn: ClientVpnApiForRegion = (region, accountId) =>
      (accountId === OWN ? own : member).forRegion(region);

    // Act
    const [result] = await revoker(clientVpn, [OWN, MEMBER])(revocationRequest(JANE));

    // Assess
    expect(result?.status).toBe('revoked');
    expect([own.statusOf(inOwn), member.statusOf(inMember)]).toEqual(['terminating', 'terminating']);
    expect(own.calls.filter((call) => call.action === 'terminate')).toEqual([
      expect.objectContaining({ target: { connectionId: inOwn } }),
    ]);
    expect(member.calls.filter((call) => call.action === 'terminate')).toEqual([
      expect.objectContaining({ target: { connectionId: inMember } }),
    ]);
  });

  it('names no account when none is configured (a single-account stack)', async () => {
    // Prepare
    const own = new FakeClientVpn().addEndpoint(EAST, ENDPOINT);
    own.connect(EAST, ENDPOINT, { username: JANE });
    const clock = fakeClock();
    const seen: (string | undefined)[] = [];
    const clientVpn: ClientVpnApiForRegion = (region, accountId) => {
      seen.push(accountId);
      return own.forRegion(region);
    };
    const revoke = revokeAccess(
      { clientVpn, ...clock },
      { regions: [EAST], endpoints: { kind: 'all' }, terminateRetryBudgetMs: 30_000 },
    );

    // Act
    const [result] = await revoke([revocationRequest(JANE)], { deadline: clock.now() + 120_000 });

    // Assess
    expect(result?.status).toBe('revoked');
    expect(result?.accounts).toBeUndefined();
    expect(result?.regions[0]).not.toHaveProperty('accountId');
    expect(new Set(seen)).toEqual(new Set([undefined]));
  });
});

describe('session sweep across member accounts', () => {
  it('ends revoked identities in every account and says where each connection and error was', async () => {
    // Prepare
    const { own, member, clientVpn } = accounts();
    own.connect(EAST, ENDPOINT, { username: JANE });
    const inMember = member.connect(EAST, MEMBER_ENDPOINT, { username: JANE });
    const clock = fakeClock();
    const sweep = sweepSessions(
      {
        clientVpn,
        ledger: { listRevoked: async () => [{ identity: JANE } as never], keepUntilLifted: async () => 0 },
        protectedIdentities: protectedIdentities([]),
        ...clock,
      },
      {
        regions: [EAST],
        endpoints: { kind: 'all' },
        accounts: [{ accountId: OWN }, { accountId: MEMBER }, { accountId: LOST }],
        terminateRetryBudgetMs: 30_000,
        dryRun: false,
      },
    );

    // Act
    const outcome = await sweep({ sweepId: 'sweep-1', deadline: clock.now() + 60_000 });

    // Assess
    expect(member.statusOf(inMember)).toBe('terminating');
    expect(outcome.status).toBe('partial');
    expect(outcome.connections.map((c) => [c.accountId, c.region, c.connectionId])).toEqual(
      expect.arrayContaining([[MEMBER, EAST, inMember]]),
    );
    expect(outcome.connections.map((c) => c.accountId).sort()).toEqual([OWN, MEMBER]);
    expect(outcome.errors).toEqual([
      expect.objectContaining({ accountId: LOST, region: EAST, code: 'AccessDenied' }),
    ]);
  });
});

describe('pacing across member accounts', () => {
  it("gives each account its own limiters: one account's calls never wait for another's", async () => {
    // Prepare
    const { own, member, clientVpn } = accounts();
    own.connect(EAST, ENDPOINT, { username: JANE });
    member.connect(EAST, MEMBER_ENDPOINT, { username: JANE });
    const clock = fakeClock();
    const paced = pacedClientVpn(clientVpn, {
      terminatePerSecond: 1,
      describePerSecond: 1,
      now: clock.now,
      sleep: clock.sleep,
    });
    const start = clock.now();

    // Act: the own account spends its whole burst, then the member account calls, then the own again.
    for (let call = 0; call < BURST_SECONDS; call++) await paced(EAST, OWN).describeConnections(ENDPOINT);
    await paced(EAST, MEMBER).describeConnections(MEMBER_ENDPOINT);
    const beforeOwnWaits = clock.now();
    await paced(EAST, OWN).describeConnections(ENDPOINT);

    // Assess
    expect(beforeOwnWaits - start).toBe(0);
    expect(clock.now() - start).toBeGreaterThan(0);
    expect(paced(EAST, OWN)).toBe(paced(EAST, OWN));
    expect(paced(EAST, OWN)).not.toBe(paced(EAST, MEMBER));
  });
});
