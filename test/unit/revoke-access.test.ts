import { describe, expect, it } from 'vitest';
import type { EndpointSelection } from '../../lambda/core/environment.ts';
import { ClientVpnApiError } from '../../lambda/core/errors.ts';
import type { RevocationRequest } from '../../lambda/core/request.ts';
import type { ClientVpnApiForRegion } from '../../lambda/engine/ports.ts';
import { revokeAccess } from '../../lambda/engine/revoke-access.ts';
import { VERIFY_IDS_PER_CALL } from '../../lambda/engine/terminate-connections.ts';
import { revocationRequest } from '../support/events.ts';
import { type FakeCall, FakeClientVpn, fakeClock } from '../support/fake-client-vpn.ts';

const EAST = 'us-east-1';
const WEST = 'eu-west-1';
const SAML = 'cvpn-endpoint-0aaa0000000000001';
const CERT = 'cvpn-endpoint-0bbb0000000000002';
const OTHER = 'cvpn-endpoint-0ccc0000000000003';

function setup(options: { selection?: EndpointSelection; regions?: string[]; budgetMs?: number } = {}) {
  const fake = new FakeClientVpn().addEndpoint(EAST, SAML).addEndpoint(EAST, CERT).addEndpoint(WEST, OTHER);
  const clock = fakeClock();
  const revoke = revokeAccess(
    { clientVpn: fake.forRegion, ...clock },
    {
      regions: options.regions ?? [EAST, WEST],
      endpoints: options.selection ?? { kind: 'all' },
      terminateRetryBudgetMs: options.budgetMs ?? 30_000,
    },
  );
  const run = (...requests: RevocationRequest[]) => revoke(requests, { deadline: clock.now() + 120_000 });
  return { fake, clock, run };
}

const terminates = (fake: FakeClientVpn) => fake.calls.filter((call) => call.action === 'terminate');

describe('revokeAccess', () => {
  it('reports nothing-to-revoke and makes no mutating call when the user has no connection', async () => {
    // Prepare
    const { fake, run } = setup();
    fake.connect(EAST, SAML, { username: 'someone.else@example.com' });

    // Act
    const [result] = await run(revocationRequest('jane@example.com'));

    // Assess
    expect(result?.status).toBe('nothing-to-revoke');
    expect(result?.summary).toMatchObject({ endpointsScanned: 3, connectionsFound: 0 });
    expect(terminates(fake)).toHaveLength(0);
  });

  it('ends the sessions on an endpoint as soon as it is listed, while another is still being listed', async () => {
    // Prepare
    const { fake } = setup();
    fake.connect(EAST, SAML, { username: 'jane@example.com' });
    fake.connect(WEST, OTHER, { username: 'jane@example.com' });
    let releaseWest = () => {};
    const westListed = new Promise<void>((resolve) => {
      releaseWest = resolve;
    });
    let terminatedWhileWestListing = false;
    const clientVpn: ClientVpnApiForRegion = (region) => {
      const api = fake.forRegion(region);
      return {
        ...api,
        describeConnections: async (endpointId, options) => {
          if (endpointId === OTHER && !options?.connectionIds) await westListed;
          return api.describeConnections(endpointId, options);
        },
        terminate: async (endpointId, target) => {
          const result = await api.terminate(endpointId, target);
          if (endpointId === SAML) {
            terminatedWhileWestListing = true;
            releaseWest();
          }
          return result;
        },
      };
    };
    const clock = fakeClock();
    const revoke = revokeAccess(
      { clientVpn, ...clock },
      { regions: [EAST, WEST], endpoints: { kind: 'all' }, terminateRetryBudgetMs: 30_000 },
    );

    // Act: WEST's listing only completes once SAML's Terminate has been sent.
    const [result] = await revoke([revocationRequest('jane@example.com')], {
      deadline: clock.now() + 120_000,
    });

    // Assess
    expect(terminatedWhileWestListing).toBe(true);
    expect(terminates(fake).map((call) => call.endpointId)).toEqual([SAML, OTHER]);
    expect(result?.summary).toMatchObject({ connectionsFound: 2, connectionsTerminated: 2 });
  });

  it('ends 1–5 connections of one username with a single Terminate by Username', async () => {
    // Prepare
    const { fake, run } = setup();
    const ids = [1, 2, 3].map(() => fake.connect(EAST, SAML, { username: 'jane@example.com' }));

    // Act
    const [result] = await run(revocationRequest('jane@example.com'));

    // Assess
    expect(terminates(fake)).toEqual([
      expect.objectContaining({ endpointId: SAML, target: { username: 'jane@example.com' } }),
    ]);
    expect(result?.status).toBe('revoked');
    expect(result?.summary).toMatchObject({
      connectionsFound: 3,
      connectionsTerminated: 3,
      connectionsRemaining: 0,
    });
    for (const id of ids) expect(fake.statusOf(id)).toBe('terminating');
    const reports = result?.regions
      .find((r) => r.region === EAST)
      ?.endpoints.find((e) => e.endpointId === SAML);
    expect(reports?.connections.map((c) => [c.terminatedBy, c.attempts, c.finalStatus])).toEqual([
      ['username', 1, 'terminating'],
      ['username', 1, 'terminating'],
      ['username', 1, 'terminating'],
    ]);
  });

  it('ends more than five connections with all but five by ConnectionId, then one call by Username', async () => {
    // Prepare
    const { fake, run } = setup();
    const ids = Array.from({ length: 7 }, () => fake.connect(EAST, SAML, { username: 'jane@example.com' }));

    // Act
    const [result] = await run(revocationRequest('jane@example.com'));

    // Assess: 3 mutating calls instead of 7, and the Username call comes last, when only 5 are active
    expect(terminates(fake).map((call) => call.target)).toEqual([
      ...ids.slice(0, 2).map((connectionId) => ({ connectionId })),
      { username: 'jane@example.com' },
    ]);
    expect(ids.map((id) => fake.statusOf(id))).toEqual(Array(7).fill('terminating'));
    expect(result?.status).toBe('revoked');
    expect(result?.summary.connectionsTerminated).toBe(7);
  });

  it('matches usernames case-insensitively and terminates each stored spelling exactly', async () => {
    // Prepare
    const { fake, run } = setup();
    fake.connect(EAST, SAML, { username: 'Jane.Doe@Example.com' });
    fake.connect(EAST, SAML, { username: 'Jane.Doe@Example.com' });
    fake.connect(EAST, SAML, { username: 'jane.doe@example.com' });

    // Act
    const [result] = await run(revocationRequest('JANE.DOE@example.com'));

    // Assess
    expect(terminates(fake).map((call) => call.target)).toEqual([
      { username: 'Jane.Doe@Example.com' },
      { username: 'jane.doe@example.com' },
    ]);
    expect(result?.summary.connectionsTerminated).toBe(3);
  });

  it('matches the certificate CommonName of connections without a username and ends them by id', async () => {
    // Prepare
    const { fake, run } = setup();
    const certificate = fake.connect(EAST, CERT, { username: '', commonName: 'jane.doe' });

    // Act
    const [result] = await run(revocationRequest('Jane.Doe'));

    // Assess
    expect(terminates(fake).map((call) => call.target)).toEqual([{ connectionId: certificate }]);
    const connection = result?.regions[0]?.endpoints.find((e) => e.endpointId === CERT)?.connections[0];
    expect(connection).toMatchObject({
      matchedOn: 'common-name',
      terminatedBy: 'connection-id',
      finalStatus: 'terminating',
    });
  });

  it('never touches lookalike identities', async () => {
    // Prepare
    const { fake, run } = setup();
    const target = fake.connect(EAST, SAML, { username: 'bob' });
    // Surrounding spaces are the same person (the canonical form trims them): those sessions end too.
    const spaced = ['bob ', ' bob'].map((username) => fake.connect(EAST, SAML, { username }));
    const lookalikes = ['bobby', 'bob@example.com.evil', 'b ob', 'bo', 'xbob', 'bob.'].map((username) =>
      fake.connect(EAST, SAML, { username, commonName: username }),
    );

    // Act
    const [result] = await run(revocationRequest('bob'));

    // Assess
    expect(result?.summary.connectionsFound).toBe(3);
    for (const id of [target, ...spaced]) expect(fake.statusOf(id)).not.toBe('active');
    for (const id of lookalikes) expect(fake.statusOf(id)).toBe('active');
  });

  it('follows NextToken through every page of a large endpoint', async () => {
    // Prepare
    const { fake, run } = setup({ regions: [EAST] });
    for (let i = 0; i < 2_500; i++) fake.connect(EAST, SAML, { username: `user${i}@example.com` });
    const last = fake.connect(EAST, SAML, { username: 'jane@example.com' });

    // Act
    const [result] = await run(revocationRequest('jane@example.com'));

    // Assess
    const listings = fake.calls.filter(
      (c) => c.action === 'describeConnections' && c.endpointId === SAML && !c.connectionIds,
    );
    expect(listings).toHaveLength(3);
    expect(result?.status).toBe('revoked');
    expect(fake.statusOf(last)).toBe('terminating');
  });

  it('retries transient failed-to-terminate by ConnectionId until EC2 accepts it', async () => {
    // Prepare
    const { fake, run } = setup();
    const stubborn = fake.connect(EAST, SAML, { username: 'jane@example.com' });
    fake.failTerminate(stubborn, 2);

    // Act
    const [result] = await run(revocationRequest('jane@example.com'));

    // Assess
    expect(terminates(fake).map((call) => call.target)).toEqual([
      { username: 'jane@example.com' },
      { connectionId: stubborn },
      { connectionId: stubborn },
    ]);
    expect(result?.status).toBe('revoked');
    const connection = result?.regions[0]?.endpoints[0]?.connections[0];
    expect(connection).toMatchObject({
      attempts: 3,
      finalStatus: 'terminating',
      terminatedBy: 'connection-id',
    });
    expect(connection?.messages).toContain('Terminate: injected');
  });

  it('gives up on permanent failed-to-terminate when the retry budget is spent and reports it', async () => {
    // Prepare
    const { fake, clock, run } = setup({ budgetMs: 10_000 });
    const stuck = fake.connect(EAST, SAML, { username: 'jane@example.com' });
    const fine = fake.connect(EAST, CERT, { commonName: 'jane@example.com' });
    fake.failTerminate(stuck);
    const started = clock.now();

    // Act
    const [result] = await run(revocationRequest('jane@example.com'));

    // Assess
    expect(result?.status).toBe('partial');
    expect(result?.message).toMatch(/1 connection\(s\) could not be ended/);
    expect(fake.statusOf(fine)).toBe('terminating');
    const connection = result?.regions[0]?.endpoints.find((e) => e.endpointId === SAML)?.connections[0];
    expect(connection?.finalStatus).toBe('failed-to-terminate');
    expect(connection?.attempts).toBeGreaterThan(2);
    expect(clock.now() - started).toBeLessThanOrEqual(10_000);
  });

  it('reports failed when not a single connection could be ended', async () => {
    // Prepare
    const { fake, run } = setup({ budgetMs: 0 });
    fake.failTerminate(fake.connect(EAST, SAML, { username: 'jane@example.com' }));

    // Act
    const [result] = await run(revocationRequest('jane@example.com'));

    // Assess
    expect(result?.status).toBe('failed');
    expect(result?.summary).toMatchObject({ connectionsFound: 1, connectionsRemaining: 1 });
  });

  it('finds a connection left failed-to-terminate by an earlier attempt and ends it by id', async () => {
    // Prepare
    const { fake, run } = setup();
    const leftover = fake.connect(EAST, SAML, { username: 'jane@example.com' }, 'failed-to-terminate');

    // Act
    const [result] = await run(revocationRequest('jane@example.com'));

    // Assess
    expect(terminates(fake).map((call) => call.target)).toEqual([{ connectionId: leftover }]);
    expect(result?.status).toBe('revoked');
  });

  it('reports an unreachable endpoint and still revokes on the others', async () => {
    // Prepare
    const { fake, run } = setup();
    fake.connect(WEST, OTHER, { username: 'jane@example.com' });
    fake.failEndpoint(EAST, SAML, 'UnauthorizedOperation');

    // Act
    const [result] = await run(revocationRequest('jane@example.com'));

    // Assess
    expect(result?.status).toBe('partial');
    expect(result?.summary).toMatchObject({ endpointsUnreachable: 1, connectionsTerminated: 1 });
    const east = result?.regions.find((r) => r.region === EAST);
    expect(east?.endpoints.find((e) => e.endpointId === SAML)).toMatchObject({
      status: 'unreachable',
      error: { code: 'UnauthorizedOperation' },
    });
  });

  it('reports a region whose endpoints cannot be listed and carries on elsewhere', async () => {
    // Prepare
    const { fake, run } = setup();
    fake.connect(EAST, SAML, { username: 'jane@example.com' });
    fake.regionFailures.set(WEST, 'UnauthorizedOperation');

    // Act
    const [result] = await run(revocationRequest('jane@example.com'));

    // Assess
    expect(result?.status).toBe('partial');
    expect(result?.regions.find((r) => r.region === WEST)).toMatchObject({
      error: { code: 'UnauthorizedOperation' },
    });
  });

  it('treats a named endpoint that no longer exists as not-found, not as a failure', async () => {
    // Prepare
    const { fake, run } = setup({
      regions: [EAST],
      selection: {
        kind: 'ids',
        endpoints: [
          { region: EAST, endpointId: SAML },
          { region: EAST, endpointId: 'cvpn-endpoint-0ddd0000000000004' },
        ],
      },
    });
    fake.connect(EAST, SAML, { username: 'jane@example.com' });

    // Act
    const [result] = await run(revocationRequest('jane@example.com'));

    // Assess
    expect(result?.status).toBe('revoked');
    expect(result?.regions[0]?.endpoints.map((e) => [e.endpointId, e.status])).toEqual([
      [SAML, 'scanned'],
      ['cvpn-endpoint-0ddd0000000000004', 'not-found'],
    ]);
    expect(fake.count('describeEndpoints')).toBe(0);
  });

  it('selects endpoints by tag on the client side, skipping unavailable ones, across endpoint pages', async () => {
    // Prepare
    const fake = new FakeClientVpn()
      .addEndpoint(EAST, SAML, { tags: { 'client-vpn-revoker': 'enabled' } })
      .addEndpoint(EAST, CERT, { tags: { 'client-vpn-revoker': 'disabled' } })
      .addEndpoint(EAST, OTHER, { tags: { 'client-vpn-revoker': 'enabled' }, status: 'pending-associate' })
      .addEndpoint(EAST, 'cvpn-endpoint-0eee0000000000005', { tags: { 'client-vpn-revoker': 'enabled' } });
    for (const endpoint of [SAML, CERT, OTHER, 'cvpn-endpoint-0eee0000000000005']) {
      fake.connect(EAST, endpoint, { username: 'jane@example.com' });
    }
    const clock = fakeClock();
    const revoke = revokeAccess(
      { clientVpn: fake.forRegion, ...clock },
      {
        regions: [EAST],
        endpoints: { kind: 'tag', key: 'client-vpn-revoker', value: 'enabled' },
        terminateRetryBudgetMs: 1_000,
      },
    );

    // Act
    const [result] = await revoke([revocationRequest('jane@example.com')], {
      deadline: clock.now() + 60_000,
    });

    // Assess
    expect(fake.count('describeEndpoints')).toBe(2);
    expect(result?.regions[0]?.endpoints.map((e) => e.endpointId)).toEqual([
      SAML,
      'cvpn-endpoint-0eee0000000000005',
    ]);
    expect(terminates(fake).map((call) => call.endpointId)).toEqual([
      SAML,
      'cvpn-endpoint-0eee0000000000005',
    ]);
  });

  it('makes no mutating call in a dry run and lists what it would end', async () => {
    // Prepare
    const { fake, run } = setup();
    fake.connect(EAST, SAML, { username: 'jane@example.com' });

    // Act
    const [result] = await run(revocationRequest('jane@example.com', { dryRun: true }));

    // Assess
    expect(terminates(fake)).toHaveLength(0);
    expect(result?.status).toBe('dry-run');
    expect(result?.summary).toMatchObject({
      connectionsFound: 1,
      connectionsTerminated: 0,
      connectionsRemaining: 1,
    });
    expect(result?.regions[0]?.endpoints[0]?.connections[0]?.messages[0]).toMatch(/would terminate/);
  });

  it('falls back to ConnectionIds when more sessions appeared than Terminate by Username allows', async () => {
    // Prepare
    const { fake } = setup({ regions: [EAST] });
    const listed = fake.connect(EAST, SAML, { username: 'jane@example.com' });
    const api = fake.forRegion(EAST);
    const original = api.describeConnections;
    // Five more sessions open between the listing and the Terminate call.
    let opened = false;
    fake.forRegion = () => ({
      ...api,
      describeConnections: async (endpointId, options) => {
        const page = await original(endpointId, options);
        if (!opened && endpointId === SAML) {
          opened = true;
          for (let i = 0; i < 5; i++) fake.connect(EAST, SAML, { username: 'jane@example.com' });
        }
        return page;
      },
    });
    const clock = fakeClock();
    const revoke = revokeAccess(
      { clientVpn: fake.forRegion, ...clock },
      {
        regions: [EAST],
        endpoints: { kind: 'ids', endpoints: [{ region: EAST, endpointId: SAML }] },
        terminateRetryBudgetMs: 1_000,
      },
    );

    // Act
    const [result] = await revoke([revocationRequest('jane@example.com')], {
      deadline: clock.now() + 60_000,
    });

    // Assess
    expect(terminates(fake).map((call) => call.target)).toEqual([
      { username: 'jane@example.com' },
      { connectionId: listed },
    ]);
    expect(result?.status).toBe('revoked');
    expect(result?.regions[0]?.endpoints[0]?.connections[0]?.messages[0]).toMatch(/5-connection limit/);
  });

  it('serves a whole batch with one listing per endpoint and ends each user only once', async () => {
    // Prepare
    const { fake, run } = setup();
    fake.connect(EAST, SAML, { username: 'jane@example.com' });
    fake.connect(WEST, OTHER, { username: 'john@example.com' });

    // Act
    const results = await run(
      revocationRequest('jane@example.com'),
      revocationRequest('john@example.com'),
      revocationRequest('Jane@Example.com', { requestId: 'duplicate' }),
    );

    // Assess
    const listings = fake.calls.filter((c) => c.action === 'describeConnections' && !c.connectionIds);
    expect(listings).toHaveLength(3);
    expect(terminates(fake)).toHaveLength(2);
    expect(results.map((r) => [r.request.requestId, r.status])).toEqual([
      ['req-jane@example.com', 'revoked'],
      ['duplicate', 'revoked'],
      ['req-john@example.com', 'revoked'],
    ]);
  });

  it('counts an endpoint deleted between listing and Terminate as sessions ended', async () => {
    // Prepare
    const { fake } = setup({ regions: [EAST] });
    fake.connect(EAST, SAML, { username: 'jane@example.com' });
    const api = fake.forRegion(EAST);
    fake.forRegion = () => ({
      ...api,
      terminate: async (endpointId, target) => {
        fake.deleteEndpoint(EAST, endpointId);
        return api.terminate(endpointId, target);
      },
    });
    const clock = fakeClock();
    const revoke = revokeAccess(
      { clientVpn: fake.forRegion, ...clock },
      { regions: [EAST], endpoints: { kind: 'all' }, terminateRetryBudgetMs: 1_000 },
    );

    // Act
    const [result] = await revoke([revocationRequest('jane@example.com')], {
      deadline: clock.now() + 60_000,
    });

    // Assess
    expect(result?.status).toBe('revoked');
    expect(result?.regions[0]?.endpoints[0]?.connections[0]?.messages).toContain(
      'The endpoint was deleted; its sessions ended with it',
    );
  });
});

/** The verification Describes (those naming connection ids), one list per round of Terminate calls. */
function verificationRounds(fake: FakeClientVpn) {
  const rounds: FakeCall[][] = [];
  let previous: FakeCall | undefined;
  for (const call of fake.calls) {
    const verification = call.action === 'describeConnections' && call.connectionIds !== undefined;
    if (verification && previous?.action === 'terminate') rounds.push([]);
    if (verification) rounds.at(-1)?.push(call);
    previous = call;
  }
  return rounds;
}

describe('revokeAccess verification', () => {
  const users = Array.from({ length: 10 }, (_, i) => `user${i}@example.com`);

  /** Every user has one session on each endpoint: SAML (Username), CERT (common name) and OTHER in WEST. */
  function batchOnThreeEndpoints(fake: FakeClientVpn) {
    return users.map((user) => ({
      saml: fake.connect(EAST, SAML, { username: user }),
      cert: fake.connect(EAST, CERT, { username: '', commonName: user }),
      other: fake.connect(WEST, OTHER, { username: user }),
    }));
  }

  it('re-describes once per endpoint per round for the whole batch, and only the endpoint still retrying', async () => {
    // Prepare
    const { fake, run } = setup();
    const sessions = batchOnThreeEndpoints(fake);
    const stubborn = sessions[4]?.cert ?? '';
    fake.failTerminate(stubborn, 2);

    // Act
    const results = await run(...users.map((user) => revocationRequest(user)));

    // Assess
    const verifications = fake.calls.filter(
      (call) => call.action === 'describeConnections' && call.connectionIds !== undefined,
    );
    const perEndpoint = (endpointId: string) =>
      verifications
        .filter((call) => call.endpointId === endpointId)
        .map((call) => [call.region, call.connectionIds?.length]);
    // Each endpoint is verified on its own, for all ten users at once; only CERT has a stubborn session
    // and is re-verified after each of its two retries.
    expect(perEndpoint(SAML)).toEqual([[EAST, 10]]);
    expect(perEndpoint(OTHER)).toEqual([[WEST, 10]]);
    expect(perEndpoint(CERT)).toEqual([
      [EAST, 10],
      [EAST, 10],
      [EAST, 10],
    ]);
    expect(terminates(fake)).toHaveLength(30 + 2);
    expect(results.map((result) => result.status)).toEqual(users.map(() => 'revoked'));
    expect(results.map((result) => result.summary.connectionsTerminated)).toEqual(users.map(() => 3));
  });

  it('asks for at most VERIFY_IDS_PER_CALL connection ids per Describe', async () => {
    // Prepare
    const { fake, run } = setup({ regions: [EAST] });
    const many = Array.from({ length: 15 }, (_, i) => `many${i}@example.com`);
    for (const user of many) {
      for (let s = 0; s < 10; s++) fake.connect(EAST, CERT, { username: '', commonName: user });
    }

    // Act
    const results = await run(...many.map((user) => revocationRequest(user)));

    // Assess
    const [round] = verificationRounds(fake);
    expect(round?.map((call) => call.connectionIds?.length)).toEqual([VERIFY_IDS_PER_CALL, 50]);
    expect(new Set(round?.flatMap((call) => call.connectionIds ?? [])).size).toBe(150);
    expect(results.every((result) => result.summary.connectionsTerminated === 10)).toBe(true);
  });

  it('reports a failed verification only on the connections of the endpoint that failed', async () => {
    // Prepare
    const { fake } = setup();
    batchOnThreeEndpoints(fake);
    const east = fake.forRegion(EAST);
    const clientVpn: ClientVpnApiForRegion = (region) => {
      const api = fake.forRegion(region);
      if (region !== EAST) return api;
      return {
        ...api,
        describeConnections: async (endpointId, options) => {
          if (endpointId === CERT && options?.connectionIds) {
            throw new ClientVpnApiError('UnauthorizedOperation', 'not allowed', false);
          }
          return east.describeConnections(endpointId, options);
        },
      };
    };
    const clock = fakeClock();
    const revoke = revokeAccess(
      { clientVpn, ...clock },
      { regions: [EAST, WEST], endpoints: { kind: 'all' }, terminateRetryBudgetMs: 30_000 },
    );

    // Act
    const results = await revoke(
      users.map((user) => revocationRequest(user)),
      { deadline: clock.now() + 120_000 },
    );

    // Assess
    const verificationCalls = fake.calls.filter((c) => c.action === 'describeConnections' && c.connectionIds);
    expect(verificationCalls.map((c) => c.endpointId).sort()).toEqual([SAML, OTHER]);
    for (const result of results) {
      const endpoints = result.regions.flatMap((region) => region.endpoints);
      const messagesOn = (endpointId: string) =>
        endpoints
          .find((endpoint) => endpoint.endpointId === endpointId)
          ?.connections.flatMap((c) => c.messages);
      expect(messagesOn(CERT)).toEqual(['Verification failed: UnauthorizedOperation: not allowed']);
      expect(messagesOn(SAML)).toEqual([]);
      expect(messagesOn(OTHER)).toEqual([]);
      expect(result.status).toBe('revoked');
    }
  });

  it('counts every user’s sessions on an endpoint deleted before verification as ended, and only those', async () => {
    // Prepare
    const { fake } = setup();
    const sessions = batchOnThreeEndpoints(fake);
    const api = fake.forRegion(EAST);
    const clientVpn: ClientVpnApiForRegion = (region) =>
      region !== EAST
        ? fake.forRegion(region)
        : {
            ...api,
            describeConnections: async (endpointId, options) => {
              if (options?.connectionIds) fake.deleteEndpoint(EAST, CERT);
              return api.describeConnections(endpointId, options);
            },
          };
    const clock = fakeClock();
    const revoke = revokeAccess(
      { clientVpn, ...clock },
      { regions: [EAST, WEST], endpoints: { kind: 'all' }, terminateRetryBudgetMs: 30_000 },
    );

    // Act
    const results = await revoke(
      users.map((user) => revocationRequest(user)),
      { deadline: clock.now() + 120_000 },
    );

    // Assess
    expect(sessions.every((session) => fake.statusOf(session.saml) === 'terminating')).toBe(true);
    for (const result of results) {
      const connections = result.regions.flatMap((region) =>
        region.endpoints.flatMap((endpoint) =>
          endpoint.connections.map((c) => [endpoint.endpointId, c.finalStatus, c.messages]),
        ),
      );
      expect(connections).toEqual(
        expect.arrayContaining([
          [CERT, 'terminated', ['The endpoint was deleted; its sessions ended with it']],
          [SAML, 'terminating', []],
          [OTHER, 'terminating', []],
        ]),
      );
      expect(result.status).toBe('revoked');
    }
  });

  it('terminates and verifies once a session two identities of the batch both match', async () => {
    // Prepare
    const { fake, run } = setup({ regions: [EAST] });
    const shared = fake.connect(EAST, SAML, { username: 'alice@example.com', commonName: 'bob@example.com' });

    // Act
    const [alice, bob] = await run(
      revocationRequest('alice@example.com'),
      revocationRequest('bob@example.com'),
    );

    // Assess
    expect(terminates(fake).map((call) => call.target)).toEqual([{ username: 'alice@example.com' }]);
    const [round] = verificationRounds(fake);
    expect(round?.map((call) => call.connectionIds)).toEqual([[shared]]);
    for (const [result, matchedOn] of [
      [alice, 'username'],
      [bob, 'common-name'],
    ] as const) {
      expect(result?.status).toBe('revoked');
      expect(result?.regions[0]?.endpoints.find((e) => e.endpointId === SAML)?.connections).toEqual([
        expect.objectContaining({
          connectionId: shared,
          matchedOn,
          terminatedBy: 'username',
          attempts: 1,
          finalStatus: 'terminating',
        }),
      ]);
    }
  });
});
