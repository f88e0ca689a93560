/** An inbound event that can never become a revocation request: rejected, never retried. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  constructor(
    message: string,
    readonly field?: string,
    options?: ErrorOptions,
  ) {
    super(field ? `${field}: ${message}` : message, options);
  }
}

/**
 * A disable or delete names its user only by an id that neither the identity provider nor the user directory
 * can turn into a name: the request fails (never rejected), is retried and then dead-lettered, and alarms.
 */
export class IdentityUnresolvedError extends Error {
  override readonly name = 'IdentityUnresolvedError';
}

/** The Lambda's environment is wrong: fails the cold start with a message naming the variable. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** An EC2 call failed; `code` is the EC2 error code, `retryable` whether a later attempt may succeed. */
export class ClientVpnApiError extends Error {
  override readonly name = 'ClientVpnApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
