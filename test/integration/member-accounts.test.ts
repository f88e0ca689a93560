import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Seed } from '../../emulator/index.ts';
import { LOCAL_ACCOUNT, RevokerOnEmulator } from '../../local/revoker-on-emulator.ts';
import { OKTA_SOURCE, oktaEvent } from '../support/events.ts';
import { publishedOutcomes, publishedSweeps } from '../support/published.ts';

// Revocation across an AWS Organization, end to end on the bundles from cdk.out: the functions assume the
// member role through the emulator's STS and end sessions in two emulated accounts.
const MEMBER = '222233334444';
const UNREACHABLE = '333344445555';
const MEMBER_ROLE = `arn:aws:iam::${MEMBER}:role/ClientVpnRevokerMember`;
/** No such role is seeded: AssumeRole answers AccessDenied. */
const MISSING_ROLE = `arn:aws:iam::${UNREACHABLE}:role/ClientVpnRevokerMember`;
const OWN_ENDPOINT = 'cvpn-endpoint-0aaa00000000000a1';
const MEMBER_ENDPOINT = 'cvpn-endpoint-0bbb00000000000b2';
const JANE = 'jane.doe@example.com';
const JOHN = 'john.roe@example.com';
/** cdk.json's example stack acts on endpoints carrying this tag, in every account. */
const IN_SCOPE = { 'client-vpn-revoker': 'enabled' };
const FAST = { EC2_TERMINATE_CALLS_PER_SECOND: '1000', EC2_DESCRIBE_CALLS_PER_SECOND: '1000' };

const seed: Seed = {
  roles: [MEMBER_ROLE],
  endpoints: [
    {
      id: OWN_ENDPOINT,
      region: 'us-east-1',
      authType: 'saml',
      tags: IN_SCOPE,
      connections: [{ username: JANE }, { username: JOHN }],
    },
    {
      id: MEMBER_ENDPOINT,
      accountId: MEMBER,
      region: 'us-east-1',
      authType: 'certificate',
      tags: IN_SCOPE,
      connections: [{ commonName: JANE }, { commonName: JANE }],
    },
  ],
};

let revoker: RevokerOnEmulator | undefined;
afterEach(async () => {
  await revoker?.stop();
  revoker = undefined;
});

async function start(roleArns: readonly string[]) {
  revoker = await RevokerOnEmulator.start({
    seed,
    cdkOut: inject('cdkOut'),
    emulator: { terminateDelayMs: 10 },
    // What the construct sets with memberAccounts (test/infra/member-accounts.test.ts checks that side).
    environment: {
      ...FAST,
      MEMBER_ACCOUNT_ROLE_ARNS: roleArns.join(','),
      OWN_ACCOUNT_ID: LOCAL_ACCOUNT,
      SCAN_OWN_ACCOUNT: 'true',
    },
  });
  return revoker;
}

const outcomes = (r: RevokerOnEmulator) => publishedOutcomes(r.emulator);
const sweeps = (r: RevokerOnEmulator) => publishedSweeps(r.emulator);
const liveOf = (r: RevokerOnEmulator, accountId: string, name: string) =>
  r.emulator
    .connections({ accountId })
    .filter(
      (c) =>
        (c.username === name || c.commonName === name) &&
        (c.status === 'active' || c.status === 'failed-to-terminate'),
    );
const revokeJane = (r: RevokerOnEmulator) =>
  r.deliver([{ event: oktaEvent(JANE), eventBusName: OKTA_SOURCE }]);

describe('revocation across member accounts (two emulated accounts, real bundles)', () => {
  it("ends the user's sessions in the own and the member account, and reports each account", async () => {
    // Prepare
    const r = await start([MEMBER_ROLE]);

    // Act
    await revokeJane(r);

    // Assess
    expect(liveOf(r, LOCAL_ACCOUNT, JANE)).toEqual([]);
    expect(liveOf(r, MEMBER, JANE)).toEqual([]);
    expect(liveOf(r, LOCAL_ACCOUNT, JOHN)).toHaveLength(1);
    const [outcome] = outcomes(r);
    expect(outcome).toMatchObject({
      status: 'revoked',
      summary: { connectionsFound: 3, connectionsTerminated: 3, connectionsRemaining: 0 },
      accounts: [
        { accountId: LOCAL_ACCOUNT, status: 'reached', summary: { connectionsTerminated: 1 } },
        { accountId: MEMBER, status: 'reached', summary: { connectionsTerminated: 2 } },
      ],
    });
    const memberRegion = outcome?.regions.find((region) => region.accountId === MEMBER);
    expect(memberRegion?.endpoints.map((endpoint) => endpoint.endpointId)).toEqual([MEMBER_ENDPOINT]);
    // The member account's EC2 calls were signed with the assumed role's credentials.
    const assumeRoles = r.emulator.calls().filter((call) => call.action === 'AssumeRole');
    expect(assumeRoles.length).toBeGreaterThanOrEqual(1);
    expect(
      r.emulator
        .calls()
        .filter((c) => c.action === 'TerminateClientVpnConnections' && c.accountId === MEMBER),
    ).not.toHaveLength(0);
  });

  it('reports an account whose role cannot be assumed, ends the sessions elsewhere, and keeps the request for retry', async () => {
    // Prepare
    const r = await start([MISSING_ROLE, MEMBER_ROLE]);

    // Act
    const report = await revokeJane(r);

    // Assess
    expect(liveOf(r, LOCAL_ACCOUNT, JANE)).toEqual([]);
    expect(liveOf(r, MEMBER, JANE)).toEqual([]);
    const all = outcomes(r);
    expect(all[0]).toMatchObject({ status: 'partial', delivery: { attempt: 1, willRetry: true } });
    expect(all[0]?.accounts?.find((account) => account.accountId === UNREACHABLE)).toMatchObject({
      status: 'unreachable',
      error: { code: 'AccessDenied', message: expect.stringContaining(MISSING_ROLE) },
    });
    // Retried on every receive, then kept in the dead-letter queue for a redrive once the role exists.
    // Later attempts find nothing left to end where they can reach: those attempts failed.
    expect(all.map((outcome) => outcome.status)).toEqual(['partial', ...Array(4).fill('failed')]);
    expect(
      all.every((outcome) => outcome.accounts?.some((account) => account.status === 'unreachable')),
    ).toBe(true);
    expect(all.at(-1)?.delivery).toEqual({ attempt: 5, willRetry: false });
    expect(report.deadLettered).toHaveLength(1);
  });

  it('sweeps a revoked identity that reconnected in the member account', async () => {
    // Prepare
    const r = await start([MEMBER_ROLE]);
    await revokeJane(r);
    await r.emulator.connect({ endpointId: MEMBER_ENDPOINT, commonName: JANE });
    expect(liveOf(r, MEMBER, JANE)).toHaveLength(1);

    // Act
    await r.sweep();

    // Assess
    expect(liveOf(r, MEMBER, JANE)).toEqual([]);
    expect(sweeps(r).at(-1)).toMatchObject({
      status: 'swept',
      connections: [expect.objectContaining({ accountId: MEMBER, endpointId: MEMBER_ENDPOINT })],
    });
  });
});
