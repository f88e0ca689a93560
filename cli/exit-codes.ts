/** What the process exit code tells a script or SOAR playbook (documented in docs/cli.md and `--help`). */
export const EXIT = {
  /** Revoked, nothing to revoke, dry run complete, sessions listed, event accepted. */
  done: 0,
  /** A bug: the message says what went wrong. */
  unexpected: 1,
  /** Unknown option, missing identity, malformed value; nothing was called or changed. */
  badInput: 2,
  /** Some sessions could not be ended, or some endpoints or regions could not be read. */
  partial: 3,
  /** Nothing could be ended or read, or EventBridge refused the event. */
  failed: 4,
  /** No AWS credentials or no region. */
  noAwsSetup: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A run that only reads (sessions, a dry run): done, partial when some endpoints were unreadable, else failed. */
export const readExitCode = (summary: {
  readonly endpointsScanned: number;
  readonly endpointsUnreachable: number;
}): ExitCode =>
  summary.endpointsUnreachable === 0 ? EXIT.done : summary.endpointsScanned > 0 ? EXIT.partial : EXIT.failed;

/** The command line is wrong: exit 2 before any AWS call, with a message naming the option. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Credentials or region cannot be found: exit 5 with how to provide them. */
export class AwsSetupError extends Error {
  override readonly name = 'AwsSetupError';
}
