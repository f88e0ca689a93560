import type { ColdStartResult } from './cold-start.ts';
import { CRITICAL_PATH, type LatencyResult } from './latency.ts';
import type { MassResult } from './mass.ts';

export interface Goal {
  readonly figure: string;
  readonly target: string;
  readonly value: number;
  readonly met: boolean;
}

export interface BenchResults {
  readonly timestamp: string;
  readonly durationS: number;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryGiB: number;
    readonly node: string;
    readonly platform: string;
  };
  readonly coldStart: ColdStartResult;
  readonly latency: LatencyResult;
  readonly mass: MassResult;
  readonly goals: Record<string, Goal>;
}

/** The goals of issue #7. */
export function evaluateGoals(r: Pick<BenchResults, 'coldStart' | 'latency' | 'mass'>): Record<string, Goal> {
  const atMost = (figure: string, value: number, limit: number): Goal => ({
    figure,
    target: `≤ ${limit}`,
    value,
    met: Number.isFinite(value) && value <= limit,
  });
  const atLeast = (figure: string, value: number, limit: number): Goal => ({
    figure,
    target: `≥ ${limit}`,
    value,
    met: value >= limit,
  });
  return {
    'coldStart.ratio': atMost('coldStart.ratio', r.coldStart.ratio, 0.35),
    'latency.ratio': atMost('latency.ratio', r.latency.ratio, 1.5),
    'mass.callsRatio': atMost('mass.callsRatio', r.mass.callsRatio, 1.05),
    'mass.wallRatio': atMost('mass.wallRatio', r.mass.wallRatio, 1.25),
    'mass.lost': { figure: 'mass.lost', target: '= 0', value: r.mass.lost, met: r.mass.lost === 0 },
    'mass.naiveSpeedup': atLeast('mass.naiveSpeedup', r.mass.naiveSpeedup, 3),
  };
}

const kib = (bytes: number) => `${Math.round(bytes / 1024).toLocaleString('en')} KiB`;

/** The readable summary: every figure, how it is computed, and whether its goal is met. */
export function summary(r: BenchResults): string {
  const { coldStart: c, latency: l, mass: m } = r;
  const goal = (key: string) => {
    const g = r.goals[key];
    return g ? `${g.target} ${g.met ? '✅ met' : '❌ not met'}` : '';
  };
  const timeline = l.timeline
    .map((call) => `${call.action} (${call.region ?? ''}) +${call.atMs} ms`)
    .join(' → ');
  return `# Benchmark results

${r.timestamp} · ${r.machine.cpus} × ${r.machine.cpuModel} · ${r.machine.memoryGiB} GiB · Node ${r.machine.node} · ${r.machine.platform} · ${r.durationS} s

| Figure | Value | Goal |
| --- | --- | --- |
| coldStart.ratio | ${c.ratio} (${c.initMs} ms vs ${c.defaultInitMs} ms) | ${goal('coldStart.ratio')} |
| latency.ratio | ${l.ratio} (${l.ms} ms vs ${l.criticalPathMs} ms) | ${goal('latency.ratio')} |
| mass.callsRatio | ${m.callsRatio} | ${goal('mass.callsRatio')} |
| mass.wallRatio | ${m.wallRatio} (${m.wall.emulatedS} s vs ${m.wall.boundS} s emulated) | ${goal('mass.wallRatio')} |
| mass.lost | ${m.lost} | ${goal('mass.lost')} |
| mass.naiveSpeedup | ${m.naiveSpeedup} | ${goal('mass.naiveSpeedup')} |

## Cold start

Median of ${c.runs} fresh Node processes per variant (spawn to exit, importing the bundle and taking its
handler as local/lambda-worker.ts does), minus the median bare \`node\` process (${c.bareNodeMs} ms).

- Deployed bundle (cdk.out, built by lib/bundling/: ESM, minified, SDK bundled with only the shapes and the
  credential providers it uses, rarely used clients split into chunks loaded on first use; ${kib(c.bundleBytes)} in
  all, ${kib(c.coldStartLoadBytes)} loaded at cold start; run with the function's environment
  including \`NODE_OPTIONS=--enable-source-maps\`): **${c.initMs} ms** (p10–p90 ${c.spread.initMs.join('–')}); without
  source maps ${c.initMsWithoutSourceMaps} ms.
- Same handler, NodejsFunction defaults (not minified, no source map, \`@aws-sdk/*\` loaded from node_modules;
  ESM instead of CommonJS because the handler has a top-level await, ${kib(c.defaultBundleBytes)} + the SDK):
  **${c.defaultInitMs} ms** (p10–p90 ${c.spread.defaultInitMs.join('–')}).
- In-process import times: ${c.inProcessImportMs.bundled} ms vs ${c.inProcessImportMs.default} ms. Nothing is called at
  init (every AWS endpoint points at a closed port).

## Single-user latency

${l.perCallLatencyMs} ms added to every call (EC2, EventBridge, and the ledger's DynamoDB through a delaying
proxy); a user with 3 sessions on 2 endpoints in 2 regions; warm environment (one warm-up request first);
median of ${l.runs} requests, each measured from the batch reaching the handler to its return after PutEvents
(samples: ${l.samplesMs.join(', ')} ms).

Critical-path minimum = ${CRITICAL_PATH.length} sequential steps × ${l.perCallLatencyMs} ms = **${l.criticalPathMs} ms**:
${CRITICAL_PATH.map((step, i) => `${i + 1}. ${step}`).join('\n')}

The ledger's PutItem must precede the first Terminate but not discovery, so it overlaps steps 1–2 and is not
counted; DescribeClientVpnEndpoints is on the path (endpoints are discovered by tag) and PutEvents is.

Last measured request: ${timeline}

## Mass offboarding

${m.scale.users.toLocaleString('en')} users disabled within ${m.scale.arrivalWindowS} s, ${m.scale.endpoints} endpoints in one region,
${m.scale.connections.toLocaleString('en')} active connections (${m.scale.leaverSessions.toLocaleString('en')} of them the leavers', 1–8 per user), EC2's real
buckets, emulated time ×${m.scale.timeScale}; the bundled product through the stack's queue semantics
(${m.calls.invocations} invocations).

- Mutating: ${m.calls.mutating} Terminates vs lower bound ${m.calls.mutatingLowerBound} (one by Username per user and
  endpoint with 1–5 sessions; with more, one per ConnectionId beyond 5 and one by Username for the last 5): ratio
  ${m.calls.mutatingRatio}.
- Non-mutating: ${m.calls.nonMutating} (${m.calls.describeConnections} DescribeClientVpnConnections +
  ${m.calls.describeEndpoints} DescribeClientVpnEndpoints) vs lower bound ${m.calls.nonMutatingLowerBound} = per invocation,
  one Describe page per 1,000 listed connections for one sweep (${m.calls.pagesPerSweep} pages per sweep) + one
  DescribeClientVpnEndpoints per region (verification is not counted: it can ride on a later sweep or a filtered
  Describe): ratio ${m.calls.nonMutatingRatio}.
- callsRatio = all calls / all lower bounds = ${m.callsRatio}.
- Wall: ${m.wall.emulatedS} s emulated (${m.wall.realS} s real) vs ${m.wall.boundS} s = max(arrival window,
  (N − 50) / 5) for N = ${m.calls.mutatingLowerBound} Terminates from a full bucket.
- RequestLimitExceeded: ${m.throttled}; lost (no final outcome, sessions left, or dead-lettered): ${m.lost};
  dead-lettered ${m.deadLettered}.
- Naive revoker (username-filtered Describe on every endpoint, Terminate per ConnectionId, SDK standard
  retries in emulated time, Lambda's 2 async retries, one environment per event) on a fresh emulator with the
  same estate, arrivals and buckets: ${m.naive.emulatedS} s, ${m.naive.terminates} Terminates, ${m.naive.describes} Describes,
  ${m.naive.throttled} RequestLimitExceeded, ${m.naive.lost} users left connected. Its time to finish every request at its
  own pace: ${m.naive.effectiveS} s; naiveSpeedup = that / the product's wall time = ${m.naiveSpeedup}.
  A revoker at the wall bound (${m.wall.boundS} s) would reach ${m.naive.speedupAtBound}: the naive revoker's one
  Terminate per session (${m.scale.leaverSessions.toLocaleString('en')} sessions) needs
  ${Math.round((m.scale.leaverSessions - 50) / 5)} s from a full bucket itself, so the goal of 3 is out of reach for
  any revoker in this scenario; what it loses is users (${m.naive.lost} left connected here, none by the product).
`;
}
