import type { Clock } from './clock.ts';
import { mulberry32 } from './random.ts';

/** Size and refill rate of one EC2 token bucket. */
export interface BucketSpec {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/** EC2's real bucket sizes for the Client VPN actions (reference §5). */
export const REAL_BUCKETS = {
  mutating: { capacity: 50, refillPerSecond: 5 },
  nonMutating: { capacity: 100, refillPerSecond: 20 },
} as const satisfies Record<string, BucketSpec>;

export const MUTATING_ACTIONS: ReadonlySet<string> = new Set([
  'TerminateClientVpnConnections',
  'ModifyClientVpnEndpoint',
]);

export type RandomErrorCode = 'InternalError' | 'Unavailable';

export interface RandomErrorOptions {
  /** 0–1, drawn from the emulator's seeded PRNG (`randomSeed`), so a run is reproducible. */
  readonly probability: number;
  /** Default both. InternalError → 500, Unavailable → 503. */
  readonly codes?: readonly RandomErrorCode[];
  /** EC2 actions affected; default all. */
  readonly actions?: readonly string[];
}

/** Every given field must match the request; omitted fields match anything. */
export interface UnauthorizedRule {
  readonly region?: string;
  readonly action?: string;
  readonly endpointId?: string;
}

export interface FailToTerminateOptions {
  /** Number of Terminate attempts that fail; default forever. */
  readonly times?: number;
  readonly message?: string;
}

export interface RemoveEndpointOptions {
  /** Remove only after this many more answered EC2 calls (of `action`, when given). Default 0 = now. */
  readonly afterCalls?: number;
  readonly action?: string;
}

/** Every given field must equal the entry's; omitted fields match anything. */
export interface EventMatcher {
  readonly source?: string;
  readonly detailType?: string;
  readonly eventBusName?: string;
}

/** What a Terminate by ConnectionId answers for a connection that is already `terminated`. */
export type RepeatTerminateMode =
  /** 200 with previousStatus terminated / currentStatus terminated (default). */
  | 'terminated'
  /** 400 InvalidClientVpnConnection.IdNotFound. */
  | 'id-not-found'
  /** 200 with an empty connectionStatuses list. */
  | 'empty';

/** The fault switches a test flips through `emulator.faults`. `clear()` turns them all off. */
export interface FaultControls {
  /**
   * Token-bucket throttling with EC2's real sizes (or overrides), one bucket per account + region + action;
   * buckets start full. Off by default.
   */
  enableThrottling(buckets?: { readonly mutating?: BucketSpec; readonly nonMutating?: BucketSpec }): void;
  disableThrottling(): void;
  /** The next `count` calls of `action` (in `region`, or any) answer 503 RequestLimitExceeded. */
  throttleNext(action: string, count: number, region?: string): void;
  /** Random InternalError 500 / Unavailable 503 on EC2 calls; `undefined` turns it off. */
  randomErrors(options: RandomErrorOptions | undefined): void;
  /** Adds `ms` before answering calls of `action` (any service), or of every action when omitted. */
  latency(ms: number, action?: string): void;
  /** Answers matching EC2 calls with 403 UnauthorizedOperation. */
  unauthorized(rule: UnauthorizedRule): void;
  /** Terminate of these connection ids answers `failed-to-terminate` (connection stays active). */
  failToTerminate(connectionIds: string | readonly string[], options?: FailToTerminateOptions): void;
  repeatTerminate(mode: RepeatTerminateMode): void;
  /** Deletes an endpoint (now, or after more calls): it then answers InvalidClientVpnEndpointId.NotFound. */
  removeEndpoint(endpointId: string, options?: RemoveEndpointOptions): void;
  /** The next `count` valid PutEvents entries fail with entry-level InternalFailure. */
  failNextEvents(count: number): void;
  /** Valid PutEvents entries matching this fail with InternalFailure, until cleared. */
  failEventsMatching(matcher: EventMatcher): void;
  /** The next `count` PutEvents calls (default: all) answer HTTP 500 InternalException. */
  failPutEventsCalls(count?: number): void;
  /** Turns every fault off (the repeat-terminate mode goes back to the start option). */
  clear(): void;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

interface PendingRemoval {
  readonly endpointId: string;
  readonly action: string | undefined;
  remaining: number;
}

const nonNegativeCount = (name: string, value: number): number => {
  if (!(value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value >= 0))) {
    throw new RangeError(`${name} must be a non-negative integer or Infinity, got ${value}`);
  }
  return value;
};

export interface FaultsOptions {
  readonly clock: Clock;
  readonly randomSeed: number;
  readonly repeatTerminate: RepeatTerminateMode;
  readonly removeEndpoint: (endpointId: string) => void;
}

/** Fault state plus the checks the service handlers call. */
export class Faults implements FaultControls {
  readonly #options: FaultsOptions;
  #random: () => number;
  #bucketSpecs: { mutating: BucketSpec; nonMutating: BucketSpec } | undefined;
  readonly #buckets = new Map<string, Bucket>();
  readonly #throttleNext = new Map<string, number>();
  #randomErrors: RandomErrorOptions | undefined;
  readonly #latency = new Map<string, number>();
  #unauthorized: UnauthorizedRule[] = [];
  readonly #failToTerminate = new Map<string, { remaining: number; message: string }>();
  #repeatTerminate: RepeatTerminateMode;
  #removals: PendingRemoval[] = [];
  #failNextEvents = 0;
  #eventMatchers: EventMatcher[] = [];
  #failPutEventsCalls = 0;

  constructor(options: FaultsOptions) {
    this.#options = options;
    this.#random = mulberry32(options.randomSeed);
    this.#repeatTerminate = options.repeatTerminate;
  }

  enableThrottling(
    buckets: { readonly mutating?: BucketSpec; readonly nonMutating?: BucketSpec } = {},
  ): void {
    this.#bucketSpecs = {
      mutating: buckets.mutating ?? REAL_BUCKETS.mutating,
      nonMutating: buckets.nonMutating ?? REAL_BUCKETS.nonMutating,
    };
    this.#buckets.clear();
  }

  disableThrottling(): void {
    this.#bucketSpecs = undefined;
    this.#buckets.clear();
  }

  throttleNext(action: string, count: number, region?: string): void {
    this.#throttleNext.set(`${region ?? '*'}|${action}`, nonNegativeCount('count', count));
  }

  randomErrors(options: RandomErrorOptions | undefined): void {
    if (options && !(options.probability >= 0 && options.probability <= 1)) {
      throw new RangeError(`probability must be between 0 and 1, got ${options.probability}`);
    }
    this.#randomErrors = options;
  }

  latency(ms: number, action?: string): void {
    if (!(Number.isFinite(ms) && ms >= 0))
      throw new RangeError(`latency must be a non-negative number, got ${ms}`);
    this.#latency.set(action ?? '*', ms);
  }

  unauthorized(rule: UnauthorizedRule): void {
    this.#unauthorized.push({ ...rule });
  }

  failToTerminate(connectionIds: string | readonly string[], options: FailToTerminateOptions = {}): void {
    const remaining = nonNegativeCount('times', options.times ?? Number.POSITIVE_INFINITY);
    const message = options.message ?? 'Failed to terminate the client connection. Try again.';
    for (const id of typeof connectionIds === 'string' ? [connectionIds] : connectionIds) {
      this.#failToTerminate.set(id, { remaining, message });
    }
  }

  repeatTerminate(mode: RepeatTerminateMode): void {
    this.#repeatTerminate = mode;
  }

  removeEndpoint(endpointId: string, options: RemoveEndpointOptions = {}): void {
    const afterCalls = nonNegativeCount('afterCalls', options.afterCalls ?? 0);
    if (afterCalls === 0) this.#options.removeEndpoint(endpointId);
    else this.#removals.push({ endpointId, action: options.action, remaining: afterCalls });
  }

  failNextEvents(count: number): void {
    this.#failNextEvents = nonNegativeCount('count', count);
  }

  failEventsMatching(matcher: EventMatcher): void {
    this.#eventMatchers.push({ ...matcher });
  }

  failPutEventsCalls(count = Number.POSITIVE_INFINITY): void {
    this.#failPutEventsCalls = nonNegativeCount('count', count);
  }

  clear(): void {
    this.disableThrottling();
    this.#throttleNext.clear();
    this.#randomErrors = undefined;
    this.#latency.clear();
    this.#unauthorized = [];
    this.#failToTerminate.clear();
    this.#repeatTerminate = this.#options.repeatTerminate;
    this.#removals = [];
    this.#failNextEvents = 0;
    this.#eventMatchers = [];
    this.#failPutEventsCalls = 0;
    this.#random = mulberry32(this.#options.randomSeed);
  }

  // ---- checks used by the service handlers ----

  latencyFor(action: string): number {
    return this.#latency.get(action) ?? this.#latency.get('*') ?? 0;
  }

  /**
   * True when the call is throttled. `throttleNext` counts calls of every account; otherwise the call takes a
   * token from its account + region + action bucket (when throttling is enabled), as EC2 meters each account.
   */
  throttled(accountId: string, region: string, action: string): boolean {
    for (const key of [`${region}|${action}`, `*|${action}`]) {
      const remaining = this.#throttleNext.get(key) ?? 0;
      if (remaining > 0) {
        this.#throttleNext.set(key, remaining - 1);
        return true;
      }
    }
    if (!this.#bucketSpecs) return false;
    const spec = MUTATING_ACTIONS.has(action) ? this.#bucketSpecs.mutating : this.#bucketSpecs.nonMutating;
    const now = this.#options.clock.now();
    const key = `${accountId}|${region}|${action}`;
    const bucket = this.#buckets.get(key) ?? { tokens: spec.capacity, updatedAt: now };
    bucket.tokens = Math.min(
      spec.capacity,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * spec.refillPerSecond,
    );
    bucket.updatedAt = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) return true;
    bucket.tokens -= 1;
    return false;
  }

  randomError(action: string): RandomErrorCode | undefined {
    const options = this.#randomErrors;
    if (!options || (options.actions && !options.actions.includes(action))) return undefined;
    if (this.#random() >= options.probability) return undefined;
    const codes = options.codes?.length ? options.codes : (['InternalError', 'Unavailable'] as const);
    return codes[Math.floor(this.#random() * codes.length)] ?? 'InternalError';
  }

  isUnauthorized(region: string, action: string, endpointId: string | undefined): boolean {
    return this.#unauthorized.some(
      (rule) =>
        (rule.region === undefined || rule.region === region) &&
        (rule.action === undefined || rule.action === action) &&
        (rule.endpointId === undefined || rule.endpointId === endpointId),
    );
  }

  /** Consumes one injected failure for the connection; its message when this attempt fails. */
  terminateFailure(connectionId: string): string | undefined {
    const failure = this.#failToTerminate.get(connectionId);
    if (!failure || failure.remaining <= 0) return undefined;
    failure.remaining--;
    return failure.message;
  }

  get repeatTerminateMode(): RepeatTerminateMode {
    return this.#repeatTerminate;
  }

  /** Counts an answered EC2 call towards pending endpoint removals. */
  afterEc2Call(action: string): void {
    if (this.#removals.length === 0) return;
    for (const removal of this.#removals) {
      if (removal.action !== undefined && removal.action !== action) continue;
      removal.remaining--;
      if (removal.remaining <= 0) this.#options.removeEndpoint(removal.endpointId);
    }
    this.#removals = this.#removals.filter((r) => r.remaining > 0);
  }

  putEventsCallFails(): boolean {
    if (this.#failPutEventsCalls <= 0) return false;
    this.#failPutEventsCalls--;
    return true;
  }

  eventEntryFails(entry: Required<EventMatcher>): boolean {
    if (this.#failNextEvents > 0) {
      this.#failNextEvents--;
      return true;
    }
    return this.#eventMatchers.some(
      (m) =>
        (m.source === undefined || m.source === entry.source) &&
        (m.detailType === undefined || m.detailType === entry.detailType) &&
        (m.eventBusName === undefined || m.eventBusName === entry.eventBusName),
    );
  }
}
