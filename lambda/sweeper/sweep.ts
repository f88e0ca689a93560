import type { SweepStatus } from '../../contracts/events.ts';
import { ConfigurationError } from '../core/errors.ts';
import { type IdentityKey, identityKey, rememberingKeys } from '../core/identity.ts';
import type { RevocationLedger } from '../core/ledger.ts';
import type { ConnectionReport } from '../core/outcome.ts';
import type { ProtectedIdentities } from '../core/protected-identities.ts';
import {
  SWEEP_OUTCOME_SCHEMA_VERSION,
  type SweepConnection,
  type SweepError,
  type SweepOutcomeDetail,
  type SweepReason,
} from '../core/sweep-outcome.ts';
import {
  type ApiErrorSummary,
  countScans,
  type EndpointScan,
  findConnectionsWhere,
  matchingName,
  type RegionScan,
  type SearchScope,
} from '../engine/find-connections.ts';
import type { ClientVpnApiForRegion, ConnectionSummary } from '../engine/ports.ts';
import {
  type EndpointWork,
  isGoingAway,
  type TerminationClock,
  type TrackedConnection,
  terminateConnections,
} from '../engine/terminate-connections.ts';

export interface SweepDependencies extends TerminationClock {
  readonly clientVpn: ClientVpnApiForRegion;
  /** Absent when the stack has no revocation ledger: only the maximum session age is enforced. */
  readonly ledger?: Pick<RevocationLedger, 'listRevoked' | 'keepUntilLifted'>;
  /**
   * Break-glass identities: their connections are never terminated for age, nor for a revoked name that is
   * itself protected. A protected name never shields a revoked one (a revoked username with a protected
   * certificate common name is ended).
   */
  readonly protectedIdentities: ProtectedIdentities;
  /** The canonical key of a name (with the configured Active Directory domains). */
  readonly identityKey?: IdentityKey;
}

export interface SweepSettings extends SearchScope {
  /** Connections established longer ago than this are ended; unset enforces no maximum. */
  readonly maxSessionAgeMs?: number;
  /** How long `failed-to-terminate` connections keep being retried within one sweep. */
  readonly terminateRetryBudgetMs: number;
  /** Report what would be terminated without terminating anything. */
  readonly dryRun: boolean;
}

export interface SweepRun {
  /** The scheduler event id, or the invocation's request id. */
  readonly sweepId: string;
  /** No retry round starts after this (epoch ms). */
  readonly deadline: number;
}

/** A connection the sweep selected, with why. */
interface Selected {
  readonly reason: SweepReason;
  readonly matchedOn?: ConnectionReport['matchedOn'];
}

/** A connection that would be selected but for the break-glass list. */
const SHIELDED = 'protected';
type Selection = Selected | typeof SHIELDED | undefined;

/** One endpoint's share of the sweep; `work.connections` may grow when Terminate by Username ends newcomers. */
interface EndpointSweep {
  readonly work: EndpointWork;
  readonly selected: Map<string, Selected>;
}

/** Revoked records written with an expiry by earlier versions: how many lost it now, or why none could. */
type ExpiryRemoval = { readonly removed: number } | { readonly error: ApiErrorSummary };

type LedgerRead =
  | { readonly status: 'read'; readonly revoked: ReadonlySet<string>; readonly expiry: ExpiryRemoval }
  | { readonly status: 'not-configured'; readonly revoked: ReadonlySet<string> }
  | {
      readonly status: 'unavailable';
      readonly revoked: ReadonlySet<string>;
      readonly error: ApiErrorSummary;
    };

const EC2_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** EC2's `connectionEstablishedTime` ("YYYY-MM-DD HH:MM:SS", UTC) in epoch ms; undefined when unreadable. */
export function parseEstablishedTime(value: string | undefined): number | undefined {
  if (!value || !EC2_TIME.test(value)) return undefined;
  const ms = Date.parse(`${value.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The use case: one sweep over every endpoint in scope. Ends the live connections of identities the ledger
 * holds revoked and, when a maximum session age is set, every connection older than that — except those
 * of protected identities, which it never touches. Problems are reported in the outcome, not thrown.
 *
 * Without a ledger and without a maximum age there is nothing to enforce: that is a configuration error.
 */
export function sweepSessions(deps: SweepDependencies, settings: SweepSettings) {
  if (!deps.ledger && settings.maxSessionAgeMs === undefined) {
    throw new ConfigurationError('The sweeper needs a revocation ledger, a maximum session age, or both');
  }
  return async (run: SweepRun): Promise<SweepOutcomeDetail> => {
    const startedAt = deps.now();
    const key = rememberingKeys(deps.identityKey ?? identityKey);
    const ledger = await readLedger(deps.ledger, key);
    const ledgerAt = deps.now();

    const select = (connection: ConnectionSummary) =>
      selectionOf(connection, {
        isRevoked: (name) => ledger.revoked.has(key(name)),
        isProtected: (name) => deps.protectedIdentities.has(name),
        maxSessionAgeMs: settings.maxSessionAgeMs,
        now: ledgerAt,
      });
    // With nothing to enforce (an empty or unreadable ledger and no maximum age) no EC2 call is made.
    const enforcing = ledger.revoked.size > 0 || settings.maxSessionAgeMs !== undefined;
    const scans = enforcing
      ? await findConnectionsWhere(deps.clientVpn, settings, (connection) => select(connection) !== undefined)
      : [];
    const foundAt = deps.now();

    const { sweeps, connectionsProtected } = planSweeps(scans, deps, select, settings.dryRun);
    if (!settings.dryRun) {
      await terminateConnections(
        sweeps.map((sweep) => sweep.work),
        deps,
        { retry: foundAt + settings.terminateRetryBudgetMs, stop: run.deadline },
      );
    }
    const finishedAt = deps.now();

    const counts = countResults(ledger, scans, sweeps, connectionsProtected, settings.dryRun);
    const { status, message } = decideStatus(counts, ledger, settings);
    return {
      schemaVersion: SWEEP_OUTCOME_SCHEMA_VERSION,
      sweepId: run.sweepId,
      status,
      dryRun: settings.dryRun,
      ...(message && { message }),
      criteria: {
        revokedIdentities: ledger.status !== 'not-configured',
        maxSessionAgeMs: settings.maxSessionAgeMs ?? null,
      },
      ledger: ledgerReport(ledger),
      counts,
      connections: sweeps.flatMap(toSweepConnections),
      errors: scans.flatMap(toSweepErrors),
      timings: {
        startedAt: iso(startedAt),
        finishedAt: iso(finishedAt),
        durationMs: finishedAt - startedAt,
        ledgerMs: ledgerAt - startedAt,
        findMs: foundAt - ledgerAt,
        terminateMs: finishedAt - foundAt,
      },
    };
  };
}

export type SweepSessions = ReturnType<typeof sweepSessions>;

async function readLedger(ledger: SweepDependencies['ledger'], key: IdentityKey): Promise<LedgerRead> {
  if (!ledger) return { status: 'not-configured', revoked: new Set() };
  try {
    const entries = await ledger.listRevoked();
    return {
      status: 'read',
      revoked: new Set(entries.map((entry) => key(entry.identity)).filter(Boolean)),
      expiry: await keepUntilLifted(ledger, entries),
    };
  } catch (error) {
    return { status: 'unavailable', revoked: new Set(), error: errorSummary(error) };
  }
}

/** Revoked records must outlive the retention: the ones still carrying an expiry (older versions) lose it. */
async function keepUntilLifted(
  ledger: NonNullable<SweepDependencies['ledger']>,
  entries: Awaited<ReturnType<RevocationLedger['listRevoked']>>,
): Promise<ExpiryRemoval> {
  const expiring = entries.filter((entry) => entry.expiresAt !== undefined);
  if (expiring.length === 0) return { removed: 0 };
  try {
    return { removed: await ledger.keepUntilLifted(expiring) };
  } catch (error) {
    return { error: errorSummary(error) };
  }
}

const errorSummary = (error: unknown): ApiErrorSummary => ({
  code: error instanceof Error ? error.name : 'UnexpectedError',
  message: error instanceof Error ? error.message : String(error),
});

function ledgerReport(ledger: LedgerRead): SweepOutcomeDetail['ledger'] {
  if (ledger.status === 'unavailable') return { status: ledger.status, error: ledger.error };
  if (ledger.status === 'not-configured') return { status: ledger.status };
  return {
    status: ledger.status,
    ...('removed' in ledger.expiry
      ? ledger.expiry.removed > 0 && { expiriesRemoved: ledger.expiry.removed }
      : { expiryError: ledger.expiry.error }),
  };
}

/**
 * Why this live connection should end, if it should: a revoked name that is not itself protected first
 * (whatever the other name), then its age unless a name is protected. `SHIELDED`: it would end but for the
 * break-glass list.
 */
function selectionOf(
  connection: ConnectionSummary,
  criteria: {
    readonly isRevoked: (name: string) => boolean;
    readonly isProtected: (name: string) => boolean;
    readonly maxSessionAgeMs: number | undefined;
    readonly now: number;
  },
): Selection {
  const { isRevoked, isProtected, maxSessionAgeMs, now } = criteria;
  const matchedOn = matchingName(connection, (name) => isRevoked(name) && !isProtected(name));
  if (matchedOn) return { reason: 'revoked-identity', matchedOn };
  const shielded = matchingName(connection, isProtected) !== undefined;
  if (matchingName(connection, isRevoked)) return SHIELDED;
  if (maxSessionAgeMs === undefined) return undefined;
  // A connection whose start cannot be read is not judged old.
  const established = parseEstablishedTime(connection.establishedTime);
  if (established === undefined || now - established <= maxSessionAgeMs) return undefined;
  return shielded ? SHIELDED : { reason: 'max-session-age' };
}

/** The work per endpoint: every selected connection except those the break-glass list shields. */
function planSweeps(
  scans: readonly RegionScan[],
  deps: SweepDependencies,
  select: (connection: ConnectionSummary) => Selection,
  dryRun: boolean,
): { sweeps: EndpointSweep[]; connectionsProtected: number } {
  let connectionsProtected = 0;
  const sweeps: EndpointSweep[] = [];
  for (const scan of scans) {
    for (const endpoint of scan.endpoints) {
      const isProtected = (connection: ConnectionSummary) => select(connection) === SHIELDED;
      const candidates = endpoint.matches.filter((connection) => !isProtected(connection));
      connectionsProtected += endpoint.matches.length - candidates.length;
      if (candidates.length === 0) continue;
      // Terminate by Username ends every active session of that exact name on the endpoint; a shielded
      // session carrying the same Username must not go with it.
      const protectedUsernames = new Set(
        endpoint.matches.filter(isProtected).map((connection) => connection.username ?? ''),
      );
      sweeps.push(
        toEndpointSweep(endpoint, candidates, deps, {
          select,
          protectedUsernames,
          dryRun,
        }),
      );
    }
  }
  return { sweeps, connectionsProtected };
}

function countResults(
  ledger: LedgerRead,
  scans: readonly RegionScan[],
  sweeps: readonly EndpointSweep[],
  connectionsProtected: number,
  dryRun: boolean,
): SweepOutcomeDetail['counts'] {
  const tracked = sweeps.flatMap((sweep) => sweep.work.connections);
  const terminated = dryRun ? 0 : tracked.filter(isGoingAway).length;
  return {
    revokedIdentities: ledger.revoked.size,
    ...countScans(scans),
    connectionsFound: tracked.length,
    connectionsTerminated: terminated,
    connectionsRemaining: tracked.length - terminated,
    connectionsProtected,
  };
}

function toEndpointSweep(
  { accountId, region, endpointId }: EndpointScan,
  candidates: readonly ConnectionSummary[],
  deps: SweepDependencies,
  options: {
    readonly select: (connection: ConnectionSummary) => Selection;
    readonly protectedUsernames: ReadonlySet<string>;
    readonly dryRun: boolean;
  },
): EndpointSweep {
  const selected = new Map<string, Selected>();
  const connections = candidates.flatMap((connection): TrackedConnection[] => {
    const selection = options.select(connection);
    if (!selection || selection === SHIELDED) return [];
    selected.set(connection.connectionId, selection);
    const byUsername =
      selection.matchedOn === 'username' && !options.protectedUsernames.has(connection.username ?? '');
    const trackedConnection: TrackedConnection = {
      connectionId: connection.connectionId,
      username: connection.username ?? '',
      commonName: connection.commonName ?? '',
      establishedTime: connection.establishedTime,
      // Old sessions go one by one (their user's younger sessions stay), and so does a revoked name that a
      // protected session also carries.
      mayEndByUsername: byUsername,
      terminatedBy: null,
      attempts: 0,
      status: connection.status === 'failed-to-terminate' ? 'failed-to-terminate' : 'active',
      retryable: true,
      messages: options.dryRun ? [`Dry run: would terminate (${explain(selection)})`] : [],
    };
    return [trackedConnection];
  });
  const work: EndpointWork = {
    api: deps.clientVpn(region, accountId),
    ...(accountId !== undefined && { accountId }),
    region,
    endpointId,
    connections,
  };
  return { work, selected };
}

const explain = (selection: Selected) =>
  selection.reason === 'max-session-age'
    ? 'older than the maximum session age'
    : `revoked identity, matched on ${selection.matchedOn}`;

function toSweepConnections(sweep: EndpointSweep): SweepConnection[] {
  return sweep.work.connections.map((connection) => {
    // A connection not in `selected` opened after the listing and was ended by its revoked Username.
    const selection = sweep.selected.get(connection.connectionId) ?? {
      reason: 'revoked-identity',
      matchedOn: 'username',
    };
    return {
      ...(sweep.work.accountId !== undefined && { accountId: sweep.work.accountId }),
      region: sweep.work.region,
      endpointId: sweep.work.endpointId,
      connectionId: connection.connectionId,
      username: connection.username,
      commonName: connection.commonName,
      ...(connection.establishedTime !== undefined && { establishedTime: connection.establishedTime }),
      reason: selection.reason,
      ...(selection.matchedOn && { matchedOn: selection.matchedOn }),
      terminatedBy: connection.terminatedBy,
      attempts: connection.attempts,
      finalStatus: connection.status,
      messages: [...connection.messages],
    };
  });
}

const toSweepErrors = (scan: RegionScan): SweepError[] => {
  const where = { ...(scan.accountId !== undefined && { accountId: scan.accountId }), region: scan.region };
  return [
    ...(scan.error ? [{ ...where, ...scan.error }] : []),
    ...scan.endpoints.flatMap((endpoint) =>
      endpoint.error ? [{ ...where, endpointId: endpoint.endpointId, ...endpoint.error }] : [],
    ),
  ];
};

function decideStatus(
  counts: SweepOutcomeDetail['counts'],
  ledger: LedgerRead,
  settings: SweepSettings,
): { status: SweepStatus; message?: string } {
  const ledgerUnavailable = ledger.status === 'unavailable';
  const problems = [
    ledgerUnavailable && `the revocation ledger could not be read (${ledger.error.code})`,
    ledger.status === 'read' &&
      'error' in ledger.expiry &&
      `revoked records written with an expiry could not be kept until lifted (${ledger.expiry.error.code})`,
    counts.endpointsUnreachable > 0 &&
      `${counts.endpointsUnreachable} endpoint(s) or region(s) could not be read`,
    !settings.dryRun &&
      counts.connectionsRemaining > 0 &&
      `${counts.connectionsRemaining} connection(s) could not be ended`,
  ].filter((problem): problem is string => typeof problem === 'string');
  if (problems.length === 0) {
    if (counts.connectionsFound === 0) return { status: 'clean' };
    return { status: settings.dryRun ? 'dry-run' : 'swept' };
  }
  const message = problems.join('; ');
  const nothingRead =
    counts.endpointsScanned === 0 || (ledgerUnavailable && settings.maxSessionAgeMs === undefined);
  const nothingEnded = counts.connectionsTerminated === 0;
  const failed = nothingEnded && (nothingRead || (!settings.dryRun && counts.connectionsRemaining > 0));
  return { status: failed ? 'failed' : 'partial', message };
}

const iso = (ms: number) => new Date(ms).toISOString();
