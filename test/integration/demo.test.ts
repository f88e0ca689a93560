import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../local/synth.ts';

describe('npm run demo', () => {
  it('revokes the demo user through the synthesized stack and exits 0', () => {
    // Act: the README's first command, as written
    const run = spawnSync('npm', ['run', '--silent', 'demo'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });

    // Assess
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('matched rule');
    expect(run.stdout).toMatch(/active → (terminating|terminated)/);
    expect(run.stdout).toContain('"status": "revoked"');
    expect(run.stdout).toMatch(/jane\.doe@example\.com: denied — "Your VPN access has been revoked/);
    expect(run.stdout).toContain('john.roe@example.com: allowed');
    expect(run.stdout).toContain(
      'Revoked: 5 in-scope sessions of jane.doe@example.com ended, her reconnect denied, everyone else untouched.',
    );
  }, 120_000);
});
