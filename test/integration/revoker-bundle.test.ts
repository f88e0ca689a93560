import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Seed } from '../../emulator/index.ts';
import { type OutcomeDetail, outcomeDetailSchema } from '../../lambda/core/outcome.ts';
import { RevokerOnEmulator } from '../../local/revoker-on-emulator.ts';
import { DEFAULT_RUNBOOK_EVENT_BUS } from '../../sources/runbook/events.ts';
import { OKTA_SOURCE, oktaEvent, runbookEvent } from '../support/events.ts';

// The bundled function from cdk.out (synthesized by the global setup with cdk.json's context: regions
// us-east-1 and eu-west-1, endpoints tagged client-vpn-revoker=enabled, the example Okta source).
const IN_SCOPE = { 'client-vpn-revoker': 'enabled' };
const EAST_SAML = 'cvpn-endpoint-0aaa00000000000e1';
const EAST_CERT = 'cvpn-endpoint-0bbb00000000000e2';
const WEST_SAML = 'cvpn-endpoint-0ccc00000000000w1';
const JANE = 'jane.doe@example.com';

let revoker: RevokerOnEmulator | undefined;
afterEach(async () => {
  await revoker?.stop();
  revoker = undefined;
});

type Connections = NonNullable<NonNullable<Seed['endpoints']>[number]['connections']>;
const estate = (endpoints: Record<string, Connections>, regions: Record<string, string> = {}): Seed => ({
  endpoints: Object.entries(endpoints).map(([id, connections]) => ({
    id,
    region: regions[id] ?? (id === WEST_SAML ? 'eu-west-1' : 'us-east-1'),
    tags: IN_SCOPE,
    authType: id === EAST_CERT ? 'certificate' : 'saml',
    connections,
  })),
});
const bystanders = (count: number, prefix = 'colleague') =>
  Array.from({ length: count }, (_, i) => ({ username: `${prefix}${i}@example.com` }));

async function start(seed: Seed, environment?: Record<string, string>) {
  revoker = await RevokerOnEmulator.start({
    seed,
    environment,
    cdkOut: inject('cdkOut'),
    emulator: { terminateDelayMs: 20 },
  });
  return revoker;
}

const outcomes = (r: RevokerOnEmulator): OutcomeDetail[] =>
  r.emulator.publishedEvents().map((event) => {
    expect(event).toMatchObject({
      source: 'client-vpn-revoker',
      detailType: 'Client VPN Revocation Outcome',
    });
    return outcomeDetailSchema.parse(event.detail);
  });

const liveSessionsOf = (
  r: RevokerOnEmulator,
  predicate: (c: { username: string; commonName: string }) => boolean,
) =>
  r.emulator
    .connections()
    .filter((c) => predicate(c) && (c.status === 'active' || c.status === 'failed-to-terminate'));

const oktaDelivery = (login: string) => ({ event: oktaEvent(login), eventBusName: OKTA_SOURCE });

describe('the bundled revoker against the emulator', () => {
  it('terminates the connections of an Okta-deactivated user and publishes the outcome', async () => {
    // Prepare
    const r = await start(estate({ [EAST_SAML]: [{ username: JANE }, ...bystanders(30)] }));
    const delivery = oktaDelivery(JANE);

    // Act
    const report = await r.deliver([delivery]);

    // Assess
    expect(report.invocations.map((i) => i.kind)).toEqual(['result']);
    expect(report.deadLettered).toEqual([]);
    expect(liveSessionsOf(r, (c) => c.username === JANE)).toEqual([]);
    expect(liveSessionsOf(r, (c) => c.username !== JANE)).toHaveLength(30);
    const [outcome] = outcomes(r);
    expect(outcome).toMatchObject({
      requestId: delivery.event.id,
      status: 'revoked',
      identity: JANE,
      summary: { connectionsFound: 1, connectionsTerminated: 1, connectionsRemaining: 0 },
    });
    const calls = r.emulator.calls().filter((call) => call.action === 'TerminateClientVpnConnections');
    expect(calls.map((call) => call.params)).toEqual([
      expect.objectContaining({ ClientVpnEndpointId: EAST_SAML, Username: JANE }),
    ]);
  });

  it('ends a user with seven sessions: two by ConnectionId, then the last five by Username', async () => {
    // Prepare
    const r = await start(estate({ [EAST_SAML]: [...Array(7).fill({ username: JANE }), ...bystanders(10)] }));

    // Act
    await r.deliver([oktaDelivery(JANE)]);

    // Assess: EC2 itself refuses a Username naming more than 5 active sessions, so the order is proven too
    const terminates = r.emulator.calls().filter((c) => c.action === 'TerminateClientVpnConnections');
    expect(terminates.map((c) => [c.params.ConnectionId ? 'id' : 'username', c.status])).toEqual([
      ['id', 200],
      ['id', 200],
      ['username', 200],
    ]);
    expect(liveSessionsOf(r, (c) => c.username === JANE)).toEqual([]);
    expect(outcomes(r)[0]?.summary.connectionsTerminated).toBe(7);
  });

  it('covers three endpoints in two regions, other case spellings and certificate common names', async () => {
    // Prepare
    const r = await start(
      estate({
        [EAST_SAML]: [{ username: 'Jane.Doe@Example.com' }, { username: JANE }, ...bystanders(5)],
        [EAST_CERT]: [{ commonName: JANE }, { commonName: 'jane.doe@example.com.evil' }],
        [WEST_SAML]: [{ username: 'JANE.DOE@EXAMPLE.COM' }, { username: 'jane.doe2@example.com' }],
      }),
    );

    // Act
    await r.deliver([oktaDelivery(JANE)]);

    // Assess
    const isJane = (c: { username: string; commonName: string }) =>
      c.username.toLowerCase() === JANE || c.commonName.toLowerCase() === JANE;
    expect(liveSessionsOf(r, isJane)).toEqual([]);
    expect(
      liveSessionsOf(r, (c) => !isJane(c))
        .map((c) => c.username || c.commonName)
        .sort(),
    ).toEqual(
      [...bystanders(5).map((b) => b.username), 'jane.doe2@example.com', 'jane.doe@example.com.evil'].sort(),
    );
    const [outcome] = outcomes(r);
    expect(outcome?.status).toBe('revoked');
    expect(
      outcome?.regions.map((region) => [region.region, region.endpoints.map((e) => e.connections.length)]),
    ).toEqual([
      ['us-east-1', [2, 1]],
      ['eu-west-1', [1]],
    ]);
  });

  it('pages through 2,500 connections on one endpoint', async () => {
    // Prepare
    const r = await start(estate({ [EAST_SAML]: [...bystanders(2_499), { username: JANE }] }));

    // Act
    await r.deliver([oktaDelivery(JANE)]);

    // Assess
    const listings = r.emulator
      .calls()
      .filter((c) => c.action === 'DescribeClientVpnConnections' && c.params['Filter.1.Name'] === undefined);
    expect(listings).toHaveLength(3);
    expect(listings.every((c) => c.params.MaxResults === '1000')).toBe(true);
    expect(liveSessionsOf(r, (c) => c.username === JANE)).toEqual([]);
    expect(liveSessionsOf(r, (c) => c.username !== JANE)).toHaveLength(2_499);
  });

  it('retries a transient failed-to-terminate within the invocation', async () => {
    // Prepare
    const r = await start(estate({ [EAST_SAML]: [{ username: JANE }, ...bystanders(3)] }));
    const [jane] = r.emulator.connections({ username: JANE });
    r.emulator.faults.failToTerminate(jane?.connectionId ?? '', { times: 2, message: 'Internal error' });

    // Act
    const report = await r.deliver([oktaDelivery(JANE)]);

    // Assess
    expect(report.invocations).toHaveLength(1);
    const [outcome] = outcomes(r);
    expect(outcome?.status).toBe('revoked');
    expect(outcome?.regions[0]?.endpoints[0]?.connections[0]).toMatchObject({
      attempts: 3,
      finalStatus: expect.stringMatching(/^terminat/),
    });
    expect(liveSessionsOf(r, (c) => c.username === JANE)).toEqual([]);
  });

  it('hands a permanent failed-to-terminate back to the queue until the DLQ, with a failed outcome each time', async () => {
    // Prepare
    const r = await start(
      estate({ [EAST_SAML]: [{ username: JANE }, { username: JANE }, ...bystanders(3)] }),
      {
        TERMINATE_RETRY_BUDGET_MS: '600',
      },
    );
    const [stuck] = r.emulator.connections({ username: JANE });
    r.emulator.faults.failToTerminate(stuck?.connectionId ?? '', { message: 'Internal error' });

    // Act
    const report = await r.deliver([oktaDelivery(JANE)]);

    // Assess
    expect(report.invocations).toHaveLength(5);
    expect(report.deadLettered).toHaveLength(1);
    const published = outcomes(r);
    expect(published.map((o) => [o.status, o.delivery.attempt, o.delivery.willRetry])).toEqual([
      ['partial', 1, true],
      ['failed', 2, true],
      ['failed', 3, true],
      ['failed', 4, true],
      ['failed', 5, false],
    ]);
    // EC2 lists a connection it failed to terminate as still active.
    expect(published[4]?.regions[0]?.endpoints[0]?.connections).toEqual([
      expect.objectContaining({
        connectionId: stuck?.connectionId,
        finalStatus: 'active',
        attempts: expect.any(Number),
      }),
    ]);
    expect(published[4]?.regions[0]?.endpoints[0]?.connections[0]?.messages).toContain(
      'Terminate: Internal error',
    );
    expect(liveSessionsOf(r, (c) => c.username === JANE)).toHaveLength(1);
  });

  it('rides out a throttling storm through SDK retries', async () => {
    // Prepare
    const r = await start(estate({ [EAST_SAML]: [{ username: JANE }, ...bystanders(3)] }));
    r.emulator.faults.throttleNext('DescribeClientVpnConnections', 2);
    r.emulator.faults.throttleNext('TerminateClientVpnConnections', 2);

    // Act
    await r.deliver([oktaDelivery(JANE)]);

    // Assess
    const counts = r.emulator.callCounts();
    expect(counts['us-east-1:TerminateClientVpnConnections']?.throttled).toBe(2);
    expect(outcomes(r)[0]?.status).toBe('revoked');
    expect(liveSessionsOf(r, (c) => c.username === JANE)).toEqual([]);
  });

  it('keeps the request until its outcome is published when PutEvents fails', async () => {
    // Prepare
    const r = await start(estate({ [EAST_SAML]: [{ username: JANE }] }));
    r.emulator.faults.failNextEvents(3);

    // Act
    const report = await r.deliver([oktaDelivery(JANE)]);

    // Assess: the first delivery revokes but cannot report; the redelivery finds nothing left and reports
    expect(report.invocations).toHaveLength(2);
    expect(report.deadLettered).toEqual([]);
    expect(outcomes(r).map((o) => [o.status, o.delivery.attempt])).toEqual([['nothing-to-revoke', 2]]);
    expect(liveSessionsOf(r, (c) => c.username === JANE)).toEqual([]);
  });

  it('accepts only events the rules route, and rejects malformed ones without retries', async () => {
    // Prepare
    const r = await start(estate({ [EAST_SAML]: [{ username: JANE }, { username: 'john@example.com' }] }));
    const failedLogin = {
      ...oktaEvent(JANE),
      detail: { ...oktaEvent(JANE).detail, outcome: { result: 'FAILURE' } },
    };

    // Act
    const routed = await r.deliver([
      { event: failedLogin, eventBusName: OKTA_SOURCE },
      { event: oktaEvent(JANE), eventBusName: 'default' },
      {
        event: runbookEvent({ username: 'john@example.com', reason: 'IR-1234' }),
        eventBusName: DEFAULT_RUNBOOK_EVENT_BUS,
      },
      // A runbook request on the default bus reaches no rule of the queue: it is kept in the holding queue.
      { event: runbookEvent({ username: JANE, reason: 'IR-1235' }), eventBusName: 'default' },
    ]);
    const raw = await r.deliverRaw(['not json', JSON.stringify(runbookEvent({ username: '', reason: 'x' }))]);

    // Assess
    expect(routed.unmatched).toBe(3);
    expect(raw.deadLettered).toEqual([]);
    expect(raw.invocations).toHaveLength(1);
    expect(outcomes(r).map((o) => [o.status, o.identity])).toEqual([
      ['revoked', 'john@example.com'],
      ['rejected', null],
      ['rejected', null],
    ]);
    expect(liveSessionsOf(r, (c) => c.username === JANE)).toHaveLength(1);
  });
});
