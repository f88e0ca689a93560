import * as z from 'zod';
import type { DecisionReason } from '../../contracts/metrics.ts';
import { type LedgerEntry, LedgerUnavailableError, type RevocationLedger } from '../core/ledger.ts';
import type { IdentityForLogs } from '../core/log-identity.ts';
import type { ProtectedIdentities } from '../core/protected-identities.ts';

/** Client VPN's limit on `error-msg-on-denied-connection` (and every response string). */
export const MAX_DENIED_MESSAGE_LENGTH = 255;
export const DEFAULT_DENIED_MESSAGE =
  'Your VPN access has been revoked. Contact your IT or security team if you think this is a mistake.';
/** Shown when the ledger could not be read and the handler is configured to deny: not a revocation. */
export const LEDGER_UNAVAILABLE_MESSAGE =
  'Your VPN access could not be checked right now. Try again in a few minutes, or contact your IT team ' +
  'if this continues.';
export const INVALID_REQUEST_MESSAGE =
  'This VPN connection request could not be checked. Contact your IT team if this continues.';
/** How long the ledger has to answer: far under Client VPN's fixed 30 s, after which it denies anyway. */
export const DEFAULT_LOOKUP_TIMEOUT_MS = 5_000;
/** Longest username or common name considered (the ledger holds identities of at most 256 characters). */
const MAX_IDENTITY_LENGTH = 256;

/** Log level of each decision: denials stand out, a failing ledger is an error. */
export const DECISION_LOG_LEVELS: Readonly<Record<DecisionReason, 'info' | 'warn' | 'error'>> = {
  protected: 'info',
  'not-revoked': 'info',
  revoked: 'warn',
  'ledger-unavailable-denied': 'error',
  'ledger-unavailable-allowed': 'error',
  'invalid-request': 'warn',
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting them is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** A username or common name as Client VPN sends it: empty when the authentication type has none. */
const requestIdentity = z
  .string({ error: 'expected a string' })
  .max(MAX_IDENTITY_LENGTH, `expected at most ${MAX_IDENTITY_LENGTH} characters`)
  .refine((value) => !CONTROL_CHARACTERS.test(value), 'expected no control characters');

/**
 * The client connect request (schema v2). Only the identities decide, so only they are required; the other
 * fields are checked when present. Unknown fields are kept: a newer schema version adding fields still works.
 */
export const clientConnectRequestSchema = z
  .looseObject({
    'connection-id': z.string().optional(),
    'endpoint-id': z.string().optional(),
    'common-name': requestIdentity,
    username: requestIdentity,
    platform: z.string().optional(),
    'platform-version': z.string().optional(),
    'public-ip': z.string().optional(),
    'client-openvpn-version': z.string().optional(),
    groups: z.array(z.string()).optional(),
    'schema-version': z.string().optional(),
  })
  .refine((request) => request.username !== '' || request['common-name'] !== '', {
    message: 'expected a username or a common name',
    path: ['username'],
  });
export type ClientConnectRequest = z.infer<typeof clientConnectRequestSchema>;

/** The v2 response; every field is required by Client VPN. */
export interface ClientConnectResponse {
  readonly allow: boolean;
  readonly 'error-msg-on-denied-connection': string;
  readonly 'posture-compliance-statuses': readonly string[];
  readonly 'schema-version': 'v2';
}

export interface ConnectDecision {
  readonly reason: DecisionReason;
  readonly response: ClientConnectResponse;
  /** What the request says (identities only when the request is valid). */
  readonly connectionId?: string;
  readonly endpointId?: string;
  readonly username?: string;
  readonly commonName?: string;
  /** The ledger records that deny the connection. */
  readonly revoked: readonly LedgerEntry[];
  /** Why the request is invalid or the ledger unavailable. */
  readonly problem?: string;
}

export interface DecideDependencies {
  readonly protectedIdentities: ProtectedIdentities;
  /** The ledger's single, strongly consistent lookup. */
  readonly findRevoked: RevocationLedger['findRevoked'];
  /** What to do when the ledger fails or does not answer in time: deny (fail closed) or allow. */
  readonly onLedgerUnavailable: 'deny' | 'allow';
  /** What a revoked person sees (at most 255 characters). */
  readonly deniedMessage?: string;
  readonly lookupTimeoutMs?: number;
}

const respond = (allow: boolean, message = ''): ClientConnectResponse => ({
  allow,
  'error-msg-on-denied-connection': allow ? '' : message,
  'posture-compliance-statuses': [],
  'schema-version': 'v2',
});

/**
 * Decides one connection attempt: the presented names (username and common name) that are not on the
 * break-glass list are looked up together, and the attempt is denied when any of them is revoked — a
 * protected name never shields a revoked one, so a revoked username with a protected certificate is denied.
 * When every presented name is protected no lookup is made. Never throws: a malformed request is denied, a
 * failing or slow ledger is handled as configured.
 */
export function decideConnection(deps: DecideDependencies): (request: unknown) => Promise<ConnectDecision> {
  const deniedMessage = deps.deniedMessage ?? DEFAULT_DENIED_MESSAGE;
  const timeoutMs = deps.lookupTimeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS;
  return async (input) => {
    const parsed = clientConnectRequestSchema.safeParse(input);
    if (!parsed.success) {
      return {
        reason: 'invalid-request',
        response: respond(false, INVALID_REQUEST_MESSAGE),
        ...readableIds(input),
        revoked: [],
        problem: parsed.error.issues
          .map((issue) => `${issue.path.join('.') || '(request)'}: ${issue.message}`)
          .join('; '),
      };
    }
    const request = parsed.data;
    const about = {
      ...readableIds(request),
      username: request.username,
      commonName: request['common-name'],
    };
    const presented = [request.username, request['common-name']].filter((name) => name !== '');
    const unprotected = presented.filter((name) => !deps.protectedIdentities.has(name));
    const allowed: DecisionReason = unprotected.length < presented.length ? 'protected' : 'not-revoked';
    if (unprotected.length === 0) {
      return { reason: allowed, response: respond(true), ...about, revoked: [] };
    }
    try {
      const revoked = await withDeadline(deps.findRevoked(unprotected), timeoutMs);
      return revoked.length > 0
        ? { reason: 'revoked', response: respond(false, deniedMessage), ...about, revoked }
        : { reason: allowed, response: respond(true), ...about, revoked: [] };
    } catch (error) {
      const problem = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      // Break-glass must work when the ledger does not: a protected name gets in even then.
      if (allowed === 'protected') {
        return { reason: 'protected', response: respond(true), ...about, revoked: [], problem };
      }
      return deps.onLedgerUnavailable === 'allow'
        ? { reason: 'ledger-unavailable-allowed', response: respond(true), ...about, revoked: [], problem }
        : {
            reason: 'ledger-unavailable-denied',
            response: respond(false, LEDGER_UNAVAILABLE_MESSAGE),
            ...about,
            revoked: [],
            problem,
          };
    }
  };
}

/** The decision as log attributes, identities through `forLogs` (hashed when a key is configured). */
export function decisionForLogs(
  decision: ConnectDecision,
  forLogs: IdentityForLogs,
): Record<string, unknown> {
  return {
    decision: decision.reason,
    allow: decision.response.allow,
    connectionId: decision.connectionId,
    endpointId: decision.endpointId,
    username: forLogs(decision.username),
    commonName: forLogs(decision.commonName),
    // The requesting event of each record, not its free-text reason (which may name people).
    revokedBy: decision.revoked.map((entry) => ({
      identity: forLogs(entry.identity),
      requestId: entry.requestId,
      source: entry.source,
      eventTime: entry.eventTime,
    })),
    ...(decision.problem !== undefined && { problem: decision.problem }),
  };
}

/** Connection and endpoint ids, when the input has them as strings (they are logged even for a bad request). */
function readableIds(input: unknown): { connectionId?: string; endpointId?: string } {
  if (typeof input !== 'object' || input === null) return {};
  const { 'connection-id': connectionId, 'endpoint-id': endpointId } = input as Record<string, unknown>;
  const safe = (value: unknown) =>
    typeof value === 'string' && value.length <= MAX_IDENTITY_LENGTH && !CONTROL_CHARACTERS.test(value)
      ? value
      : undefined;
  const id = { connectionId: safe(connectionId), endpointId: safe(endpointId) };
  return {
    ...(id.connectionId !== undefined && { connectionId: id.connectionId }),
    ...(id.endpointId !== undefined && { endpointId: id.endpointId }),
  };
}

/** The lookup's answer, or a LedgerUnavailableError once `ms` have passed (the lookup is left to finish). */
async function withDeadline<T>(lookup: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new LedgerUnavailableError(`the ledger did not answer within ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([lookup, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
