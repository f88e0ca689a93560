import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { coldStartFiles, packageScripts, totalBytes } from '../local/bundle-files.ts';
import { REPO_ROOT } from '../local/synth.ts';
import { median, percentile, round, synthesizedRevoker } from './common.ts';

const CHILD = fileURLToPath(new URL('./cold-start-child.mjs', import.meta.url));
const HANDLER_SOURCE = join(REPO_ROOT, 'lambda/revoker/handler.ts');
/** Nothing may reach AWS at init: every SDK endpoint points at a closed local port. */
const NOWHERE = 'http://127.0.0.1:9';

export interface ColdStartResult {
  /** Median cost of importing the deployed bundle and taking its handler, bare Node start subtracted. */
  readonly initMs: number;
  /** The same for the handler bundled with NodejsFunction's defaults (SDK loaded from node_modules). */
  readonly defaultInitMs: number;
  readonly ratio: number;
  /** Size of the deployed package's JavaScript: entry and every chunk (source maps left out). */
  readonly bundleBytes: number;
  /** The part a cold start loads: the entry and the chunks it imports statically. */
  readonly coldStartLoadBytes: number;
  readonly defaultBundleBytes: number;
  readonly runs: number;
  /** Median wall time of a bare `node` process (spawn to exit), subtracted from the others. */
  readonly bareNodeMs: number;
  /** The deployed bundle without NODE_OPTIONS=--enable-source-maps: what the source map costs at init. */
  readonly initMsWithoutSourceMaps: number;
  /** p10/p90 of initMs and defaultInitMs (bare Node median subtracted). */
  readonly spread: { readonly initMs: [number, number]; readonly defaultInitMs: [number, number] };
  /** In-process import time (as local/lambda-worker.ts measures initMs), medians. */
  readonly inProcessImportMs: { readonly bundled: number; readonly default: number };
}

/**
 * The handler bundled as `NodejsFunction` does with no `bundling` options: not minified, no source map,
 * `@aws-sdk/*` external (loaded from node_modules at run time, like the Lambda runtime's SDK), target from the
 * runtime. One forced difference: ESM instead of NodejsFunction's default CommonJS, because the handler uses a
 * top-level await (esbuild refuses it in CJS); ESM also needs the same `require` banner the product's bundle has.
 * Written under node_modules/.cache so the external SDK resolves from the project's node_modules.
 */
export async function buildDefaultBundle(): Promise<{ file: string; dispose: () => void }> {
  const cacheDir = join(REPO_ROOT, 'node_modules/.cache');
  mkdirSync(cacheDir, { recursive: true });
  const dir = mkdtempSync(join(cacheDir, 'client-vpn-revoker-bench-'));
  const file = join(dir, 'index.mjs');
  await build({
    entryPoints: [HANDLER_SOURCE],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: false,
    sourcemap: false,
    external: ['@aws-sdk/*'],
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    logLevel: 'error',
  });
  return { file, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

interface ProcessRun {
  readonly wallMs: number;
  readonly importMs: number;
}

function runOnce(args: readonly string[], env: Record<string, string>): ProcessRun {
  const started = performance.now();
  const child = spawnSync(process.execPath, [CHILD, ...args], { env, encoding: 'utf8' });
  const wallMs = performance.now() - started;
  if (child.status !== 0) {
    throw new Error(
      `cold start of ${args[0] ?? 'bare node'} failed (exit ${child.status}):\n${child.stderr}`,
    );
  }
  return { wallMs, importMs: (JSON.parse(child.stdout) as { importMs: number }).importMs };
}

/**
 * Starts `runs` fresh Node processes for each variant, interleaved so drift hits all alike: bare Node, the
 * deployed bundle (its environment from cdk.out, NODE_OPTIONS included), the same without source maps, and the
 * NodejsFunction-default bundle. A figure is the median process wall time minus the bare one.
 */
export async function measureColdStart(
  options: { runs?: number; cdkOut?: string } = {},
): Promise<ColdStartResult> {
  const runs = options.runs ?? 20;
  const stack = synthesizedRevoker(options.cdkOut);
  const lambdaEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    ...stack.environment,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIALOCALBENCH',
    AWS_SECRET_ACCESS_KEY: 'local-bench-secret',
    AWS_LAMBDA_FUNCTION_NAME: 'ClientVpnRevoker-Function',
    ...Object.fromEntries(
      ['EC2', 'EVENTBRIDGE', 'DYNAMODB', 'IDENTITYSTORE', 'COGNITO_IDENTITY_PROVIDER', 'SECRETS_MANAGER'].map(
        (service) => [`AWS_ENDPOINT_URL_${service}`, NOWHERE],
      ),
    ),
  };
  const { NODE_OPTIONS: _sourceMaps, ...withoutNodeOptions } = lambdaEnv;
  const defaultBundle = await buildDefaultBundle();
  try {
    const samples = {
      bare: [] as ProcessRun[],
      bundled: [] as ProcessRun[],
      noMaps: [] as ProcessRun[],
      dflt: [] as ProcessRun[],
    };
    // One untimed round first: file-system caches warm, as they are for every later process.
    runOnce([stack.bundleFile, stack.exportName], lambdaEnv);
    runOnce([defaultBundle.file, 'handler'], withoutNodeOptions);
    for (let i = 0; i < runs; i++) {
      samples.bare.push(runOnce([], withoutNodeOptions));
      samples.bundled.push(runOnce([stack.bundleFile, stack.exportName], lambdaEnv));
      samples.noMaps.push(runOnce([stack.bundleFile, stack.exportName], withoutNodeOptions));
      samples.dflt.push(runOnce([defaultBundle.file, 'handler'], withoutNodeOptions));
    }
    const wall = (list: readonly ProcessRun[]) => list.map((run) => run.wallMs);
    const bareNodeMs = median(wall(samples.bare));
    const net = (list: readonly ProcessRun[]) => wall(list).map((ms) => ms - bareNodeMs);
    const initMs = median(net(samples.bundled));
    const defaultInitMs = median(net(samples.dflt));
    const spread = (list: readonly ProcessRun[]): [number, number] => [
      round(percentile(net(list), 10)),
      round(percentile(net(list), 90)),
    ];
    return {
      initMs: round(initMs),
      defaultInitMs: round(defaultInitMs),
      ratio: round(initMs / defaultInitMs, 3),
      bundleBytes: totalBytes(packageScripts(stack.bundleFile)),
      coldStartLoadBytes: totalBytes(coldStartFiles(stack.bundleFile).keys()),
      defaultBundleBytes: statSync(defaultBundle.file).size,
      runs,
      bareNodeMs: round(bareNodeMs),
      initMsWithoutSourceMaps: round(median(net(samples.noMaps))),
      spread: { initMs: spread(samples.bundled), defaultInitMs: spread(samples.dflt) },
      inProcessImportMs: {
        bundled: round(median(samples.bundled.map((run) => run.importMs))),
        default: round(median(samples.dflt.map((run) => run.importMs))),
      },
    };
  } finally {
    defaultBundle.dispose();
  }
}
