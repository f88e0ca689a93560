import { mapConcurrent } from '../core/concurrency.ts';
import { ClientVpnApiError } from '../core/errors.ts';
import type { ConnectionReport } from '../core/outcome.ts';
import { endpointKey, summariseError } from './find-connections.ts';
import type { ClientVpnApi, StatusChange, TerminateTarget } from './ports.ts';

/** Terminate by Username ends every active connection of that user, but only up to this many. */
export const MAX_CONNECTIONS_PER_USERNAME_TERMINATE = 5;
/**
 * Verification names connection ids in a `connection-id` filter, this many per call. EC2 documents no limit on
 * that filter's values for this action (reference §2.2); chunks keep each request small.
 */
export const VERIFY_IDS_PER_CALL = 100;
const TERMINATE_CALLS_IN_FLIGHT = 10;
/**
 * Time a function keeps back from its Lambda timeout after the last Terminate may start: calls already
 * waiting for the pacer still go out (a few seconds' worth), then verification and the outcome's PutEvents.
 * A quarter of the remaining time when that is less (a short timeout).
 */
export const PUBLISH_RESERVE_MS = 20_000;

/** The last moment a Terminate may start in an invocation with `remainingMs` left at `now`. */
export const lastTerminateStart = (now: number, remainingMs: number): number =>
  now + remainingMs - Math.min(PUBLISH_RESERVE_MS, remainingMs / 4);
const RETRY_BASE_DELAY_MS = 500;
const RETRY_MAX_DELAY_MS = 5_000;

type FinalStatus = ConnectionReport['finalStatus'];
const GOING_AWAY: readonly FinalStatus[] = ['terminating', 'terminated'];

/** A connection the engine is ending, with everything the outcome reports about it. */
export interface TrackedConnection {
  readonly connectionId: string;
  readonly username: string;
  readonly commonName: string;
  readonly establishedTime?: string;
  /**
   * May be ended by a Terminate naming its exact Username, which ends every active session of that name on the
   * endpoint: true when all of them are meant to go (the identity revoked is that name); false ends it alone,
   * by ConnectionId (matched by certificate, or only this session is to end).
   */
  readonly mayEndByUsername: boolean;
  terminatedBy: 'username' | 'connection-id' | null;
  attempts: number;
  status: FinalStatus;
  /** False once EC2 answered in a way another Terminate cannot change (e.g. UnauthorizedOperation). */
  retryable: boolean;
  readonly messages: string[];
}

/** The connections of one identity on one endpoint. */
export interface EndpointWork {
  readonly api: ClientVpnApi;
  /** Set when member accounts are searched. */
  readonly accountId?: string;
  readonly region: string;
  readonly endpointId: string;
  readonly connections: TrackedConnection[];
}

export interface TerminationClock {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

/**
 * Every identity's work on one endpoint: Terminate calls are planned, and verification asked for, per endpoint
 * rather than per identity. One connection may be tracked by two identities (one matched its Username, the
 * other its certificate common name); `byId` holds every tracked instance of each connection, so one call
 * serves them all and each instance records what EC2 said.
 */
interface EndpointBatch {
  readonly api: ClientVpnApi;
  readonly endpointId: string;
  readonly works: EndpointWork[];
  readonly byId: Map<string, TrackedConnection[]>;
}

interface TerminateCall {
  readonly endpoint: EndpointBatch;
  readonly target: TerminateTarget;
  readonly connections: TrackedConnection[];
  /** For a call by Username: the work that sessions opened after the listing are added to. */
  readonly owner?: EndpointWork;
}

export const isGoingAway = (connection: TrackedConnection) => GOING_AWAY.includes(connection.status);

export interface TerminationDeadlines {
  /** Connections still `failed-to-terminate` are re-terminated until then. */
  readonly retry: number;
  /**
   * No Terminate starts after this (the invocation must still verify and report): connections not reached
   * by then stay active, are reported remaining, and their request is retried.
   */
  readonly stop: number;
}

/**
 * Ends the tracked connections with the fewest mutating calls, re-issues Terminate for those EC2 reports
 * `failed-to-terminate` with capped, jittered backoff until the retry deadline, and re-describes after every
 * round so the outcome states what EC2 last said, not what a 200 response suggested. Works on the same
 * endpoint (one per identity) share their calls: each round is verified with one Describe per endpoint
 * per `VERIFY_IDS_PER_CALL` connections, whatever the number of identities.
 */
export async function terminateConnections(
  works: readonly EndpointWork[],
  clock: TerminationClock,
  deadlines: TerminationDeadlines,
): Promise<void> {
  const endpoints = byEndpoint(works);
  const plans = endpoints.map(planCalls);
  const runCalls = (calls: readonly TerminateCall[]) =>
    mapConcurrent(calls, TERMINATE_CALLS_IN_FLIGHT, (call) => runCall(call, clock, deadlines.stop));
  await runCalls(plans.flatMap((plan) => plan.first));
  // Only once the others are going away does a Username name at most 5 active connections.
  await runCalls(plans.flatMap((plan) => plan.last));
  await verify(endpoints);
  for (let round = 0; ; round++) {
    const retries = endpoints.flatMap((endpoint) =>
      byConnectionId(
        endpoint,
        [...endpoint.byId.values()]
          .flat()
          .filter((connection) => !isGoingAway(connection) && connection.retryable),
      ),
    );
    const backoff = Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** round);
    const delay = backoff / 2 + clock.random() * (backoff / 2);
    const lastStart = Math.min(deadlines.retry, deadlines.stop);
    if (retries.length === 0 || clock.now() + delay >= lastStart) return;
    await clock.sleep(delay);
    await runCalls(retries);
    await verify(endpoints);
  }
}

function byEndpoint(works: readonly EndpointWork[]): EndpointBatch[] {
  const endpoints = new Map<string, EndpointBatch>();
  for (const work of works) {
    const key = endpointKey(work);
    const endpoint: EndpointBatch = endpoints.get(key) ?? {
      api: work.api,
      endpointId: work.endpointId,
      works: [],
      byId: new Map(),
    };
    endpoints.set(key, endpoint);
    endpoint.works.push(work);
    for (const connection of work.connections) track(endpoint, connection);
  }
  return [...endpoints.values()];
}

function track(endpoint: EndpointBatch, connection: TrackedConnection) {
  const instances = endpoint.byId.get(connection.connectionId);
  if (instances) instances.push(connection);
  else endpoint.byId.set(connection.connectionId, [connection]);
}

/**
 * By the exact stored Username when it has 1–5 active connections here; with more, all but 5 by ConnectionId
 * (`first`) and the last 5 by Username once those are going away (`last`) — the fewest mutating calls. A
 * connection is named once, however many identities track it.
 */
function planCalls(endpoint: EndpointBatch): { first: TerminateCall[]; last: TerminateCall[] } {
  const byUsername = new Map<string, { owner: EndpointWork; connectionIds: string[] }>();
  for (const work of endpoint.works) {
    for (const connection of work.connections) {
      // Terminate by Username only ends `active` connections; others are named one by one.
      if (!connection.mayEndByUsername || connection.status !== 'active') continue;
      const group = byUsername.get(connection.username) ?? { owner: work, connectionIds: [] };
      if (!group.connectionIds.includes(connection.connectionId))
        group.connectionIds.push(connection.connectionId);
      byUsername.set(connection.username, group);
    }
  }
  const usernameCalls: TerminateCall[] = [];
  // A user with more than 5: all but 5 by ConnectionId first, then the last 5 in one call by Username.
  const afterIdCalls: TerminateCall[] = [];
  const coveredBy = new Map<string, TerminateCall>();
  for (const [username, { owner, connectionIds }] of byUsername) {
    const call: TerminateCall = { endpoint, target: { username }, connections: [], owner };
    const excess = connectionIds.length - MAX_CONNECTIONS_PER_USERNAME_TERMINATE;
    (excess > 0 ? afterIdCalls : usernameCalls).push(call);
    for (const connectionId of connectionIds.slice(Math.max(0, excess))) coveredBy.set(connectionId, call);
  }
  const idCalls: TerminateCall[] = [];
  for (const [connectionId, instances] of endpoint.byId) {
    const call = coveredBy.get(connectionId);
    if (call) call.connections.push(...instances);
    else idCalls.push({ endpoint, target: { connectionId }, connections: [...instances] });
  }
  return { first: [...idCalls, ...usernameCalls], last: afterIdCalls };
}

/** One call by ConnectionId per distinct connection, carrying every given instance of it. */
function byConnectionId(endpoint: EndpointBatch, connections: readonly TrackedConnection[]): TerminateCall[] {
  const calls = new Map<string, TerminateCall>();
  for (const connection of connections) {
    const call = calls.get(connection.connectionId) ?? {
      endpoint,
      target: { connectionId: connection.connectionId },
      connections: [],
    };
    call.connections.push(connection);
    calls.set(connection.connectionId, call);
  }
  return [...calls.values()];
}

async function runCall(call: TerminateCall, clock: TerminationClock, stopAt: number): Promise<void> {
  const { endpoint, target, connections, owner } = call;
  if (clock.now() >= stopAt) {
    for (const connection of connections) {
      connection.messages.push("Not terminated: the invocation's time ran out first; the request is retried");
    }
    return;
  }
  const method = 'username' in target ? 'username' : 'connection-id';
  for (const connection of connections) {
    connection.attempts++;
    connection.terminatedBy = method;
  }
  let changes: readonly StatusChange[];
  try {
    changes = await endpoint.api.terminate(endpoint.endpointId, target);
  } catch (error) {
    await handleTerminateError(call, error, clock, stopAt);
    return;
  }
  for (const change of changes) {
    let instances = endpoint.byId.get(change.connectionId);
    if (!instances && owner && 'username' in target) {
      // A session that opened after the listing: Terminate by Username ended it too.
      const connection = newlySeen(change.connectionId, target.username, method);
      owner.connections.push(connection);
      track(endpoint, connection);
      instances = [connection];
    }
    for (const connection of instances ?? []) {
      connection.status = asFinalStatus(change.currentStatus) ?? connection.status;
      if (change.message) connection.messages.push(`Terminate: ${change.message}`);
    }
  }
}

async function handleTerminateError(
  call: TerminateCall,
  error: unknown,
  clock: TerminationClock,
  stopAt: number,
): Promise<void> {
  const code = error instanceof ClientVpnApiError ? error.code : 'UnexpectedError';
  switch (code) {
    case 'ClientVpnTerminateConnectionsLimitExceeded':
      // More sessions appeared since the listing: end them one by one instead.
      for (const connection of call.connections) {
        connection.messages.push(
          'Terminate by Username exceeded the 5-connection limit; retried by ConnectionId',
        );
      }
      await mapConcurrent(
        byConnectionId(call.endpoint, call.connections),
        TERMINATE_CALLS_IN_FLIGHT,
        (byId) => runCall(byId, clock, stopAt),
      );
      return;
    case 'InvalidClientVpnConnection.UserNotFound':
    case 'InvalidClientVpnConnection.IdNotFound':
      // Already gone; verification confirms from the listing.
      for (const connection of call.connections)
        connection.messages.push(`Terminate: ${code} (already ended)`);
      return;
    case 'InvalidClientVpnEndpointId.NotFound':
      for (const connection of call.connections) {
        connection.status = 'terminated';
        connection.messages.push('The endpoint was deleted; its sessions ended with it');
      }
      return;
    default: {
      const { message } = summariseError(error);
      const retryable = error instanceof ClientVpnApiError && error.retryable;
      for (const connection of call.connections) {
        connection.messages.push(`Terminate failed: ${code}: ${message}`);
        connection.retryable = retryable;
      }
    }
  }
}

/**
 * Re-describes, per endpoint and across every identity, the connections Terminate was called for, and
 * records on each tracked instance the status EC2 reports now.
 */
async function verify(endpoints: readonly EndpointBatch[]): Promise<void> {
  await Promise.all(
    endpoints.map(async (endpoint) => {
      const pending = new Map<string, TrackedConnection[]>();
      for (const [connectionId, instances] of endpoint.byId) {
        const unconfirmed = instances.filter(
          (connection) => connection.attempts > 0 && connection.status !== 'terminated',
        );
        if (unconfirmed.length > 0) pending.set(connectionId, unconfirmed);
      }
      const entries = [...pending];
      for (let start = 0; start < entries.length; start += VERIFY_IDS_PER_CALL) {
        await verifyChunk(endpoint, new Map(entries.slice(start, start + VERIFY_IDS_PER_CALL)));
      }
    }),
  );
}

async function verifyChunk(
  endpoint: EndpointBatch,
  chunk: ReadonlyMap<string, readonly TrackedConnection[]>,
): Promise<void> {
  const observed = new Map<string, { status: string; statusMessage?: string }>();
  const connections = [...chunk.values()].flat();
  try {
    let nextToken: string | undefined;
    do {
      const page = await endpoint.api.describeConnections(endpoint.endpointId, {
        connectionIds: [...chunk.keys()],
        nextToken,
      });
      for (const connection of page.items) observed.set(connection.connectionId, connection);
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (error) {
    const { code, message } = summariseError(error);
    if (code === 'InvalidClientVpnEndpointId.NotFound') {
      for (const connection of connections) {
        connection.status = 'terminated';
        connection.messages.push('The endpoint was deleted; its sessions ended with it');
      }
      return;
    }
    for (const connection of connections)
      connection.messages.push(`Verification failed: ${code}: ${message}`);
    return;
  }
  for (const connection of connections) {
    const seen = observed.get(connection.connectionId);
    if (!seen) {
      connection.status = 'terminated';
      connection.messages.push('No longer listed by EC2');
      continue;
    }
    connection.status = asFinalStatus(seen.status) ?? connection.status;
    if (!isGoingAway(connection) && seen.statusMessage)
      connection.messages.push(`Describe: ${seen.statusMessage}`);
  }
}

const newlySeen = (
  connectionId: string,
  username: string,
  method: TrackedConnection['terminatedBy'],
): TrackedConnection => ({
  connectionId,
  username,
  commonName: '',
  mayEndByUsername: true,
  terminatedBy: method,
  attempts: 1,
  status: 'active',
  retryable: true,
  messages: ['Opened after the listing; ended by the same Terminate by Username'],
});

const FINAL_STATUSES: readonly string[] = ['active', 'failed-to-terminate', 'terminating', 'terminated'];
const asFinalStatus = (status: string | undefined): FinalStatus | undefined =>
  status && FINAL_STATUSES.includes(status) ? (status as FinalStatus) : undefined;
