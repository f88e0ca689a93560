import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CDK_OUT = fileURLToPath(new URL('../cdk.out', import.meta.url));

/** Runs `cdk synth` as a user would, so the bundle under test is the one `cdk deploy` would upload. */
export function synthesize(output = CDK_OUT): void {
  execFileSync('npx', ['cdk', 'synth', '--quiet', '--output', output], {
    cwd: REPO_ROOT,
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}
