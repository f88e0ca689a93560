import type { RevocationStatus } from '../../contracts/events.ts';
import { type IdentityKey, identityKey, rememberingKeys } from '../core/identity.ts';
import type { AccountReport, ConnectionReport, RegionReport } from '../core/outcome.ts';
import { namesOf, type RevocationRequest } from '../core/request.ts';
import {
  countScans,
  type EndpointScan,
  endpointKey,
  findConnections,
  matchingName,
  type RegionScan,
  type SearchScope,
} from './find-connections.ts';
import type { ClientVpnApiForRegion } from './ports.ts';
import {
  type EndpointWork,
  isGoingAway,
  type TerminationClock,
  type TrackedConnection,
  terminateConnections,
} from './terminate-connections.ts';

export interface RevokeAccessDependencies extends TerminationClock {
  readonly clientVpn: ClientVpnApiForRegion;
  /** The canonical key of a name (with the configured Active Directory domains). */
  readonly identityKey?: IdentityKey;
}

export interface RevokeAccessSettings extends SearchScope {
  /** How long `failed-to-terminate` connections keep being retried within one invocation. */
  readonly terminateRetryBudgetMs: number;
}

export interface RevocationSummary {
  readonly endpointsScanned: number;
  readonly endpointsUnreachable: number;
  readonly connectionsFound: number;
  readonly connectionsTerminated: number;
  readonly connectionsRemaining: number;
}

export interface RevocationResult {
  readonly request: RevocationRequest;
  readonly status: Exclude<RevocationStatus, 'rejected'>;
  readonly message?: string;
  readonly summary: RevocationSummary;
  readonly regions: RegionReport[];
  /** Per account, when member accounts are searched. */
  readonly accounts?: AccountReport[];
  readonly timings: { readonly startedAt: number; readonly finishedAt: number; readonly findMs: number };
}

/** One identity's work: requests naming the same identity in a batch share it (redeliveries, duplicates). */
interface IdentityWork {
  readonly identity: string;
  /** The canonical key of each of the person's names (every request's identity and aliases), to the name. */
  readonly names: Map<string, string>;
  readonly dryRun: boolean;
  readonly requests: RevocationRequest[];
  readonly endpoints: Map<string, EndpointWork>;
}

/**
 * The use case: end every active Client VPN connection of each requested identity, on every endpoint
 * in scope, in every region. One listing sweep serves the whole batch.
 */
export interface RevokeOptions {
  /** No Terminate starts after this; what is left is reported remaining (and the request retried). */
  readonly deadline: number;
  /**
   * Settles, before the first Terminate, to whether a request is still to be carried out (e.g. once the
   * ledger has recorded it, or found it superseded). Discovery and listing do not wait for it.
   */
  readonly admit?: Promise<(request: RevocationRequest) => boolean>;
}

export const revokeAccess =
  (deps: RevokeAccessDependencies, settings: RevokeAccessSettings) =>
  async (requests: readonly RevocationRequest[], options: RevokeOptions) => {
    const startedAt = deps.now();
    const key = rememberingKeys(deps.identityKey ?? identityKey);
    const works = groupByIdentity(requests, key);
    // Each endpoint's connections are ended as soon as that endpoint is listed, while the others still are.
    const terminations: Promise<void>[] = [];
    let terminationError: unknown;
    const scans = await findConnections(
      deps.clientVpn,
      settings,
      new Set(works.flatMap((work) => [...work.names.keys()])),
      {
        identityKey: key,
        onEndpointScanned: (scan) => {
          const found = works.flatMap((work) => {
            const endpoint = assignMatches(work, scan, deps, key);
            return work.dryRun || endpoint.connections.length === 0 ? [] : [{ work, endpoint }];
          });
          if (found.length === 0) return;
          const deadlines = {
            retry: deps.now() + settings.terminateRetryBudgetMs,
            stop: options.deadline,
          };
          const terminate = async () => {
            const admitted = options.admit ? await options.admit : () => true;
            const toTerminate = found
              .filter(({ work }) => work.requests.some(admitted))
              .map(({ endpoint }) => endpoint);
            if (toTerminate.length > 0) await terminateConnections(toTerminate, deps, deadlines);
          };
          terminations.push(
            terminate().catch((error: unknown) => {
              terminationError ??= error;
            }),
          );
        },
      },
    );
    const foundAt = deps.now();
    await Promise.all(terminations);
    if (terminationError) throw terminationError;
    const finishedAt = deps.now();

    return works.flatMap((work) => {
      const result = summarise(work, scans, settings, key);
      return work.requests.map(
        (request): RevocationResult => ({
          request,
          ...result,
          timings: { startedAt, finishedAt, findMs: foundAt - startedAt },
        }),
      );
    });
  };

export type RevokeAccess = ReturnType<typeof revokeAccess>;

function groupByIdentity(requests: readonly RevocationRequest[], key: IdentityKey): IdentityWork[] {
  const works = new Map<string, IdentityWork>();
  for (const request of requests) {
    const workKey = `${key(request.identity)}\n${request.dryRun}`;
    const work: IdentityWork = works.get(workKey) ?? {
      identity: request.identity,
      names: new Map(),
      dryRun: request.dryRun,
      requests: [],
      endpoints: new Map(),
    };
    work.requests.push(request);
    for (const name of namesOf(request)) if (!work.names.has(key(name))) work.names.set(key(name), name);
    works.set(workKey, work);
  }
  return [...works.values()];
}

function assignMatches(
  work: IdentityWork,
  scan: EndpointScan,
  deps: RevokeAccessDependencies,
  key: IdentityKey,
): EndpointWork {
  const connections: TrackedConnection[] = [];
  for (const match of scan.matches) {
    const matchedOn = matchingName(match, (name) => work.names.has(key(name)));
    if (!matchedOn) continue;
    connections.push({
      connectionId: match.connectionId,
      username: match.username ?? '',
      commonName: match.commonName ?? '',
      establishedTime: match.establishedTime,
      mayEndByUsername: matchedOn === 'username',
      terminatedBy: null,
      attempts: 0,
      status: match.status === 'failed-to-terminate' ? 'failed-to-terminate' : 'active',
      retryable: true,
      messages: work.dryRun ? [`Dry run: would terminate (matched on ${matchedOn})`] : [],
    });
  }
  const endpoint: EndpointWork = {
    ...(scan.accountId !== undefined && { accountId: scan.accountId }),
    region: scan.region,
    api: deps.clientVpn(scan.region, scan.accountId),
    endpointId: scan.endpointId,
    connections,
  };
  work.endpoints.set(endpointKey(scan), endpoint);
  return endpoint;
}

function summarise(work: IdentityWork, scans: readonly RegionScan[], scope: SearchScope, key: IdentityKey) {
  const regions: RegionReport[] = scans.map((scan) => ({
    ...(scan.accountId !== undefined && { accountId: scan.accountId }),
    region: scan.region,
    ...(scan.error && { error: scan.error }),
    endpoints: scan.endpoints.map((endpoint) => ({
      endpointId: endpoint.endpointId,
      status: endpoint.status,
      ...(endpoint.error && { error: endpoint.error }),
      connections: (work.endpoints.get(endpointKey(endpoint))?.connections ?? []).map(
        toConnectionReport(work, key),
      ),
    })),
  }));
  const summary = summariseScans(work, scans, [...work.endpoints.values()]);
  const { status, message } = decideStatus(work.dryRun, summary);
  const accounts = scope.accounts?.map(({ accountId }): AccountReport => {
    const accountScans = scans.filter((scan) => scan.accountId === accountId);
    const reached = accountScans.some((scan) => !scan.error);
    const firstError = accountScans.find((scan) => scan.error)?.error;
    return {
      accountId,
      status: reached ? 'reached' : 'unreachable',
      ...(!reached && firstError && { error: firstError }),
      summary: summariseScans(
        work,
        accountScans,
        [...work.endpoints.values()].filter((endpoint) => endpoint.accountId === accountId),
      ),
    };
  });
  return { status, ...(message && { message }), summary, regions, ...(accounts && { accounts }) };
}

function summariseScans(
  work: IdentityWork,
  scans: readonly RegionScan[],
  endpoints: readonly EndpointWork[],
): RevocationSummary {
  const connections = endpoints.flatMap((endpoint) => endpoint.connections);
  return {
    ...countScans(scans),
    connectionsFound: connections.length,
    connectionsTerminated: work.dryRun ? 0 : connections.filter(isGoingAway).length,
    connectionsRemaining: work.dryRun
      ? connections.length
      : connections.filter((c) => !isGoingAway(c)).length,
  };
}

/** What the outcome says about a connection; it matched a name by Username first, else by common name. */
const toConnectionReport =
  (work: IdentityWork, key: IdentityKey) =>
  ({
    retryable: _retryable,
    mayEndByUsername: _mayEndByUsername,
    status,
    messages,
    ...rest
  }: TrackedConnection): ConnectionReport => ({
    ...rest,
    ...matchReport(work, key, rest),
    finalStatus: status,
    messages: [...messages],
  });

/** Which name a reported connection matched, and on which of its fields (Username first). */
function matchReport(
  work: IdentityWork,
  key: IdentityKey,
  connection: Pick<TrackedConnection, 'username' | 'commonName'>,
): Pick<ConnectionReport, 'matchedOn' | 'matchedIdentity'> {
  const matchedOn = matchingName(connection, (name) => work.names.has(key(name))) ?? 'common-name';
  const name = matchedOn === 'username' ? connection.username : connection.commonName;
  // Only informative when the person has several names.
  const matchedIdentity = work.names.size > 1 ? work.names.get(key(name)) : undefined;
  return { matchedOn, ...(matchedIdentity !== undefined && { matchedIdentity }) };
}

function decideStatus(
  dryRun: boolean,
  summary: RevocationSummary,
): { status: RevocationResult['status']; message?: string } {
  const problems = [
    summary.connectionsRemaining > 0 &&
      !dryRun &&
      `${summary.connectionsRemaining} connection(s) could not be ended`,
    summary.endpointsUnreachable > 0 &&
      `${summary.endpointsUnreachable} endpoint(s) or region(s) could not be read`,
  ].filter((problem): problem is string => typeof problem === 'string');
  const message = problems.length > 0 ? problems.join('; ') : undefined;
  if (dryRun) return { status: 'dry-run', message };
  if (problems.length === 0) {
    return { status: summary.connectionsFound === 0 ? 'nothing-to-revoke' : 'revoked' };
  }
  return { status: summary.connectionsTerminated > 0 ? 'partial' : 'failed', message };
}
