import { afterEach, describe, expect, inject, it } from 'vitest';
import type { EmulatorOptions, Seed } from '../../emulator/index.ts';
import { type OutcomeDetail, outcomeDetailSchema, RETRYABLE_STATUSES } from '../../lambda/core/outcome.ts';
import type { DeliveryReport } from '../../local/queue.ts';
import { RevokerOnEmulator } from '../../local/revoker-on-emulator.ts';
import { OKTA_SOURCE, oktaEvent } from '../support/events.ts';

// Fault injection against the bundled function from cdk.out (cdk.json's context: regions us-east-1 and
// eu-west-1, endpoints tagged client-vpn-revoker=enabled), run through the local SQS semantics (redelivery,
// maxReceiveCount 5, DLQ) and the Lambda host (timeouts kill the execution environment).
const IN_SCOPE = { 'client-vpn-revoker': 'enabled' };
const EAST_SAML = 'cvpn-endpoint-0aaa00000000000e1';
const EAST_CERT = 'cvpn-endpoint-0bbb00000000000e2';
const WEST_SAML = 'cvpn-endpoint-0ccc00000000000w1';
const JANE = 'jane.doe@example.com';
const JOHN = 'john.roe@example.com';

let revoker: RevokerOnEmulator | undefined;
afterEach(async () => {
  await revoker?.stop();
  revoker = undefined;
});

type Connections = NonNullable<NonNullable<Seed['endpoints']>[number]['connections']>;
const estate = (endpoints: Record<string, Connections>): Seed => ({
  endpoints: Object.entries(endpoints).map(([id, connections]) => ({
    id,
    region: id === WEST_SAML ? 'eu-west-1' : 'us-east-1',
    tags: IN_SCOPE,
    authType: id === EAST_CERT ? 'certificate' : 'saml',
    connections,
  })),
});
const users = (count: number, prefix = 'colleague') =>
  Array.from({ length: count }, (_, i) => ({ username: `${prefix}${i}@example.com` }));

async function start(
  seed: Seed,
  options: {
    environment?: Record<string, string>;
    emulator?: Omit<EmulatorOptions, 'seed'>;
    timeoutMs?: number;
  } = {},
) {
  revoker = await RevokerOnEmulator.start({
    seed,
    environment: options.environment,
    timeoutMs: options.timeoutMs,
    cdkOut: inject('cdkOut'),
    emulator: { terminateDelayMs: 20, ...options.emulator },
  });
  return revoker;
}

const outcomes = (r: RevokerOnEmulator): OutcomeDetail[] =>
  r.emulator.publishedEvents().map((event) => outcomeDetailSchema.parse(event.detail));

/** [status, attempt, willRetry] per published outcome, in publishing order. */
const sequence = (published: readonly OutcomeDetail[]) =>
  published.map((o) => [o.status, o.delivery.attempt, o.delivery.willRetry]);

type Session = { username: string; commonName: string };
const isLive = (c: { status: string }) => c.status === 'active' || c.status === 'failed-to-terminate';
const liveSessionsOf = (r: RevokerOnEmulator, predicate: (c: Session) => boolean) =>
  r.emulator.connections().filter((c) => predicate(c) && isLive(c));
const named =
  (...names: string[]) =>
  (c: Session) =>
    names.includes(c.username.toLowerCase()) || names.includes(c.commonName.toLowerCase());

const oktaDelivery = (login: string) => ({ event: oktaEvent(login), eventBusName: OKTA_SOURCE });
const terminateCalls = (r: RevokerOnEmulator) =>
  r.emulator.calls().filter((c) => c.action === 'TerminateClientVpnConnections');

/**
 * Nothing is lost: the queue is empty and every request either ended with a published final outcome
 * (willRetry false, not a retryable status) or is in the DLQ, with its last published outcome (if any
 * could be published) being the final, attempt-5 one.
 */
function expectNothingLost(r: RevokerOnEmulator, report: DeliveryReport, requestIds: readonly string[]) {
  expect(r.queue.depth).toBe(0);
  const deadLettered = new Set(report.deadLettered.map((body) => (JSON.parse(body) as { id: string }).id));
  const published = outcomes(r);
  for (const requestId of requestIds) {
    const last = published.filter((o) => o.requestId === requestId).at(-1);
    if (deadLettered.has(requestId)) {
      if (last) expect(last.delivery).toEqual({ attempt: r.stack.maxReceiveCount, willRetry: false });
    } else {
      expect(last, `final outcome of ${requestId}`).toBeDefined();
      expect(last?.delivery.willRetry).toBe(false);
      expect(RETRYABLE_STATUSES).not.toContain(last?.status);
    }
  }
}

describe('the bundled revoker under injected faults', () => {
  it('rides out a 5xx storm on EC2 through SDK retries', async () => {
    // Prepare: 30 % of EC2 calls answer InternalError 500 / Unavailable 503, from a seeded PRNG
    const r = await start(
      estate({
        [EAST_SAML]: [{ username: JANE }, { username: JANE }, ...users(5)],
        [EAST_CERT]: [{ commonName: JANE }, { commonName: 'someone.else@example.com' }],
        [WEST_SAML]: [{ username: JANE }, ...users(3, 'west')],
      }),
      { emulator: { randomSeed: 20_261_205 } },
    );
    r.emulator.faults.randomErrors({ probability: 0.3 });
    const delivery = oktaDelivery(JANE);

    // Act
    const report = await r.deliver([delivery]);

    // Assess
    const ec2Errors = Object.values(r.emulator.callCounts())
      .filter((count) => count.action !== 'PutEvents')
      .reduce((sum, count) => sum + count.errors, 0);
    expect(ec2Errors).toBeGreaterThan(0);
    expect(report.invocations.map((i) => i.kind)).toEqual(['result']);
    expect(report.deadLettered).toEqual([]);
    const published = outcomes(r);
    expect(sequence(published)).toEqual([['revoked', 1, false]]);
    expect(published[0]).toMatchObject({
      requestId: delivery.event.id,
      summary: { connectionsFound: 4, connectionsTerminated: 4, connectionsRemaining: 0 },
    });
    expect(liveSessionsOf(r, named(JANE))).toEqual([]);
    expect(liveSessionsOf(r, (c) => !named(JANE)(c))).toHaveLength(9);
    expectNothingLost(r, report, [delivery.event.id]);
  });

  it('survives an invocation killed at its timeout by slow EC2: the redelivery finishes the job', async () => {
    // Prepare: an 8 s Lambda timeout and EC2 answering DescribeClientVpnConnections 5 s late. The first
    // invocation lists (5 s, a second before its last Terminate start at 6 s, so a loaded machine still makes
    // it), calls Terminate, then is killed by the host at 8 s while its verification listing is still waiting:
    // no outcome is published and the whole batch goes back to the queue.
    // Simulated: the slowdown passes before SQS redelivers (in AWS, after the visibility timeout); here the
    // fault is cleared right after the first invocation returns, and the redelivery cold-starts.
    const r = await start(
      estate({
        [EAST_SAML]: [{ username: JANE }, ...users(3)],
        [WEST_SAML]: [{ username: JANE }, { username: JANE }, ...users(2, 'west')],
      }),
      { timeoutMs: 8_000, environment: { TERMINATE_RETRY_BUDGET_MS: '200' } },
    );
    r.emulator.faults.latency(5_000, 'DescribeClientVpnConnections');
    const delivery = oktaDelivery(JANE);
    r.queue.send(delivery.event);

    // Act
    const report = await r.queue.drain(async (batch) => {
      const invocation = await r.lambda.invoke(batch);
      r.emulator.faults.clear();
      return invocation;
    });

    // Assess
    expect(report.invocations.map((i) => i.kind)).toEqual(['timeout', 'result']);
    expect(report.deadLettered).toEqual([]);
    // The killed invocation had already ended the sessions; the retry finds nothing left and reports it.
    expect(terminateCalls(r)).toHaveLength(2);
    const published = outcomes(r);
    expect(sequence(published)).toEqual([['nothing-to-revoke', 2, false]]);
    expect(published[0]?.requestId).toBe(delivery.event.id);
    expect(liveSessionsOf(r, named(JANE))).toEqual([]);
    expect(liveSessionsOf(r, (c) => !named(JANE)(c))).toHaveLength(5);
    expectNothingLost(r, report, [delivery.event.id]);
  });

  it('handles an endpoint deleted mid-run', async () => {
    // Prepare: the certificate endpoint disappears after the first connection listing EC2 answers
    const r = await start(
      estate({
        [EAST_SAML]: [{ username: JANE }, ...users(3)],
        [EAST_CERT]: [{ commonName: JANE }, { commonName: 'someone.else@example.com' }],
        [WEST_SAML]: [{ username: JANE }, ...users(2, 'west')],
      }),
    );
    r.emulator.faults.removeEndpoint(EAST_CERT, { afterCalls: 1, action: 'DescribeClientVpnConnections' });
    const delivery = oktaDelivery(JANE);

    // Act
    const report = await r.deliver([delivery]);

    // Assess
    expect(report.invocations.map((i) => i.kind)).toEqual(['result']);
    const published = outcomes(r);
    expect(sequence(published)).toEqual([['revoked', 1, false]]);
    const endpoints = published[0]?.regions.flatMap((region) => region.endpoints) ?? [];
    const deleted = endpoints.find((e) => e.endpointId === EAST_CERT);
    // Which listing EC2 answers first is a race: the deleted endpoint is either found missing when listed,
    // or listed first and then gone when Terminate reaches it.
    if (deleted?.status === 'not-found') {
      expect(deleted).toMatchObject({
        error: { code: 'InvalidClientVpnEndpointId.NotFound' },
        connections: [],
      });
    } else {
      expect(deleted?.status).toBe('scanned');
      expect(deleted?.connections).toEqual([
        expect.objectContaining({
          commonName: JANE,
          finalStatus: 'terminated',
          messages: expect.arrayContaining(['The endpoint was deleted; its sessions ended with it']),
        }),
      ]);
    }
    for (const other of endpoints.filter((e) => e.endpointId !== EAST_CERT)) {
      expect(other.status).toBe('scanned');
      expect(other.connections.map((c) => c.finalStatus)).toEqual([expect.stringMatching(/^terminat/)]);
    }
    expect(r.emulator.endpoints().map((e) => e.endpointId)).not.toContain(EAST_CERT);
    expect(liveSessionsOf(r, named(JANE))).toEqual([]);
    expect(liveSessionsOf(r, (c) => !named(JANE)(c))).toHaveLength(5);
    expectNothingLost(r, report, [delivery.event.id]);
  });

  it('reports a region it may not read until the DLQ, and ends the sessions it can', async () => {
    // Prepare: every EC2 call in eu-west-1 answers 403 UnauthorizedOperation
    const r = await start(
      estate({
        [EAST_SAML]: [{ username: JANE }, ...users(3)],
        [WEST_SAML]: [{ username: JANE }, ...users(2, 'west')],
      }),
    );
    r.emulator.faults.unauthorized({ region: 'eu-west-1' });
    const delivery = oktaDelivery(JANE);

    // Act
    const report = await r.deliver([delivery]);

    // Assess
    expect(report.invocations).toHaveLength(5);
    expect(report.deadLettered).toHaveLength(1);
    const published = outcomes(r);
    // The first attempt ends the us-east-1 session (partial); later ones have nothing left to end there.
    expect(sequence(published)).toEqual([
      ['partial', 1, true],
      ['failed', 2, true],
      ['failed', 3, true],
      ['failed', 4, true],
      ['failed', 5, false],
    ]);
    for (const outcome of published) {
      expect(outcome.requestId).toBe(delivery.event.id);
      expect(outcome.regions.find((region) => region.region === 'eu-west-1')).toMatchObject({
        error: { code: 'UnauthorizedOperation' },
        endpoints: [],
      });
    }
    expect(published[0]?.summary).toMatchObject({ connectionsTerminated: 1, endpointsUnreachable: 1 });
    expect(terminateCalls(r).map((c) => c.region)).toEqual(['us-east-1']);
    expect(liveSessionsOf(r, named(JANE)).map((c) => c.endpointId)).toEqual([WEST_SAML]);
    expect(liveSessionsOf(r, (c) => !named(JANE)(c))).toHaveLength(5);
    expectNothingLost(r, report, [delivery.event.id]);
  });

  it('redelivers only the request whose outcome PutEvents refused', async () => {
    // Prepare: both outcomes go out in one PutEvents call; Jane's entry (the first) is refused there and
    // in the publisher's two in-invocation retries, John's is accepted. The emulator can only fail the
    // next N entries, so the two later refusals are armed once the first PutEvents call has been answered.
    const r = await start(
      estate({
        [EAST_SAML]: [{ username: JANE }, { username: JOHN }, ...users(3)],
        [WEST_SAML]: [{ username: JANE }, ...users(2, 'west')],
      }),
    );
    r.emulator.faults.failNextEvents(1);
    let armed = false;
    const arm = setInterval(() => {
      if (armed || !r.emulator.calls().some((c) => c.action === 'PutEvents')) return;
      armed = true;
      r.emulator.faults.failNextEvents(2);
    }, 5);
    const jane = oktaDelivery(JANE);
    const john = oktaDelivery(JOHN);

    // Act
    const report = await r.deliver([jane, john]).finally(() => clearInterval(arm));

    // Assess
    expect(armed).toBe(true);
    expect(report.invocations.map((i) => i.kind)).toEqual(['result', 'result']);
    expect(report.invocations[0]).toMatchObject({ result: { batchItemFailures: [expect.anything()] } });
    expect(report.deadLettered).toEqual([]);
    const putEntries = r.emulator
      .calls()
      .filter((c) => c.action === 'PutEvents')
      .map((c) => (c.params.Entries as unknown[]).length);
    expect(putEntries).toEqual([2, 1, 1, 1]);
    const published = outcomes(r);
    expect(published.map((o) => [o.identity, o.requestId, o.status, o.delivery.attempt])).toEqual([
      [JOHN, john.event.id, 'revoked', 1],
      [JANE, jane.event.id, 'nothing-to-revoke', 2],
    ]);
    expect(terminateCalls(r)).toHaveLength(3);
    expect(liveSessionsOf(r, named(JANE, JOHN))).toEqual([]);
    expect(liveSessionsOf(r, (c) => !named(JANE, JOHN)(c))).toHaveLength(5);
    expectNothingLost(r, report, [jane.event.id, john.event.id]);
  });

  it('dead-letters a request whose outcome can never be published, after ending its sessions', async () => {
    // Prepare: every PutEvents call answers HTTP 500 InternalException
    const r = await start(estate({ [EAST_SAML]: [{ username: JANE }, ...users(3)] }));
    r.emulator.faults.failPutEventsCalls();
    const delivery = oktaDelivery(JANE);

    // Act
    const report = await r.deliver([delivery]);

    // Assess
    expect(report.invocations).toHaveLength(5);
    for (const invocation of report.invocations) {
      expect(invocation).toMatchObject({
        kind: 'result',
        result: { batchItemFailures: [expect.anything()] },
      });
    }
    expect(report.deadLettered.map((body) => (JSON.parse(body) as { id: string }).id)).toEqual([
      delivery.event.id,
    ]);
    expect(outcomes(r)).toEqual([]);
    expect(r.emulator.callCounts()['us-east-1:PutEvents']?.errors).toBeGreaterThanOrEqual(5 * 3);
    expect(terminateCalls(r)).toHaveLength(1);
    expect(liveSessionsOf(r, named(JANE))).toEqual([]);
    expect(liveSessionsOf(r, (c) => !named(JANE)(c))).toHaveLength(3);
    expectNothingLost(r, report, [delivery.event.id]);
  });

  it('brings a failed request back after seconds, doubling per attempt, and still dead-letters it at maxReceiveCount', async () => {
    // Prepare: no outcome can be published, so every delivery fails
    const r = await start(estate({ [EAST_SAML]: [{ username: JANE }, ...users(3)] }));
    r.emulator.faults.failPutEventsCalls();
    const delivery = oktaDelivery(JANE);

    // Act
    const report = await r.deliver([delivery]);

    // Assess: invisible for half to all of 5 s × 2^(attempt-1) after each failure, not the visibility timeout
    expect(r.stack.visibilityTimeoutMs).toBeGreaterThanOrEqual(60_000);
    expect(report.retries.map((retry) => retry.receiveCount)).toEqual([1, 2, 3, 4]);
    for (const retry of report.retries) {
      const ceilingMs = 5_000 * 2 ** (retry.receiveCount - 1);
      expect(retry.invisibleForMs).toBeGreaterThanOrEqual(ceilingMs / 2);
      expect(retry.invisibleForMs).toBeLessThanOrEqual(ceilingMs);
    }
    expect(report.elapsedMs).toBeLessThan(r.stack.visibilityTimeoutMs);
    expect(r.emulator.sqs.visibilityChanges()).toHaveLength(5);
    expect(report.deadLettered.map((body) => (JSON.parse(body) as { id: string }).id)).toEqual([
      delivery.event.id,
    ]);
    expect(terminateCalls(r)).toHaveLength(1);
    expectNothingLost(r, report, [delivery.event.id]);
  });

  it('brings a failed request back at the visibility timeout when SQS refuses the shorter delay', async () => {
    // Prepare: the first outcome is refused (in all three in-invocation attempts), and SQS answers 500 to
    // the visibility change every time the SQS client tries
    const r = await start(estate({ [EAST_SAML]: [{ username: JANE }] }));
    r.emulator.faults.failNextEvents(3);
    r.emulator.sqs.failNext(3); // the SQS client's three attempts
    const delivery = oktaDelivery(JANE);

    // Act
    const report = await r.deliver([delivery]);

    // Assess: never lost — it waited out the visibility timeout, then succeeded
    expect(report.retries).toEqual([
      expect.objectContaining({ receiveCount: 1, invisibleForMs: r.stack.visibilityTimeoutMs }),
    ]);
    expect(report.deadLettered).toEqual([]);
    expect(sequence(outcomes(r))).toEqual([['nothing-to-revoke', 2, false]]);
    expect(r.lambda.logs.some((line) => line.includes('Could not shorten the retry delay'))).toBe(true);
    expectNothingLost(r, report, [delivery.event.id]);
  });

  it('treats the same event delivered twice, in one batch and in sequence, as one revocation', async () => {
    // Prepare
    const r = await start(
      estate({
        [EAST_SAML]: [{ username: JANE }, ...users(3)],
        [WEST_SAML]: [{ username: JANE }, { username: JANE }, ...users(2, 'west')],
      }),
    );
    const delivery = oktaDelivery(JANE);

    // Act
    const together = await r.deliver([delivery, delivery]);
    const again = await r.deliver([delivery]);

    // Assess
    expect(together.invocations).toHaveLength(1);
    expect(again.invocations).toHaveLength(1);
    const published = outcomes(r);
    expect(published.map((o) => [o.requestId, o.status, o.delivery.attempt, o.delivery.willRetry])).toEqual([
      [delivery.event.id, 'revoked', 1, false],
      [delivery.event.id, 'revoked', 1, false],
      [delivery.event.id, 'nothing-to-revoke', 1, false],
    ]);
    // Each session was named by exactly one Terminate call.
    expect(terminateCalls(r).map((c) => [c.region, c.params.ClientVpnEndpointId, c.params.Username])).toEqual(
      expect.arrayContaining([
        ['us-east-1', EAST_SAML, JANE],
        ['eu-west-1', WEST_SAML, JANE],
      ]),
    );
    expect(terminateCalls(r)).toHaveLength(2);
    expect(published[0]?.regions.flatMap((region) => region.endpoints.flatMap((e) => e.connections))).toEqual(
      Array(3).fill(
        expect.objectContaining({ attempts: 1, finalStatus: expect.stringMatching(/^terminat/) }),
      ),
    );
    expect(liveSessionsOf(r, named(JANE))).toEqual([]);
    expect(liveSessionsOf(r, (c) => !named(JANE)(c))).toHaveLength(5);
    expectNothingLost(r, { ...together, deadLettered: [...together.deadLettered, ...again.deadLettered] }, [
      delivery.event.id,
    ]);
  });

  it('ends every session under real EC2 throttling buckets while 41 requests arrive at once', async () => {
    // Prepare: Jane has 7 sessions (ended one ConnectionId at a time); 40 colleagues are disabled too,
    // each with a SAML session in both regions and a certificate session in us-east-1: 87 Terminate calls
    // against us-east-1's 50-token mutating bucket, so RequestLimitExceeded is likely (not guaranteed:
    // emulated time runs 20x, refilling 100 tokens per real second). 20 bystanders stay connected.
    const disabled = users(40, 'leaver');
    const r = await start(
      estate({
        [EAST_SAML]: [...Array(7).fill({ username: JANE }), ...disabled, ...users(10)],
        [EAST_CERT]: disabled.map((u) => ({ commonName: u.username })),
        [WEST_SAML]: [...disabled, ...users(10, 'west')],
      }),
      { emulator: { timeScale: 20, terminateDelayMs: 20 } },
    );
    r.emulator.faults.enableThrottling();
    const deliveries = [JANE, ...disabled.map((u) => u.username)].map(oktaDelivery);

    // Act
    const report = await r.deliver(deliveries);

    // Assess
    expect(report.deadLettered).toEqual([]);
    const published = outcomes(r);
    const finals = new Map(published.map((o) => [o.requestId, o]));
    expect(finals.size).toBe(41);
    expect([...finals.values()].every((o) => o.status === 'revoked')).toBe(true);
    expect(finals.get(deliveries[0]?.event.id ?? '')?.summary.connectionsTerminated).toBe(7);
    expect(liveSessionsOf(r, named(JANE, ...disabled.map((u) => u.username)))).toEqual([]);
    expect(liveSessionsOf(r, (c) => !named(JANE, ...disabled.map((u) => u.username))(c))).toHaveLength(20);
    expectNothingLost(
      r,
      report,
      deliveries.map((d) => d.event.id),
    );
  });
});
