import {
  DescribeClientVpnConnectionsCommand,
  paginateDescribeClientVpnConnections,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidSeedError } from '../../emulator/seed.ts';
import { DEMO_ENDPOINTS, DEMO_VICTIM, demoSeed } from '../../emulator/seeds/demo.ts';
import { type Emulator, startEmulator } from '../../emulator/server.ts';
import { ec2Client, endpointWith } from './helpers.ts';

describe('seeding and inspection', () => {
  let emu: Emulator;

  beforeAll(async () => {
    emu = await startEmulator({ seed: demoSeed() });
  });
  afterAll(async () => {
    await emu.stop();
  });

  it('builds the demo estate: 2 regions, tagged endpoints, a few hundred connections', () => {
    // Act
    const endpoints = emu.endpoints();

    // Assess
    expect(new Set(endpoints.map((e) => e.region))).toEqual(new Set(['us-east-1', 'eu-west-1']));
    expect(endpoints.map((e) => [e.endpointId, e.status, e.authType, e.tags['client-vpn-revoker']])).toEqual([
      [DEMO_ENDPOINTS.corporate, 'available', 'saml', 'enabled'],
      [DEMO_ENDPOINTS.engineering, 'available', 'active-directory', 'enabled'],
      [DEMO_ENDPOINTS.contractors, 'available', 'certificate', 'enabled'],
      [DEMO_ENDPOINTS.euCorporate, 'available', 'saml', 'enabled'],
      [DEMO_ENDPOINTS.euLab, 'deleting', 'saml', 'disabled'],
    ]);
    const total = endpoints.reduce((sum, e) => sum + e.listedConnections, 0);
    expect(total).toBeGreaterThan(300);
    expect(total).toBeLessThan(500);
  });

  it('gives the demo victim the tricky cases', () => {
    // Act
    const jane = emu.connections({ username: DEMO_VICTIM });

    // Assess
    expect(jane.map((c) => [c.region, c.endpointId, c.status])).toEqual([
      ['us-east-1', DEMO_ENDPOINTS.corporate, 'active'],
      ['us-east-1', DEMO_ENDPOINTS.corporate, 'active'],
      ['us-east-1', DEMO_ENDPOINTS.corporate, 'terminated'],
      ['eu-west-1', DEMO_ENDPOINTS.euCorporate, 'active'],
      ['eu-west-1', DEMO_ENDPOINTS.euLab, 'active'],
    ]);
    expect(emu.connections({ username: 'Jane.Doe@example.com' })).toHaveLength(1);
    expect(emu.connections({ commonName: DEMO_VICTIM })).toEqual([
      expect.objectContaining({ endpointId: DEMO_ENDPOINTS.contractors, username: '' }),
    ]);
    expect(emu.connections({ username: 'omar.haddad@example.com', status: 'active' })).toHaveLength(7);
    for (const lookalike of ['jane.doe@example.com.evil', 'jane.doe2@example.com']) {
      expect(emu.connections({ username: lookalike })).toHaveLength(1);
    }
    const ad = emu.connections({ endpointId: DEMO_ENDPOINTS.engineering });
    expect(ad.every((c) => /^[a-z.]+$/.test(c.username) && c.commonName === c.username)).toBe(true);
  });

  it('is deterministic: same seed, same connection ids', async () => {
    // Prepare
    const twin = await startEmulator({ seed: demoSeed() });

    // Act
    const mine = emu
      .connections()
      .map((c) => [c.connectionId, c.username, c.commonName, c.clientIp, c.status]);
    const theirs = twin
      .connections()
      .map((c) => [c.connectionId, c.username, c.commonName, c.clientIp, c.status]);
    await twin.stop();

    // Assess
    expect(theirs).toEqual(mine);
    expect(mine.every(([id]) => /^cvpn-connection-[0-9a-f]{17}$/.test(id ?? ''))).toBe(true);
  });

  it('rejects invalid seeds with the path of each problem', () => {
    // Act
    const attempt = () =>
      emu.seed({
        endpoints: [
          { id: 'cvpn-endpoint-x', region: 'moon-1', connections: [{ status: 'gone' as 'active' }] },
        ],
      });

    // Assess
    expect(attempt).toThrow(InvalidSeedError);
    expect(attempt).toThrow(/endpoints\[0\]\.region/);
    expect(attempt).toThrow(/endpoints\[0\]\.connections\[0\]\.status/);
  });

  it('rejects duplicate connection ids and a known endpoint id in another region', () => {
    // Prepare
    const [existing] = emu.connections();

    // Act
    const duplicate = () =>
      emu.seed({
        endpoints: [
          { id: 'cvpn-endpoint-new', region: 'us-east-1', connections: [{ id: existing?.connectionId }] },
        ],
      });
    const moved = () => emu.seed({ endpoints: [{ id: DEMO_ENDPOINTS.corporate, region: 'eu-west-1' }] });

    // Assess
    expect(duplicate).toThrow(/duplicate connection id/);
    expect(moved).toThrow(/already exists in us-east-1/);
  });

  it('rejects role ARNs that are not IAM role ARNs and account ids that are not 12 digits', () => {
    // Act
    const roles = () =>
      emu.seed({
        roles: [
          'arn:aws:iam::44445555666:role/revoker',
          'arn:aws:iam::444455556666:user/jane',
          'arn:aws:iam::444455556666:role/',
          'arn:aws:sts::444455556666:assumed-role/revoker/session',
          'arn:aws:iam::444455556666:role/has space',
        ],
      });
    const accounts = () =>
      emu.seed({
        endpoints: [
          { id: 'cvpn-endpoint-acct-1', region: 'us-east-1', accountId: '4444' },
          { id: 'cvpn-endpoint-acct-2', region: 'us-east-1', accountId: 'abcdefghijkl' },
        ],
      });

    // Assess
    expect(roles).toThrow(InvalidSeedError);
    for (const index of [0, 1, 2, 3, 4]) expect(roles).toThrow(new RegExp(`roles\\[${index}\\]`));
    expect(roles).toThrow(/expected an IAM role ARN/);
    expect(accounts).toThrow(/endpoints\[0\]\.accountId/);
    expect(accounts).toThrow(/endpoints\[1\]\.accountId/);
    expect(accounts).toThrow(/expected a 12-digit AWS account id/);
    expect(emu.endpoints().some((e) => e.endpointId.startsWith('cvpn-endpoint-acct'))).toBe(false);
  });

  it("rejects a known endpoint id in another account, and a handler outside the endpoint's account", () => {
    // Act
    const otherAccount = () =>
      emu.seed({
        endpoints: [{ id: DEMO_ENDPOINTS.corporate, region: 'us-east-1', accountId: '444455556666' }],
      });
    const handlerAccount = () =>
      emu.seed({
        endpoints: [
          {
            id: 'cvpn-endpoint-member-handler',
            region: 'us-east-1',
            accountId: '444455556666',
            clientConnectOptions: {
              enabled: true,
              lambdaFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:AWSClientVPN-handler',
            },
          },
        ],
      });

    // Assess
    expect(otherAccount).toThrow(
      `endpoint ${DEMO_ENDPOINTS.corporate} already exists in account 111122223333; it cannot be seeded again ` +
        'in account 444455556666',
    );
    expect(handlerAccount).toThrow(/must belong to the endpoint's account 444455556666/);
    expect(emu.endpoints().find((e) => e.endpointId === DEMO_ENDPOINTS.corporate)?.accountId).toBe(
      '111122223333',
    );
  });
});

describe('seeding member accounts', () => {
  it('puts endpoints in their accounts (default: the home account) and adds to a known member endpoint', async () => {
    // Prepare
    const emu = await startEmulator({ accountId: '210987654321' });

    // Act
    emu.seed({
      roles: ['arn:aws:iam::444455556666:role/ops/security/client-vpn-revoker'],
      endpoints: [
        { id: 'cvpn-endpoint-home', region: 'us-east-1', connections: [{ username: 'a' }] },
        { id: 'cvpn-endpoint-member', region: 'us-east-1', accountId: '444455556666', connections: [{}] },
      ],
    });
    emu.seed({
      endpoints: [
        { id: 'cvpn-endpoint-member', region: 'us-east-1', accountId: '444455556666', connections: [{}] },
      ],
    });
    const withoutAccount = () =>
      emu.seed({ endpoints: [{ id: 'cvpn-endpoint-member', region: 'us-east-1' }] });
    const endpoints = emu.endpoints().map((e) => [e.endpointId, e.accountId, e.listedConnections]);
    await emu.stop();

    // Assess
    expect(endpoints).toEqual([
      ['cvpn-endpoint-home', '210987654321', 1],
      ['cvpn-endpoint-member', '444455556666', 2],
    ]);
    expect(withoutAccount).toThrow(
      /already exists in account 444455556666; it cannot be seeded again in account 210987654321/,
    );
  });
});

describe('large seeds', () => {
  it('seeds 15,000 connections fast and pages through them cheaply', async () => {
    // Prepare
    const emu = await startEmulator();
    const client = ec2Client(emu);
    const seedStart = performance.now();

    // Act
    emu.seed(endpointWith('cvpn-endpoint-big', 15_000, { username: (i) => `user-${i % 5_000}@example.com` }));
    const seedMs = performance.now() - seedStart;
    const pageStart = performance.now();
    let rows = 0;
    for await (const page of paginateDescribeClientVpnConnections(
      { client, pageSize: 1000 },
      { ClientVpnEndpointId: 'cvpn-endpoint-big' },
    )) {
      rows += page.Connections?.length ?? 0;
    }
    const pageMs = performance.now() - pageStart;
    const filtered = await client.send(
      new DescribeClientVpnConnectionsCommand({
        ClientVpnEndpointId: 'cvpn-endpoint-big',
        Filters: [{ Name: 'username', Values: ['user-42@example.com'] }],
      }),
    );
    await emu.stop();

    // Assess
    expect(rows).toBe(15_000);
    expect(filtered.Connections).toHaveLength(3);
    expect(seedMs).toBeLessThan(2_000);
    expect(pageMs).toBeLessThan(5_000);
  });

  it('adds connections to a known endpoint and resets to the start seed', async () => {
    // Prepare
    const emu = await startEmulator({ seed: endpointWith('cvpn-endpoint-1', 2) });

    // Act
    emu.seed(endpointWith('cvpn-endpoint-1', 3, { username: (i) => `late-${i}` }));
    const afterSeed = emu.connections().map((c) => c.username);
    emu.reset();
    const afterReset = emu.connections().map((c) => c.username);
    await emu.stop();

    // Assess
    expect(afterSeed).toEqual(['user-0', 'user-1', 'late-0', 'late-1', 'late-2']);
    expect(afterReset).toEqual(['user-0', 'user-1']);
  });
});
