import { isIPv4 } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  CONNECT_HANDLER_FAILED_MESSAGE,
  type ConnectFailureReason,
  type ConnectHandlerInvoker,
  type ConnectHandlerRequest,
  type ConnectHandlerResponse,
  invokeWithTimeout,
  responseProblem,
} from './client-connect.ts';
import type { Clock } from './clock.ts';
import { fnv1a } from './random.ts';
import type { Endpoint, State } from './state.ts';

/**
 * A client connecting to an endpoint (`Emulator.connect()`): Client VPN's connect path from the point where
 * authentication has succeeded. With the endpoint's client connect handler enabled, the v2 request goes to the
 * host's invoker; the answer decides, fail-closed. An allowed attempt becomes an `active` connection.
 */

/** One connection attempt. Only `endpointId` is required (endpoint ids are unique across accounts). */
export interface ConnectRequest {
  readonly endpointId: string;
  /** When given, the endpoint must be in this region. */
  readonly region?: string;
  /** When given, the endpoint must belong to this account. */
  readonly accountId?: string;
  /** SAML NameID or AD user name; default `''` (certificate authentication). */
  readonly username?: string;
  /** Certificate CN; default `''`, or the username on Active Directory endpoints. */
  readonly commonName?: string;
  /** Address from the client CIDR (what Describe shows); default: the endpoint's next free one. */
  readonly clientIp?: string;
  /** The device's public address (`public-ip`); default a deterministic 203.0.113.x. */
  readonly publicIp?: string;
  /** Default `linux`. */
  readonly platform?: string;
  /** Default `6.8.0`. */
  readonly platformVersion?: string;
  /** Default `2.6.12`. */
  readonly clientOpenVpnVersion?: string;
  /** Group ids for the handler (≤200 of ≤255 characters); default none. */
  readonly groups?: readonly string[];
}

export type ConnectResult =
  | {
      readonly allowed: true;
      readonly connectionId: string;
      /** From the handler; `[]` without one. */
      readonly postureComplianceStatuses: readonly string[];
    }
  | {
      readonly allowed: false;
      readonly reason: ConnectFailureReason;
      /** What the client shows: the handler's denial message, or the generic error when the handler failed. */
      readonly message: string;
    };

/** One entry of `Emulator.connectionAttempts()`. */
export interface ConnectionAttempt {
  readonly seq: number;
  /** ISO 8601, emulated clock, when the attempt started. */
  readonly time: string;
  /** The account that owns the endpoint. */
  readonly accountId: string;
  readonly region: string;
  readonly endpointId: string;
  /** The id offered to the handler; the connection's id when allowed. */
  readonly connectionId: string;
  readonly username: string;
  readonly commonName: string;
  readonly clientIp?: string;
  readonly publicIp: string;
  readonly allowed: boolean;
  readonly reason?: ConnectFailureReason;
  readonly message?: string;
  /** Emulator diagnostics: why the handler failed (its error, the response problem, the timeout). */
  readonly detail?: string;
  /** Present when the client connect handler was enabled. */
  readonly handler?: {
    readonly functionArn: string;
    readonly request: ConnectHandlerRequest;
    /** What the invoker returned (absent when it threw or timed out). */
    readonly response?: unknown;
    /** Wall-clock ms the invocation took (up to the timeout). */
    readonly durationMs: number;
  };
  readonly postureComplianceStatuses?: readonly string[];
}

export interface ConnectorDeps {
  readonly state: State;
  readonly clock: Clock;
  /** Wall-clock ms before a handler invocation counts as timed out. */
  readonly timeoutMs: number;
  readonly invoker: () => ConnectHandlerInvoker | undefined;
  readonly record: (attempt: Omit<ConnectionAttempt, 'seq' | 'time'>, startedAt: number) => void;
}

const MAX_GROUPS = 200;
const MAX_TEXT = 255;

const checkRequest = (request: ConnectRequest): void => {
  if (typeof request.endpointId !== 'string' || request.endpointId === '')
    throw new TypeError('connect: endpointId is required');
  for (const key of ['clientIp', 'publicIp'] as const) {
    const value = request[key];
    if (value !== undefined && !isIPv4(value))
      throw new TypeError(`connect: ${key} must be an IPv4 address, got '${value}'`);
  }
  const groups = request.groups ?? [];
  if (groups.length > MAX_GROUPS || groups.some((g) => typeof g !== 'string' || g.length > MAX_TEXT))
    throw new RangeError(
      `connect: groups must be at most ${MAX_GROUPS} strings of at most ${MAX_TEXT} characters`,
    );
};

const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : `threw ${String(error)}`;

/** Creates `connect()`. */
export const createConnector = (deps: ConnectorDeps) => {
  const { state, clock } = deps;

  const findEndpoint = (request: ConnectRequest): Endpoint => {
    const endpoint = state.findEndpointById(request.endpointId);
    if (
      !endpoint ||
      (request.region !== undefined && endpoint.region !== request.region) ||
      (request.accountId !== undefined && endpoint.accountId !== request.accountId)
    ) {
      const where = [
        request.accountId === undefined ? '' : ` in account ${request.accountId}`,
        request.region === undefined ? '' : ` in ${request.region}`,
      ].join('');
      throw new Error(`connect: there is no Client VPN endpoint '${request.endpointId}'${where}`);
    }
    return endpoint;
  };

  return async (request: ConnectRequest): Promise<ConnectResult> => {
    checkRequest(request);
    const startedAt = clock.now();
    const endpoint = findEndpoint(request);
    const connectionId = state.newConnectionId(endpoint);
    const username = request.username ?? '';
    const commonName = request.commonName ?? (endpoint.authType === 'active-directory' ? username : '');
    const publicIp = request.publicIp ?? `203.0.113.${1 + (fnv1a(connectionId) % 254)}`;
    const base = {
      accountId: endpoint.accountId,
      region: endpoint.region,
      endpointId: endpoint.id,
      connectionId,
      username,
      commonName,
      ...(request.clientIp === undefined ? {} : { clientIp: request.clientIp }),
      publicIp,
    };
    let handler: ConnectionAttempt['handler'];

    const deny = (reason: ConnectFailureReason, message: string, detail?: string): ConnectResult => {
      deps.record(
        {
          ...base,
          allowed: false,
          reason,
          message,
          ...(detail === undefined ? {} : { detail }),
          ...(handler === undefined ? {} : { handler }),
        },
        startedAt,
      );
      return { allowed: false, reason, message };
    };
    const fail = (reason: ConnectFailureReason, detail: string) =>
      deny(reason, CONNECT_HANDLER_FAILED_MESSAGE, detail);

    if (endpoint.status !== 'available') {
      return fail('endpoint-not-available', `the endpoint is ${endpoint.status}, not available`);
    }

    let postureComplianceStatuses: readonly string[] = [];
    const { enabled, lambdaFunctionArn } = endpoint.clientConnect;
    if (enabled && lambdaFunctionArn !== undefined) {
      const handlerRequest: ConnectHandlerRequest = {
        'connection-id': connectionId,
        'endpoint-id': endpoint.id,
        'common-name': commonName,
        username,
        platform: request.platform ?? 'linux',
        'platform-version': request.platformVersion ?? '6.8.0',
        'public-ip': publicIp,
        'client-openvpn-version': request.clientOpenVpnVersion ?? '2.6.12',
        groups: [...(request.groups ?? [])],
        'schema-version': 'v2',
      };
      const invoker = deps.invoker();
      if (invoker === undefined) {
        handler = { functionArn: lambdaFunctionArn, request: handlerRequest, durationMs: 0 };
        return fail(
          'client-connect-handler-service-error',
          'no connect handler invoker is registered (startEmulator connectHandlerInvoker / setConnectHandlerInvoker)',
        );
      }
      const started = performance.now();
      const outcome = await invokeWithTimeout(invoker, lambdaFunctionArn, handlerRequest, deps.timeoutMs);
      const durationMs = Math.round(performance.now() - started);
      handler = {
        functionArn: lambdaFunctionArn,
        request: handlerRequest,
        ...(outcome.kind === 'response' ? { response: outcome.response } : {}),
        durationMs,
      };
      if (outcome.kind === 'timeout') {
        return fail('client-connect-handler-timed-out', `no answer within ${deps.timeoutMs} ms`);
      }
      if (outcome.kind === 'error') {
        return fail('client-connect-handler-other-execution-error', describeError(outcome.error));
      }
      const problem = responseProblem(outcome.response);
      if (problem !== undefined) return fail('client-connect-handler-invalid-response', problem);
      const response = outcome.response as ConnectHandlerResponse;
      if (!response.allow) return deny('client-connect-failed', response['error-msg-on-denied-connection']);
      postureComplianceStatuses = [...response['posture-compliance-statuses']];
      if (state.findEndpointById(endpoint.id) !== endpoint || endpoint.status !== 'available') {
        return fail('endpoint-not-available', 'the endpoint was removed while the handler ran');
      }
    }

    const connection = state.openConnection(endpoint, {
      id: connectionId,
      username,
      commonName,
      ...(request.clientIp === undefined ? {} : { clientIp: request.clientIp }),
      postureComplianceStatuses,
    });
    deps.record(
      {
        ...base,
        clientIp: connection.clientIp,
        allowed: true,
        ...(handler === undefined ? {} : { handler }),
        postureComplianceStatuses,
      },
      startedAt,
    );
    return { allowed: true, connectionId, postureComplianceStatuses };
  };
};
