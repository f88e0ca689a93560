import { mapConcurrent } from '../core/concurrency.ts';
import type { EndpointSelection } from '../core/environment.ts';
import { ClientVpnApiError } from '../core/errors.ts';
import { type IdentityKey, identityKey } from '../core/identity.ts';
import type { ClientVpnApi, ClientVpnApiForRegion, ConnectionSummary, EndpointSummary } from './ports.ts';

const ENDPOINT_NOT_FOUND = 'InvalidClientVpnEndpointId.NotFound';
const SCANS_IN_FLIGHT_PER_REGION = 5;
/** A connection EC2 failed to terminate earlier is still up and must be found again on a retry. */
const STILL_CONNECTED: readonly string[] = ['active', 'failed-to-terminate'];

export interface ApiErrorSummary {
  readonly code: string;
  readonly message: string;
}

export interface EndpointScan {
  /** Set when member accounts are searched (the function's own account included). */
  readonly accountId?: string;
  readonly region: string;
  readonly endpointId: string;
  readonly status: 'scanned' | 'not-found' | 'unreachable';
  readonly error?: ApiErrorSummary;
  /** Live connections the scan selected: for `findConnections`, those of the identities looked for. */
  readonly matches: readonly ConnectionSummary[];
}

export interface RegionScan {
  /** Set when member accounts are searched (the function's own account included). */
  readonly accountId?: string;
  readonly region: string;
  readonly error?: ApiErrorSummary;
  readonly endpoints: readonly EndpointScan[];
}

/** Names one endpoint of one region of one account, for maps keyed by endpoint. */
export const endpointKey = (where: {
  readonly accountId?: string;
  readonly region: string;
  readonly endpointId: string;
}): string => `${where.accountId ?? ''}/${where.region}/${where.endpointId}`;

/** Decides whether a live (`active` or `failed-to-terminate`) connection belongs in the scan's matches. */
export type ConnectionPredicate = (connection: ConnectionSummary) => boolean;

/** Endpoints listed in full, and endpoints or whole regions that could not be read. */
export function countScans(scans: readonly RegionScan[]): {
  endpointsScanned: number;
  endpointsUnreachable: number;
} {
  const endpoints = scans.flatMap((scan) => scan.endpoints);
  return {
    endpointsScanned: endpoints.filter((endpoint) => endpoint.status === 'scanned').length,
    endpointsUnreachable:
      endpoints.filter((endpoint) => endpoint.status === 'unreachable').length +
      scans.filter((scan) => scan.error).length,
  };
}

export const summariseError = (error: unknown): ApiErrorSummary =>
  error instanceof ClientVpnApiError
    ? { code: error.code, message: error.message }
    : { code: 'UnexpectedError', message: error instanceof Error ? error.message : String(error) };

/** Where connections are looked for: the endpoints selected in each region of each account. */
export interface SearchScope {
  readonly regions: readonly string[];
  readonly endpoints: EndpointSelection;
  /** Absent: the function's own account only. */
  readonly accounts?: readonly { readonly accountId: string }[];
}

/**
 * Lists every in-scope endpoint once and keeps the active connections whose username or common name has
 * one of the canonical `keys`, so one sweep serves a whole batch of requests. Endpoints, regions or
 * accounts that cannot be read are reported, not fatal.
 */
export function findConnections(
  clientVpn: ClientVpnApiForRegion,
  scope: SearchScope,
  keys: ReadonlySet<string>,
  options: FindOptions & { readonly identityKey?: IdentityKey } = {},
): Promise<RegionScan[]> {
  const key = options.identityKey ?? identityKey;
  return findConnectionsWhere(
    clientVpn,
    scope,
    (connection) => matchingName(connection, (name) => keys.has(key(name))) !== undefined,
    options,
  );
}

/** Which of the connection's names (username first, then common name) `matches`; empty names never do. */
export function matchingName(
  connection: Pick<ConnectionSummary, 'username' | 'commonName'>,
  matches: (name: string) => boolean,
): 'username' | 'common-name' | undefined {
  if (connection.username && matches(connection.username)) return 'username';
  if (connection.commonName && matches(connection.commonName)) return 'common-name';
  return undefined;
}

export interface FindOptions {
  /**
   * Called as soon as one endpoint has been listed in full, before the others are, so that its connections
   * can be ended while the rest of the sweep runs.
   */
  readonly onEndpointScanned?: (scan: EndpointScan) => void;
}

/**
 * Lists every in-scope endpoint once (all pages) and keeps the live connections `select` accepts. Each
 * region of each account is searched side by side. Endpoints, regions or accounts (a role that cannot be
 * assumed fails each of its regions) that cannot be read are reported, not fatal.
 */
export async function findConnectionsWhere(
  clientVpn: ClientVpnApiForRegion,
  scope: SearchScope,
  select: ConnectionPredicate,
  options: FindOptions = {},
): Promise<RegionScan[]> {
  const accountIds = scope.accounts?.map((account) => account.accountId) ?? [undefined];
  const locations = accountIds.flatMap((accountId) => scope.regions.map((region) => ({ accountId, region })));
  return Promise.all(
    locations.map(async ({ accountId, region }): Promise<RegionScan> => {
      const api = clientVpn(region, accountId);
      const where = { ...(accountId !== undefined && { accountId }), region };
      let endpointIds: string[];
      try {
        endpointIds = await endpointsInScope(api, region, scope.endpoints);
      } catch (error) {
        return { ...where, error: summariseError(error), endpoints: [] };
      }
      const endpoints = await mapConcurrent(endpointIds, SCANS_IN_FLIGHT_PER_REGION, async (endpointId) => {
        const scan = { ...where, ...(await scanEndpoint(api, endpointId, select)) };
        options.onEndpointScanned?.(scan);
        return scan;
      });
      return { ...where, endpoints };
    }),
  );
}

async function endpointsInScope(api: ClientVpnApi, region: string, selection: EndpointSelection) {
  if (selection.kind === 'ids') {
    // Named endpoints are scanned directly: no DescribeClientVpnEndpoints permission is needed.
    return selection.endpoints.filter((ref) => ref.region === region).map((ref) => ref.endpointId);
  }
  return (await describeSelectedEndpoints(api, region, selection)).map((endpoint) => endpoint.endpointId);
}

/** Every available endpoint of the region that `selection` names (by id, by tag, or all), every page read. */
export async function describeSelectedEndpoints(
  api: ClientVpnApi,
  region: string,
  selection: EndpointSelection,
): Promise<EndpointSummary[]> {
  const selected: EndpointSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await api.describeEndpoints(nextToken);
    for (const endpoint of page.items) {
      if (endpoint.status === 'available' && isSelected(endpoint, region, selection)) selected.push(endpoint);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return selected;
}

function isSelected(endpoint: EndpointSummary, region: string, selection: EndpointSelection): boolean {
  if (selection.kind === 'ids') {
    return selection.endpoints.some((ref) => ref.region === region && ref.endpointId === endpoint.endpointId);
  }
  if (selection.kind === 'all') return true;
  // The API has no tag filter, so tags are matched here.
  const value = endpoint.tags[selection.key];
  return value !== undefined && (selection.value === undefined || value === selection.value);
}

async function scanEndpoint(
  api: ClientVpnApi,
  endpointId: string,
  select: ConnectionPredicate,
): Promise<Omit<EndpointScan, 'region' | 'accountId'>> {
  const matches: ConnectionSummary[] = [];
  try {
    let nextToken: string | undefined;
    do {
      const page = await api.describeConnections(endpointId, { nextToken });
      for (const connection of page.items) {
        if (STILL_CONNECTED.includes(connection.status) && select(connection)) matches.push(connection);
      }
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (error) {
    const status =
      error instanceof ClientVpnApiError && error.code === ENDPOINT_NOT_FOUND ? 'not-found' : 'unreachable';
    return { endpointId, status, error: summariseError(error), matches: [] };
  }
  return { endpointId, status: 'scanned', matches };
}
