import { DescribeClientVpnEndpointsCommand, TerminateClientVpnConnectionsCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/server.ts';
import { assumeRole, type Credentials, ec2Client, endpointWith } from './helpers.ts';

const ENDPOINT = 'cvpn-endpoint-0a1b2c3d4e5f6a7b8';
const MEMBER = '444455556666';
const MEMBER_ROLE = `arn:aws:iam::${MEMBER}:role/client-vpn-revoker-member`;

/** Runs `count` calls one after the other; returns each outcome ('ok' or the error name). */
const run = async (count: number, call: (i: number) => Promise<unknown>): Promise<string[]> => {
  const outcomes: string[] = [];
  for (let i = 0; i < count; i++) {
    outcomes.push(
      await call(i).then(
        () => 'ok',
        (e: Error) => e.name,
      ),
    );
  }
  return outcomes;
};

describe('EC2 token-bucket throttling', () => {
  let emu: Emulator | undefined;

  afterEach(async () => {
    await emu?.stop();
    emu = undefined;
  });

  /** DescribeClientVpnEndpoints in us-east-1, as the home account or as `as`. */
  const describeAs = (as?: Credentials) => () =>
    ec2Client(emu as Emulator, 'us-east-1', as).send(new DescribeClientVpnEndpointsCommand({}));

  const terminateUser = (target: Emulator, region: string) => (i: number) =>
    ec2Client(target, region).send(
      new TerminateClientVpnConnectionsCommand({ ClientVpnEndpointId: ENDPOINT, Username: `user-${i}` }),
    );

  it('is off by default', async () => {
    // Prepare
    emu = await startEmulator({ seed: endpointWith(ENDPOINT, 60) });

    // Act
    const outcomes = await run(60, terminateUser(emu, 'us-east-1'));

    // Assess
    expect(outcomes.every((o) => o === 'ok')).toBe(true);
  });

  it('lets 50 quick terminates through and throttles the 51st (mutating bucket: 50 + 5/s)', async () => {
    // Prepare: emulated time nearly stands still, so nothing refills during the burst
    emu = await startEmulator({ timeScale: 0.0001, seed: endpointWith(ENDPOINT, 51) });
    emu.faults.enableThrottling();

    // Act
    const outcomes = await run(51, terminateUser(emu, 'us-east-1'));

    // Assess
    expect(outcomes.slice(0, 50).every((o) => o === 'ok')).toBe(true);
    expect(outcomes[50]).toBe('RequestLimitExceeded');
    expect(emu.callCounts()['us-east-1:TerminateClientVpnConnections']).toMatchObject({
      calls: 51,
      throttled: 1,
    });
    expect(emu.connections({ status: 'active' }).map((c) => c.username)).toEqual(['user-50']);
  });

  it('keeps one bucket per region and per action; non-mutating holds 100', async () => {
    // Prepare
    emu = await startEmulator({
      timeScale: 0.0001,
      seed: {
        endpoints: [
          ...(endpointWith(ENDPOINT, 50).endpoints ?? []),
          ...(endpointWith('cvpn-endpoint-eu', 1, { region: 'eu-west-1' }).endpoints ?? []),
        ],
      },
    });
    emu.faults.enableThrottling();
    const describeUs = () => ec2Client(emu as Emulator).send(new DescribeClientVpnEndpointsCommand({}));
    await run(50, terminateUser(emu, 'us-east-1'));

    // Act
    const usTerminate = await run(1, () => terminateUser(emu as Emulator, 'us-east-1')(0));
    const euTerminate = await run(1, () =>
      ec2Client(emu as Emulator, 'eu-west-1').send(
        new TerminateClientVpnConnectionsCommand({
          ClientVpnEndpointId: 'cvpn-endpoint-eu',
          Username: 'user-0',
        }),
      ),
    );
    const usDescribes = await run(101, describeUs);

    // Assess
    expect(usTerminate).toEqual(['RequestLimitExceeded']);
    expect(euTerminate).toEqual(['ok']);
    expect(usDescribes.filter((o) => o === 'ok')).toHaveLength(100);
    expect(usDescribes[100]).toBe('RequestLimitExceeded');
  });

  it('keeps one bucket per account: a member account is metered apart from the home account', async () => {
    // Prepare
    emu = await startEmulator({
      timeScale: 0.0001,
      seed: {
        roles: [MEMBER_ROLE],
        endpoints: [
          ...(endpointWith(ENDPOINT, 3).endpoints ?? []),
          { id: 'cvpn-endpoint-member', accountId: MEMBER, region: 'us-east-1', connections: [{}] },
        ],
      },
    });
    emu.faults.enableThrottling({ nonMutating: { capacity: 2, refillPerSecond: 1 } });
    const member = await assumeRole(emu, MEMBER_ROLE);

    // Act
    const home = await run(3, describeAs());
    const memberOutcomes = await run(3, describeAs(member));

    // Assess
    expect(home).toEqual(['ok', 'ok', 'RequestLimitExceeded']);
    expect(memberOutcomes).toEqual(['ok', 'ok', 'RequestLimitExceeded']);
    const key = 'us-east-1:DescribeClientVpnEndpoints';
    expect(emu.callCounts({ accountId: MEMBER })[key]).toMatchObject({ calls: 3, throttled: 1 });
    expect(emu.callCounts()[key]).toMatchObject({ calls: 6, throttled: 2 });
  });

  it('throttleNext counts the calls of every account', async () => {
    // Prepare
    emu = await startEmulator({ seed: { roles: [MEMBER_ROLE] } });
    const member = await assumeRole(emu, MEMBER_ROLE);
    emu.faults.throttleNext('DescribeClientVpnEndpoints', 2);

    // Act
    const outcomes = [
      ...(await run(1, describeAs(member))),
      ...(await run(1, describeAs())),
      ...(await run(1, describeAs(member))),
    ];

    // Assess
    expect(outcomes).toEqual(['RequestLimitExceeded', 'RequestLimitExceeded', 'ok']);
  });

  it('refills at the real rate in emulated time', async () => {
    // Prepare
    emu = await startEmulator({ timeScale: 0.0001, seed: endpointWith(ENDPOINT, 60) });
    emu.faults.enableThrottling();
    await run(50, terminateUser(emu, 'us-east-1'));

    // Act: one emulated second refills 5 tokens
    emu.advanceTime(1_000);
    const outcomes = await run(6, (i) => terminateUser(emu as Emulator, 'us-east-1')(50 + i));

    // Assess
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'RequestLimitExceeded']);
  });

  it('refills timeScale times faster on the wall clock', async () => {
    // Prepare: a 1-token bucket refilling 0.5/s takes 2 emulated s = 100 real ms at timeScale 20
    emu = await startEmulator({ timeScale: 20 });
    emu.faults.enableThrottling({ nonMutating: { capacity: 1, refillPerSecond: 0.5 } });
    const ec2 = ec2Client(emu);
    const describe = () => ec2.send(new DescribeClientVpnEndpointsCommand({}));

    // Act
    const burst = await run(2, describe);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const afterWait = await run(1, describe);

    // Assess
    expect(burst).toEqual(['ok', 'RequestLimitExceeded']);
    expect(afterWait).toEqual(['ok']);
  });

  it('stops throttling when disabled', async () => {
    // Prepare
    emu = await startEmulator({ timeScale: 0.0001 });
    emu.faults.enableThrottling({ nonMutating: { capacity: 1, refillPerSecond: 1 } });
    const describe = () => ec2Client(emu as Emulator).send(new DescribeClientVpnEndpointsCommand({}));
    const throttled = await run(2, describe);

    // Act
    emu.faults.disableThrottling();
    const afterDisable = await run(3, describe);

    // Assess
    expect(throttled).toEqual(['ok', 'RequestLimitExceeded']);
    expect(afterDisable).toEqual(['ok', 'ok', 'ok']);
  });
});
