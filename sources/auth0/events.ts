/**
 * Auth0 log events streamed to an EventBridge partner bus (Log Streams, `detail-type` `Auth0 log`). The log
 * entry is under `detail.data`, not directly under `detail`.
 *
 * Event types (this product's names → Auth0's `data.type`):
 * - `user-deleted` → `sdu` ("User successfully deleted").
 * - `brute-force-blocked` → `limit_wc` (account blocked for an IP after too many failed logins).
 * - `user-blocked` → `sapi` `PATCH /api/v2/users/{id}` with `details.request.body.blocked` `true` (the
 *   Dashboard's "Block" makes the same call).
 * - `user-deleted-by-api` → `sapi` `DELETE /api/v2/users/{id}`.
 * For `sapi`, the user is `{id}` from `details.request.path`, URL-decoded (`auth0%7C…` → `auth0|…`);
 * `data.user_id` is the admin who called the API and is never read. Paths below a user
 * (`/api/v2/users/{id}/roles`, …) are rejected.
 *
 * Re-enable types (lift requests, for stacks with a revocation ledger; never matched by the revoke rule):
 * - `user-unblocked` → `sapi` `PATCH /api/v2/users/{id}` with `details.request.body.blocked` `false`.
 * - `brute-force-unblocked` → `ublkdu` (brute-force block released), only when `brute-force-blocked` revokes:
 *   the release can be self-service (the link in Auth0's notification email, or a password reset), so it must
 *   not lift a revocation that an administrator caused. Which user `ublkdu` names is unverified; it is read
 *   like `limit_wc`.
 *
 * What is read, per `identityMapping.field`:
 * | field | `sdu`, `limit_wc`, `ublkdu` | `sapi` block, unblock | `sapi` delete |
 * |---|---|---|---|
 * | `user_name` (default) | `data.user_name` | `details.response.body.email`, else `.username` | rejected: only the id exists |
 * | `user_id` | `data.user_id` | `{id}` from the path | `{id}` from the path |
 * | `email` | `data.user_name` if it contains `@` | `details.response.body.email` | rejected |
 * Auth0 logs no separate email for `sdu`/`limit_wc`; `user_name` is the email for database connections.
 */
import * as z from 'zod';
import type { EventBridgeEnvelope } from '../../lambda/core/envelope.ts';
import { InvalidEventError } from '../../lambda/core/errors.ts';
import type { EventPattern } from '../../lambda/core/event-pattern.ts';
import { identitySchema } from '../../lambda/core/identity.ts';
import type { RequestAction } from '../../lambda/core/request.ts';
import { type LiftableIdentitySource, type SourceOptions, sourceRequest } from '../identity-source.ts';
import { parseDetail } from '../parse-detail.ts';

/** What can happen to an Auth0 user after which they must lose VPN access (see the header for the mapping). */
export const AUTH0_LOST_ACCESS_EVENT_TYPES = [
  'user-deleted',
  'user-blocked',
  'user-deleted-by-api',
  'brute-force-blocked',
] as const;
export type Auth0LostAccessEventType = (typeof AUTH0_LOST_ACCESS_EVENT_TYPES)[number];

/** `sapi` PATCH with `blocked: false`, and `ublkdu` (brute-force block released). */
export const AUTH0_REENABLE_EVENT_TYPES = ['user-unblocked', 'brute-force-unblocked'] as const;
export type Auth0ReenableEventType = (typeof AUTH0_REENABLE_EVENT_TYPES)[number];
type Auth0EventType = Auth0LostAccessEventType | Auth0ReenableEventType;

/** The re-enable types that lift a revocation, given the lost-access types that revoke (see the header). */
export function auth0LiftEventTypes(
  eventTypes: readonly Auth0LostAccessEventType[],
): Auth0ReenableEventType[] {
  return AUTH0_REENABLE_EVENT_TYPES.filter(
    (type) => type !== 'brute-force-unblocked' || eventTypes.includes('brute-force-blocked'),
  );
}

export const AUTH0_IDENTITY_FIELDS = ['user_name', 'user_id', 'email'] as const;
export type Auth0IdentityField = (typeof AUTH0_IDENTITY_FIELDS)[number];

export interface Auth0Options extends SourceOptions {
  /** Partner event source names, `aws.partner/auth0.com/<tenant>-<uuid>/auth0.logs` (also the bus names). */
  readonly eventSourceNames: readonly string[];
  readonly eventTypes: readonly Auth0LostAccessEventType[];
}

export const AUTH0_DETAIL_TYPE = 'Auth0 log';

const USERS_PATH = '/api/v2/users/';
const REQUEST_PATH = 'detail.data.details.request.path';
/** One user, not a sub-resource: `/api/v2/users/{id}` and nothing after the id. */
const USER_PATH = /^\/api\/v2\/users\/([^/?#]+)$/;

/** `data.type` values that are an event type on their own. */
const LOG_TYPES: ReadonlyMap<string, Auth0EventType> = new Map([
  ['sdu', 'user-deleted'],
  ['limit_wc', 'brute-force-blocked'],
  ['ublkdu', 'brute-force-unblocked'],
] as const);

interface UserCall {
  readonly method: string;
  readonly body?: EventPattern;
}

/** The Management API calls on `/api/v2/users/{id}` that are an event type, as pattern parts. */
const USER_CALLS: ReadonlyMap<Auth0EventType, UserCall> = new Map<Auth0EventType, UserCall>([
  ['user-deleted-by-api', { method: 'delete' }],
  ['user-blocked', { method: 'patch', body: { blocked: [true] } }],
  ['user-unblocked', { method: 'patch', body: { blocked: [false] } }],
]);

const includes = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

const logEntrySchema = z
  .object({
    type: z.string({ error: 'expected a string' }),
    date: z.iso.datetime({ offset: true }),
    description: z.string().nullish(),
  })
  .loose();

const auth0DetailSchema = z.object({ log_id: z.string().min(1), data: logEntrySchema });
type LogEntry = z.infer<typeof logEntrySchema>;

const sapiRequestSchema = z
  .object({
    method: z.string({ error: 'expected a string' }),
    path: z.string({ error: 'expected a string' }),
    body: z.object({ blocked: z.unknown() }).partial().loose().nullish(),
  })
  .loose();

interface Classified {
  readonly type: Auth0EventType;
  /** Auth0's own name for the event: `data.type`, or `sapi:<METHOD>` plus what it did. */
  readonly eventType: string;
  /** The URL-decoded `{id}` of a `sapi` call on `/api/v2/users/{id}`. */
  readonly targetUserId?: string;
}

/** The event type of a log entry; throws `InvalidEventError` naming the field when it is none of ours. */
function classify(data: LogEntry): Classified {
  const type = LOG_TYPES.get(data.type);
  if (type) return { type, eventType: data.type };
  if (data.type !== 'sapi') {
    throw parseDetail.error('detail.data.type', `expected sdu, limit_wc, ublkdu or sapi, got "${data.type}"`);
  }
  const details = z.object({ request: z.unknown() }).loose().safeParse(data.details);
  const request = parseDetail(sapiRequestSchema, details.data?.request, 'detail.data.details.request');
  const method = request.method.toUpperCase();
  const match = USER_PATH.exec(request.path);
  if (!match?.[1]) {
    throw parseDetail.error(
      REQUEST_PATH,
      `expected ${USERS_PATH}{id} (a user, not a sub-resource), got "${request.path}"`,
    );
  }
  const targetUserId = decodePathSegment(match[1]);
  if (method === 'DELETE') return { type: 'user-deleted-by-api', eventType: 'sapi:DELETE', targetUserId };
  const blocked = request.body?.blocked;
  if (method === 'PATCH' && typeof blocked === 'boolean') {
    return blocked
      ? { type: 'user-blocked', eventType: 'sapi:PATCH blocked', targetUserId }
      : { type: 'user-unblocked', eventType: 'sapi:PATCH unblocked', targetUserId };
  }
  throw parseDetail.error(
    'detail.data.details.request',
    `expected DELETE, or PATCH with body.blocked true or false, got ${method}`,
  );
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch (error) {
    throw new InvalidEventError('expected a URL-encoded user id', REQUEST_PATH, { cause: error });
  }
}

/** Whether an Auth0 log event (`detail`) takes access away, gives it back, or is neither. */
export function classifyAuth0Event(detail: unknown): 'lost-access' | 're-enabled' | undefined {
  const parsed = z.object({ data: logEntrySchema }).safeParse(detail);
  if (!parsed.success) return undefined;
  try {
    const { type } = classify(parsed.data.data);
    return includes(AUTH0_LOST_ACCESS_EVENT_TYPES, type) ? 'lost-access' : 're-enabled';
  } catch (error) {
    if (error instanceof InvalidEventError) return undefined;
    throw error;
  }
}

function identityField(options: Auth0Options): Auth0IdentityField {
  const field = options.identityMapping?.field ?? 'user_name';
  if (!includes(AUTH0_IDENTITY_FIELDS, field)) {
    throw parseDetail.error(
      'identityMapping.field',
      `expected one of ${AUTH0_IDENTITY_FIELDS.join(', ')} for Auth0, got "${field}"`,
    );
  }
  return field;
}

const responseBodySchema = z.object({ email: z.unknown(), username: z.unknown() }).partial().loose();
const RESPONSE_BODY = 'detail.data.details.response.body';

/** The Management API response body's `email` and `username`, whichever are present. */
function responseBody(data: LogEntry): z.infer<typeof responseBodySchema> {
  const details = z
    .object({ response: z.object({ body: z.unknown() }).loose() })
    .loose()
    .safeParse(data.details);
  return responseBodySchema.safeParse(details.data?.response.body).data ?? {};
}

/** The user's name in the response of a block or unblock call: its email, else (for `user_name`) its username. */
function patchedUserName(data: LogEntry, field: 'user_name' | 'email'): string {
  const body = responseBody(data);
  if (body.email !== undefined && body.email !== null) {
    return parseDetail(identitySchema, body.email, `${RESPONSE_BODY}.email`);
  }
  if (field === 'user_name' && body.username !== undefined && body.username !== null) {
    return parseDetail(identitySchema, body.username, `${RESPONSE_BODY}.username`);
  }
  throw parseDetail.error(
    `${RESPONSE_BODY}.email`,
    `expected the user's email${field === 'user_name' ? ' or username' : ''} in the API response; ` +
      'set identityMapping.field to "user_id" to name users by Auth0 user id',
  );
}

function readIdentity(data: LogEntry, classified: Classified, field: Auth0IdentityField): string {
  const { targetUserId } = classified;
  if (targetUserId !== undefined) {
    if (field === 'user_id') return parseDetail(identitySchema, targetUserId, REQUEST_PATH);
    if (classified.type === 'user-deleted-by-api') {
      throw parseDetail.error(
        'identityMapping.field',
        `a Management API delete names the user only by id ("${targetUserId}"), so "${field}" cannot be read; ` +
          'set identityMapping.field to "user_id", or rely on the sdu (user-deleted) event',
      );
    }
    return patchedUserName(data, field);
  }
  const key = field === 'user_id' ? 'user_id' : 'user_name';
  const value = parseDetail(z.object({ [key]: z.unknown() }).loose(), data, 'detail.data')[key];
  const identity = parseDetail(identitySchema, value, `detail.data.${key}`);
  if (field === 'email' && !identity.includes('@')) {
    throw parseDetail.error(
      'detail.data.user_name',
      `expected an email address for field "email", got "${identity}"`,
    );
  }
  return identity;
}

/**
 * The user's names the entry gives beside the identity (login or e-mail, never the Auth0 user id): for a
 * Management API call the response's email and username; otherwise `data.user_name`.
 */
function otherNames(data: LogEntry, classified: Classified): unknown[] {
  if (classified.targetUserId === undefined) return [data.user_name];
  const body = responseBody(data);
  return [body.email, body.username];
}

/**
 * Exact `source` list and `detail-type`; under `detail.data` one branch per selected kind (`$or` when there
 * are several). EventBridge cannot exclude sub-resources of `/api/v2/users/` while requiring the prefix, so
 * the normaliser rejects those.
 */
function patternFor(eventSourceNames: readonly string[], types: readonly Auth0EventType[]): EventPattern {
  const logTypes = [...LOG_TYPES].filter(([, type]) => types.includes(type)).map(([logType]) => logType);
  const branches: EventPattern[] = logTypes.length > 0 ? [{ type: logTypes }] : [];
  for (const [type, { method, body }] of USER_CALLS) {
    if (!types.includes(type)) continue;
    branches.push({
      type: ['sapi'],
      details: {
        request: {
          method: [{ 'equals-ignore-case': method }],
          path: [{ prefix: USERS_PATH }],
          ...(body && { body }),
        },
      },
    });
  }
  const [first, second, ...others] = branches;
  return {
    source: [...eventSourceNames],
    'detail-type': [AUTH0_DETAIL_TYPE],
    detail: { data: first && second ? { $or: [first, second, ...others] } : (first ?? { type: [] }) },
  };
}

/** The request for an event of one of the `allowed` types (the types the rule of `action` matches). */
function auth0Request<Action extends RequestAction>(
  action: Action,
  event: EventBridgeEnvelope,
  options: Auth0Options,
  allowed: readonly Auth0EventType[],
) {
  const field = identityField(options);
  const { data } = parseDetail(auth0DetailSchema, event.detail);
  const classified = classify(data);
  if (!allowed.includes(classified.type)) {
    throw parseDetail.error(
      'detail.data.type',
      `${classified.eventType} is a ${classified.type} event; expected one of ${allowed.join(', ')}`,
    );
  }
  return sourceRequest(action, event, {
    eventType: classified.eventType,
    eventTime: data.date,
    identity: readIdentity(data, classified, field),
    aliases: otherNames(data, classified),
    reason: `Auth0 ${classified.eventType}${data.description ? `: ${data.description}` : ''}`,
  });
}

export const auth0: LiftableIdentitySource<Auth0Options> = {
  name: 'auth0',

  eventPattern: ({ eventSourceNames, eventTypes }) => patternFor(eventSourceNames, eventTypes),

  toRequest: (event, options) => auth0Request('revoke', event, options, options.eventTypes),

  liftEventPattern: ({ eventSourceNames, eventTypes }) =>
    patternFor(eventSourceNames, auth0LiftEventTypes(eventTypes)),

  toLiftRequest: (event, options) =>
    auth0Request('lift', event, options, auth0LiftEventTypes(options.eventTypes)),
};
