import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PublishedEvent } from '../../emulator/eventbridge.ts';
import { type Seed, startEmulator } from '../../emulator/index.ts';
import { outcomeDetailSchema } from '../../lambda/core/outcome.ts';
import { LOCAL_ACCOUNT, RevokerOnEmulator } from '../../local/revoker-on-emulator.ts';

// docs/incident-response.md's shell blocks, run as written (bash, jq and the real AWS CLI v2) against the
// emulator; the events they put then go through the synthesized rules to the bundled function.
const RUNBOOK = fileURLToPath(new URL('../../docs/incident-response.md', import.meta.url));
const CLI_GUIDE = fileURLToPath(new URL('../../docs/cli.md', import.meta.url));
const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
const AWS = '/usr/bin/aws';
const JANE = 'jane.doe@example.com';
const ENDPOINT = 'cvpn-endpoint-0aaa00000000000e1';

/** The `sh` code block of the section whose heading starts with `heading`. */
function shellBlock(markdown: string, heading: string): string {
  const section = markdown.split(/^## /m).find((part) => part.startsWith(heading));
  const block = section?.match(/```sh\n([\s\S]*?)```/)?.[1];
  if (!block) throw new Error(`No sh block under "## ${heading}" in ${RUNBOOK}`);
  return block;
}

const seed: Seed = {
  endpoints: [
    {
      id: ENDPOINT,
      region: 'us-east-1',
      tags: { 'client-vpn-revoker': 'enabled' },
      authType: 'saml',
      connections: [{ username: JANE }, { username: JANE }, { username: 'colleague@example.com' }],
    },
  ],
};

let revoker: RevokerOnEmulator | undefined;
afterEach(async () => {
  await revoker?.stop();
  revoker = undefined;
});

beforeAll(() => {
  for (const tool of [AWS, '/usr/bin/jq']) {
    if (!existsSync(tool))
      throw new Error(`${tool} not found: .ci/run installs it (Debian packages awscli, jq)`);
  }
});

/**
 * Runs blocks in one bash, as an operator pasting them into one terminal would. Asynchronously: the emulator
 * answers from this process.
 */
function runShell(script: string, env: Record<string, string>, cwd?: string) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      'bash',
      ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', script],
      { env, encoding: 'utf8', timeout: 60_000, ...(cwd && { cwd }) },
      (error, stdout, stderr) =>
        resolve({ status: error ? ((error.code as number | null) ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The envelope EventBridge delivers to rule targets for an event put with PutEvents. */
const delivered = (event: PublishedEvent) => ({
  version: '0',
  id: event.eventId,
  'detail-type': event.detailType,
  source: event.source,
  account: LOCAL_ACCOUNT,
  time: event.time,
  region: event.region,
  resources: event.resources,
  detail: event.detail,
});

describe('docs/incident-response.md', () => {
  it('revokes with the "Revoke" block and lifts with the "Lift" block, as written', async () => {
    // Prepare
    const markdown = readFileSync(RUNBOOK, 'utf8');
    const r = await RevokerOnEmulator.start({
      seed,
      cdkOut: inject('cdkOut'),
      emulator: { terminateDelayMs: 10 },
    });
    revoker = r;
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      ...r.emulator.env,
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIAOPERATOR',
      AWS_SECRET_ACCESS_KEY: 'operator',
      AWS_PAGER: '',
    };
    const routeAndDeliver = async () => {
      const events = r.emulator
        .publishedEvents()
        .filter((e) => e.detailType.startsWith('Client VPN Revocation'));
      const event = events.at(-1);
      if (!event) throw new Error('the block put no runbook event');
      expect(r.putEvent(delivered(event), event.eventBusName)).toBe(true);
      const report = await r.drain();
      expect(report.deadLettered).toEqual([]);
      const outcome = r.emulator
        .publishedEvents()
        .filter((e) => e.detailType === 'Client VPN Revocation Outcome')
        .map((e) => outcomeDetailSchema.parse(e.detail))
        .find((o) => o.requestId === event.eventId);
      return { event, outcome };
    };

    // Act: the Revoke block
    const revoke = await runShell(shellBlock(markdown, '1. Revoke'), env);

    // Assess
    expect(revoke.stderr).toBe('');
    expect(revoke.status).toBe(0);
    const revoked = await routeAndDeliver();
    expect(revoke.stdout).toBe(`requestId: ${revoked.event.eventId}\n`);
    expect(revoked.outcome).toMatchObject({
      status: 'revoked',
      identity: JANE,
      summary: { connectionsFound: 2, connectionsTerminated: 2, connectionsRemaining: 0 },
    });
    const live = r.emulator.connections().filter((c) => c.status === 'active');
    expect(live.map((c) => c.username)).toEqual(['colleague@example.com']);

    // Act: the Lift block, after the Revoke block's variables (same terminal)
    const lift = await runShell(
      `${shellBlock(markdown, '1. Revoke')}\n${shellBlock(markdown, '4. Lift')}`,
      env,
    );

    // Assess
    expect(lift.status).toBe(0);
    const lifted = await routeAndDeliver();
    expect(lifted.event.detailType).toBe('Client VPN Revocation Lifted');
    expect(lifted.outcome).toMatchObject({ status: 'lifted', action: 'lift', ledger: { state: 'lifted' } });
  });
});

describe('docs/cli.md', () => {
  it('lists the sessions in two member accounts with the "Across accounts" block, as written', async () => {
    // Prepare: the two member accounts the block names, each with its role and a session of Jane's
    const block = readFileSync(CLI_GUIDE, 'utf8')
      .split(/^### /m)
      .find((part) => part.startsWith('Across accounts'))
      ?.match(/```bash\n([\s\S]*?)```/)?.[1];
    if (!block) throw new Error(`No bash block under "### Across accounts" in ${CLI_GUIDE}`);
    const members = [...block.matchAll(/arn:aws:iam::(\d{12}):role\/\S+/g)];
    expect(members).toHaveLength(2);
    const emulator = await startEmulator({
      seed: {
        roles: members.map(([arn]) => arn),
        endpoints: members.map(([, accountId], index) => ({
          id: `cvpn-endpoint-0ddd0000000000${index}d1`,
          accountId,
          region: 'us-east-1',
          tags: { 'client-vpn-revoker': 'enabled' },
          authType: 'certificate' as const,
          connections: [{ commonName: JANE }, { commonName: 'colleague@example.com' }],
        })),
      },
    });
    try {
      // Act
      const run = await runShell(
        block,
        {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: process.env.HOME ?? '/tmp',
          ...emulator.env,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'AKIAOPERATOR',
          AWS_SECRET_ACCESS_KEY: 'operator',
        },
        REPOSITORY,
      );

      // Assess
      expect(run.status).toBe(0);
      const rows = run.stdout.split('\n').filter((line) => /^\d{12}\s/.test(line) && line.includes(JANE));
      expect(rows.map((row) => row.split(/\s+/)[0])).toEqual(members.map(([, accountId]) => accountId));
      expect(run.stdout).toContain(`2 live connections of ${JANE}; 2 endpoints scanned, 0 unreachable`);
    } finally {
      await emulator.stop();
    }
  });
});
