import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CDK_OUT = fileURLToPath(new URL('../cdk.out', import.meta.url));

/** Runs `cdk synth` as a user would, so the bundle under test is the one `cdk deploy` would upload. */
export function synthesize(output = CDK_OUT, context: Readonly<Record<string, string>> = {}): void {
  const contextArgs = Object.entries(context).flatMap(([key, value]) => ['--context', `${key}=${value}`]);
  const run = spawnSync('npx', ['cdk', 'synth', '--quiet', '--output', output, ...contextArgs], {
    cwd: REPO_ROOT,
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    const errors = run.stderr
      .split('\n')
      .filter((line) => line && !line.startsWith('npm warn'))
      .join('\n');
    throw new Error(`cdk synth failed (exit ${run.status}):\n${errors}`);
  }
}
