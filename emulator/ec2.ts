import { functionArnProblem } from './client-connect.ts';
import type { Clock } from './clock.ts';
import { connectionXml, ec2ErrorResponse, ec2Response, endpointXml, statusXml } from './ec2-xml.ts';
import type { Faults } from './faults.ts';
import { type RequestContext, ServiceError, type WireResponse } from './protocol.ts';
import { fnv1a } from './random.ts';
import type { Connection, Endpoint, State } from './state.ts';
import { items, type XmlNode } from './xml.ts';

/**
 * The EC2 Query side: DescribeClientVpnEndpoints, DescribeClientVpnConnections, TerminateClientVpnConnections,
 * ModifyClientVpnEndpoint (client connect options only). Every call acts in its caller's account: endpoints of
 * other accounts do not exist for it.
 *
 * Order of checks for every call: unknown action → throttling (throttle-next switch, then the token bucket) →
 * injected random 5xx → parameter validation → UnauthorizedOperation → DryRun → endpoint existence → the work.
 */

export const EC2_ACTIONS = [
  'DescribeClientVpnEndpoints',
  'DescribeClientVpnConnections',
  'TerminateClientVpnConnections',
  'ModifyClientVpnEndpoint',
] as const;
export type Ec2Action = (typeof EC2_ACTIONS)[number];

const isEc2Action = (action: string): action is Ec2Action =>
  (EC2_ACTIONS as readonly string[]).includes(action);

/** Page size when the request has no MaxResults. */
export const DEFAULT_PAGE_SIZE = 1000;
/** The most connections one Terminate by Username may end. */
export const TERMINATE_BY_USERNAME_LIMIT = 5;

const error = {
  missing: (name: string) =>
    new ServiceError('MissingParameter', 400, `The request must contain the parameter ${name}`),
  invalidValue: (message: string) => new ServiceError('InvalidParameterValue', 400, message),
  endpointNotFound: (id: string) =>
    new ServiceError(
      'InvalidClientVpnEndpointId.NotFound',
      400,
      `The Client VPN endpoint ID '${id}' does not exist`,
    ),
};

/** Form parameters of one EC2 Query request (flattened, 1-based lists). */
export class QueryParams {
  readonly #values: ReadonlyMap<string, string>;

  constructor(values: ReadonlyMap<string, string>) {
    this.#values = values;
  }

  static fromForm(form: URLSearchParams): QueryParams {
    return new QueryParams(new Map(form));
  }

  /** The value, with an empty string counting as absent. */
  string(name: string): string | undefined {
    const value = this.#values.get(name);
    return value === '' ? undefined : value;
  }

  required(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw error.missing(name);
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (value === 'true' || value === 'false') return value === 'true';
    throw error.invalidValue(`Invalid value '${value}' for ${name}. Expected 'true' or 'false'.`);
  }

  integer(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!/^-?\d+$/.test(value))
      throw error.invalidValue(`Invalid value '${value}' for ${name}. Expected an integer.`);
    return Number(value);
  }

  /** `prefix.1`, `prefix.2`, … in index order. */
  list(prefix: string): string[] {
    const found: [number, string][] = [];
    const pattern = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d+)$`);
    for (const [key, value] of this.#values) {
      const match = pattern.exec(key);
      if (match) found.push([Number(match[1]), value]);
    }
    return found.sort((a, b) => a[0] - b[0]).map(([, value]) => value);
  }

  /** `Filter.N.Name` with its `Filter.N.Value.M` values. */
  filters(): { name: string; values: string[] }[] {
    const indexes = new Set<number>();
    for (const key of this.#values.keys()) {
      const match = /^Filter\.(\d+)\./.exec(key);
      if (match) indexes.add(Number(match[1]));
    }
    return [...indexes]
      .sort((a, b) => a - b)
      .map((n) => {
        const name = this.string(`Filter.${n}.Name`);
        if (name === undefined) throw error.missing(`Filter.${n}.Name`);
        const values = this.list(`Filter.${n}.Value`);
        if (values.length === 0)
          throw error.invalidValue(`The filter '${name}' requires at least one value.`);
        return { name, values };
      });
  }

  /** Every parameter name, in request order. */
  names(): string[] {
    return [...this.#values.keys()];
  }

  toObject(): Record<string, string> {
    return Object.fromEntries(this.#values);
  }
}

export interface Ec2Deps {
  readonly state: State;
  readonly faults: Faults;
  readonly clock: Clock;
}

interface Ec2Call {
  readonly action: Ec2Action;
  readonly params: QueryParams;
  readonly ctx: RequestContext;
}

/** Creates the EC2 Query handler. `action` is the request's `Action` parameter (undefined when absent). */
export const createEc2 = (deps: Ec2Deps) => {
  const { state, faults, clock } = deps;

  const ops: Record<Ec2Action, (call: Ec2Call) => readonly XmlNode[]> = {
    DescribeClientVpnEndpoints: describeEndpoints,
    DescribeClientVpnConnections: describeConnections,
    TerminateClientVpnConnections: terminate,
    ModifyClientVpnEndpoint: modifyEndpoint,
  };

  function authorize(call: Ec2Call, endpointId: string | undefined, dryRun: boolean | undefined): void {
    const { action, ctx } = call;
    if (faults.isUnauthorized(ctx.region, action, endpointId)) {
      const resource =
        endpointId === undefined
          ? ''
          : ` on resource: arn:aws:ec2:${ctx.region}:${ctx.caller.accountId}:client-vpn-endpoint/${endpointId}`;
      throw new ServiceError(
        'UnauthorizedOperation',
        403,
        `You are not authorized to perform this operation. User: ${ctx.caller.arn} is not ` +
          `authorized to perform: ec2:${action}${resource} because no identity-based policy allows the ` +
          `ec2:${action} action`,
      );
    }
    if (dryRun)
      throw new ServiceError('DryRunOperation', 412, 'Request would have succeeded, but DryRun flag is set.');
  }

  function pageSize(params: QueryParams): number {
    const maxResults = params.integer('MaxResults');
    if (maxResults === undefined) return DEFAULT_PAGE_SIZE;
    if (maxResults < 5 || maxResults > 1000) {
      throw error.invalidValue(
        `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
      );
    }
    return maxResults;
  }

  function checkFilterNames(filters: readonly { name: string }[], allowed: readonly string[]): void {
    for (const { name } of filters) {
      if (!allowed.includes(name))
        throw new ServiceError('InvalidFilter', 400, `The filter '${name}' is invalid`);
    }
  }

  function describeEndpoints(call: Ec2Call): readonly XmlNode[] {
    const { params, ctx } = call;
    const ids = params.list('ClientVpnEndpointId');
    const filters = params.filters();
    checkFilterNames(filters, ['endpoint-id', 'transport-protocol']);
    const limit = pageSize(params);
    const pages = paginationToken(
      `endpoints|${ctx.caller.accountId}|${ctx.region}|${ids.join(',')}|${JSON.stringify(filters)}`,
    );
    const afterSeq = pages.decode(params.string('NextToken'));
    authorize(call, undefined, params.boolean('DryRun'));

    let endpoints: Endpoint[];
    if (ids.length > 0) {
      endpoints = [];
      for (const id of new Set(ids)) {
        const endpoint = state.findEndpoint(ctx.caller.accountId, ctx.region, id);
        if (!endpoint) throw error.endpointNotFound(id);
        endpoints.push(endpoint);
      }
      endpoints.sort((a, b) => a.seq - b.seq);
    } else {
      endpoints = state.listEndpoints(ctx.caller.accountId, ctx.region);
    }
    const matching = endpoints.filter(
      (e) =>
        e.seq > afterSeq &&
        filters.every(({ name, values }) =>
          values.includes(name === 'endpoint-id' ? e.id : e.transportProtocol),
        ),
    );
    const page = matching.slice(0, limit);
    const last = page.at(-1);
    return [
      ['clientVpnEndpoint', items(page, endpointXml)],
      ['nextToken', matching.length > limit && last ? pages.encode(last.seq) : undefined],
    ];
  }

  function describeConnections(call: Ec2Call): readonly XmlNode[] {
    const { params, ctx } = call;
    const endpointId = params.required('ClientVpnEndpointId');
    const filters = params.filters();
    checkFilterNames(filters, ['connection-id', 'username']);
    const limit = pageSize(params);
    const pages = paginationToken(
      `connections|${ctx.caller.accountId}|${ctx.region}|${endpointId}|${JSON.stringify(filters)}`,
    );
    const afterSeq = pages.decode(params.string('NextToken'));
    authorize(call, endpointId, params.boolean('DryRun'));
    const endpoint = state.findEndpoint(ctx.caller.accountId, ctx.region, endpointId);
    if (!endpoint) throw error.endpointNotFound(endpointId);

    const valuesOf = (name: string): string[] | undefined => {
      const matching = filters.filter((f) => f.name === name);
      if (matching.length === 0) return undefined;
      // Several filters with the same name are AND-ed: keep the values every one of them allows.
      return matching.reduce<string[]>(
        (kept, f, i) => (i === 0 ? [...f.values] : kept.filter((v) => f.values.includes(v))),
        [],
      );
    };
    const { items: page, hasMore } = state.page(
      endpoint,
      { connectionIds: valuesOf('connection-id'), usernames: valuesOf('username') },
      afterSeq,
      limit,
    );
    const now = clock.now();
    const last = page.at(-1);
    return [
      ['connections', items(page, (c) => connectionXml(c, now))],
      ['nextToken', hasMore && last ? pages.encode(last.seq) : undefined],
    ];
  }

  function terminate(call: Ec2Call): readonly XmlNode[] {
    const { params, ctx } = call;
    const endpointId = params.required('ClientVpnEndpointId');
    const connectionId = params.string('ConnectionId');
    const username = params.string('Username');
    if ((connectionId === undefined) === (username === undefined)) {
      throw new ServiceError(
        'InvalidParameterCombination',
        400,
        'You must specify either ConnectionId or Username, but not both.',
      );
    }
    authorize(call, endpointId, params.boolean('DryRun'));
    const endpoint = state.findEndpoint(ctx.caller.accountId, ctx.region, endpointId);
    if (!endpoint) throw error.endpointNotFound(endpointId);

    let statuses: XmlNode[][];
    if (connectionId !== undefined) {
      statuses = terminateById(endpoint, connectionId);
    } else {
      const name = username as string;
      const active = state.activeConnections(endpoint, name);
      if (active.length === 0) {
        throw new ServiceError(
          'InvalidClientVpnConnection.UserNotFound',
          400,
          `The user '${name}' does not have any active connections on Client VPN endpoint '${endpoint.id}'`,
        );
      }
      if (active.length > TERMINATE_BY_USERNAME_LIMIT) {
        throw new ServiceError(
          'ClientVpnTerminateConnectionsLimitExceeded',
          400,
          `The user '${name}' has ${active.length} active connections; at most ${TERMINATE_BY_USERNAME_LIMIT} ` +
            'can be terminated by username. Terminate the connections by connection ID.',
        );
      }
      statuses = active.map(terminateOne);
    }
    return [
      ['clientVpnEndpointId', endpoint.id],
      ['username', username],
      ['connectionStatuses', items(statuses, (s) => s)],
    ];
  }

  function modifyEndpoint(call: Ec2Call): readonly XmlNode[] {
    const { params, ctx } = call;
    checkModifyParameters(params);
    const endpointId = params.required('ClientVpnEndpointId');
    const given = params.names().some((name) => name.startsWith('ClientConnectOptions.'));
    // The model documents `Enabled` as defaulting to false: a ClientConnectOptions without it disables.
    const enabled = given ? (params.boolean(`${CONNECT_OPTIONS}.Enabled`) ?? false) : undefined;
    const arn = params.string(`${CONNECT_OPTIONS}.LambdaFunctionArn`);
    if (arn !== undefined) {
      const problem = functionArnProblem(arn, ctx.region, ctx.caller.accountId);
      if (problem !== undefined) {
        throw error.invalidValue(
          `Invalid value '${arn}' for ${CONNECT_OPTIONS}.LambdaFunctionArn: ${problem}.`,
        );
      }
    }
    authorize(call, endpointId, params.boolean('DryRun'));
    const endpoint = state.findEndpoint(ctx.caller.accountId, ctx.region, endpointId);
    if (!endpoint) throw error.endpointNotFound(endpointId);
    if (enabled !== undefined) {
      const lambdaFunctionArn = arn ?? endpoint.clientConnect.lambdaFunctionArn;
      if (enabled && lambdaFunctionArn === undefined)
        throw error.missing(`${CONNECT_OPTIONS}.LambdaFunctionArn`);
      state.setClientConnect(
        endpoint,
        lambdaFunctionArn === undefined ? { enabled } : { enabled, lambdaFunctionArn },
      );
    }
    return [['return', true]];
  }

  function terminateById(endpoint: Endpoint, connectionId: string): XmlNode[][] {
    const connection = state.connection(endpoint, connectionId);
    const notFound = new ServiceError(
      'InvalidClientVpnConnection.IdNotFound',
      400,
      `The connection ID '${connectionId}' does not exist`,
    );
    if (!connection) throw notFound;
    if (connection.status !== 'terminated') return [terminateOne(connection)];
    switch (faults.repeatTerminateMode) {
      case 'id-not-found':
        throw notFound;
      case 'empty':
        return [];
      case 'terminated':
        return [connectionStatusXml(connection.id, 'terminated', 'terminated')];
    }
  }

  /** One connection's Terminate outcome: injected failure, active → terminating, or still terminating. */
  function terminateOne(connection: Connection): XmlNode[] {
    const previous = connection.status;
    if (previous === 'terminating') return connectionStatusXml(connection.id, previous, previous);
    const failure = faults.terminateFailure(connection.id);
    if (failure !== undefined) {
      return connectionStatusXml(connection.id, previous, 'failed-to-terminate', failure);
    }
    state.beginTermination(connection);
    return connectionStatusXml(connection.id, previous, 'terminating');
  }

  return (action: string | undefined, params: QueryParams, ctx: RequestContext): WireResponse => {
    try {
      if (action === undefined) throw error.missing('Action');
      if (!isEc2Action(action)) {
        throw new ServiceError(
          'InvalidAction',
          400,
          `The action ${action} is not valid for this web service.`,
        );
      }
      try {
        if (faults.throttled(ctx.caller.accountId, ctx.region, action)) {
          throw new ServiceError('RequestLimitExceeded', 503, 'Request limit exceeded.');
        }
        const injected = faults.randomError(action);
        if (injected === 'InternalError') {
          throw new ServiceError('InternalError', 500, 'An internal error has occurred');
        }
        if (injected === 'Unavailable') {
          throw new ServiceError(
            'Unavailable',
            503,
            "The server is overloaded and can't handle the request.",
          );
        }
        return ec2Response(action, ctx.requestId, ops[action]({ action, params, ctx }));
      } finally {
        faults.afterEc2Call(action);
      }
    } catch (e) {
      if (e instanceof ServiceError) return ec2ErrorResponse(ctx.requestId, e);
      throw e;
    }
  };
};

const CONNECT_OPTIONS = 'ClientConnectOptions';

/** ModifyClientVpnEndpoint parameters the emulator implements; the rest are refused, never ignored. */
const MODIFY_SUPPORTED = new Set([
  'Action',
  'Version',
  'ClientVpnEndpointId',
  'DryRun',
  `${CONNECT_OPTIONS}.Enabled`,
  `${CONNECT_OPTIONS}.LambdaFunctionArn`,
]);

/** Real ModifyClientVpnEndpoint parameters (first segment of the query key) the emulator does not implement. */
const MODIFY_NOT_EMULATED = new Set([
  'ServerCertificateArn',
  'ConnectionLogOptions',
  'DnsServers',
  'VpnPort',
  'Description',
  'SplitTunnel',
  'SecurityGroupId',
  'VpcId',
  'SelfServicePortal',
  'SessionTimeoutHours',
  'ClientLoginBannerOptions',
  'ClientRouteEnforcementOptions',
  'DisconnectOnSessionTimeout',
  'TransitGatewayConfiguration',
  'DevicePostureOptions',
  CONNECT_OPTIONS,
]);

/**
 * Refuses what ModifyClientVpnEndpoint would otherwise silently ignore: a real parameter the emulator does not
 * model → 400 UnsupportedOperation; a name EC2 does not know → 400 UnknownParameter (EC2's code for it).
 */
const checkModifyParameters = (params: QueryParams): void => {
  for (const name of params.names()) {
    if (MODIFY_SUPPORTED.has(name)) continue;
    const top = name.split('.')[0] as string;
    if (MODIFY_NOT_EMULATED.has(top)) {
      throw new ServiceError(
        'UnsupportedOperation',
        400,
        `The emulator does not implement the ModifyClientVpnEndpoint parameter ${name}; it supports ` +
          `${CONNECT_OPTIONS}.Enabled, ${CONNECT_OPTIONS}.LambdaFunctionArn and DryRun.`,
      );
    }
    throw new ServiceError('UnknownParameter', 400, `The parameter ${name} is not recognized`);
  }
};

const connectionStatusXml = (id: string, previous: string, current: string, message?: string): XmlNode[] => [
  ['connectionId', id],
  ['previousStatus', statusXml(previous)],
  ['currentStatus', statusXml(current, message)],
];

/** Opaque NextToken: base64url of the last returned item's seq plus a hash of the query it belongs to. */
const paginationToken = (query: string) => {
  const hash = fnv1a(query).toString(16);
  const invalid = () =>
    new ServiceError(
      'InvalidPaginationToken',
      400,
      'The pagination token is invalid or does not match the request.',
    );
  return {
    encode: (afterSeq: number): string => Buffer.from(`v1:${afterSeq}:${hash}`).toString('base64url'),
    decode: (token: string | undefined): number => {
      if (token === undefined) return 0;
      const match = /^v1:(\d+):([0-9a-f]+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
      if (!match || match[2] !== hash) throw invalid();
      return Number(match[1]);
    },
  };
};
