import { identityKeyFor, sameIdentity } from '../../lambda/core/identity.ts';
import { countScans, findConnectionsWhere, type RegionScan } from '../../lambda/engine/find-connections.ts';
import type { ConnectionSummary } from '../../lambda/engine/ports.ts';
import { operatorClientVpn } from '../client-vpn.ts';
import type { CliDeps } from '../deps.ts';
import { type ExitCode, readExitCode } from '../exit-codes.ts';
import { inAccounts, json, placeColumns, plural, table, unreadable } from '../format.ts';
import type { Command } from '../options.ts';
import { progressOn } from '../progress.ts';

type SessionsCommand = Extract<Command, { name: 'sessions' }>;

/** What `sessions --json` prints. */
export interface SessionsReport {
  /** The identity looked for; null = every live connection. */
  readonly identity: string | null;
  readonly summary: {
    readonly endpointsScanned: number;
    readonly endpointsUnreachable: number;
    readonly connections: number;
  };
  readonly regions: RegionScan[];
}

/**
 * Lists the live (`active` or `failed-to-terminate`) connections on the endpoints in scope — all, or those
 * of one identity matched like the revoker does: Username or certificate common name, in canonical form.
 */
export async function sessions(command: SessionsCommand, deps: CliDeps): Promise<ExitCode> {
  const { identity } = command;
  const identityKey = identityKeyFor(command.scope.activeDirectoryDomains);
  const matches = (c: ConnectionSummary) =>
    identity === undefined ||
    sameIdentity(c.username, identity, identityKey) ||
    sameIdentity(c.commonName, identity, identityKey);
  const progress = progressOn(deps.stderr, deps.now);
  const { regions, accounts, clientVpn } = await operatorClientVpn(command.scope, deps, progress, {
    matches,
    ...(identity !== undefined && { what: `of ${identity}` }),
  });
  progress.line(
    `Listing the live sessions${identity === undefined ? '' : ` of ${identity}`} in ${regions.join(', ')}` +
      inAccounts(accounts),
  );
  const scans = await findConnectionsWhere(
    clientVpn,
    { regions, endpoints: command.scope.endpoints, ...(accounts && { accounts }) },
    matches,
  );
  const report: SessionsReport = {
    identity: identity ?? null,
    summary: {
      ...countScans(scans),
      connections: scans.flatMap((scan) => scan.endpoints).reduce((sum, e) => sum + e.matches.length, 0),
    },
    regions: scans,
  };
  deps.stdout(command.json ? json(report) : humanReport(report));
  return readExitCode(report.summary);
}

function humanReport(report: SessionsReport): string {
  const place = placeColumns(report.regions);
  const rows = report.regions.flatMap((scan) =>
    scan.endpoints.flatMap((endpoint) =>
      endpoint.matches.map((connection) => [
        ...place.cells(scan),
        endpoint.endpointId,
        connection.connectionId,
        connection.username ?? '',
        connection.commonName ?? '',
        connection.status,
        connection.establishedTime ?? '',
      ]),
    ),
  );
  const whose = report.identity === null ? '' : ` of ${report.identity}`;
  const { summary } = report;
  return [
    rows.length > 0
      ? table(
          [
            ...place.headers,
            'ENDPOINT',
            'CONNECTION',
            'USERNAME',
            'COMMON NAME',
            'STATUS',
            'ESTABLISHED (UTC)',
          ],
          rows,
        )
      : `No live connections${whose} on the endpoints in scope.\n`,
    unreadable(report.regions),
    `${plural(summary.connections, 'live connection')}${whose}; ` +
      `${plural(summary.endpointsScanned, 'endpoint')} scanned, ${summary.endpointsUnreachable} unreachable\n`,
  ].join('');
}
