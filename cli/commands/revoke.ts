import { randomUUID } from 'node:crypto';
import { identityKeyFor, sameIdentity } from '../../lambda/core/identity.ts';
import type { RevocationRequest } from '../../lambda/core/request.ts';
import { type RevocationResult, revokeAccess } from '../../lambda/engine/revoke-access.ts';
import { operatorClientVpn } from '../client-vpn.ts';
import type { CliDeps } from '../deps.ts';
import { EXIT, type ExitCode, readExitCode } from '../exit-codes.ts';
import { inAccounts, json, placeColumns, plural, table, unreachableAccounts, unreadable } from '../format.ts';
import type { Command } from '../options.ts';
import { progressOn } from '../progress.ts';

type RevokeCommand = Extract<Command, { name: 'revoke' }>;

/** How a direct revocation names its trigger in the result (no event exists). */
export const CLI_TRIGGER_SOURCE = 'client-vpn-revoker.cli';

/**
 * Ends the identity's sessions directly with the operator's credentials: the revoker's own engine (same
 * matching, fewest Terminates, retries of failed-to-terminate, verification), without the ledger or an
 * outcome event — `request` is the audited path that has both.
 */
export async function revoke(command: RevokeCommand, deps: CliDeps): Promise<ExitCode> {
  const progress = progressOn(deps.stderr, deps.now);
  const { identity } = command;
  const identityKey = identityKeyFor(command.scope.activeDirectoryDomains);
  const { regions, accounts, clientVpn } = await operatorClientVpn(command.scope, deps, progress, {
    matches: (c) =>
      sameIdentity(c.username, identity, identityKey) || sameIdentity(c.commonName, identity, identityKey),
    what: `of ${identity}`,
  });
  const startedAt = deps.now();
  const request: RevocationRequest = {
    action: 'revoke',
    requestId: randomUUID(),
    trigger: {
      source: CLI_TRIGGER_SOURCE,
      detailType: 'Client VPN Revocation (CLI)',
      eventType: command.dryRun ? 'cli.revoke.dry-run' : 'cli.revoke',
      eventTime: new Date(startedAt).toISOString(),
    },
    identity,
    reason: command.reason,
    dryRun: command.dryRun,
  };
  progress.line(
    `${command.dryRun ? 'Dry run: looking for' : 'Ending'} the sessions of ${identity} in ${regions.join(', ')}` +
      inAccounts(accounts),
  );
  let round = 0;
  const run = revokeAccess(
    {
      clientVpn,
      identityKey,
      now: deps.now,
      // The engine sleeps only between rounds of retrying failed-to-terminate connections.
      sleep: (ms) => {
        progress.line(
          `retry round ${++round}: re-terminating what is still up in ${(ms / 1000).toFixed(1)}s`,
        );
        return deps.sleep(ms);
      },
      random: deps.random,
    },
    {
      regions,
      endpoints: command.scope.endpoints,
      ...(accounts && { accounts }),
      terminateRetryBudgetMs: command.retryBudgetMs,
    },
  );
  // No Lambda timeout here: Terminates may start until the work is done.
  const [result] = await run([request], { deadline: Number.POSITIVE_INFINITY });
  if (!result) throw new Error('the engine returned no result for the request');
  progress.line(`done: ${result.status}`);

  if (command.json) deps.stdout(json(result));
  else deps.stdout(humanReport(result));
  if (!command.dryRun && result.summary.connectionsTerminated > 0) {
    deps.stderr(
      'Note: ended directly with your credentials. Nothing was written to the revocation ledger (reconnects are ' +
        'not blocked) and no outcome event was published; `client-vpn-revoker request` takes that path.\n',
    );
  }
  return exitCode(result);
}

export function exitCode(result: RevocationResult): ExitCode {
  switch (result.status) {
    case 'revoked':
    case 'nothing-to-revoke':
      return EXIT.done;
    case 'dry-run':
      return readExitCode(result.summary);
    case 'partial':
      return EXIT.partial;
    default:
      return EXIT.failed;
  }
}

function humanReport(result: RevocationResult): string {
  const place = placeColumns(result.regions);
  const rows = result.regions.flatMap((region) =>
    region.endpoints.flatMap((endpoint) =>
      endpoint.connections.map((connection) => [
        ...place.cells(region),
        endpoint.endpointId,
        connection.connectionId,
        connection.username,
        connection.commonName,
        result.request.dryRun ? `${connection.finalStatus} (dry run)` : connection.finalStatus,
      ]),
    ),
  );
  const { summary } = result;
  const lines = [
    rows.length > 0
      ? table([...place.headers, 'ENDPOINT', 'CONNECTION', 'USERNAME', 'COMMON NAME', 'FINAL STATUS'], rows)
      : `No live connections of ${result.request.identity} on the endpoints in scope.\n`,
    unreadable(result.regions),
    unreachableAccounts(result.accounts),
    `${result.status}: ${plural(summary.connectionsFound, 'connection')} found, ` +
      `${summary.connectionsTerminated} ended, ${summary.connectionsRemaining} remaining; ` +
      `${plural(summary.endpointsScanned, 'endpoint')} scanned, ${summary.endpointsUnreachable} unreachable\n`,
    ...(result.message ? [`${result.message}\n`] : []),
  ];
  return lines.join('');
}
