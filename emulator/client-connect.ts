/**
 * The Client VPN client connect handler (reference §7): which Lambda ARNs an endpoint accepts, the v2 request
 * Client VPN sends, and how it judges the answer. Fail-closed: an invoker that throws, times out or answers
 * something invalid denies the connection with the generic client message.
 */

/** What the AWS VPN Client shows when the handler fails (not when it denies). */
export const CONNECT_HANDLER_FAILED_MESSAGE =
  'Error establishing connection. Please contact your administrator.';
/** Client VPN's fixed handler timeout. */
export const CONNECT_HANDLER_TIMEOUT_MS = 30_000;
/** The function name must start with this. */
export const CONNECT_HANDLER_NAME_PREFIX = 'AWSClientVPN-';

/** The v2 request a client connect handler receives. */
export interface ConnectHandlerRequest {
  readonly 'connection-id': string;
  readonly 'endpoint-id': string;
  readonly 'common-name': string;
  readonly username: string;
  readonly platform: string;
  readonly 'platform-version': string;
  readonly 'public-ip': string;
  readonly 'client-openvpn-version': string;
  readonly groups: readonly string[];
  readonly 'schema-version': 'v2';
}

/** A valid v2 handler response. */
export interface ConnectHandlerResponse {
  readonly allow: boolean;
  readonly 'error-msg-on-denied-connection': string;
  readonly 'posture-compliance-statuses': readonly string[];
  readonly 'schema-version': 'v2';
}

/**
 * Calls the handler function, as Client VPN's synchronous Lambda invoke would, and returns its decoded
 * response payload (validated by the emulator). Throwing counts as a function error.
 */
export type ConnectHandlerInvoker = (functionArn: string, request: ConnectHandlerRequest) => unknown;

/** `connection-attempt-failure-reason` values of the Client VPN connection log, plus the emulator's own one. */
export type ConnectFailureReason =
  /** The handler answered `allow: false`. */
  | 'client-connect-failed'
  | 'client-connect-handler-timed-out'
  /** The invoker threw (the function raised an error). */
  | 'client-connect-handler-other-execution-error'
  | 'client-connect-handler-invalid-response'
  /** The handler is enabled but the host registered no invoker (the function cannot be called). */
  | 'client-connect-handler-service-error'
  /** Emulator only: the endpoint is not `available` (or was removed while the handler ran). */
  | 'endpoint-not-available';

const LAMBDA_ARN =
  /^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]{1,64})(?::(\$LATEST|\d+|[A-Za-z0-9_-]{1,128}))?$/;

/**
 * Why `arn` cannot be the handler of an endpoint in `region` of `accountId`, or undefined when it can.
 * Rules (§7): a Lambda function ARN (optionally with a version or alias), name starting `AWSClientVPN-`,
 * same Region and account as the endpoint. The wording is the emulator's; real messages are not captured.
 */
export const functionArnProblem = (arn: string, region: string, accountId: string): string | undefined => {
  const match = LAMBDA_ARN.exec(arn);
  if (!match) return 'it is not a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)';
  const [, , arnRegion, arnAccount, name = ''] = match;
  if (!name.startsWith(CONNECT_HANDLER_NAME_PREFIX))
    return `the function name '${name}' must start with '${CONNECT_HANDLER_NAME_PREFIX}'`;
  if (arnRegion !== region)
    return `the function is in ${arnRegion}, but it must be in the endpoint's Region ${region}`;
  if (arnAccount !== accountId)
    return `the function belongs to account ${arnAccount}, but it must belong to the endpoint's account ${accountId}`;
  return undefined;
};

const MAX_TEXT = 255;
const MAX_POSTURE_STATUSES = 10;

/** The problem with a handler's response, or undefined when it is a valid v2 response. */
export const responseProblem = (response: unknown): string | undefined => {
  if (typeof response !== 'object' || response === null || Array.isArray(response))
    return 'the response is not a JSON object';
  const r = response as Record<string, unknown>;
  if (typeof r.allow !== 'boolean') return "'allow' must be a boolean";
  const message = r['error-msg-on-denied-connection'];
  if (typeof message !== 'string') return "'error-msg-on-denied-connection' must be a string";
  if (message.length > MAX_TEXT)
    return `'error-msg-on-denied-connection' has ${message.length} characters (at most ${MAX_TEXT})`;
  const statuses = r['posture-compliance-statuses'];
  if (!Array.isArray(statuses) || !statuses.every((s) => typeof s === 'string'))
    return "'posture-compliance-statuses' must be a list of strings";
  if (statuses.length > MAX_POSTURE_STATUSES)
    return `'posture-compliance-statuses' has ${statuses.length} entries (at most ${MAX_POSTURE_STATUSES})`;
  if (statuses.some((s: string) => s.length > MAX_TEXT))
    return `a posture compliance status is longer than ${MAX_TEXT} characters`;
  if (r['schema-version'] !== 'v2') return `'schema-version' must be "v2"`;
  return undefined;
};

/** How one handler invocation ended. */
export type InvocationOutcome =
  | { readonly kind: 'response'; readonly response: unknown }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'timeout' };

/** Runs the invoker with a wall-clock timeout; a late answer or rejection is dropped. */
export const invokeWithTimeout = async (
  invoker: ConnectHandlerInvoker,
  functionArn: string,
  request: ConnectHandlerRequest,
  timeoutMs: number,
): Promise<InvocationOutcome> => {
  let timer: NodeJS.Timeout | undefined;
  const call = (async (): Promise<InvocationOutcome> => {
    try {
      return { kind: 'response', response: await invoker(functionArn, request) };
    } catch (error) {
      return { kind: 'error', error };
    }
  })();
  const timeout = new Promise<InvocationOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
  });
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
};
