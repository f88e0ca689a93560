/** What a service handler answers; the server writes it to the socket unchanged. */
export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The error code, for the call log and counters. */
  readonly errorCode?: string;
}

/** Who signed a request: the identity of its access key (what STS GetCallerIdentity answers). */
export interface Caller {
  /** The account the request acts in: an assumed role's account, else the emulator's home account. */
  readonly accountId: string;
  /** `arn:aws:sts::<account>:assumed-role/<role name>/<session name>`. */
  readonly arn: string;
  /** `AROA…:<session name>`. */
  readonly userId: string;
}

/** One incoming call, after dispatch. */
export interface RequestContext {
  readonly region: string;
  readonly requestId: string;
  readonly caller: Caller;
}

/** An error the handler answers with; each protocol renders it in its own envelope. */
export class ServiceError extends Error {
  override name = 'ServiceError';

  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** Extra members of a JSON error body (e.g. ResourceType). */
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** A JSON 1.1 success answer. */
export const jsonResponse = (requestId: string, body: unknown): WireResponse => ({
  status: 200,
  headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId },
  body: JSON.stringify(body),
});

/**
 * A JSON 1.1 error: `{"__type": code, <messageKey>: message, ...fields}` plus the `x-amzn-errortype` header.
 * EventBridge spells the member `message`, Identity Store `Message`.
 */
export const jsonError = (
  requestId: string,
  error: ServiceError,
  messageKey: 'message' | 'Message' = 'message',
): WireResponse => ({
  status: error.status,
  headers: {
    'content-type': JSON_CONTENT_TYPE,
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': error.code,
  },
  body: JSON.stringify({ __type: error.code, [messageKey]: error.message, ...error.fields }),
  errorCode: error.code,
});
