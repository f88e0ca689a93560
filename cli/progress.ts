import { summariseError } from '../lambda/engine/find-connections.ts';
import {
  type ClientVpnApi,
  type ClientVpnApiForRegion,
  type ConnectionSummary,
  onePerRegionAndAccount,
} from '../lambda/engine/ports.ts';
import { placeOf } from './format.ts';

/**
 * Live progress on stderr without touching the engine: a decorator around the EC2 port that reports each
 * endpoint listing as it completes, each Terminate with what EC2 answered, and each verification.
 */

export interface Progress {
  /** One line of progress (stderr). */
  line(text: string): void;
}

export function progressOn(write: (text: string) => void, now: () => number): Progress {
  const startedAt = now();
  return {
    line: (text) => write(`[${((now() - startedAt) / 1000).toFixed(1).padStart(5)}s] ${text}\n`),
  };
}

const LIVE: readonly string[] = ['active', 'failed-to-terminate'];

/** How many connections of each status, e.g. `2 terminating, 1 failed-to-terminate`. */
export const countByStatus = (statuses: readonly (string | undefined)[]): string => {
  const counts = new Map<string, number>();
  for (const status of statuses) counts.set(status ?? 'unknown', (counts.get(status ?? 'unknown') ?? 0) + 1);
  return counts.size === 0
    ? 'no connections'
    : [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
};

/** Which connections a listing counts as the ones looked for, and how to name them (unset: all are). */
export interface Looking {
  readonly matches: (connection: ConnectionSummary) => boolean;
  readonly what?: string;
}

/**
 * Reports through `progress` what each call of `apiForRegion` did. `matches` picks the connections a listing
 * counts as the ones looked for (e.g. the identity's), and `what` names them in the report.
 */
export function reportingClientVpn(
  apiForRegion: ClientVpnApiForRegion,
  progress: Progress,
  looking: Looking,
): ClientVpnApiForRegion {
  // Progress names the account beside the region when several accounts are searched.
  return onePerRegionAndAccount((region, accountId) =>
    reporting(placeOf({ accountId, region }), apiForRegion(region, accountId), progress, looking),
  );
}

function reporting(region: string, api: ClientVpnApi, progress: Progress, looking: Looking): ClientVpnApi {
  let endpointsSeen = 0;
  const listings = new Map<string, { live: number; matching: number }>();
  const failed = (what: string, error: unknown) => {
    const { code, message } = summariseError(error);
    progress.line(`${what}: ${code}: ${message}`);
    return error;
  };
  return {
    describeEndpoints: async (nextToken) => {
      if (!nextToken) {
        endpointsSeen = 0;
        progress.line(`${region}: listing Client VPN endpoints`);
      }
      try {
        const page = await api.describeEndpoints(nextToken);
        endpointsSeen += page.items.length;
        if (!page.nextToken) progress.line(`${region}: ${endpointsSeen} endpoint(s) found`);
        return page;
      } catch (error) {
        throw failed(`${region}: cannot list endpoints`, error);
      }
    },

    describeConnections: async (endpointId, options = {}) => {
      const where = `${region} ${endpointId}`;
      if (options.connectionIds) {
        // Verification after a Terminate round.
        try {
          const page = await api.describeConnections(endpointId, options);
          progress.line(
            `${where}: verified: ${countByStatus(page.items.map((connection) => connection.status))}`,
          );
          return page;
        } catch (error) {
          throw failed(`${where}: cannot verify`, error);
        }
      }
      // A first page starts the count afresh (a retried listing must not add to the last one).
      const listing = (options.nextToken ? listings.get(endpointId) : undefined) ?? { live: 0, matching: 0 };
      try {
        const page = await api.describeConnections(endpointId, options);
        for (const connection of page.items) {
          if (!LIVE.includes(connection.status)) continue;
          listing.live++;
          if (looking.matches(connection)) listing.matching++;
        }
        listings.set(endpointId, listing);
        if (!page.nextToken) {
          const matching = looking.what === undefined ? '' : `, ${listing.matching} ${looking.what}`;
          progress.line(`${where}: listed: ${listing.live} live connection(s)${matching}`);
          listings.delete(endpointId);
        }
        return page;
      } catch (error) {
        listings.delete(endpointId);
        throw failed(`${where}: cannot list connections`, error);
      }
    },

    terminate: async (endpointId, target) => {
      const named = 'username' in target ? `username ${target.username}` : target.connectionId;
      const where = `${region} ${endpointId}: terminate ${named}`;
      try {
        const changes = await api.terminate(endpointId, target);
        progress.line(`${where}: ${countByStatus(changes.map((change) => change.currentStatus))}`);
        return changes;
      } catch (error) {
        throw failed(where, error);
      }
    },
  };
}
