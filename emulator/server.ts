import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONNECT_HANDLER_TIMEOUT_MS, type ConnectHandlerInvoker } from './client-connect.ts';
import { Clock } from './clock.ts';
import { COGNITO_TARGET_PREFIX, createCognito } from './cognito.ts';
import {
  type ConnectionAttempt,
  type ConnectRequest,
  type ConnectResult,
  createConnector,
} from './connect.ts';
import { createEc2, QueryParams } from './ec2.ts';
import { ec2ErrorResponse } from './ec2-xml.ts';
import { createEventBridge, type PublishedEvent } from './eventbridge.ts';
import { type FaultControls, Faults, type RepeatTerminateMode } from './faults.ts';
import { createIdentityStore } from './identitystore.ts';
import { type Caller, jsonError, type RequestContext, ServiceError, type WireResponse } from './protocol.ts';
import { createSecretsManager, SECRETS_MANAGER_TARGET_PREFIX } from './secretsmanager.ts';
import type { Seed } from './seed.ts';
import { createSqs, SQS_TARGET_PREFIX, type SqsControls } from './sqs.ts';
import { type ConnectionQuery, type ConnectionView, type EndpointView, State } from './state.ts';
import { createSts, homeCaller, STS_VERSION, stsErrorResponse } from './sts.ts';

/**
 * One HTTP port for EC2 (Query protocol, form body with `Action=…&Version=2016-11-15`), STS (awsQuery,
 * `Version=2011-06-15`), EventBridge, Identity Store, Cognito user pools, Secrets Manager (JSON 1.1,
 * `X-Amz-Target`) and SQS message visibility (JSON 1.0). The region and the access key id of each call come from the SigV4 credential scope;
 * signatures are not checked. A key issued by STS AssumeRole acts in the role's account, any other key in the
 * home account. Client connection attempts (`connect()`) are a JS API only.
 */

export interface EmulatorOptions {
  /** Default 0: a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Loaded at start, and again by `reset()`. */
  readonly seed?: Seed;
  /** Emulated ms from `terminating` to `terminated`; default 50; 0 = at the next read. */
  readonly terminateDelayMs?: number;
  /** Emulated time runs this many times faster than the wall clock (bucket refill, terminate delay, retention). */
  readonly timeScale?: number;
  /** Seed of the PRNG behind `faults.randomErrors`; default 1. */
  readonly randomSeed?: number;
  /**
   * The home account: requests signed with an access key the emulator did not issue act in it, and seeded
   * endpoints without an `accountId` belong to it. Default 111122223333.
   */
  readonly accountId?: string;
  /** What a Terminate of an already terminated connection answers; default 'terminated'. */
  readonly repeatTerminate?: RepeatTerminateMode;
  /** Region for requests without a SigV4 Authorization header; default us-east-1. */
  readonly defaultRegion?: string;
  /** The call log (and the connection-attempt log) keeps at most this many recent entries; default 100,000. */
  readonly maxCallLog?: number;
  /** Calls client connect handlers for `connect()`; `reset()` goes back to this one. Default none. */
  readonly connectHandlerInvoker?: ConnectHandlerInvoker;
  /** Wall-clock ms a handler invocation may take before the attempt is denied as timed out; default 30,000. */
  readonly connectHandlerTimeoutMs?: number;
}

export type ServiceName =
  | 'ec2'
  | 'sts'
  | 'events'
  | 'identitystore'
  | 'cognito-idp'
  | 'secretsmanager'
  | 'sqs'
  | 'unknown';

export interface CallRecord {
  readonly seq: number;
  /** ISO 8601, emulated clock. */
  readonly time: string;
  readonly service: ServiceName;
  readonly action: string;
  readonly region: string;
  /** The account the call acted in (the caller's: an assumed role's account, else the home account). */
  readonly accountId: string;
  /** EC2 and STS: the form parameters; JSON services: the parsed body. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly status: number;
  readonly errorCode?: string;
  readonly requestId: string;
}

export interface CallCount {
  /** Present when counted for one account (`callCounts({ accountId })`); absent on totals over all accounts. */
  readonly accountId?: string;
  readonly region: string;
  readonly action: string;
  readonly calls: number;
  readonly errors: number;
  /** Calls answered 503 RequestLimitExceeded (a subset of errors). */
  readonly throttled: number;
}

/** Selects the calls `callCounts()` counts. */
export interface CallCountFilter {
  /** Only calls that acted in this account. */
  readonly accountId?: string;
}

export interface Emulator {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /**
   * AWS_ENDPOINT_URL_EC2 / _STS / _EVENTBRIDGE / _IDENTITYSTORE / _COGNITO_IDENTITY_PROVIDER / _SECRETS_MANAGER
   * pointing at this emulator.
   */
  readonly env: Readonly<Record<string, string>>;
  readonly faults: FaultControls;
  /** The visibility changes functions asked SQS for (the local queue applies them), and SQS outages. */
  readonly sqs: SqsControls;
  stop(): Promise<void>;
  /** Adds endpoints, connections, users and roles (a known endpoint id gets more connections). */
  seed(seed: Seed): void;
  /** Back to the start state: the start seed, no faults, empty logs, clock at the wall clock. */
  reset(): void;
  /** Jumps emulated time forward. */
  advanceTime(ms: number): void;
  connections(query?: ConnectionQuery): ConnectionView[];
  endpoints(): EndpointView[];
  /**
   * Keyed `<region>:<action>`, e.g. `us-east-1:TerminateClientVpnConnections`: totals over every account, or
   * only the calls of `filter.accountId`.
   */
  callCounts(filter?: CallCountFilter): Record<string, CallCount>;
  calls(): CallRecord[];
  publishedEvents(): PublishedEvent[];
  /**
   * A client connects to an endpoint. Through the endpoint's client connect handler when enabled (via the
   * registered invoker, fail-closed); an allowed attempt becomes an `active` connection. Throws for an unknown
   * endpoint or a malformed request.
   */
  connect(request: ConnectRequest): Promise<ConnectResult>;
  /** Replaces the handler invoker (`undefined`: none; attempts on endpoints with a handler are then denied). */
  setConnectHandlerInvoker(invoker: ConnectHandlerInvoker | undefined): void;
  /** Every `connect()` attempt with its outcome, oldest first. */
  connectionAttempts(): ConnectionAttempt[];
}

/** `X-Amz-Target` prefix → JSON 1.1 service. */
const JSON_SERVICES: Readonly<Record<string, ServiceName>> = {
  AWSEvents: 'events',
  AWSIdentityStore: 'identitystore',
  [COGNITO_TARGET_PREFIX]: 'cognito-idp',
  [SECRETS_MANAGER_TARGET_PREFIX]: 'secretsmanager',
  [SQS_TARGET_PREFIX]: 'sqs',
};

/** JSON services whose error body spells the message member `Message`. */
const CAPITALISED_MESSAGE: ReadonlySet<ServiceName> = new Set(['identitystore', 'secretsmanager']);

const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** `Credential=<access key id>/<date>/<region>/<service>/aws4_request` in a SigV4 Authorization header. */
const CREDENTIAL_SCOPE = /Credential=([^/,\s]+)\/\d{8}\/([a-z0-9-]+)\/([^/,\s]+)\/aws4_request/;

interface CredentialScope {
  readonly accessKeyId?: string;
  readonly region?: string;
  readonly service?: string;
}

const credentialScope = (req: IncomingMessage): CredentialScope => {
  const match = CREDENTIAL_SCOPE.exec(header(req, 'authorization') ?? '');
  return match ? { accessKeyId: match[1], region: match[2], service: match[3] } : {};
};

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new ServiceError('RequestEntityTooLarge', 413, 'Request body too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Parsed JSON 1.1 body; an empty body counts as `{}` like the real services. */
const parseJsonBody = (body: string): Record<string, unknown> => {
  if (body.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new ServiceError(
      'SerializationException',
      400,
      'Start of structure or map found where not expected.',
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ServiceError('SerializationException', 400, 'Expected a JSON object.');
  }
  return value as Record<string, unknown>;
};

export const startEmulator = async (options: EmulatorOptions = {}): Promise<Emulator> => {
  const clock = new Clock(options.timeScale ?? 1);
  const accountId = options.accountId ?? '111122223333';
  const state = new State(clock, options.terminateDelayMs ?? 50, accountId);
  const connectHandlerTimeoutMs = options.connectHandlerTimeoutMs ?? CONNECT_HANDLER_TIMEOUT_MS;
  if (!(Number.isFinite(connectHandlerTimeoutMs) && connectHandlerTimeoutMs > 0)) {
    throw new RangeError(`connectHandlerTimeoutMs must be a positive number, got ${connectHandlerTimeoutMs}`);
  }
  const defaultRegion = options.defaultRegion ?? 'us-east-1';
  const maxCallLog = options.maxCallLog ?? 100_000;
  const faults = new Faults({
    clock,
    randomSeed: options.randomSeed ?? 1,
    repeatTerminate: options.repeatTerminate ?? 'terminated',
    removeEndpoint: (id) => state.removeEndpoint(id),
  });
  let events: PublishedEvent[] = [];
  let callLog: CallRecord[] = [];
  /** Keyed `<account>|<region>:<action>`. */
  let counts = new Map<
    string,
    { accountId: string; region: string; action: string; calls: number; errors: number; throttled: number }
  >();
  let callSeq = 0;
  let attempts: ConnectionAttempt[] = [];
  let attemptSeq = 0;
  let invoker = options.connectHandlerInvoker;

  const home = homeCaller(accountId);
  const ec2 = createEc2({ state, faults, clock });
  const sts = createSts({ state, clock });
  const eventBridge = createEventBridge({ faults, clock, record: (event) => events.push(event) });
  const identityStore = createIdentityStore(state);
  const cognito = createCognito(state);
  const secretsManager = createSecretsManager(state);
  const sqs = createSqs();
  const connect = createConnector({
    state,
    clock,
    timeoutMs: connectHandlerTimeoutMs,
    invoker: () => invoker,
    record: (attempt, startedAt) => {
      attempts.push({ seq: ++attemptSeq, time: new Date(startedAt).toISOString(), ...attempt });
      if (attempts.length > 2 * maxCallLog) attempts = attempts.slice(-maxCallLog);
    },
  });

  const loadInitialSeed = () => {
    if (options.seed) state.load(options.seed);
  };
  loadInitialSeed();

  const record = (call: Omit<CallRecord, 'seq' | 'time'>): void => {
    callLog.push({ seq: ++callSeq, time: new Date(clock.now()).toISOString(), ...call });
    if (callLog.length > 2 * maxCallLog) callLog = callLog.slice(-maxCallLog);
    const key = `${call.accountId}|${call.region}:${call.action}`;
    const count = counts.get(key) ?? {
      accountId: call.accountId,
      region: call.region,
      action: call.action,
      calls: 0,
      errors: 0,
      throttled: 0,
    };
    count.calls++;
    if (call.status >= 400) count.errors++;
    if (call.errorCode === 'RequestLimitExceeded') count.throttled++;
    counts.set(key, count);
  };

  const answer = async (
    req: IncomingMessage,
  ): Promise<{ response: WireResponse; call: Omit<CallRecord, 'seq' | 'time'> }> => {
    const requestId = randomUUID();
    const scope = credentialScope(req);
    const region = scope.region ?? defaultRegion;
    const caller: Caller = (scope.accessKeyId && state.session(scope.accessKeyId)) || home;
    const ctx: RequestContext = { region, requestId, caller };
    const accountId = caller.accountId;
    const target = header(req, 'x-amz-target');
    const body = await readBody(req);

    if (target !== undefined) {
      const dot = target.indexOf('.');
      const prefix = target.slice(0, dot);
      const action = target.slice(dot + 1);
      const service = JSON_SERVICES[prefix] ?? 'unknown';
      let input: Record<string, unknown> = {};
      let response: WireResponse;
      try {
        input = parseJsonBody(body);
        await delay(faults.latencyFor(action));
        if (service === 'events') response = eventBridge(action, input, ctx, Buffer.byteLength(body));
        else if (service === 'identitystore') response = identityStore(action, input, ctx);
        else if (service === 'cognito-idp') response = cognito(action, input, ctx);
        else if (service === 'secretsmanager') response = secretsManager(action, input, ctx);
        else if (service === 'sqs') response = sqs.handle(action, input, ctx);
        else throw new ServiceError('UnknownOperationException', 400, `Unknown operation ${target}`);
      } catch (e) {
        if (!(e instanceof ServiceError)) throw e;
        response = jsonError(requestId, e, CAPITALISED_MESSAGE.has(service) ? 'Message' : 'message');
      }
      return {
        response,
        call: {
          service,
          action,
          region,
          accountId,
          params: input,
          status: response.status,
          requestId,
          ...code(response),
        },
      };
    }

    const form = new URLSearchParams(body);
    for (const [key, value] of new URL(req.url ?? '/', 'http://localhost').searchParams)
      form.append(key, value);
    const params = QueryParams.fromForm(form);
    const action = params.string('Action');
    const service = scope.service === 'sts' || params.string('Version') === STS_VERSION ? 'sts' : 'ec2';
    await delay(faults.latencyFor(action ?? ''));
    const response = (service === 'sts' ? sts : ec2)(action, params, ctx);
    return {
      response,
      call: {
        service,
        action: action ?? '',
        region,
        accountId,
        params: params.toObject(),
        status: response.status,
        requestId,
        ...code(response),
      },
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let response: WireResponse;
    try {
      const result = await answer(req);
      record(result.call);
      response = result.response;
    } catch (e) {
      const requestId = randomUUID();
      const error =
        e instanceof ServiceError
          ? e
          : new ServiceError('InternalError', 500, 'An internal error has occurred');
      if (!(e instanceof ServiceError)) console.error('emulator: unexpected error', e);
      if (header(req, 'x-amz-target') !== undefined) response = jsonError(requestId, error);
      else if (credentialScope(req).service === 'sts') response = stsErrorResponse(requestId, error);
      else response = ec2ErrorResponse(requestId, error);
    }
    res.writeHead(response.status, {
      ...response.headers,
      'content-length': Buffer.byteLength(response.body),
    });
    res.end(response.body);
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new Error(`cannot listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 0}: ${e.message}`, {
          cause: e,
        }),
      ),
    );
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  let stopped: Promise<void> | undefined;

  return {
    url,
    port,
    env: {
      AWS_ENDPOINT_URL_EC2: url,
      AWS_ENDPOINT_URL_STS: url,
      AWS_ENDPOINT_URL_EVENTBRIDGE: url,
      AWS_ENDPOINT_URL_IDENTITYSTORE: url,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
      AWS_ENDPOINT_URL_SQS: url,
    },
    faults,
    sqs: sqs.controls,
    stop() {
      stopped ??= new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      });
      return stopped;
    },
    seed: (seed) => state.load(seed),
    reset() {
      state.clear();
      faults.clear();
      sqs.controls.clear();
      clock.reset();
      events = [];
      callLog = [];
      counts = new Map();
      callSeq = 0;
      attempts = [];
      attemptSeq = 0;
      invoker = options.connectHandlerInvoker;
      loadInitialSeed();
    },
    advanceTime: (ms) => clock.advance(ms),
    connections: (query) => state.connectionViews(query),
    endpoints: () => state.endpointViews(),
    callCounts: (filter = {}) => {
      const result: Record<string, CallCount> = {};
      for (const { accountId: account, ...count } of counts.values()) {
        if (filter.accountId !== undefined && account !== filter.accountId) continue;
        const key = `${count.region}:${count.action}`;
        const sum = result[key];
        result[key] = sum
          ? {
              ...sum,
              calls: sum.calls + count.calls,
              errors: sum.errors + count.errors,
              throttled: sum.throttled + count.throttled,
            }
          : { ...(filter.accountId === undefined ? {} : { accountId: account }), ...count };
      }
      return result;
    },
    calls: () => [...callLog],
    publishedEvents: () => [...events],
    connect,
    setConnectHandlerInvoker: (next) => {
      invoker = next;
    },
    connectionAttempts: () => [...attempts],
  };
};

const delay = async (ms: number): Promise<void> => {
  if (ms > 0) await sleep(ms);
};

const code = (response: WireResponse): { errorCode?: string } =>
  response.errorCode === undefined ? {} : { errorCode: response.errorCode };
