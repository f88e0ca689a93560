import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = `${ROOT}node_modules/.bin/tsx`;
const run = promisify(execFile);

/** Runs the emulator CLI to completion (bad arguments end it at once). */
const cli = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await run(TSX, ['emulator/cli.ts', ...args], { cwd: ROOT, timeout: 15_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const error = e as { code?: number; stdout?: string; stderr?: string };
    return { code: error.code ?? -1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' };
  }
};

/** Resolves with everything printed once `text` has appeared on stdout. */
const waitFor = async (child: ChildProcess, text: string): Promise<string> => {
  let output = '';
  for await (const chunk of child.stdout ?? []) {
    output += String(chunk);
    if (output.includes(text)) return output;
  }
  throw new Error(`process ended before printing '${text}': ${output}`);
};

describe('emulator/cli.ts', () => {
  it.each([
    [['--port', 'abc'], "--port expects an integer between 0 and 65535, got 'abc'"],
    [['--port', '70000'], "--port expects an integer between 0 and 65535, got '70000'"],
    [['--bogus'], "Unknown option '--bogus'"],
    [
      ['--seed', 'no-such-file.json'],
      "--seed expects 'demo' or a readable JSON file; cannot read 'no-such-file.json'",
    ],
    [['--time-scale', '0'], "--time-scale expects a positive number, got '0'"],
  ])('rejects %j with exit code 2 and says what was expected', async (args, message) => {
    // Act
    const result = await cli(...args);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage:');
  });

  it('serves the demo seed, prints the URL and the env vars, and stops on SIGTERM', async () => {
    // Prepare
    const child = spawn(TSX, ['emulator/cli.ts', '--port', '0', '--seed', 'demo'], { cwd: ROOT });

    // Act
    const banner = await waitFor(child, 'Press Ctrl+C');
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1] ?? '';
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=DescribeClientVpnEndpoints&Version=2016-11-15',
    });
    const body = await response.text();
    child.kill('SIGTERM');
    const [exitCode] = await once(child, 'exit');

    // Assess
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(banner).toContain(`export AWS_ENDPOINT_URL_EC2=${url}`);
    expect(banner).toContain(`export AWS_ENDPOINT_URL_STS=${url}`);
    expect(banner).toContain(`export AWS_ENDPOINT_URL_EVENTBRIDGE=${url}`);
    expect(banner).toContain(`export AWS_ENDPOINT_URL_IDENTITYSTORE=${url}`);
    expect(banner).toContain(`export AWS_ENDPOINT_URL_SECRETS_MANAGER=${url}`);
    expect(banner).toMatch(/Seed: demo: 5 endpoints, \d+ connections/);
    expect(response.status).toBe(200);
    expect(body).toContain('cvpn-endpoint-0a1b2c3d4e5f6a7b8');
    expect(exitCode).toBe(0);
  });
});
