import { type ClientVpnApi, type ClientVpnApiForRegion, onePerRegionAndAccount } from './ports.ts';

/**
 * Client-side pacing of EC2 calls. EC2 meters each action in a token bucket per account and region, shared
 * with every other caller there (TerminateClientVpnConnections 50 + 5/s, the Describe actions 100 + 20/s).
 * The SDK's adaptive retry mode only slows down after EC2 has throttled, by which time the bucket is empty for
 * everyone; pacing keeps this function's calls below the refill rate from the start, leaving the rest of the
 * refill to the console and other automation.
 */

export interface PacingClock {
  /** Milliseconds, monotonic enough for rate keeping (e.g. `Date.now`). */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface RateLimiterSettings extends PacingClock {
  /** Sustained calls per second. */
  readonly ratePerSecond: number;
  /** Calls that may start at once after a quiet period; default one second's worth, at least 1. */
  readonly burst?: number;
}

export interface RateLimiter {
  /** Resolves when the caller may make one call. Callers are let through in the order they asked. */
  take(): Promise<void>;
}

/**
 * A token bucket that hands out reservations: each `take()` claims the next token, going into debt when the
 * bucket is empty, and sleeps until that token has been refilled. Reservations are therefore granted strictly
 * in arrival order (FIFO), 1/rate apart once the burst is spent, and in any window of T seconds at most
 * `burst + rate × T` calls start. The bucket is kept as the time at which it is full again, so the arithmetic
 * stays exact for whole-millisecond intervals.
 */
export function tokenBucket(settings: RateLimiterSettings): RateLimiter {
  const { ratePerSecond, now, sleep } = settings;
  const burst = settings.burst ?? Math.max(1, ratePerSecond);
  if (!(Number.isFinite(ratePerSecond) && ratePerSecond > 0)) {
    throw new RangeError(`ratePerSecond must be a positive number, got ${ratePerSecond}`);
  }
  if (!(Number.isFinite(burst) && burst >= 1)) {
    throw new RangeError(`burst must be a number of at least 1, got ${burst}`);
  }
  const intervalMs = 1000 / ratePerSecond;
  let fullAt = now();
  return {
    take() {
      const time = now();
      fullAt = Math.max(fullAt, time) + intervalMs;
      const startAt = fullAt - burst * intervalMs;
      return startAt <= time ? Promise.resolve() : sleep(startAt - time);
    },
  };
}

/**
 * How many seconds' worth of calls an environment may save up while it is not calling (listing an endpoint,
 * between batches) and then spend at once. Environments pace to a fixed share of the budget; without this
 * credit, every pause of one of them would leave its share of EC2's refill unused. Together the environments
 * save at most this many seconds of the whole budget (at most 4 × 5 of the 50 Terminate tokens, 4 × 20 of
 * the 100 Describe tokens), so the bucket other callers share is never emptied.
 */
export const BURST_SECONDS = 4;

/**
 * The most calls one environment may start at once, per bucket class, whatever rate it was given: a fifth of
 * EC2's bucket (50 mutating, 100 non-mutating tokens).
 */
export const MAX_BURST = { mutating: 10, nonMutating: 20 } as const;

/** `BURST_SECONDS` worth of calls, at least 1 and at most `max`. */
const burstFor = (ratePerSecond: number, max: number) =>
  Math.min(max, Math.max(1, ratePerSecond * BURST_SECONDS));

export interface PacingSettings extends PacingClock {
  /** TerminateClientVpnConnections calls per second per region (EC2's mutating bucket). */
  readonly terminatePerSecond: number;
  /** DescribeClientVpnConnections and DescribeClientVpnEndpoints calls per second per region (non-mutating). */
  readonly describePerSecond: number;
}

/**
 * Paces every call of `apiForRegion` before it is sent: one limiter per region and account (EC2's buckets)
 * and per bucket class, so Describes never wait behind Terminates and one region never slows another. Each
 * limiter allows a burst of `BURST_SECONDS` worth of calls (at least 1, at most `MAX_BURST`).
 * Retries inside the SDK are not paced again; with calls below the refill rate they are rare.
 */
export function pacedClientVpn(
  apiForRegion: ClientVpnApiForRegion,
  settings: PacingSettings,
): ClientVpnApiForRegion {
  const { terminatePerSecond, describePerSecond, now, sleep } = settings;
  return onePerRegionAndAccount((region, accountId) =>
    paced(apiForRegion(region, accountId), {
      mutating: tokenBucket({
        ratePerSecond: terminatePerSecond,
        burst: burstFor(terminatePerSecond, MAX_BURST.mutating),
        now,
        sleep,
      }),
      nonMutating: tokenBucket({
        ratePerSecond: describePerSecond,
        burst: burstFor(describePerSecond, MAX_BURST.nonMutating),
        now,
        sleep,
      }),
    }),
  );
}

function paced(
  api: ClientVpnApi,
  limiters: { mutating: RateLimiter; nonMutating: RateLimiter },
): ClientVpnApi {
  const { mutating, nonMutating } = limiters;
  return {
    describeEndpoints: async (nextToken) => {
      await nonMutating.take();
      return api.describeEndpoints(nextToken);
    },
    describeConnections: async (endpointId, options) => {
      await nonMutating.take();
      return api.describeConnections(endpointId, options);
    },
    terminate: async (endpointId, target) => {
      await mutating.take();
      return api.terminate(endpointId, target);
    },
  };
}
