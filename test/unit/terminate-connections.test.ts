import { describe, expect, it } from 'vitest';
import {
  type EndpointWork,
  lastTerminateStart,
  PUBLISH_RESERVE_MS,
  type TrackedConnection,
  terminateConnections,
} from '../../lambda/engine/terminate-connections.ts';
import { FakeClientVpn, fakeClock } from '../support/fake-client-vpn.ts';

const EAST = 'us-east-1';
const WEST = 'eu-west-1';
const ENDPOINT = 'cvpn-endpoint-0aaa0000000000001';

const tracked = (
  connectionId: string,
  who: { username?: string; commonName?: string },
  mayEndByUsername: boolean,
): TrackedConnection => ({
  connectionId,
  username: who.username ?? '',
  commonName: who.commonName ?? '',
  mayEndByUsername,
  terminatedBy: null,
  attempts: 0,
  status: 'active',
  retryable: true,
  messages: [],
});

/** One identity's work on `endpointId` in `region`, tracking the given sessions it matched. */
function work(
  fake: FakeClientVpn,
  region: string,
  endpointId: string,
  sessions: readonly { id: string; username?: string; commonName?: string }[],
  mayEndByUsername = true,
): EndpointWork {
  return {
    api: fake.forRegion(region),
    region,
    endpointId,
    connections: sessions.map(({ id, ...who }) => tracked(id, who, mayEndByUsername)),
  };
}

const verifications = (fake: FakeClientVpn) =>
  fake.calls.filter((call) => call.action === 'describeConnections' && call.connectionIds);

describe('terminateConnections', () => {
  it('verifies every identity on an endpoint with one Describe, whatever the number of works', async () => {
    // Prepare
    const fake = new FakeClientVpn().addEndpoint(EAST, ENDPOINT);
    const clock = fakeClock();
    const works = ['ann', 'ben', 'cat', 'dan'].map((username) =>
      work(fake, EAST, ENDPOINT, [{ id: fake.connect(EAST, ENDPOINT, { username }), username }]),
    );

    // Act
    await terminateConnections(works, clock, { retry: clock.now() + 30_000, stop: clock.now() + 120_000 });

    // Assess
    expect(fake.count('terminate')).toBe(4);
    expect(verifications(fake)).toEqual([
      expect.objectContaining({
        region: EAST,
        endpointId: ENDPOINT,
        connectionIds: works.map((w) => w.connections[0]?.connectionId),
      }),
    ]);
    expect(works.flatMap((w) => w.connections.map((c) => c.status))).toEqual(Array(4).fill('terminating'));
  });

  it('keeps an endpoint id seen in two regions apart', async () => {
    // Prepare
    const fake = new FakeClientVpn().addEndpoint(EAST, ENDPOINT).addEndpoint(WEST, ENDPOINT);
    const clock = fakeClock();
    const east = fake.connect(EAST, ENDPOINT, { username: 'ann' });
    const west = fake.connect(WEST, ENDPOINT, { username: 'ann' });
    const works = [
      work(fake, EAST, ENDPOINT, [{ id: east, username: 'ann' }]),
      work(fake, WEST, ENDPOINT, [{ id: west, username: 'ann' }]),
    ];

    // Act
    await terminateConnections(works, clock, { retry: clock.now() + 30_000, stop: clock.now() + 120_000 });

    // Assess
    expect(verifications(fake).map((call) => [call.region, call.connectionIds])).toEqual(
      expect.arrayContaining([
        [EAST, [east]],
        [WEST, [west]],
      ]),
    );
    expect(fake.statusOf(east)).toBe('terminating');
    expect(fake.statusOf(west)).toBe('terminating');
  });

  it('adds a session opened after the listing to the identity whose Username ended it, and verifies it', async () => {
    // Prepare
    const fake = new FakeClientVpn().addEndpoint(EAST, ENDPOINT);
    const clock = fakeClock();
    const ann = fake.connect(EAST, ENDPOINT, { username: 'ann' });
    const ben = fake.connect(EAST, ENDPOINT, { username: 'ben' });
    const works = [
      work(fake, EAST, ENDPOINT, [{ id: ann, username: 'ann' }]),
      work(fake, EAST, ENDPOINT, [{ id: ben, username: 'ben' }]),
    ];
    const late = fake.connect(EAST, ENDPOINT, { username: 'ann' });

    // Act
    await terminateConnections(works, clock, { retry: clock.now() + 30_000, stop: clock.now() + 120_000 });

    // Assess
    expect(works[0]?.connections.map((c) => [c.connectionId, c.status])).toEqual([
      [ann, 'terminating'],
      [late, 'terminating'],
    ]);
    expect(works[1]?.connections.map((c) => c.connectionId)).toEqual([ben]);
    expect(verifications(fake).map((call) => call.connectionIds)).toEqual([[ann, ben, late]]);
  });
});

describe('terminateConnections near the invocation deadline', () => {
  it('starts no Terminate after the stop deadline and leaves those sessions active, saying why', async () => {
    // Prepare: every Terminate takes one second of the clock.
    const fake = new FakeClientVpn().addEndpoint(EAST, ENDPOINT);
    const clock = fakeClock();
    const api = fake.forRegion(EAST);
    const slowApi = {
      ...api,
      terminate: async (...args: Parameters<typeof api.terminate>) => {
        await clock.sleep(1_000);
        return api.terminate(...args);
      },
    };
    const users = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal', 'ivy', 'jon', 'kim', 'lou'];
    const works = users.map((username) => ({
      ...work(fake, EAST, ENDPOINT, [{ id: fake.connect(EAST, ENDPOINT, { username }), username }]),
      api: slowApi,
    }));

    // Act: ten calls start at once (the calls in flight), then each waits for a free slot.
    await terminateConnections(works, clock, { retry: clock.now() + 30_000, stop: clock.now() + 10_500 });

    // Assess
    const connections = works.flatMap((w) => w.connections);
    const ended = connections.filter((c) => c.status === 'terminating');
    const left = connections.filter((c) => c.status === 'active');
    expect(ended.length + left.length).toBe(users.length);
    expect(left.length).toBeGreaterThan(0);
    expect(fake.calls.filter((call) => call.action === 'terminate')).toHaveLength(ended.length);
    for (const connection of left) {
      expect(connection.attempts).toBe(0);
      expect(connection.messages).toEqual([
        "Not terminated: the invocation's time ran out first; the request is retried",
      ]);
      expect(fake.statusOf(connection.connectionId)).toBe('active');
    }
  });
});

describe('lastTerminateStart', () => {
  it('keeps PUBLISH_RESERVE_MS back, or a quarter of a short remaining time', () => {
    expect(lastTerminateStart(1_000, 300_000)).toBe(1_000 + 300_000 - PUBLISH_RESERVE_MS);
    expect(lastTerminateStart(1_000, 3_000)).toBe(1_000 + 2_250);
  });
});
