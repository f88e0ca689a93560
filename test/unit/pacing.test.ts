import { describe, expect, it } from 'vitest';
import { BURST_SECONDS, MAX_BURST, pacedClientVpn, tokenBucket } from '../../lambda/engine/pacing.ts';
import type { ClientVpnApi, ClientVpnApiForRegion } from '../../lambda/engine/ports.ts';

/** Manual clock: `sleep` timers fire only in `run()`, in time order, with promise callbacks run in between. */
class FakeClock {
  #time = 0;
  #seq = 0;
  readonly #timers: { at: number; seq: number; resolve: () => void }[] = [];

  readonly now = () => this.#time;
  readonly sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      this.#timers.push({ at: this.#time + Math.max(0, ms), seq: this.#seq++, resolve });
    });

  /** Fires every timer due up to `until` (all of them by default), then sets the clock to `until`. */
  async run(until = Number.POSITIVE_INFINITY): Promise<void> {
    for (;;) {
      await settle();
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#timers[0];
      if (!next || next.at > until) break;
      this.#timers.shift();
      this.#time = Math.max(this.#time, next.at);
      next.resolve();
    }
    if (Number.isFinite(until)) this.#time = Math.max(this.#time, until);
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Most starts within any window of `windowMs` (a window opening at each start). */
const busiestWindow = (starts: readonly number[], windowMs: number) =>
  Math.max(...starts.map((start) => starts.filter((t) => t >= start && t < start + windowMs).length));

/** Takes `count` tokens at once and records when each caller was let through, in resolution order. */
async function takeAll(clock: FakeClock, limiter: { take(): Promise<void> }, count: number) {
  const starts: { caller: number; at: number }[] = [];
  const taken = Promise.all(
    Array.from({ length: count }, (_, caller) =>
      limiter.take().then(() => starts.push({ caller, at: clock.now() })),
    ),
  );
  await clock.run();
  await taken;
  return starts;
}

type Action = 'describeEndpoints' | 'describeConnections' | 'terminate';

/** A ClientVpnApiForRegion that records which call reached EC2 when, and counts the APIs it created. */
function recordingApi(clock: FakeClock) {
  const calls: { region: string; action: Action; at: number }[] = [];
  const created: string[] = [];
  const forRegion: ClientVpnApiForRegion = (region): ClientVpnApi => {
    created.push(region);
    const record = (action: Action) => calls.push({ region, action, at: clock.now() });
    return {
      describeEndpoints: async (nextToken) => {
        record('describeEndpoints');
        return { items: [], nextToken: nextToken ? undefined : 'page-2' };
      },
      describeConnections: async (endpointId) => {
        record('describeConnections');
        return { items: [{ connectionId: `${endpointId}-c1`, status: 'active' }] };
      },
      terminate: async (endpointId, target) => {
        record('terminate');
        if ('username' in target && target.username === 'nobody')
          throw new Error('InvalidClientVpnConnection.UserNotFound');
        return [{ connectionId: `${endpointId}-c1`, currentStatus: 'terminating' }];
      },
    };
  };
  return { calls, created, forRegion };
}

const ENDPOINT = 'cvpn-endpoint-0aaa0000000000001';

describe('tokenBucket', () => {
  it('keeps many calls at the rate once the burst is spent', async () => {
    // Prepare
    const clock = new FakeClock();
    const limiter = tokenBucket({ ratePerSecond: 5, burst: 5, now: clock.now, sleep: clock.sleep });

    // Act
    const starts = (await takeAll(clock, limiter, 200)).map((start) => start.at);

    // Assess: 5 at once, then one every 200 ms; never more than burst + rate in any second
    expect(starts.slice(0, 6)).toEqual([0, 0, 0, 0, 0, 200]);
    expect(starts.at(-1)).toBe(((200 - 5) / 5) * 1000);
    expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(5 + 5);
    expect(busiestWindow(starts.slice(5), 10_000)).toBe(50);
  });

  it('keeps callers that come one after another at the rate too', async () => {
    // Prepare
    const clock = new FakeClock();
    const limiter = tokenBucket({ ratePerSecond: 2, now: clock.now, sleep: clock.sleep });
    const starts: number[] = [];
    const caller = async () => {
      for (let call = 0; call < 40; call++) {
        await limiter.take();
        starts.push(clock.now());
      }
    };

    // Act
    const done = caller();
    await clock.run();
    await done;

    // Assess: the default burst is one second's worth (2)
    expect(starts.slice(0, 4)).toEqual([0, 0, 500, 1000]);
    expect(starts.at(-1)).toBe(19_000);
    expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(2 + 2);
  });

  it('lets a burst through after a quiet period, but never more than the burst', async () => {
    // Prepare
    const clock = new FakeClock();
    const limiter = tokenBucket({ ratePerSecond: 1, burst: 3, now: clock.now, sleep: clock.sleep });
    await takeAll(clock, limiter, 3);

    // Act: 100 s of silence refill 3 tokens, not 100
    await clock.run(100_000);
    const starts = (await takeAll(clock, limiter, 5)).map((start) => start.at - 100_000);

    // Assess
    expect(starts).toEqual([0, 0, 0, 1000, 2000]);
  });

  it('allows at least one call at once when the rate is below one per second', async () => {
    // Prepare
    const clock = new FakeClock();
    const limiter = tokenBucket({ ratePerSecond: 0.5, now: clock.now, sleep: clock.sleep });

    // Act
    const starts = (await takeAll(clock, limiter, 3)).map((start) => start.at);

    // Assess
    expect(starts).toEqual([0, 2000, 4000]);
  });

  it('serves callers in arrival order: a late caller never overtakes a waiting one', async () => {
    // Prepare
    const clock = new FakeClock();
    const limiter = tokenBucket({ ratePerSecond: 1, burst: 1, now: clock.now, sleep: clock.sleep });
    const order: string[] = [];
    const take = (name: string) => limiter.take().then(() => order.push(`${name}@${clock.now()}`));

    // Act: A goes at once, B waits for the next token; C arrives at 999 ms, just before it refills
    const first = [take('A'), take('B')];
    await clock.run(999);
    const late = take('C');
    const many = Array.from({ length: 10 }, (_, i) => take(`D${i}`));
    await clock.run();
    await Promise.all([...first, late, ...many]);

    // Assess
    expect(order).toEqual([
      'A@0',
      'B@1000',
      'C@2000',
      ...Array.from({ length: 10 }, (_, i) => `D${i}@${3000 + i * 1000}`),
    ]);
  });

  it.each([
    [{ ratePerSecond: 0 }, /ratePerSecond must be a positive number, got 0/],
    [{ ratePerSecond: -1 }, /ratePerSecond must be a positive number/],
    [{ ratePerSecond: Number.NaN }, /ratePerSecond must be a positive number/],
    [{ ratePerSecond: 2, burst: 0.5 }, /burst must be a number of at least 1, got 0.5/],
  ])('rejects %o', (settings, message) => {
    // Prepare
    const clock = new FakeClock();

    // Act
    const create = () => tokenBucket({ ...settings, now: clock.now, sleep: clock.sleep });

    // Assess
    expect(create).toThrow(message);
  });
});

describe('pacedClientVpn', () => {
  it('passes calls, arguments, results and errors through unchanged', async () => {
    // Prepare
    const clock = new FakeClock();
    const ec2 = recordingApi(clock);
    const api = pacedClientVpn(ec2.forRegion, { terminatePerSecond: 2, describePerSecond: 5, ...clock })(
      'us-east-1',
    );

    // Act
    const endpoints = await api.describeEndpoints();
    const connections = await api.describeConnections(ENDPOINT, { connectionIds: ['c1'] });
    const changes = await api.terminate(ENDPOINT, { username: 'jane' });
    const failure = await api.terminate(ENDPOINT, { username: 'nobody' }).catch((error: Error) => error);

    // Assess
    expect(endpoints).toEqual({ items: [], nextToken: 'page-2' });
    expect(connections).toEqual({ items: [{ connectionId: `${ENDPOINT}-c1`, status: 'active' }] });
    expect(changes).toEqual([{ connectionId: `${ENDPOINT}-c1`, currentStatus: 'terminating' }]);
    expect(failure).toEqual(new Error('InvalidClientVpnConnection.UserNotFound'));
    expect(ec2.calls.map((call) => call.action)).toEqual([
      'describeEndpoints',
      'describeConnections',
      'terminate',
      'terminate',
    ]);
  });

  it('holds each region to the Terminate rate over many calls, after a burst of BURST_SECONDS', async () => {
    // Prepare
    const clock = new FakeClock();
    const ec2 = recordingApi(clock);
    const paced = pacedClientVpn(ec2.forRegion, { terminatePerSecond: 2, describePerSecond: 10, ...clock });

    // Act
    const done = Promise.all(
      Array.from({ length: 60 }, (_, i) => paced('us-east-1').terminate(ENDPOINT, { connectionId: `c${i}` })),
    );
    await clock.run();
    await done;

    // Assess: BURST_SECONDS' worth (8) at once, then 2 per second
    const burst = 2 * BURST_SECONDS;
    const starts = ec2.calls.map((call) => call.at);
    expect(starts.slice(0, burst + 1)).toEqual([...Array.from({ length: burst }, () => 0), 500]);
    expect(starts.at(-1)).toBe((60 - burst) * 500);
    expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(burst + 2);
    expect(busiestWindow(starts.slice(burst), 10_000)).toBe(20);
  });

  it("caps the burst at a small share of EC2's bucket whatever the rate", async () => {
    // Prepare: rates far above EC2's refill still burst at most MAX_BURST calls
    const clock = new FakeClock();
    const ec2 = recordingApi(clock);
    const api = pacedClientVpn(ec2.forRegion, { terminatePerSecond: 100, describePerSecond: 400, ...clock })(
      'us-east-1',
    );

    // Act
    const done = Promise.all([
      ...Array.from({ length: 20 }, () => api.terminate(ENDPOINT, { username: 'jane' })),
      ...Array.from({ length: 40 }, () => api.describeConnections(ENDPOINT)),
    ]);
    await clock.run();
    await done;

    // Assess
    const at = (action: Action) => ec2.calls.filter((call) => call.action === action).map((call) => call.at);
    expect(at('terminate').filter((t) => t === 0)).toHaveLength(MAX_BURST.mutating);
    expect(at('terminate').at(-1)).toBe(((20 - MAX_BURST.mutating) / 100) * 1000);
    expect(at('describeConnections').filter((t) => t === 0)).toHaveLength(MAX_BURST.nonMutating);
    expect(at('describeConnections').at(-1)).toBe(((40 - MAX_BURST.nonMutating) / 400) * 1000);
  });

  it('paces regions independently: a busy region does not slow another', async () => {
    // Prepare
    const clock = new FakeClock();
    const ec2 = recordingApi(clock);
    const paced = pacedClientVpn(ec2.forRegion, { terminatePerSecond: 1, describePerSecond: 1, ...clock });
    const terminates = (region: string, count: number) =>
      Array.from({ length: count }, () => paced(region).terminate(ENDPOINT, { username: 'jane' }));

    // Act
    const done = Promise.all([...terminates('us-east-1', 10), ...terminates('eu-west-1', 3)]);
    await clock.run();
    await done;

    // Assess
    const startsIn = (region: string) => ec2.calls.filter((call) => call.region === region).map((c) => c.at);
    // A burst of BURST_SECONDS (4) calls each, then one per second in the busy region.
    expect(startsIn('us-east-1')).toEqual([0, 0, 0, 0, 1000, 2000, 3000, 4000, 5000, 6000]);
    expect(startsIn('eu-west-1')).toEqual([0, 0, 0]);
    expect(ec2.created).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('paces the bucket classes independently: Describes do not wait behind queued Terminates', async () => {
    // Prepare
    const clock = new FakeClock();
    const ec2 = recordingApi(clock);
    const api = pacedClientVpn(ec2.forRegion, { terminatePerSecond: 1, describePerSecond: 4, ...clock })(
      'us-east-1',
    );

    // Act: 10 Terminates queue up first, then endpoint and connection Describes share one limiter
    const done = Promise.all([
      ...Array.from({ length: 10 }, () => api.terminate(ENDPOINT, { username: 'jane' })),
      api.describeEndpoints(),
      ...Array.from({ length: 20 }, () => api.describeConnections(ENDPOINT)),
    ]);
    await clock.run();
    await done;

    // Assess
    const at = (action: Action) => ec2.calls.filter((call) => call.action === action).map((call) => call.at);
    expect(at('terminate')).toEqual([0, 0, 0, 0, 1000, 2000, 3000, 4000, 5000, 6000]);
    expect(at('describeEndpoints')).toEqual([0]);
    // 16 Describes (BURST_SECONDS × 4/s) at once, the endpoint listing among them, then 4 per second.
    expect(at('describeConnections')).toEqual([
      ...Array.from({ length: 15 }, () => 0),
      250,
      500,
      750,
      1000,
      1250,
    ]);
  });

  it('creates each region API once and paces it across callers', async () => {
    // Prepare
    const clock = new FakeClock();
    const ec2 = recordingApi(clock);
    const paced = pacedClientVpn(ec2.forRegion, { terminatePerSecond: 1, describePerSecond: 1, ...clock });

    // Act: callers (e.g. two endpoints' work) ask for the region separately
    const done = Promise.all(
      ['jane', 'john', 'jane', 'john', 'jane', 'john'].map((username) =>
        paced('us-east-1').terminate(ENDPOINT, { username }),
      ),
    );
    await clock.run();
    await done;

    // Assess
    expect(paced('us-east-1')).toBe(paced('us-east-1'));
    expect(ec2.created).toEqual(['us-east-1']);
    expect(ec2.calls.map((call) => call.at)).toEqual([0, 0, 0, 0, 1000, 2000]);
  });
});
