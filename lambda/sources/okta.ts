/**
 * Okta System Log events streamed to an EventBridge partner bus (Log Streaming, `detail-type` `SystemLog`).
 *
 * What is read, per event type (`identityMapping.field`: `alternateId` by default, or `id`):
 * - `user.lifecycle.deactivate`, `.suspend`, `.delete.initiated`, `user.session.clear` (outcome `SUCCESS`):
 *   the `target[]` entry with `type` `User` — `alternateId` is the Okta login (email-shaped, not necessarily
 *   the email attribute), `id` the Okta user id (`00u…`). `actor` is the admin and is never read.
 * - `user.account.lock` (outcome `FAILURE`, reason `LOCKED_OUT`; `target` is null): the locked user is
 *   `actor` (which must have `type` `User`), read the same way.
 * Client VPN sees the SAML NameID, which is the Okta login only while the VPN app keeps Okta's default
 * "Application username"; otherwise map it with `identityMapping`.
 */
import { z } from 'zod';
import type { EventBridgeEnvelope } from '../core/envelope.ts';
import type { EventPattern } from '../core/event-pattern.ts';
import { identitySchema } from '../core/identity.ts';
import type { IdentitySource, SourceOptions } from './identity-source.ts';
import { parseDetail } from './parse-detail.ts';

/** Okta System Log event types after which a user must lose VPN access. */
export const OKTA_LOST_ACCESS_EVENT_TYPES = [
  'user.lifecycle.deactivate',
  'user.lifecycle.suspend',
  'user.lifecycle.delete.initiated',
  'user.session.clear',
  'user.account.lock',
] as const;
export type OktaLostAccessEventType = (typeof OKTA_LOST_ACCESS_EVENT_TYPES)[number];

/**
 * The types enabled unless others are chosen: every administrator action. `user.account.lock` is opt-in,
 * because anyone who knows a login can lock the account with failed sign-ins and would thereby cut a
 * colleague off the VPN.
 */
export const OKTA_DEFAULT_EVENT_TYPES: readonly OktaLostAccessEventType[] =
  OKTA_LOST_ACCESS_EVENT_TYPES.filter((type) => type !== 'user.account.lock');

/** Okta System Log event types that give a user access back (for an undo path; never matched by the rule). */
export const OKTA_REENABLE_EVENT_TYPES = [
  'user.lifecycle.activate',
  'user.lifecycle.reactivate',
  'user.lifecycle.unsuspend',
  'user.account.unlock',
] as const;
export type OktaReenableEventType = (typeof OKTA_REENABLE_EVENT_TYPES)[number];

/** Which field of the user's entry becomes the identity: the login (default) or the Okta user id. */
export const OKTA_IDENTITY_FIELDS = ['alternateId', 'id'] as const;
export type OktaIdentityField = (typeof OKTA_IDENTITY_FIELDS)[number];

export interface OktaOptions extends SourceOptions {
  /** Partner event source names, `aws.partner/okta.com/<org>/<name>` (also the partner bus names). */
  readonly eventSourceNames: readonly string[];
  readonly eventTypes: readonly OktaLostAccessEventType[];
}

export const OKTA_DETAIL_TYPE = 'SystemLog';

/** The one lost-access type whose user is the `actor` and whose outcome is `FAILURE`. */
const LOCK: OktaLostAccessEventType = 'user.account.lock';

const includes = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

export function classifyOktaEvent(eventType: string): 'lost-access' | 're-enabled' | undefined {
  if (includes(OKTA_LOST_ACCESS_EVENT_TYPES, eventType)) return 'lost-access';
  if (includes(OKTA_REENABLE_EVENT_TYPES, eventType)) return 're-enabled';
  return undefined;
}

const userEntrySchema = z.object({ type: z.string() }).loose();

const oktaLogEventSchema = z.object({
  uuid: z.string().min(1),
  eventType: z.string(),
  published: z.iso.datetime({ offset: true }),
  displayMessage: z.string().nullish(),
  actor: userEntrySchema.nullish(),
  target: z.array(userEntrySchema, { error: 'expected an array of targets' }).nullable(),
});
type OktaLogEvent = z.infer<typeof oktaLogEventSchema>;

function identityField(options: OktaOptions): OktaIdentityField {
  const field = options.identityMapping?.field ?? 'alternateId';
  if (!includes(OKTA_IDENTITY_FIELDS, field)) {
    throw parseDetail.error(
      'identityMapping.field',
      `expected one of ${OKTA_IDENTITY_FIELDS.join(', ')} for Okta, got "${field}"`,
    );
  }
  return field;
}

/** The user's entry and its path: `actor` for a lock, else the `target` entry of type `User`. */
function userEntry(detail: OktaLogEvent): { entry: z.infer<typeof userEntrySchema>; path: string } {
  if (detail.eventType === LOCK) {
    if (detail.actor?.type !== 'User') throw parseDetail.error('detail.actor', 'expected type "User"');
    return { entry: detail.actor, path: 'detail.actor' };
  }
  const index = detail.target?.findIndex((target) => target.type === 'User') ?? -1;
  const entry = detail.target?.[index];
  if (!entry) throw parseDetail.error('detail.target', 'expected an entry with type "User"');
  return { entry, path: `detail.target.${index}` };
}

export const okta: IdentitySource<OktaOptions> = {
  name: 'okta',

  /**
   * Exact: the configured partner sources, `SystemLog`, and the selected types — with outcome `SUCCESS`,
   * except a lock (outcome `FAILURE`), which is matched on its own `$or` branch.
   */
  eventPattern: ({ eventSourceNames, eventTypes }) => {
    const selected = [...new Set(eventTypes)];
    const succeeded = selected.filter((type) => type !== LOCK);
    const branches: EventPattern[] = [];
    if (succeeded.length > 0) branches.push({ eventType: succeeded, outcome: { result: ['SUCCESS'] } });
    if (selected.includes(LOCK)) branches.push({ eventType: [LOCK] });
    const [first, second, ...others] = branches;
    return {
      source: [...eventSourceNames],
      'detail-type': [OKTA_DETAIL_TYPE],
      detail: first && second ? { $or: [first, second, ...others] } : (first ?? { eventType: [] }),
    };
  },

  toRequest(event: EventBridgeEnvelope, options: OktaOptions) {
    const field = identityField(options);
    const detail = parseDetail(oktaLogEventSchema, event.detail);
    if (!includes(options.eventTypes, detail.eventType)) {
      throw parseDetail.error(
        'detail.eventType',
        `expected one of ${options.eventTypes.join(', ')}, got "${detail.eventType}"`,
      );
    }
    const { entry, path } = userEntry(detail);
    const value = parseDetail(z.object({ [field]: z.unknown() }), entry, path)[field];
    const identity = parseDetail(identitySchema, value, `${path}.${field}`);
    return {
      requestId: event.id,
      trigger: {
        source: event.source,
        detailType: event['detail-type'],
        eventType: detail.eventType,
        eventTime: detail.published,
      },
      identity,
      reason: `Okta ${detail.eventType}${detail.displayMessage ? `: ${detail.displayMessage}` : ''}`,
      dryRun: false,
    };
  },
};
