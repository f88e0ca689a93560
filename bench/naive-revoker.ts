import { setTimeout as sleep } from 'node:timers/promises';
import {
  DescribeClientVpnConnectionsCommand,
  EC2Client,
  TerminateClientVpnConnectionsCommand,
} from '@aws-sdk/client-ec2';

/**
 * The straightforward revoker the product is compared with: for each event, on every endpoint, describe the
 * user's connections with the `username` filter (all pages) and terminate each active one by ConnectionId,
 * with nothing but the SDK's default retries. Each event runs in its own execution environment (its own
 * client and retry quota), as EventBridge → Lambda asynchronous invocation scales out.
 *
 * The SDK's default (standard) retry mode is reproduced with delays divided by `timeScale`, so that its backoff
 * passes in the emulator's time like everything else: 3 attempts; delay random × min(20 s, base × 2^(n−1)),
 * base 500 ms for throttling and 100 ms otherwise; a 500-token retry quota per client, 5 tokens per retry,
 * 1 back per success (smithy-typescript util-retry constants).
 */
export interface NaiveRevokerOptions {
  readonly url: string;
  readonly region: string;
  readonly endpointIds: readonly string[];
  readonly timeScale: number;
}

const THROTTLING = new Set(['RequestLimitExceeded', 'Throttling', 'ThrottlingException', 'RequestThrottled']);
const TRANSIENT = new Set(['InternalError', 'Unavailable', 'ServiceUnavailable', 'InternalFailure']);

export function naiveRevoker(options: NaiveRevokerOptions) {
  const stats = { calls: 0, throttled: 0 };
  return {
    stats,
    /** Revokes one user; throws when a call still fails after the SDK's retries. */
    async revoke(username: string): Promise<number> {
      const ec2 = new EC2Client({
        region: options.region,
        endpoint: options.url,
        credentials: { accessKeyId: 'AKIANAIVEREVOKER', secretAccessKey: 'naive' },
        maxAttempts: 1,
      });
      let quota = 500;
      const send = async <T>(call: () => Promise<T>): Promise<T> => {
        for (let attempt = 1; ; attempt++) {
          try {
            stats.calls++;
            const result = await call();
            quota = Math.min(500, quota + 1);
            return result;
          } catch (error) {
            const name = (error as Error).name;
            const throttled = THROTTLING.has(name);
            if (throttled) stats.throttled++;
            if (!(throttled || TRANSIENT.has(name)) || attempt >= 3 || quota < 5) throw error;
            quota -= 5;
            const base = throttled ? 500 : 100;
            await sleep((Math.random() * Math.min(20_000, base * 2 ** (attempt - 1))) / options.timeScale);
          }
        }
      };
      let terminated = 0;
      try {
        for (const endpointId of options.endpointIds) {
          const ids: string[] = [];
          let nextToken: string | undefined;
          do {
            const page = await send(() =>
              ec2.send(
                new DescribeClientVpnConnectionsCommand({
                  ClientVpnEndpointId: endpointId,
                  Filters: [{ Name: 'username', Values: [username] }],
                  NextToken: nextToken,
                }),
              ),
            );
            for (const c of page.Connections ?? []) {
              if (c.Status?.Code === 'active' && c.ConnectionId) ids.push(c.ConnectionId);
            }
            nextToken = page.NextToken;
          } while (nextToken);
          for (const connectionId of ids) {
            await send(() =>
              ec2.send(
                new TerminateClientVpnConnectionsCommand({
                  ClientVpnEndpointId: endpointId,
                  ConnectionId: connectionId,
                }),
              ),
            );
            terminated++;
          }
        }
        return terminated;
      } finally {
        ec2.destroy();
      }
    },
  };
}
