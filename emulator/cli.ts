import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { InvalidSeedError, parseSeed, type Seed } from './seed.ts';
import { demoSeed } from './seeds/demo.ts';
import { startEmulator } from './server.ts';

/**
 * npx tsx emulator/cli.ts [--port <n>] [--seed demo|<file.json>] [--terminate-delay-ms <ms>] [--time-scale <x>]
 * Serves until SIGINT/SIGTERM. Exit codes: 0 after a signal, 2 for bad arguments or seed, 1 when it cannot start.
 */

const USAGE = `Usage: npx tsx emulator/cli.ts [options]

Options:
  --port <n>                TCP port on 127.0.0.1 (0-65535, 0 = any free port; default 4010)
  --seed demo|<file.json>   load the demo estate or a seed file (format: emulator/README.md)
  --terminate-delay-ms <ms> emulated ms from terminating to terminated (default 50)
  --time-scale <x>          emulated time runs x times faster (default 1)
  -h, --help                show this help`;

class UsageError extends Error {
  override name = 'UsageError';
}

const number = (flag: string, text: string, expected: string, valid: (n: number) => boolean): number => {
  const value = Number(text);
  if (text.trim() === '' || !valid(value)) throw new UsageError(`${flag} expects ${expected}, got '${text}'`);
  return value;
};

const loadSeed = async (spec: string): Promise<Seed> => {
  if (spec === 'demo') return demoSeed();
  let text: string;
  try {
    text = await readFile(spec, 'utf8');
  } catch (e) {
    throw new UsageError(
      `--seed expects 'demo' or a readable JSON file; cannot read '${spec}': ${(e as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--seed: '${spec}' is not valid JSON: ${(e as Error).message}`);
  }
  try {
    return parseSeed(json);
  } catch (e) {
    if (e instanceof InvalidSeedError)
      throw new UsageError(`--seed: '${spec}' is not a valid seed:\n${e.message}`);
    throw e;
  }
};

const OPTIONS = {
  port: { type: 'string' },
  seed: { type: 'string' },
  'terminate-delay-ms': { type: 'string' },
  'time-scale': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const parseCommandLine = async (argv: string[]) => {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values } = parsed;
  if (values.help) return undefined;
  return {
    port: number('--port', values.port ?? '4010', 'an integer between 0 and 65535', (n) => {
      return Number.isInteger(n) && n >= 0 && n <= 65_535;
    }),
    seed: values.seed === undefined ? undefined : await loadSeed(values.seed),
    seedName: values.seed,
    terminateDelayMs: number(
      '--terminate-delay-ms',
      values['terminate-delay-ms'] ?? '50',
      'a non-negative number of milliseconds',
      (n) => Number.isFinite(n) && n >= 0,
    ),
    timeScale: number('--time-scale', values['time-scale'] ?? '1', 'a positive number', (n) => {
      return Number.isFinite(n) && n > 0;
    }),
  };
};

const main = async (): Promise<number> => {
  let options: Awaited<ReturnType<typeof parseCommandLine>>;
  try {
    options = await parseCommandLine(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`error: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (!options) {
    console.log(USAGE);
    return 0;
  }
  const { seedName, ...startOptions } = options;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator(startOptions);
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 1;
  }
  const endpoints = emulator.endpoints();
  const connections = endpoints.reduce((sum, e) => sum + e.listedConnections, 0);
  console.log(`Client VPN Revoker AWS emulator listening on ${emulator.url}`);
  console.log(`Seed: ${seedName ?? '(none)'}: ${endpoints.length} endpoints, ${connections} connections`);
  console.log('\nExport these to point the AWS SDKs and CLI v2 at it:\n');
  for (const [name, value] of Object.entries({
    ...emulator.env,
    AWS_ACCESS_KEY_ID: 'emulator',
    AWS_SECRET_ACCESS_KEY: 'emulator',
    AWS_REGION: 'us-east-1',
  })) {
    console.log(`export ${name}=${value}`);
  }
  console.log('\nPress Ctrl+C to stop.');
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.log(`\n${signal}: stopping`);
  await emulator.stop();
  return 0;
};

process.exitCode = await main();
