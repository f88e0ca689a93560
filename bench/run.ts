/**
 * `npm run bench`: cold start, single-user latency and mass offboarding against the local emulator, each a
 * ratio measured in the same run. Writes bench/results/latest.json and latest.md and prints the summary.
 * Synthesizes first when cdk.out is older than the sources it is built from.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CDK_OUT, REPO_ROOT, synthesize } from '../local/synth.ts';
import { measureColdStart } from './cold-start.ts';
import { measureLatency } from './latency.ts';
import { MASS_TIME_SCALE, measureMass } from './mass.ts';
import { type BenchResults, evaluateGoals, summary } from './report.ts';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, entry) => Math.max(newest, newestMtime(join(path, entry))),
    stat.mtimeMs,
  );
}

function cdkOutIsStale(): boolean {
  const manifest = join(CDK_OUT, 'manifest.json');
  if (!existsSync(manifest)) return true;
  const sources = ['lambda', 'lib', 'bin', 'cdk.json', 'package-lock.json'].map((p) => join(REPO_ROOT, p));
  return Math.max(...sources.map(newestMtime)) > statSync(manifest).mtimeMs;
}

async function main(): Promise<void> {
  if (cdkOutIsStale()) {
    console.log('cdk.out is older than lambda/, lib/, bin/ or cdk.json: synthesizing (npx cdk synth)…');
    synthesize();
  }
  const started = Date.now();
  console.log('Cold start: 20 fresh Node processes per variant…');
  const coldStart = await measureColdStart({ runs: 20 });
  console.log('Single-user latency: 50 ms per call, 7 warm requests…');
  const latency = await measureLatency({ runs: 7, latencyMs: 50 });
  console.log(
    `Mass offboarding: 1,000 users, 15,000 connections, ×${MASS_TIME_SCALE} time, product then naive…`,
  );
  const mass = await measureMass({
    users: 1000,
    totalConnections: 15_000,
    endpoints: 3,
    timeScale: MASS_TIME_SCALE,
  });
  const results: BenchResults = {
    timestamp: new Date().toISOString(),
    durationS: Math.round((Date.now() - started) / 1000),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    coldStart,
    latency,
    mass,
    goals: evaluateGoals({ coldStart, latency, mass }),
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  const text = summary(results);
  writeFileSync(join(RESULTS, 'latest.md'), text);
  console.log(`\n${text}`);
  console.log(`Written: bench/results/latest.json, bench/results/latest.md`);
}

await main();
