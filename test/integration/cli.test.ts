import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SessionsReport } from '../../cli/commands/sessions.ts';
import type { Emulator, Seed } from '../../emulator/index.ts';
import { startEmulator } from '../../emulator/index.ts';
import type { RevocationResult } from '../../lambda/engine/revoke-access.ts';
import {
  DEFAULT_RUNBOOK_SOURCE,
  RUNBOOK_DETAIL_TYPE,
  RUNBOOK_LIFT_DETAIL_TYPE,
} from '../../sources/runbook/events.ts';

// The operator CLI as an operator runs it: the real launcher under plain Node (the npm-provided one that runs
// vitest), against the emulator through the SDK's AWS_ENDPOINT_URL_* variables, with fake credentials.
const LAUNCHER = fileURLToPath(new URL('../../cli/client-vpn-revoker.mjs', import.meta.url));

const IN_SCOPE = { 'client-vpn-revoker': 'enabled' };
const EAST_SAML = 'cvpn-endpoint-0aaa00000000000e1';
const EAST_CERT = 'cvpn-endpoint-0bbb00000000000e2';
const EAST_UNTAGGED = 'cvpn-endpoint-0fff00000000000e3';
const WEST_SAML = 'cvpn-endpoint-0ccc00000000000a1';
const JANE = 'jane.doe@example.com';
/** The emulator's home account, that of the operator's access key; the member account has a role to assume. */
const OWN = '111122223333';
const MEMBER = '222233334444';
const MEMBER_ROLE = `arn:aws:iam::${MEMBER}:role/ClientVpnRevokerMember`;
const MEMBER_CERT = 'cvpn-endpoint-0ddd00000000000d1';

const estate: Seed = {
  roles: [MEMBER_ROLE],
  endpoints: [
    {
      id: MEMBER_CERT,
      accountId: MEMBER,
      region: 'us-east-1',
      tags: IN_SCOPE,
      authType: 'certificate',
      connections: [{ commonName: JANE }, { commonName: 'member-colleague@example.com' }],
    },
    {
      id: EAST_SAML,
      region: 'us-east-1',
      tags: IN_SCOPE,
      authType: 'saml',
      connections: [
        { username: JANE },
        { username: JANE },
        { username: 'jane.doe@example.com.evil' },
        { username: 'colleague0@example.com' },
        { username: 'colleague1@example.com' },
      ],
    },
    {
      id: EAST_CERT,
      region: 'us-east-1',
      tags: IN_SCOPE,
      authType: 'certificate',
      connections: [{ commonName: JANE }, { commonName: 'build-agent.example.com' }],
    },
    {
      id: EAST_UNTAGGED,
      region: 'us-east-1',
      authType: 'saml',
      connections: [{ username: JANE }, { username: 'colleague2@example.com' }],
    },
    {
      id: WEST_SAML,
      region: 'eu-west-1',
      tags: IN_SCOPE,
      authType: 'saml',
      connections: [{ username: 'Jane.Doe@Example.com' }, { username: 'west0@example.com' }],
    },
  ],
};

let emulator: Emulator;
let home: string;
beforeAll(async () => {
  emulator = await startEmulator({ seed: estate, terminateDelayMs: 20 });
  home = mkdtempSync(join(tmpdir(), 'client-vpn-revoker-cli-'));
});
afterAll(async () => {
  await emulator.stop();
  rmSync(home, { recursive: true, force: true });
});
beforeEach(() => emulator.reset());

/** Nothing from the machine's AWS setup leaks in: no profile files, no instance metadata. */
const isolatedEnv = (): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  HOME: home,
  AWS_CONFIG_FILE: join(home, 'no-config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
  AWS_EC2_METADATA_DISABLED: 'true',
  ...emulator.env,
});
const operatorEnv = (): Record<string, string> => ({
  ...isolatedEnv(),
  AWS_ACCESS_KEY_ID: 'AKIAEMULATOR0000TEST',
  AWS_SECRET_ACCESS_KEY: 'emulator-secret',
  AWS_REGION: 'us-east-1',
});

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const cli = (args: readonly string[], env: Record<string, string> = operatorEnv()): Promise<Run> =>
  new Promise((resolve) => {
    execFile(process.execPath, [LAUNCHER, ...args], { env, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });

const isLive = (c: { status: string }) => c.status === 'active' || c.status === 'failed-to-terminate';
const janes = (accountId = OWN) =>
  emulator
    .connections({ accountId })
    .filter((c) => c.username.toLowerCase() === JANE || c.commonName.toLowerCase() === JANE);
const liveJaneIds = (endpointId?: string, accountId = OWN) =>
  janes(accountId)
    .filter((c) => isLive(c) && (endpointId === undefined || c.endpointId === endpointId))
    .map((c) => c.connectionId)
    .sort();
const idsOf = (result: RevocationResult) =>
  result.regions
    .flatMap((region) => region.endpoints.flatMap((endpoint) => endpoint.connections))
    .map((c) => c.connectionId)
    .sort();
const terminateCalls = () => emulator.calls().filter((c) => c.action === 'TerminateClientVpnConnections');
const BOTH_REGIONS = ['--region', 'us-east-1', '--region', 'eu-west-1'];
const TAGGED = ['--tag', 'client-vpn-revoker=enabled'];

describe('client-vpn-revoker revoke', () => {
  it('ends every session of the identity on the tagged endpoints, with progress and a table', async () => {
    // Prepare
    const inScope = [...liveJaneIds(EAST_SAML), ...liveJaneIds(EAST_CERT), ...liveJaneIds(WEST_SAML)];
    const bystanders = emulator.connections().filter((c) => !inScope.includes(c.connectionId));

    // Act
    const run = await cli(['revoke', JANE, ...TAGGED, ...BOTH_REGIONS]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`us-east-1 ${EAST_SAML}: listed: 5 live connection(s), 2 of ${JANE}`);
    expect(run.stderr).toContain(`eu-west-1 ${WEST_SAML}: listed: 2 live connection(s), 1 of ${JANE}`);
    expect(run.stderr).toContain(`${EAST_SAML}: terminate username ${JANE}: 2 terminating`);
    expect(run.stderr).toContain('verified:');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^REGION\s+ENDPOINT\s+CONNECTION\s+USERNAME\s+COMMON NAME\s+FINAL STATUS$/);
    for (const id of inScope) expect(run.stdout).toMatch(new RegExp(`${id}\\s.*\\sterminat(ing|ed)\\n`));
    expect(lines.at(-1)).toBe(
      'revoked: 4 connections found, 4 ended, 0 remaining; 3 endpoints scanned, 0 unreachable',
    );
    expect(liveJaneIds()).toEqual(liveJaneIds(EAST_UNTAGGED)); // only the out-of-scope session is left
    expect(liveJaneIds(EAST_UNTAGGED)).toHaveLength(1);
    for (const bystander of bystanders) {
      expect(emulator.connections({ connectionId: bystander.connectionId })[0]?.status).toBe('active');
    }
  });

  it('prints the result object with --json, for named endpoints in their own regions', async () => {
    // Prepare
    const named = [...liveJaneIds(EAST_CERT), ...liveJaneIds(WEST_SAML)].sort();

    // Act
    const run = await cli([
      'revoke',
      JANE.toUpperCase(),
      '--endpoint',
      `us-east-1:${EAST_CERT}`,
      '--endpoint',
      `eu-west-1:${WEST_SAML}`,
      '--reason',
      'IR-2041: laptop stolen',
      '--json',
    ]);

    // Assess
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as RevocationResult;
    expect(result.status).toBe('revoked');
    expect(result.request).toMatchObject({ identity: JANE.toUpperCase(), reason: 'IR-2041: laptop stolen' });
    expect(result.summary).toEqual({
      endpointsScanned: 2,
      endpointsUnreachable: 0,
      connectionsFound: 2,
      connectionsTerminated: 2,
      connectionsRemaining: 0,
    });
    expect(idsOf(result)).toEqual(named);
    expect(result.regions.map((r) => r.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(liveJaneIds(EAST_CERT)).toEqual([]);
    expect(liveJaneIds(WEST_SAML)).toEqual([]);
    expect(liveJaneIds(EAST_SAML)).toHaveLength(2); // not named
    expect(emulator.calls().some((c) => c.action === 'DescribeClientVpnEndpoints')).toBe(false);
  });

  it('ends nothing with --dry-run and shows what it would end', async () => {
    // Prepare
    const before = liveJaneIds();

    // Act
    const run = await cli(['revoke', JANE, '--dry-run', ...TAGGED, ...BOTH_REGIONS]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('active (dry run)');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(
      'dry-run: 4 connections found, 0 ended, 4 remaining; 3 endpoints scanned, 0 unreachable',
    );
    expect(terminateCalls()).toEqual([]);
    expect(liveJaneIds()).toEqual(before);
  });

  it('exits 3 when a session cannot be ended, after retrying it', async () => {
    // Prepare: one of her two sessions on the SAML endpoint fails to terminate, every time
    const [stuck, other] = liveJaneIds(EAST_SAML) as [string, string];
    emulator.faults.failToTerminate(stuck);

    // Act
    const run = await cli(['revoke', JANE, ...TAGGED, '--retry-for', '1', '--json']);

    // Assess
    expect(run.code).toBe(3);
    const result = JSON.parse(run.stdout) as RevocationResult;
    expect(result.status).toBe('partial');
    expect(result.summary).toMatchObject({
      connectionsFound: 3,
      connectionsTerminated: 2,
      connectionsRemaining: 1,
    });
    const reports = result.regions.flatMap((r) => r.endpoints.flatMap((e) => e.connections));
    const report = reports.find((c) => c.connectionId === stuck);
    expect(report?.finalStatus).toBe('active'); // EC2 answered failed-to-terminate; Describe still lists it up
    expect(report?.attempts).toBeGreaterThan(1);
    expect(report?.messages.join('\n')).toContain('Terminate:');
    expect(run.stderr).toContain('retry round 1');
    expect(liveJaneIds(EAST_SAML)).toEqual([stuck]);
    expect(emulator.connections({ connectionId: other })[0]?.status).not.toBe('active');
  });

  it('exits 4 when nothing could be ended', async () => {
    // Prepare
    emulator.faults.failToTerminate(liveJaneIds(EAST_CERT));

    // Act
    const run = await cli(['revoke', JANE, '--endpoint', `us-east-1:${EAST_CERT}`, '--retry-for', '0']);

    // Assess
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(new RegExp(`${EAST_CERT}\\s.*\\sactive\\n`));
    expect(run.stdout).toContain('1 connection(s) could not be ended');
  });
});

describe('client-vpn-revoker sessions', () => {
  it('lists every live session in the default region as a table', async () => {
    // Act
    const run = await cli(['sessions']);

    // Assess
    expect(run.code).toBe(0);
    const live = emulator.connections({ region: 'us-east-1', accountId: OWN }).filter(isLive);
    const rows = run.stdout.split('\n').filter((line) => line.startsWith('us-east-1 '));
    expect(rows).toHaveLength(live.length);
    for (const connection of live) expect(run.stdout).toContain(connection.connectionId);
    expect(run.stdout).toContain(`${live.length} live connections; 3 endpoints scanned, 0 unreachable`);
    expect(emulator.calls().every((c) => c.action.startsWith('Describe'))).toBe(true);
  });

  it("lists one identity's sessions by username or common name, case-insensitively, as JSON", async () => {
    // Act
    const run = await cli(['sessions', 'JANE.DOE@example.COM', ...TAGGED, ...BOTH_REGIONS, '--json']);

    // Assess
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as SessionsReport;
    expect(report.identity).toBe('JANE.DOE@example.COM');
    expect(report.summary).toEqual({ endpointsScanned: 3, endpointsUnreachable: 0, connections: 4 });
    const listed = report.regions.flatMap((r) =>
      r.endpoints.flatMap((e) => e.matches.map((c) => c.connectionId)),
    );
    expect(listed.sort()).toEqual(
      [...liveJaneIds(EAST_SAML), ...liveJaneIds(EAST_CERT), ...liveJaneIds(WEST_SAML)].sort(),
    );
    expect(liveJaneIds()).toHaveLength(5); // read-only
  });

  it("lists one identity's sessions as a table, without lookalikes", async () => {
    // Act
    const run = await cli(['sessions', JANE, '--endpoint', `us-east-1:${EAST_SAML}`]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('.evil');
    for (const id of liveJaneIds(EAST_SAML)) expect(run.stdout).toContain(id);
    expect(run.stdout).toContain(`2 live connections of ${JANE}; 1 endpoint scanned, 0 unreachable`);
  });

  it("lists one identity's sessions under its Active Directory spellings with --ad-domain", async () => {
    // Act: jane.doe@example.com and CORP\\Jane.Doe are one person once both domains are named
    const args = ['sessions', 'CORP\\Ｊａｎｅ.Doe', '--endpoint', `us-east-1:${EAST_SAML}`, '--json'];
    const run = await cli([...args, '--ad-domain', 'CORP', '--ad-domain', 'example.com']);
    const withoutDomains = await cli(args);

    // Assess
    expect(run.code).toBe(0);
    const listed = (JSON.parse(run.stdout) as SessionsReport).regions.flatMap((r) =>
      r.endpoints.flatMap((e) => e.matches.map((c) => c.connectionId)),
    );
    expect(listed.sort()).toEqual(liveJaneIds(EAST_SAML).sort());
    expect((JSON.parse(withoutDomains.stdout) as SessionsReport).summary.connections).toBe(0);
  });

  it('exits 3 when an endpoint cannot be read, naming it and the error', async () => {
    // Prepare
    emulator.faults.unauthorized({ endpointId: EAST_CERT, action: 'DescribeClientVpnConnections' });

    // Act
    const run = await cli(['sessions', ...TAGGED]);

    // Assess
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(`us-east-1 ${EAST_CERT}: unreachable: UnauthorizedOperation`);
  });
});

describe('client-vpn-revoker request and lift', () => {
  it("puts the runbook revocation event on the stack's runbook bus and prints its id", async () => {
    // Act
    const run = await cli(['request', JANE, '--reason', 'IR-2041: laptop stolen']);

    // Assess
    expect(run.code).toBe(0);
    const [event, ...others] = emulator.publishedEvents();
    expect(others).toEqual([]);
    expect(event).toMatchObject({
      region: 'us-east-1',
      eventBusName: 'ClientVpnRevoker-runbook',
      source: DEFAULT_RUNBOOK_SOURCE,
      detailType: RUNBOOK_DETAIL_TYPE,
      detail: { username: JANE, reason: 'IR-2041: laptop stolen', dryRun: false },
    });
    expect(run.stdout).toBe(`Revocation of ${JANE} requested: event ${event?.eventId}\n`);
    expect(terminateCalls()).toEqual([]); // the deployed revoker ends the sessions, not the CLI
  });

  it('puts the lift event on the given bus with the given source, as JSON', async () => {
    // Act
    const run = await cli([
      'lift',
      JANE,
      '--reason',
      'IR-2041: laptop found',
      '--event-bus',
      'incident-response',
      '--source',
      'example.soar',
      '--region',
      'eu-west-1',
      '--dry-run',
      '--json',
    ]);

    // Assess
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { eventId: string; accepted: boolean };
    const [event] = emulator.publishedEvents();
    expect(report).toMatchObject({ eventId: event?.eventId, accepted: true });
    expect(event).toMatchObject({
      region: 'eu-west-1',
      eventBusName: 'incident-response',
      source: 'example.soar',
      detailType: RUNBOOK_LIFT_DETAIL_TYPE,
      detail: { username: JANE, reason: 'IR-2041: laptop found', dryRun: true },
    });
  });

  it('exits 4 when EventBridge refuses the event', async () => {
    // Prepare
    emulator.faults.failEventsMatching({ source: DEFAULT_RUNBOOK_SOURCE });

    // Act
    const run = await cli(['request', JANE, '--reason', 'IR-2041', '--json']);

    // Assess
    expect(run.code).toBe(4);
    expect(JSON.parse(run.stdout)).toMatchObject({ accepted: false, error: { code: 'InternalFailure' } });
    expect(run.stderr).toContain(
      'PutEvents refused the event on bus ClientVpnRevoker-runbook in us-east-1: InternalFailure',
    );
    expect(emulator.publishedEvents()).toEqual([]);
  });
});

describe('client-vpn-revoker across member accounts (--role-arn)', () => {
  it('lists the sessions of the own and the member account, naming each account', async () => {
    // Act
    const run = await cli(['sessions', JANE, ...TAGGED, '--role-arn', MEMBER_ROLE]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`accounts ${OWN}, ${MEMBER}`);
    expect(run.stderr).toContain(
      `${MEMBER} us-east-1 ${MEMBER_CERT}: listed: 2 live connection(s), 1 of ${JANE}`,
    );
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ACCOUNT\s+REGION\s+ENDPOINT\s+CONNECTION\s/);
    const [memberJane] = liveJaneIds(MEMBER_CERT, MEMBER);
    expect(lines.find((line) => line.includes(memberJane as string))).toMatch(
      new RegExp(`^${MEMBER}\\s+us-east-1\\s+${MEMBER_CERT}\\s`),
    );
    expect(lines.filter((line) => line.startsWith(`${OWN} `))).toHaveLength(3);
    expect(lines.at(-1)).toBe(`4 live connections of ${JANE}; 3 endpoints scanned, 0 unreachable`);
    // The member account was read with the role's credentials, the CLI's role session in its CloudTrail.
    expect(
      emulator.calls().filter((c) => c.action === 'DescribeClientVpnConnections' && c.accountId === MEMBER),
    ).toHaveLength(1);
  });

  it('ends the sessions in both accounts and reports each account with --json', async () => {
    // Act
    const run = await cli(['revoke', JANE, ...TAGGED, '--role-arn', MEMBER_ROLE, '--json']);

    // Assess
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as RevocationResult;
    expect(result.status).toBe('revoked');
    expect(result.accounts).toEqual([
      expect.objectContaining({
        accountId: OWN,
        status: 'reached',
        summary: expect.objectContaining({ connectionsTerminated: 3 }),
      }),
      expect.objectContaining({
        accountId: MEMBER,
        status: 'reached',
        summary: expect.objectContaining({ connectionsTerminated: 1 }),
      }),
    ]);
    expect(result.regions.find((region) => region.accountId === MEMBER)?.endpoints[0]?.endpointId).toBe(
      MEMBER_CERT,
    );
    expect(liveJaneIds(MEMBER_CERT, MEMBER)).toEqual([]);
    expect(liveJaneIds(EAST_SAML)).toEqual([]);
    expect(emulator.connections({ accountId: MEMBER }).filter(isLive)).toHaveLength(1); // the colleague
  });

  it('searches only the member account with --skip-own-account', async () => {
    // Act
    const run = await cli(['revoke', JANE, '--role-arn', MEMBER_ROLE, '--skip-own-account', '--json']);

    // Assess
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as RevocationResult;
    expect(result.accounts?.map((account) => account.accountId)).toEqual([MEMBER]);
    expect(liveJaneIds(MEMBER_CERT, MEMBER)).toEqual([]);
    expect(liveJaneIds(EAST_SAML)).toHaveLength(2);
    expect(emulator.calls().filter((c) => c.accountId === OWN && c.service === 'ec2')).toEqual([]);
  });

  it('reports a role it cannot assume as an unreachable account and exits 3, after ending the rest', async () => {
    // Prepare
    const missing = 'arn:aws:iam::333344445555:role/ClientVpnRevokerMember';

    // Act
    const run = await cli([
      'revoke',
      JANE,
      '--region',
      'us-east-1',
      '--role-arn',
      missing,
      '--role-arn',
      MEMBER_ROLE,
    ]);

    // Assess
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(
      `333344445555 us-east-1: cannot list endpoints: AccessDenied: Could not assume ${missing}`,
    );
    expect(run.stdout).toContain(
      `account 333344445555: unreachable: AccessDenied: Could not assume ${missing}`,
    );
    expect(run.stdout).toMatch(
      /^partial: 5 connections found, 5 ended, 0 remaining; 4 endpoints scanned, 1 unreachable$/m,
    );
    expect(liveJaneIds(MEMBER_CERT, MEMBER)).toEqual([]);
    expect(liveJaneIds(EAST_UNTAGGED)).toEqual([]);
  });
});

describe('client-vpn-revoker input and setup errors', () => {
  it.each([
    [['revoke', JANE, '--bogus'], "revoke: unknown option '--bogus'"],
    [['revoke', '--dry-run'], 'revoke: expected the identity'],
    [
      ['revoke', JANE, '--endpoint', 'cvpn-endpoint-0aaa00000000000e1'],
      'revoke: --endpoint: expected region:cvpn-endpoint-<hex>',
    ],
    [['sessions', '--tag', '=enabled'], 'sessions: --tag: expected key=value or key with a non-empty key'],
    [
      ['revoke', JANE, '--region', 'virginia'],
      "revoke: --region: expected an AWS region such as us-east-1, got 'virginia'",
    ],
    [
      ['revoke', JANE, '--tag', 'a=b', '--endpoint', `us-east-1:${EAST_SAML}`],
      '--endpoint and --tag are alternatives',
    ],
    [
      ['sessions', '--role-arn', 'arn:aws:iam::222233334444:user/someone'],
      "sessions: --role-arn: expected an IAM role ARN such as arn:aws:iam::123456789012:role/ClientVpnRevokerMember, got 'arn:aws:iam::222233334444:user/someone'",
    ],
    [
      [
        'revoke',
        JANE,
        '--role-arn',
        'arn:aws:iam::222233334444:role/A',
        '--role-arn',
        'arn:aws:iam::222233334444:role/B',
      ],
      'revoke: --role-arn: account 222233334444 is given twice',
    ],
    [
      ['sessions', '--skip-own-account'],
      'sessions: --skip-own-account leaves no account to search without --role-arn',
    ],
    [
      ['sessions', '--ad-domain', 'jdoe@corp'],
      "sessions: --ad-domain: expected an Active Directory domain: a NetBIOS name (CORP) or a DNS name (corp.example.com), got 'jdoe@corp'",
    ],
    [
      [
        'revoke',
        JANE,
        '--role-arn',
        'arn:aws:iam::222233334444:role/A',
        '--endpoint',
        `us-east-1:${EAST_SAML}`,
      ],
      'revoke: --endpoint names endpoints of your own account; with --role-arn select endpoints by --tag',
    ],
    [['request', JANE], 'request: --reason is required'],
    [['lift', JANE, '--reason', '   '], 'lift: --reason: expected a non-empty reason'],
    [['terminate', JANE], "unknown command 'terminate'"],
  ])('%j exits 2 with a message and calls nothing', async (args, message) => {
    // Act
    const run = await cli(args);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('--help');
    expect(run.stdout).toBe('');
    expect(emulator.calls()).toEqual([]);
  });

  it('reports bad input as a JSON error with --json', async () => {
    // Act
    const run = await cli(['revoke', JANE, '--endpoint', 'nope', '--json']);

    // Assess
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      error: {
        kind: 'bad-input',
        exitCode: 2,
        message: 'revoke: --endpoint: expected region:cvpn-endpoint-<hex>, got "nope"',
      },
    });
  });

  it('exits 5 without credentials, saying how to provide them', async () => {
    // Act
    const run = await cli(['revoke', JANE], { ...isolatedEnv(), AWS_REGION: 'us-east-1' });

    // Assess
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('No AWS credentials');
    expect(run.stderr).toContain('AWS_PROFILE');
    expect(emulator.calls()).toEqual([]);
  });

  it('exits 5 without a region, saying how to provide one', async () => {
    // Prepare
    const { AWS_REGION: _region, ...withoutRegion } = operatorEnv();

    // Act
    const runs = await Promise.all([
      cli(['sessions'], withoutRegion),
      cli(['request', JANE, '--reason', 'x'], withoutRegion),
    ]);

    // Assess
    for (const run of runs) {
      expect(run.code).toBe(5);
      expect(run.stderr).toContain('No AWS region: pass --region');
    }
    expect(emulator.calls()).toEqual([]);
  });

  it('documents the commands and the exit codes in --help', async () => {
    // Act
    const [global, revokeHelp] = await Promise.all([cli(['--help']), cli(['revoke', '--help'])]);

    // Assess
    expect(global.code).toBe(0);
    expect(global.stdout).toContain('Exit codes:');
    for (const code of ['0  done', '2  bad input', '3  partial', '4  failed', '5  no AWS credentials']) {
      expect(global.stdout).toContain(code);
    }
    expect(revokeHelp.code).toBe(0);
    expect(revokeHelp.stdout).toContain('--dry-run');
    expect(revokeHelp.stdout).toContain('--endpoint REGION:ID');
  });
});
