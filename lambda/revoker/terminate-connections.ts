import { mapConcurrent } from '../core/concurrency.ts';
import { ClientVpnApiError } from '../core/errors.ts';
import type { ConnectionReport } from '../core/outcome.ts';
import { summariseError } from './find-connections.ts';
import type { ClientVpnApi, StatusChange, TerminateTarget } from './ports.ts';

/** Terminate by Username ends every active connection of that user, but only up to this many. */
export const MAX_CONNECTIONS_PER_USERNAME_TERMINATE = 5;
/** EC2 caps the values of one filter; verification asks for connection ids in chunks of this size. */
export const VERIFY_IDS_PER_CALL = 100;
const TERMINATE_CALLS_IN_FLIGHT = 10;
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
  readonly matchedOn: 'username' | 'common-name';
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
  readonly endpointId: string;
  readonly connections: TrackedConnection[];
}

export interface TerminationClock {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

interface TerminateCall {
  readonly work: EndpointWork;
  readonly target: TerminateTarget;
  readonly connections: readonly TrackedConnection[];
}

export const isGoingAway = (connection: TrackedConnection) => GOING_AWAY.includes(connection.status);

/**
 * Ends the tracked connections with the fewest mutating calls, re-issues Terminate for those EC2 reports
 * `failed-to-terminate` with capped, jittered backoff until `retryDeadline`, and re-describes after every
 * round so the outcome states what EC2 last said, not what a 200 response suggested.
 */
export async function terminateConnections(
  works: readonly EndpointWork[],
  clock: TerminationClock,
  retryDeadline: number,
): Promise<void> {
  await runCalls(works.flatMap(planCalls));
  await verify(works);
  for (let round = 0; ; round++) {
    const retries = works.flatMap((work) =>
      work.connections
        .filter((connection) => !isGoingAway(connection) && connection.retryable)
        .map((connection) => byConnectionId(work, connection)),
    );
    const backoff = Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** round);
    const delay = backoff / 2 + clock.random() * (backoff / 2);
    if (retries.length === 0 || clock.now() + delay >= retryDeadline) return;
    await clock.sleep(delay);
    await runCalls(retries);
    await verify(works);
  }
}

/** By the exact stored Username when it has 1–5 active connections here, otherwise by ConnectionId. */
function planCalls(work: EndpointWork): TerminateCall[] {
  const byUsername = new Map<string, TrackedConnection[]>();
  const calls: TerminateCall[] = [];
  for (const connection of work.connections) {
    // Terminate by Username only ends `active` connections; others are named one by one.
    if (connection.matchedOn === 'username' && connection.status === 'active') {
      byUsername.set(connection.username, [...(byUsername.get(connection.username) ?? []), connection]);
    } else {
      calls.push(byConnectionId(work, connection));
    }
  }
  for (const [username, connections] of byUsername) {
    if (connections.length <= MAX_CONNECTIONS_PER_USERNAME_TERMINATE) {
      calls.push({ work, target: { username }, connections });
    } else {
      calls.push(...connections.map((connection) => byConnectionId(work, connection)));
    }
  }
  return calls;
}

const byConnectionId = (work: EndpointWork, connection: TrackedConnection): TerminateCall => ({
  work,
  target: { connectionId: connection.connectionId },
  connections: [connection],
});

async function runCalls(calls: readonly TerminateCall[]) {
  await mapConcurrent(calls, TERMINATE_CALLS_IN_FLIGHT, runCall);
}

async function runCall(call: TerminateCall): Promise<void> {
  const { work, target, connections } = call;
  const method = 'username' in target ? 'username' : 'connection-id';
  for (const connection of connections) {
    connection.attempts++;
    connection.terminatedBy = method;
  }
  let changes: readonly StatusChange[];
  try {
    changes = await work.api.terminate(work.endpointId, target);
  } catch (error) {
    await handleTerminateError(call, error);
    return;
  }
  for (const change of changes) {
    let connection = work.connections.find((tracked) => tracked.connectionId === change.connectionId);
    if (!connection && 'username' in target) {
      // A session that opened after the listing: Terminate by Username ended it too.
      connection = newlySeen(change.connectionId, target.username, method);
      work.connections.push(connection);
    }
    if (!connection) continue;
    connection.status = asFinalStatus(change.currentStatus) ?? connection.status;
    if (change.message) connection.messages.push(`Terminate: ${change.message}`);
  }
}

async function handleTerminateError(call: TerminateCall, error: unknown): Promise<void> {
  const code = error instanceof ClientVpnApiError ? error.code : 'UnexpectedError';
  switch (code) {
    case 'ClientVpnTerminateConnectionsLimitExceeded':
      // More sessions appeared since the listing: end them one by one instead.
      for (const connection of call.connections) {
        connection.messages.push(
          'Terminate by Username exceeded the 5-connection limit; retried by ConnectionId',
        );
      }
      await runCalls(call.connections.map((connection) => byConnectionId(call.work, connection)));
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

/** Re-describes the connections Terminate was called for and records the status EC2 reports now. */
async function verify(works: readonly EndpointWork[]): Promise<void> {
  await Promise.all(
    works.map(async (work) => {
      const pending = work.connections.filter(
        (connection) => connection.attempts > 0 && connection.status !== 'terminated',
      );
      for (let start = 0; start < pending.length; start += VERIFY_IDS_PER_CALL) {
        const chunk = pending.slice(start, start + VERIFY_IDS_PER_CALL);
        await verifyChunk(work, chunk);
      }
    }),
  );
}

async function verifyChunk(work: EndpointWork, chunk: readonly TrackedConnection[]): Promise<void> {
  const observed = new Map<string, { status: string; statusMessage?: string }>();
  try {
    let nextToken: string | undefined;
    do {
      const page = await work.api.describeConnections(work.endpointId, {
        connectionIds: chunk.map((connection) => connection.connectionId),
        nextToken,
      });
      for (const connection of page.items) observed.set(connection.connectionId, connection);
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (error) {
    const { code, message } = summariseError(error);
    if (code === 'InvalidClientVpnEndpointId.NotFound') {
      for (const connection of chunk) {
        connection.status = 'terminated';
        connection.messages.push('The endpoint was deleted; its sessions ended with it');
      }
      return;
    }
    for (const connection of chunk) connection.messages.push(`Verification failed: ${code}: ${message}`);
    return;
  }
  for (const connection of chunk) {
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
  matchedOn: 'username',
  terminatedBy: method,
  attempts: 1,
  status: 'active',
  retryable: true,
  messages: ['Opened after the listing; ended by the same Terminate by Username'],
});

const FINAL_STATUSES: readonly string[] = ['active', 'failed-to-terminate', 'terminating', 'terminated'];
const asFinalStatus = (status: string | undefined): FinalStatus | undefined =>
  status && FINAL_STATUSES.includes(status) ? (status as FinalStatus) : undefined;
