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
 * "Application username"; otherwise map it with `identityMapping`. With `field` `id`, the login is carried as
 * an alias (mapped the same way), so sessions under either name end.
 *
 * Lifts (stacks with a revocation ledger): `user.lifecycle.activate`, `.reactivate`, `.unsuspend` and, only
 * when `user.account.lock` revokes, `user.account.unlock` — each with outcome `SUCCESS`, the user read from
 * `target[type=User]` exactly as above (`actor` may be the admin and is never read). An unlock can be
 * self-service, so it lifts only when locks revoke: otherwise a user (or whoever holds their recovery factor)
 * could lock and unlock the account to lift a revocation an administrator caused. Even then, the ledger keeps
 * one record per identity, so a later lock and unlock supersede an earlier revocation of a still-active user
 * (a session clear, a runbook request).
 */
import * as z from 'zod';
import type { EventBridgeEnvelope } from '../../lambda/core/envelope.ts';
import type { EventPattern } from '../../lambda/core/event-pattern.ts';
import { identitySchema } from '../../lambda/core/identity.ts';
import type { RequestAction } from '../../lambda/core/request.ts';
import { type LiftableIdentitySource, type SourceOptions, sourceRequest } from '../identity-source.ts';
import { parseDetail } from '../parse-detail.ts';

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

/** Okta System Log event types that give a user access back: lift requests, never matched by the revoke rule. */
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
/** The undo of a lock, possibly self-service: a lift only when locks revoke. */
const UNLOCK: OktaReenableEventType = 'user.account.unlock';

const includes = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

export function classifyOktaEvent(eventType: string): 'lost-access' | 're-enabled' | undefined {
  if (includes(OKTA_LOST_ACCESS_EVENT_TYPES, eventType)) return 'lost-access';
  if (includes(OKTA_REENABLE_EVENT_TYPES, eventType)) return 're-enabled';
  return undefined;
}

/** The re-enable types that lift a revocation, given the lost-access types that revoke (see the header). */
export function oktaLiftEventTypes(eventTypes: readonly OktaLostAccessEventType[]): OktaReenableEventType[] {
  return OKTA_REENABLE_EVENT_TYPES.filter((type) => type !== UNLOCK || eventTypes.includes(LOCK));
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

const patternFor = (eventSourceNames: readonly string[], detail: EventPattern): EventPattern => ({
  source: [...eventSourceNames],
  'detail-type': [OKTA_DETAIL_TYPE],
  detail,
});

/** The request for an event of one of the `allowed` types (the types the rule of `action` matches). */
function oktaRequest<Action extends RequestAction>(
  action: Action,
  event: EventBridgeEnvelope,
  options: OktaOptions,
  allowed: readonly string[],
) {
  const field = identityField(options);
  const detail = parseDetail(oktaLogEventSchema, event.detail);
  if (!allowed.includes(detail.eventType)) {
    throw parseDetail.error(
      'detail.eventType',
      `expected one of ${allowed.join(', ')}, got "${detail.eventType}"`,
    );
  }
  const { entry, path } = userEntry(detail);
  const value = parseDetail(z.object({ [field]: z.unknown() }), entry, path)[field];
  return sourceRequest(action, event, {
    eventType: detail.eventType,
    eventTime: detail.published,
    identity: parseDetail(identitySchema, value, `${path}.${field}`),
    // With the Okta user id as the identity, the login still names the person: it is an alias.
    aliases: [entry.alternateId],
    reason: `Okta ${detail.eventType}${detail.displayMessage ? `: ${detail.displayMessage}` : ''}`,
  });
}

export const okta: LiftableIdentitySource<OktaOptions> = {
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
    return patternFor(
      eventSourceNames,
      first && second ? { $or: [first, second, ...others] } : (first ?? { eventType: [] }),
    );
  },

  toRequest: (event, options) => oktaRequest('revoke', event, options, options.eventTypes),

  /** The configured partner sources, `SystemLog`, the re-enable types of `oktaLiftEventTypes`, outcome `SUCCESS`. */
  liftEventPattern: ({ eventSourceNames, eventTypes }) =>
    patternFor(eventSourceNames, {
      eventType: oktaLiftEventTypes(eventTypes),
      outcome: { result: ['SUCCESS'] },
    }),

  toLiftRequest: (event, options) =>
    oktaRequest('lift', event, options, oktaLiftEventTypes(options.eventTypes)),
};
