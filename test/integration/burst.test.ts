import { setTimeout as sleep } from 'node:timers/promises';
import { EC2Client, TerminateClientVpnConnectionsCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Seed } from '../../emulator/index.ts';
import { mulberry32 } from '../../emulator/random.ts';
import {
  DEFAULT_DESCRIBE_CALLS_PER_SECOND,
  DEFAULT_TERMINATE_CALLS_PER_SECOND,
} from '../../lambda/core/environment.ts';
import { outcomeDetailSchema } from '../../lambda/core/outcome.ts';
import { RevokerOnEmulator } from '../../local/revoker-on-emulator.ts';
import { OKTA_SOURCE, oktaEvent } from '../support/events.ts';

// Mass offboarding: 1,000 users disabled within a minute, against the bundled function from cdk.out, the
// stack's queue semantics (batch size, batching window, MaximumConcurrency 2, each invocation in its own
// execution environment) and EC2's real token buckets in the emulator. All three in-scope endpoints are in
// us-east-1, so every call of the function shares one mutating and one non-mutating bucket per action, the
// hard case. Another piece of automation calls Terminate in the same region throughout.

/** Emulated time runs this much faster than the wall clock: buckets, terminate delay, arrival spread. */
const TIME_SCALE = 50;
/**
 * The function paces its calls per wall-clock second, the emulator refills per emulated second, so the rates
 * are scaled by the same factor: per emulated second each environment makes at most the deployed default of
 * 2.25 Terminates and 7.12 Describes, together 4.5 of EC2's 5 Terminate tokens per second and 14.24 of 20
 * Describe tokens. (RevokerOnEmulator scales them so by default; they are spelled out because the numbers below
 * depend on them.) The pacer's burst (BURST_SECONDS of its rate, at most 10 Terminates, 20 Describes) is
 * a count once the rate is given, so it is not scaled: each environment's bursts are as large as in AWS.
 */
const PACING = {
  EC2_TERMINATE_CALLS_PER_SECOND: String(DEFAULT_TERMINATE_CALLS_PER_SECOND * TIME_SCALE),
  EC2_DESCRIBE_CALLS_PER_SECOND: String(DEFAULT_DESCRIBE_CALLS_PER_SECOND * TIME_SCALE),
};
const ARRIVAL_WINDOW_MS = 60_000;
/** The rest of EC2's Terminate refill beside the function's two environments. */
const AUTOMATION_PER_SECOND = 5 - 2 * DEFAULT_TERMINATE_CALLS_PER_SECOND;
/** EC2's mutating bucket (reference §5): what any caller can count on from a full bucket. */
const TERMINATE_BUCKET = { capacity: 50, refillPerSecond: 5 };

const IN_SCOPE = { 'client-vpn-revoker': 'enabled' };
const SAML_A = 'cvpn-endpoint-0aaa00000000000e1';
const SAML_B = 'cvpn-endpoint-0bbb00000000000e2';
const CERT = 'cvpn-endpoint-0ccc00000000000e3';
/** Out of scope (untagged), same region: the other automation's endpoint. */
const OTHER = 'cvpn-endpoint-0ddd00000000000e4';
const IN_SCOPE_ENDPOINTS = [SAML_A, SAML_B, CERT];

type SeedConnection = NonNullable<NonNullable<Seed['endpoints']>[number]['connections']>[number];

/**
 * 1,000 leavers with 1–3 sessions over the in-scope endpoints (8 of them with 6–8 SAML sessions on one
 * endpoint, which Terminate by Username refuses), 400 colleagues with 1–2 sessions and 30 lookalike names that
 * must all stay connected, and 200 contractor sessions on the out-of-scope endpoint.
 */
function massOffboardingEstate() {
  const random = mulberry32(20_261_122);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const sessions = new Map<string, SeedConnection[]>(IN_SCOPE_ENDPOINTS.map((id) => [id, []]));
  /** One session: SAML endpoints know the user name, the certificate endpoint the common name. */
  const connect = (endpointId: string, user: string, spelling = user) =>
    sessions.get(endpointId)?.push(endpointId === CERT ? { commonName: spelling } : { username: spelling });

  const leavers = Array.from({ length: 1000 }, (_, i) => `leaver${String(i).padStart(4, '0')}@example.com`);
  /** Per leaver and endpoint, how many sessions were seeded. */
  const seeded = new Map<string, Map<string, number>>();
  for (const [i, leaver] of leavers.entries()) {
    const perEndpoint = new Map<string, number>();
    const count = i % 125 === 7 ? 0 : 1 + Math.floor(random() * 3);
    for (let s = 0; s < count; s++) {
      const endpointId = pick(IN_SCOPE_ENDPOINTS);
      // Some IdPs send other spellings: the engine matches case-insensitively, terminates by the stored name.
      connect(endpointId, leaver, i % 40 === 3 ? leaver.toUpperCase() : leaver);
      perEndpoint.set(endpointId, (perEndpoint.get(endpointId) ?? 0) + 1);
    }
    if (i % 125 === 7) {
      // More than 5 sessions on one endpoint: one Terminate per ConnectionId.
      const many = 6 + (i % 3);
      for (let s = 0; s < many; s++) connect(SAML_A, leaver);
      perEndpoint.set(SAML_A, many);
    }
    seeded.set(leaver, perEndpoint);
  }

  const bystanders = Array.from({ length: 400 }, (_, i) => `colleague${i}@example.com`);
  for (const colleague of bystanders) {
    const count = 1 + Math.floor(random() * 2);
    for (let s = 0; s < count; s++) connect(pick(IN_SCOPE_ENDPOINTS), colleague);
  }
  const lookalikes = Array.from({ length: 30 }, (_, i) =>
    i % 2 === 0 ? `${leavers[i * 7]}.evil` : `x${leavers[i * 7]}`,
  );
  for (const lookalike of lookalikes) connect(pick(IN_SCOPE_ENDPOINTS), lookalike);

  const seed: Seed = {
    endpoints: [
      ...IN_SCOPE_ENDPOINTS.map((id) => ({
        id,
        region: 'us-east-1',
        tags: IN_SCOPE,
        authType: id === CERT ? ('certificate' as const) : ('saml' as const),
        connections: sessions.get(id),
      })),
      {
        id: OTHER,
        region: 'us-east-1',
        authType: 'saml' as const,
        connections: Array.from({ length: 200 }, (_, i) => ({ username: `contractor${i}@example.com` })),
      },
    ],
  };
  return { seed, leavers, seeded, untouchable: new Set([...bystanders, ...lookalikes]) };
}

/**
 * The fewest Terminate calls that can end every leaver's sessions: one by Username per SAML endpoint with
 * 1–5 sessions, with more one per ConnectionId beyond 5 plus one by Username; certificate sessions (known by
 * common name only) one per ConnectionId.
 */
function terminateLowerBound(seeded: ReadonlyMap<string, ReadonlyMap<string, number>>): number {
  let calls = 0;
  for (const perEndpoint of seeded.values()) {
    for (const [endpointId, count] of perEndpoint)
      calls += endpointId === CERT ? count : Math.max(1, count - 4);
  }
  return calls;
}

/**
 * Replays Terminate calls, in the order EC2 answered them, through EC2's mutating bucket (full at the start,
 * refilled by emulated time) and returns the fewest tokens it ever held: how close the account came to
 * having every caller refused.
 */
function lowestBucketLevel(calls: readonly { time: string }[]): number {
  let tokens = TERMINATE_BUCKET.capacity;
  let lowest = tokens;
  let last = calls[0] ? Date.parse(calls[0].time) : 0;
  for (const call of calls) {
    const now = Date.parse(call.time);
    tokens = Math.min(
      TERMINATE_BUCKET.capacity,
      tokens + (Math.max(0, now - last) / 1000) * TERMINATE_BUCKET.refillPerSecond,
    );
    last = now;
    if (tokens >= 1) tokens -= 1;
    lowest = Math.min(lowest, tokens);
  }
  return lowest;
}

/**
 * Other automation in the account, taking what the function leaves of EC2's refill: Terminates by
 * ConnectionId at `AUTOMATION_PER_SECOND` per emulated second against the same region's bucket, never
 * catching up on a late tick (so never faster). `maxAttempts: 1`: every RequestLimitExceeded is a failed
 * call it would feel, not hidden by a retry.
 */
function otherAutomation(url: string, connectionIds: readonly string[]) {
  const ec2 = new EC2Client({
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: 'AKIAOTHERAUTOMATION', secretAccessKey: 'other' },
    maxAttempts: 1,
  });
  const periodMs = 1000 / AUTOMATION_PER_SECOND / TIME_SCALE;
  const stats = { calls: 0, throttled: 0, otherErrors: [] as string[] };
  let running = true;
  const done = (async () => {
    let next = performance.now();
    for (let i = 0; running; i++) {
      try {
        await ec2.send(
          new TerminateClientVpnConnectionsCommand({
            ClientVpnEndpointId: OTHER,
            ConnectionId: connectionIds[i % connectionIds.length],
          }),
        );
      } catch (error) {
        const name = (error as Error).name;
        if (name === 'RequestLimitExceeded') stats.throttled++;
        else stats.otherErrors.push(name);
      }
      stats.calls++;
      next = Math.max(next + periodMs, performance.now());
      await sleep(Math.max(0, next - performance.now()));
    }
  })();
  return {
    stats,
    stop: async () => {
      running = false;
      await done;
      ec2.destroy();
    },
  };
}

let revoker: RevokerOnEmulator | undefined;
afterEach(async () => {
  await revoker?.stop();
  revoker = undefined;
});

describe('mass offboarding', () => {
  it('ends 1,000 users within a minute under the real EC2 buckets without starving other automation', {
    timeout: 120_000,
  }, async () => {
    // Prepare
    const { seed, leavers, seeded, untouchable } = massOffboardingEstate();
    const r = await RevokerOnEmulator.start({
      seed,
      cdkOut: inject('cdkOut'),
      emulator: { timeScale: TIME_SCALE, terminateDelayMs: 2_000 },
      environment: PACING,
    });
    revoker = r;
    r.emulator.faults.enableThrottling();
    const contractorIds = r.emulator.connections({ endpointId: OTHER }).map((c) => c.connectionId);
    const random = mulberry32(7);
    const arrivals = leavers
      .map((leaver) => ({ leaver, atMs: random() * ARRIVAL_WINDOW_MS }))
      .sort((a, b) => a.atMs - b.atMs);
    const requestIds = new Map<string, string>();

    // Act: the IdP's events arrive spread over 60 emulated seconds while the queue drains
    const started = performance.now();
    const automation = otherAutomation(r.emulator.url, contractorIds);
    const producer = (async () => {
      for (const { leaver, atMs } of arrivals) {
        const wait = started + atMs / TIME_SCALE - performance.now();
        if (wait > 0) await sleep(wait);
        const event = oktaEvent(leaver);
        requestIds.set(leaver, event.id);
        expect(r.putEvent(event, OKTA_SOURCE)).toBe(true);
      }
    })();
    const report = await r.drain({ until: producer });
    const realMs = performance.now() - started;
    await automation.stop();

    // Assess
    const calls = r.emulator.calls();
    const isFunctionCall = (c: (typeof calls)[number]) =>
      c.service === 'ec2' && c.params.ClientVpnEndpointId !== OTHER;
    const functionCalls = calls.filter(isFunctionCall);
    const count = (action: string, region = 'us-east-1') =>
      functionCalls.filter((c) => c.action === action && c.region === region).length;
    const terminates = count('TerminateClientVpnConnections');
    const describes = count('DescribeClientVpnConnections') + count('DescribeClientVpnEndpoints');
    const functionThrottled = functionCalls.filter((c) => c.errorCode === 'RequestLimitExceeded').length;
    const automationThrottledAtEc2 = calls.filter(
      (c) => c.params.ClientVpnEndpointId === OTHER && c.errorCode === 'RequestLimitExceeded',
    ).length;
    const emulatedSeconds = (realMs * TIME_SCALE) / 1000;
    const lowestLevel = lowestBucketLevel(
      calls.filter((c) => c.action === 'TerminateClientVpnConnections' && c.region === 'us-east-1'),
    );
    const lowerBound = terminateLowerBound(seeded);
    const pairs = [...seeded.values()].reduce((sum, perEndpoint) => sum + perEndpoint.size, 0);
    const sweepDescribes = report.invocations.length * (1 + IN_SCOPE_ENDPOINTS.length);
    /** Re-describes after a round of Terminates: those naming connection ids. */
    const verifications = functionCalls.filter(
      (c) =>
        c.action === 'DescribeClientVpnConnections' &&
        c.region === 'us-east-1' &&
        c.params['Filter.1.Name'] === 'connection-id',
    ).length;
    console.log(
      [
        'Mass offboarding (1,000 users, 3 endpoints in us-east-1, real EC2 buckets):',
        `  wall time: ${(realMs / 1000).toFixed(1)} s real = ${emulatedSeconds.toFixed(0)} s emulated (×${TIME_SCALE})`,
        `  Terminate calls: ${terminates} (fewest possible ${lowerBound}); from a full bucket EC2 needs at ` +
          `least ${((lowerBound - TERMINATE_BUCKET.capacity) / TERMINATE_BUCKET.refillPerSecond).toFixed(0)} s ` +
          `for them, at the function's budget of ${2 * DEFAULT_TERMINATE_CALLS_PER_SECOND}/s ` +
          `${(lowerBound / (2 * DEFAULT_TERMINATE_CALLS_PER_SECOND)).toFixed(0)} s`,
        `  Describe calls (us-east-1): ${describes} (one sweep per invocation ${sweepDescribes} + ` +
          `${verifications} verifications, one per endpoint and round for the whole batch, where one per user ` +
          `and endpoint would be ${pairs}); eu-west-1: ${count('DescribeClientVpnEndpoints', 'eu-west-1')}`,
        `  RequestLimitExceeded seen by the function: ${functionThrottled}`,
        `  lowest level of us-east-1's Terminate bucket: ${lowestLevel.toFixed(1)} of ${TERMINATE_BUCKET.capacity} tokens`,
        `  other automation: ${automation.stats.calls} Terminates ` +
          `(${(automation.stats.calls / emulatedSeconds).toFixed(2)}/emulated s), ` +
          `${automation.stats.throttled} throttled`,
        `  invocations: ${report.invocations.length} (peak ${report.peakConcurrency} in flight, ` +
          `${r.lambda.coldStarts} cold starts, ${r.lambda.environments.length} environments)`,
      ].join('\n'),
    );

    // Nothing lost: no message left, nothing dead-lettered, every invocation returned.
    expect(r.queue.depth).toBe(0);
    expect(report.deadLettered).toEqual([]);
    expect(r.queue.deadLetters).toEqual([]);
    expect(report.invocations.filter((i) => i.kind !== 'result')).toEqual([]);
    expect(report.peakConcurrency).toBe(r.stack.maxConcurrency);

    // Every request's final outcome: revoked, not to be retried, every seeded session ended.
    const finals = new Map<string, ReturnType<typeof outcomeDetailSchema.parse>>();
    for (const published of r.emulator.publishedEvents()) {
      const outcome = outcomeDetailSchema.parse(published.detail);
      finals.set(outcome.requestId, outcome);
    }
    const wrong = leavers.flatMap((leaver) => {
      const outcome = finals.get(requestIds.get(leaver) ?? '');
      const sessions = [...(seeded.get(leaver)?.values() ?? [])].reduce((sum, n) => sum + n, 0);
      const expected = sessions === 0 ? 'nothing-to-revoke' : 'revoked';
      const ok =
        outcome?.status === expected &&
        outcome.delivery.willRetry === false &&
        outcome.summary.connectionsTerminated === sessions &&
        outcome.summary.connectionsRemaining === 0;
      return ok ? [] : [{ leaver, sessions, outcome: outcome && [outcome.status, outcome.summary] }];
    });
    expect(wrong).toEqual([]);
    expect(finals.size).toBe(leavers.length);

    // Every leaver's session ended; every colleague and lookalike is still connected.
    const connections = r.emulator.connections();
    const inScope = connections.filter((c) => IN_SCOPE_ENDPOINTS.includes(c.endpointId));
    const nameOf = (c: { username: string; commonName: string }) =>
      (c.username || c.commonName).toLowerCase();
    const leaverSessions = inScope.filter((c) => !untouchable.has(nameOf(c)));
    expect(leaverSessions.length).toBe(
      [...seeded.values()].flatMap((m) => [...m.values()]).reduce((a, b) => a + b, 0),
    );
    expect(leaverSessions.filter((c) => c.status === 'active' || c.status === 'failed-to-terminate')).toEqual(
      [],
    );
    const kept = inScope.filter((c) => untouchable.has(nameOf(c)));
    expect(kept.length).toBeGreaterThan(400);
    expect(kept.filter((c) => c.status !== 'active')).toEqual([]);

    // Not starving others: the other automation was never refused a token. The function's two environments
    // take at most 2.25 Terminates per emulated second each (saving up at most 9 each while idle), the
    // automation the remaining 0.5: together at most EC2's refill of 5/s, and the bucket's 50 tokens absorb the
    // bursts, so no call of anyone's needs to be refused. One refusal would mean the function took more than
    // its share.
    expect(automation.stats.otherErrors).toEqual([]);
    expect(automation.stats.throttled).toBe(0);
    expect(automationThrottledAtEc2).toBe(0);
    // A sharper measure than refusals (after the first one, the SDK's adaptive retry mode slows an unpaced
    // function down by itself): the bucket everyone shares kept a fifth of its tokens. The two environments'
    // saved-up bursts take up to 18 by design; at ×50, a busy 2-core machine's scheduling jitter bunches a few
    // more (34 left on a quiet machine, 20 under load). Without the pacer the function empties it within the
    // first invocations.
    expect(lowestLevel).toBeGreaterThanOrEqual(TERMINATE_BUCKET.capacity / 5);
    // …and it really ran beside the function throughout, not just at the start.
    expect(automation.stats.calls).toBeGreaterThan((emulatedSeconds * AUTOMATION_PER_SECOND) / 2);
  });
});
