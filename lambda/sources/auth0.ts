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
 * What is read, per `identityMapping.field`:
 * | field | `sdu`, `limit_wc` | `sapi` block | `sapi` delete |
 * |---|---|---|---|
 * | `user_name` (default) | `data.user_name` | `details.response.body.email`, else `.username` | rejected: only the id exists |
 * | `user_id` | `data.user_id` | `{id}` from the path | `{id}` from the path |
 * | `email` | `data.user_name` if it contains `@` | `details.response.body.email` | rejected |
 * Auth0 logs no separate email for `sdu`/`limit_wc`; `user_name` is the email for database connections.
 *
 * Re-enable events (`sapi` PATCH with `blocked` `false`, `ublkdu`) are never matched by the rule;
 * {@link classifyAuth0Event} tells them apart for an undo path.
 */
import { z } from 'zod';
import type { EventBridgeEnvelope } from '../core/envelope.ts';
import { InvalidEventError } from '../core/errors.ts';
import type { EventPattern } from '../core/event-pattern.ts';
import { identitySchema } from '../core/identity.ts';
import type { IdentitySource, SourceOptions } from './identity-source.ts';
import { parseDetail } from './parse-detail.ts';

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
const LOG_TYPES: ReadonlyMap<string, Auth0LostAccessEventType | Auth0ReenableEventType> = new Map([
  ['sdu', 'user-deleted'],
  ['limit_wc', 'brute-force-blocked'],
  ['ublkdu', 'brute-force-unblocked'],
] as const);

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
  readonly type: Auth0LostAccessEventType | Auth0ReenableEventType;
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

/** The user's name in the response of a block call: its email, else (for `user_name`) its username. */
function blockedUserName(data: LogEntry, field: 'user_name' | 'email'): string {
  const details = z
    .object({ response: z.object({ body: z.unknown() }).loose() })
    .loose()
    .safeParse(data.details);
  const body = responseBodySchema.safeParse(details.data?.response.body).data ?? {};
  if (body.email !== undefined && body.email !== null) {
    return parseDetail(identitySchema, body.email, `${RESPONSE_BODY}.email`);
  }
  if (field === 'user_name' && body.username !== undefined && body.username !== null) {
    return parseDetail(identitySchema, body.username, `${RESPONSE_BODY}.username`);
  }
  throw parseDetail.error(
    `${RESPONSE_BODY}.email`,
    `expected the blocked user's email${field === 'user_name' ? ' or username' : ''} in the API response; ` +
      'set identityMapping.field to "user_id" to revoke by Auth0 user id',
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
    return blockedUserName(data, field);
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

export const auth0: IdentitySource<Auth0Options> = {
  name: 'auth0',

  /**
   * Exact `source` list and `detail-type`; under `detail.data` one branch per selected kind (`$or` when
   * there are several). EventBridge cannot exclude sub-resources of `/api/v2/users/` while requiring the
   * prefix, so the normaliser rejects those.
   */
  eventPattern: ({ eventSourceNames, eventTypes }) => {
    const selected = AUTH0_LOST_ACCESS_EVENT_TYPES.filter((type) => eventTypes.includes(type));
    const logTypes = [...LOG_TYPES]
      .filter(([, type]) => includes(selected, type))
      .map(([logType]) => logType);
    const userCall = (method: string, body?: EventPattern): EventPattern => ({
      type: ['sapi'],
      details: {
        request: {
          method: [{ 'equals-ignore-case': method }],
          path: [{ prefix: USERS_PATH }],
          ...(body && { body }),
        },
      },
    });
    const branches: EventPattern[] = [];
    if (logTypes.length > 0) branches.push({ type: logTypes });
    if (selected.includes('user-deleted-by-api')) branches.push(userCall('delete'));
    if (selected.includes('user-blocked')) branches.push(userCall('patch', { blocked: [true] }));
    const [first, second, ...others] = branches;
    return {
      source: [...eventSourceNames],
      'detail-type': [AUTH0_DETAIL_TYPE],
      detail: { data: first && second ? { $or: [first, second, ...others] } : (first ?? { type: [] }) },
    };
  },

  toRequest(event: EventBridgeEnvelope, options: Auth0Options) {
    const field = identityField(options);
    const { data } = parseDetail(auth0DetailSchema, event.detail);
    const classified = classify(data);
    if (!includes(options.eventTypes, classified.type)) {
      throw parseDetail.error(
        'detail.data.type',
        `${classified.eventType} is a ${classified.type} event; expected one of ${options.eventTypes.join(', ')}`,
      );
    }
    const identity = readIdentity(data, classified, field);
    return {
      requestId: event.id,
      trigger: {
        source: event.source,
        detailType: event['detail-type'],
        eventType: classified.eventType,
        eventTime: data.date,
      },
      identity,
      reason: `Auth0 ${classified.eventType}${data.description ? `: ${data.description}` : ''}`,
      dryRun: false,
    };
  },
};
