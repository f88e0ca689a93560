import { ClientVpnApiError } from '../../lambda/core/errors.ts';
import type {
  ClientConnectState,
  ClientVpnApi,
  ClientVpnApiForRegion,
  ConnectionSummary,
  TerminateTarget,
} from '../../lambda/engine/ports.ts';

/** In-memory stand-in for EC2's Client VPN API with the semantics the engine relies on. */
export interface FakeConnection {
  connectionId: string;
  username?: string;
  commonName?: string;
  status: string;
  /** As EC2 reports it: "YYYY-MM-DD HH:MM:SS", UTC. */
  establishedTime?: string;
}

interface FakeEndpoint {
  status: string;
  tags: Record<string, string>;
  clientConnect?: ClientConnectState;
  connections: FakeConnection[];
  /** Error code every call on this endpoint fails with. */
  failWith?: string;
}

export interface FakeCall {
  readonly region: string;
  readonly action: 'describeEndpoints' | 'describeConnections' | 'terminate';
  readonly endpointId?: string;
  readonly target?: TerminateTarget;
  readonly connectionIds?: readonly string[];
}

export class FakeClientVpn {
  readonly calls: FakeCall[] = [];
  private readonly regions = new Map<string, Map<string, FakeEndpoint>>();
  private readonly failuresLeft = new Map<string, number>();
  private counter = 0;
  pageSize = 1000;
  endpointsPageSize = 2;
  /** Region whose DescribeClientVpnEndpoints fails with this code. */
  readonly regionFailures = new Map<string, string>();

  addEndpoint(
    region: string,
    endpointId: string,
    options: { status?: string; tags?: Record<string, string>; clientConnect?: ClientConnectState } = {},
  ) {
    const endpoints = this.regions.get(region) ?? new Map<string, FakeEndpoint>();
    endpoints.set(endpointId, {
      status: options.status ?? 'available',
      tags: options.tags ?? {},
      ...(options.clientConnect && { clientConnect: options.clientConnect }),
      connections: [],
    });
    this.regions.set(region, endpoints);
    return this;
  }

  connect(
    region: string,
    endpointId: string,
    who: { username?: string; commonName?: string; establishedTime?: string },
    status = 'active',
  ) {
    const connectionId = `cvpn-connection-${(this.counter++).toString(16).padStart(17, '0')}`;
    this.endpoint(region, endpointId).connections.push({ connectionId, status, ...who });
    return connectionId;
  }

  /** The next `times` Terminate calls naming this connection answer failed-to-terminate. */
  failTerminate(connectionId: string, times = Number.POSITIVE_INFINITY) {
    this.failuresLeft.set(connectionId, times);
  }

  failEndpoint(region: string, endpointId: string, code: string) {
    this.endpoint(region, endpointId).failWith = code;
  }

  deleteEndpoint(region: string, endpointId: string) {
    this.regions.get(region)?.delete(endpointId);
  }

  statusOf(connectionId: string) {
    for (const endpoints of this.regions.values()) {
      for (const endpoint of endpoints.values()) {
        const found = endpoint.connections.find((connection) => connection.connectionId === connectionId);
        if (found) return found.status;
      }
    }
    return undefined;
  }

  count(action: FakeCall['action']) {
    return this.calls.filter((call) => call.action === action).length;
  }

  forRegion: ClientVpnApiForRegion = (region) => this.api(region);

  private endpoint(region: string, endpointId: string): FakeEndpoint {
    const endpoint = this.regions.get(region)?.get(endpointId);
    if (!endpoint)
      throw new ClientVpnApiError(
        'InvalidClientVpnEndpointId.NotFound',
        `${endpointId} does not exist`,
        false,
      );
    if (endpoint.failWith) throw new ClientVpnApiError(endpoint.failWith, 'injected failure', false);
    return endpoint;
  }

  private api(region: string): ClientVpnApi {
    return {
      describeEndpoints: async (nextToken) => {
        this.calls.push({ region, action: 'describeEndpoints' });
        const failure = this.regionFailures.get(region);
        if (failure) throw new ClientVpnApiError(failure, 'injected region failure', false);
        const all = [...(this.regions.get(region) ?? new Map()).entries()];
        const start = Number(nextToken ?? 0);
        const page = all.slice(start, start + this.endpointsPageSize);
        return {
          items: page.map(([endpointId, endpoint]) => ({
            endpointId,
            status: endpoint.status,
            tags: endpoint.tags,
            ...(endpoint.clientConnect && { clientConnect: endpoint.clientConnect }),
          })),
          nextToken:
            start + this.endpointsPageSize < all.length ? String(start + this.endpointsPageSize) : undefined,
        };
      },
      describeConnections: async (endpointId, options = {}) => {
        this.calls.push({
          region,
          action: 'describeConnections',
          endpointId,
          connectionIds: options.connectionIds,
        });
        const ids = options.connectionIds;
        const all = this.endpoint(region, endpointId).connections.filter(
          (connection) => !ids || ids.includes(connection.connectionId),
        );
        const start = Number(options.nextToken ?? 0);
        return {
          items: all
            .slice(start, start + this.pageSize)
            .map((connection): ConnectionSummary => ({ ...connection })),
          nextToken: start + this.pageSize < all.length ? String(start + this.pageSize) : undefined,
        };
      },
      terminate: async (endpointId, target) => {
        this.calls.push({ region, action: 'terminate', endpointId, target });
        const endpoint = this.endpoint(region, endpointId);
        let targets: FakeConnection[];
        if ('username' in target) {
          targets = endpoint.connections.filter(
            (c) => c.username === target.username && c.status === 'active',
          );
          if (targets.length === 0)
            throw new ClientVpnApiError('InvalidClientVpnConnection.UserNotFound', 'no user', false);
          if (targets.length > 5) {
            throw new ClientVpnApiError('ClientVpnTerminateConnectionsLimitExceeded', 'too many', false);
          }
        } else {
          const connection = endpoint.connections.find((c) => c.connectionId === target.connectionId);
          if (!connection)
            throw new ClientVpnApiError('InvalidClientVpnConnection.IdNotFound', 'no id', false);
          targets = [connection];
        }
        return targets.map((connection) => {
          const previousStatus = connection.status;
          const failures = this.failuresLeft.get(connection.connectionId) ?? 0;
          if (failures > 0 && connection.status !== 'terminated') {
            this.failuresLeft.set(connection.connectionId, failures - 1);
            connection.status = 'failed-to-terminate';
            return {
              connectionId: connection.connectionId,
              previousStatus,
              currentStatus: connection.status,
              message: 'injected',
            };
          }
          connection.status = 'terminating';
          return { connectionId: connection.connectionId, previousStatus, currentStatus: connection.status };
        });
      },
    };
  }
}

/** A clock whose sleeps advance time instantly, so retry budgets are tested without waiting. */
export function fakeClock(start = Date.parse('2026-11-22T10:00:00Z')) {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
    random: () => 0.5,
  };
}
