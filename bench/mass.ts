import { setTimeout as sleep } from 'node:timers/promises';
import { type Emulator, type Seed, startEmulator } from '../emulator/index.ts';
import { outcomeDetailSchema } from '../lambda/core/outcome.ts';
import { RevokerOnEmulator } from '../local/revoker-on-emulator.ts';
import { oktaDeactivation, prng, round } from './common.ts';
import { naiveRevoker } from './naive-revoker.ts';

/** EC2's mutating bucket (reference §10): 50 tokens, 5 per second. */
const TERMINATE_BUCKET = { capacity: 50, refillPerSecond: 5 };
const BY_USERNAME_LIMIT = 5;
const PAGE_SIZE = 1000;
const REGION = 'us-east-1';
const IN_SCOPE = { 'client-vpn-revoker': 'enabled' };
/**
 * The emulator's clock runs this much faster than the wall clock. Real CPU time is scaled up with it: a
 * 1,000-connection Describe page costs ≈ 45 ms of CPU here (SDK parse ≈ 35 ms, emulator ≈ 10 ms), which at ×50
 * became 2.2 s of emulated time per page and made the listing, not the Terminate bucket, the bottleneck; local
 * DynamoDB writes and cold starts were inflated alike. At ×5 a page costs ≈ 0.2 s, within what an API call
 * returning 600 KB takes, and the run still takes under two minutes.
 */
export const MASS_TIME_SCALE = 5;
/** Lambda's asynchronous retries of a failed invocation, in emulated ms (≈ 1 min, then ≈ 2 min later). */
const ASYNC_RETRY_DELAYS_MS = [60_000, 120_000];

export interface MassOptions {
  readonly users?: number;
  readonly totalConnections?: number;
  readonly endpoints?: number;
  readonly timeScale?: number;
  readonly arrivalWindowS?: number;
  readonly seed?: number;
  readonly cdkOut?: string;
}

type SeedConnection = NonNullable<NonNullable<Seed['endpoints']>[number]['connections']>[number];

/**
 * `users` leavers with 1–8 sessions (≈ 85 % 1–3 spread over the endpoints, ≈ 9 % 4–5, ≈ 6 % 6–8 all on one
 * endpoint, which Terminate by Username refuses), plus colleagues with 1–2 sessions up to `totalConnections`.
 */
export function massEstate(
  options: Required<Pick<MassOptions, 'users' | 'totalConnections' | 'endpoints' | 'seed'>>,
) {
  const random = prng(options.seed);
  const endpointIds = Array.from(
    { length: options.endpoints },
    (_, i) => `cvpn-endpoint-0${String(i + 1).padStart(16, '0')}`,
  );
  const pick = () => endpointIds[Math.floor(random() * endpointIds.length)] as string;
  const sessions = new Map<string, SeedConnection[]>(endpointIds.map((id) => [id, []]));
  const leavers = Array.from(
    { length: options.users },
    (_, i) => `leaver${String(i).padStart(5, '0')}@example.com`,
  );
  /** Per leaver, per endpoint: sessions seeded. */
  const seeded = new Map<string, Map<string, number>>();
  let total = 0;
  for (const leaver of leavers) {
    const r = random();
    const count =
      r < 0.85
        ? 1 + Math.floor(random() * 3)
        : r < 0.94
          ? 4 + Math.floor(random() * 2)
          : 6 + Math.floor(random() * 3);
    const perEndpoint = new Map<string, number>();
    const single = pick();
    for (let s = 0; s < count; s++) {
      const endpointId = count > BY_USERNAME_LIMIT ? single : pick();
      sessions.get(endpointId)?.push({ username: leaver });
      perEndpoint.set(endpointId, (perEndpoint.get(endpointId) ?? 0) + 1);
    }
    seeded.set(leaver, perEndpoint);
    total += count;
  }
  const leaverSessions = total;
  for (let i = 0; total < options.totalConnections; i++) {
    const count = Math.min(1 + Math.floor(random() * 2), options.totalConnections - total);
    for (let s = 0; s < count; s++) sessions.get(pick())?.push({ username: `colleague${i}@example.com` });
    total += count;
  }
  const seed: Seed = {
    endpoints: endpointIds.map((id) => ({
      id,
      region: REGION,
      tags: IN_SCOPE,
      authType: 'saml' as const,
      connections: sessions.get(id),
    })),
  };
  return { seed, endpointIds, leavers, seeded, leaverSessions, totalConnections: total };
}

/**
 * The fewest Terminates: one by Username per user and endpoint with 1–5 sessions; with more, one per
 * ConnectionId beyond 5 and one by Username for the last 5.
 */
export function terminateLowerBound(seeded: ReadonlyMap<string, ReadonlyMap<string, number>>): number {
  let calls = 0;
  for (const perEndpoint of seeded.values()) {
    for (const count of perEndpoint.values()) {
      calls += count <= BY_USERNAME_LIMIT ? 1 : count - BY_USERNAME_LIMIT + 1;
    }
  }
  return calls;
}

const isLive = (status: string) => status === 'active' || status === 'failed-to-terminate';

function liveLeavers(emulator: Emulator, leavers: ReadonlySet<string>): Set<string> {
  return new Set(
    emulator
      .connections()
      .filter((c) => isLive(c.status) && leavers.has(c.username.toLowerCase()))
      .map((c) => c.username.toLowerCase()),
  );
}

function arrivals(leavers: readonly string[], windowMs: number, seed: number) {
  const random = prng(seed);
  return leavers.map((leaver) => ({ leaver, atMs: random() * windowMs })).sort((a, b) => a.atMs - b.atMs);
}

function ec2Counts(emulator: Emulator) {
  const counts = Object.values(emulator.callCounts());
  const sum = (action: string, key: 'calls' | 'throttled') =>
    counts.filter((c) => c.action === action).reduce((total, c) => total + c[key], 0);
  const actions = [
    'TerminateClientVpnConnections',
    'DescribeClientVpnConnections',
    'DescribeClientVpnEndpoints',
  ];
  return {
    terminates: sum('TerminateClientVpnConnections', 'calls'),
    describeConnections: sum('DescribeClientVpnConnections', 'calls'),
    describeEndpoints: sum('DescribeClientVpnEndpoints', 'calls'),
    throttled: actions.reduce((total, action) => total + sum(action, 'throttled'), 0),
  };
}

export interface MassResult {
  readonly callsRatio: number;
  readonly wallRatio: number;
  readonly throttled: number;
  readonly lost: number;
  readonly naiveSpeedup: number;
  readonly scale: {
    readonly users: number;
    readonly endpoints: number;
    readonly connections: number;
    readonly leaverSessions: number;
    readonly timeScale: number;
    readonly arrivalWindowS: number;
  };
  readonly calls: {
    readonly mutating: number;
    readonly mutatingLowerBound: number;
    readonly mutatingRatio: number;
    readonly nonMutating: number;
    readonly describeConnections: number;
    readonly describeEndpoints: number;
    readonly nonMutatingLowerBound: number;
    readonly nonMutatingRatio: number;
    readonly invocations: number;
    readonly pagesPerSweep: number;
  };
  readonly wall: { readonly emulatedS: number; readonly realS: number; readonly boundS: number };
  readonly deadLettered: number;
  readonly naive: {
    readonly emulatedS: number;
    readonly terminates: number;
    readonly describes: number;
    readonly throttled: number;
    readonly lost: number;
    /** Emulated time to finish every request at the naive revoker's own pace (its wall time when it lost none). */
    readonly effectiveS: number;
    /**
     * The highest naiveSpeedup any revoker could reach in this run: the naive revoker's time over the product's
     * wall-time bound. Its own Terminates (one per session) need at least (sessions − 50) / 5 s.
     */
    readonly speedupAtBound: number;
  };
}

/**
 * Mass offboarding on the time-scaled emulator with EC2's real buckets: the bundled product through the
 * stack's queue semantics, then the naive revoker against a fresh emulator with the same estate, arrivals and
 * buckets.
 */
export async function measureMass(options: MassOptions = {}): Promise<MassResult> {
  const users = options.users ?? 1000;
  const timeScale = options.timeScale ?? MASS_TIME_SCALE;
  const arrivalWindowS = options.arrivalWindowS ?? 60;
  const seedNumber = options.seed ?? 20_270_115;
  const estate = massEstate({
    users,
    totalConnections: options.totalConnections ?? 15_000,
    endpoints: options.endpoints ?? 3,
    seed: seedNumber,
  });
  const leaverSet = new Set(estate.leavers);
  const schedule = arrivals(estate.leavers, arrivalWindowS * 1000, seedNumber + 1);
  const emulatorOptions = { timeScale, terminateDelayMs: 2_000 };

  // The product
  const r = await RevokerOnEmulator.start({
    seed: estate.seed,
    emulator: emulatorOptions,
    ...(options.cdkOut && { cdkOut: options.cdkOut }),
  });
  let product: {
    counts: ReturnType<typeof ec2Counts>;
    realMs: number;
    invocations: number;
    deadLettered: number;
    lost: number;
    pagesPerSweep: number;
  };
  try {
    r.emulator.faults.enableThrottling();
    const pagesPerSweep = r.emulator
      .endpoints()
      .reduce((sum, e) => sum + Math.max(1, Math.ceil(e.listedConnections / PAGE_SIZE)), 0);
    const requestIds = new Map<string, string>();
    const started = performance.now();
    const producer = (async () => {
      for (const { leaver, atMs } of schedule) {
        const wait = started + atMs / timeScale - performance.now();
        if (wait > 0) await sleep(wait);
        const { event, eventBusName } = oktaDeactivation(r.stack, leaver);
        requestIds.set(leaver, event.id);
        if (!r.putEvent(event, eventBusName)) throw new Error('the Okta event matched no rule of the stack');
      }
    })();
    const report = await r.drain({ until: producer });
    const realMs = performance.now() - started;
    const finals = new Map<string, ReturnType<typeof outcomeDetailSchema.parse>>();
    for (const published of r.emulator.publishedEvents()) {
      const outcome = outcomeDetailSchema.parse(published.detail);
      finals.set(outcome.requestId, outcome);
    }
    const stillLive = liveLeavers(r.emulator, leaverSet);
    const lost = estate.leavers.filter((leaver) => {
      const outcome = finals.get(requestIds.get(leaver) ?? '');
      const done =
        (outcome?.status === 'revoked' || outcome?.status === 'nothing-to-revoke') &&
        outcome.delivery.willRetry === false &&
        outcome.summary.connectionsRemaining === 0;
      return !done || stillLive.has(leaver);
    }).length;
    product = {
      counts: ec2Counts(r.emulator),
      realMs,
      invocations: report.invocations.length,
      deadLettered: report.deadLettered.length + r.queue.depth,
      lost: Math.max(lost, report.deadLettered.length),
      pagesPerSweep,
    };
  } finally {
    await r.stop();
  }

  // The naive revoker
  const emulator = await startEmulator({ seed: estate.seed, ...emulatorOptions });
  let naive: {
    counts: ReturnType<typeof ec2Counts>;
    realMs: number;
    failed: number;
    lost: number;
    throttled: number;
  };
  try {
    emulator.faults.enableThrottling();
    const revoker = naiveRevoker({
      url: emulator.url,
      region: REGION,
      endpointIds: estate.endpointIds,
      timeScale,
    });
    let failed = 0;
    const started = performance.now();
    await Promise.all(
      schedule.map(async ({ leaver, atMs }) => {
        await sleep(Math.max(0, started + atMs / timeScale - performance.now()));
        for (let attempt = 0; ; attempt++) {
          try {
            await revoker.revoke(leaver);
            return;
          } catch {
            const delay = ASYNC_RETRY_DELAYS_MS[attempt];
            if (delay === undefined) {
              failed++;
              return;
            }
            await sleep(delay / timeScale);
          }
        }
      }),
    );
    const realMs = performance.now() - started;
    const stillLive = liveLeavers(emulator, leaverSet);
    naive = {
      counts: ec2Counts(emulator),
      realMs,
      failed,
      lost: Math.max(failed, stillLive.size),
      throttled: revoker.stats.throttled,
    };
  } finally {
    await emulator.stop();
  }

  const toEmulatedS = (realMs: number) => (realMs * timeScale) / 1000;
  const bound = terminateLowerBound(estate.seeded);
  const regions = 2; // cdk.json's regions: every invocation discovers the endpoints of both
  const nonMutatingLowerBound = product.invocations * (product.pagesPerSweep + regions);
  const nonMutating = product.counts.describeConnections + product.counts.describeEndpoints;
  const boundS = Math.max(
    arrivalWindowS,
    (bound - TERMINATE_BUCKET.capacity) / TERMINATE_BUCKET.refillPerSecond,
  );
  const productS = toEmulatedS(product.realMs);
  const naiveS = toEmulatedS(naive.realMs);
  const completed = users - naive.lost;
  const naiveEffectiveS = completed > 0 ? (naiveS * users) / completed : Number.POSITIVE_INFINITY;
  return {
    callsRatio: round((product.counts.terminates + nonMutating) / (bound + nonMutatingLowerBound), 3),
    wallRatio: round(productS / boundS, 3),
    throttled: product.counts.throttled,
    lost: product.lost,
    naiveSpeedup: round(naiveEffectiveS / productS, 3),
    scale: {
      users,
      endpoints: estate.endpointIds.length,
      connections: estate.totalConnections,
      leaverSessions: estate.leaverSessions,
      timeScale,
      arrivalWindowS,
    },
    calls: {
      mutating: product.counts.terminates,
      mutatingLowerBound: bound,
      mutatingRatio: round(product.counts.terminates / bound, 3),
      nonMutating,
      describeConnections: product.counts.describeConnections,
      describeEndpoints: product.counts.describeEndpoints,
      nonMutatingLowerBound,
      nonMutatingRatio: round(nonMutating / nonMutatingLowerBound, 3),
      invocations: product.invocations,
      pagesPerSweep: product.pagesPerSweep,
    },
    wall: { emulatedS: round(productS), realS: round(product.realMs / 1000), boundS: round(boundS) },
    deadLettered: product.deadLettered,
    naive: {
      emulatedS: round(naiveS),
      terminates: naive.counts.terminates,
      describes: naive.counts.describeConnections,
      throttled: naive.counts.throttled,
      lost: naive.lost,
      effectiveS: round(naiveEffectiveS),
      speedupAtBound: round(naiveEffectiveS / boundS, 3),
    },
  };
}
