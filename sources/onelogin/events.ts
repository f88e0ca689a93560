/**
 * OneLogin events sent to an EventBridge partner bus ("Event Webhook for Amazon EventBridge"). `detail` is the
 * OneLogin event. Its `detail-type` is undocumented, so the rule matches only the exact partner `source` and
 * `detail.event_type_id` — as a number or a string, since captured events show both.
 *
 * Lost-access ids (see {@link ONELOGIN_LOST_ACCESS_EVENT_TYPE_IDS}): 17 user deleted, 551 user suspended via
 * API, 531/532/553 user locked — which of 531/532 is "locked via API" is disputed (panther-analysis vs
 * Sigma), so both are accepted.
 *
 * No lifts: OneLogin's `event_type_id`s for unsuspend, unlock or re-activate are not documented, and no
 * captured event or detection rule we know of names them. Guessing an id would let an unrelated event lift a
 * revocation, so this source implements neither `liftEventPattern` nor `toLiftRequest`, and a stack with a
 * revocation ledger has no OneLogin lift rule. Lift OneLogin users with a runbook lift request (`Client VPN
 * Revocation Lifted`), or route OneLogin through SCIM into IAM Identity Center, whose re-activations lift.
 *
 * What is read, per `identityMapping.field`:
 * - `user_name` (default): `detail.user_name`. CAVEAT: in real events this looks like a display name
 *   ("Jane Doe"), not the login or email the VPN sees; then no session will match. Use a `template` only if
 *   your SAML NameID really is derived from it.
 * - `user_id`: `detail.user_id`, OneLogin's numeric user id, as a decimal string.
 * Resolving the login or email through the OneLogin API (`GET /api/2/users/{user_id}`) is out of scope.
 * `actor_user_id` / `actor_user_name` (the admin) are never read. The event time is `detail.created_at`, or
 * the envelope `time` when OneLogin omits it.
 */
import * as z from 'zod';
import type { EventBridgeEnvelope } from '../../lambda/core/envelope.ts';
import { identitySchema } from '../../lambda/core/identity.ts';
import { type IdentitySource, type SourceOptions, sourceRequest } from '../identity-source.ts';
import { parseDetail } from '../parse-detail.ts';

/** OneLogin `event_type_id`s after which a user must lose VPN access, with what they mean. */
export const ONELOGIN_LOST_ACCESS_EVENT_TYPE_IDS: Readonly<Record<number, string>> = {
  17: 'user deleted',
  531: 'user locked',
  532: 'user locked',
  551: 'user suspended via API',
  553: 'user locked via API',
};
const EVENT_TYPE_IDS = Object.keys(ONELOGIN_LOST_ACCESS_EVENT_TYPE_IDS).map(Number);

export const ONELOGIN_IDENTITY_FIELDS = ['user_name', 'user_id'] as const;
export type OneLoginIdentityField = (typeof ONELOGIN_IDENTITY_FIELDS)[number];

export interface OneLoginOptions extends SourceOptions {
  /** Partner event source names, `aws.partner/onelogin.com/<REGION>-<account>/<id>` (also the bus names). */
  readonly eventSourceNames: readonly string[];
}

const eventTypeIdSchema = z
  .union([z.number().int(), z.string().regex(/^\d+$/)], {
    error: 'expected an integer or a string of digits',
  })
  .transform(Number)
  .refine((id) => EVENT_TYPE_IDS.includes(id), `expected one of ${EVENT_TYPE_IDS.join(', ')}`);

const oneLoginEventSchema = z
  .object({
    event_type_id: eventTypeIdSchema,
    created_at: z.iso.datetime({ offset: true }).nullish(),
  })
  .loose();

const userIdSchema = z
  .union([z.number().int().positive(), z.string().regex(/^\d+$/)], {
    error: 'expected a OneLogin user id (a positive integer)',
  })
  .transform(String);

function identityField(options: OneLoginOptions): OneLoginIdentityField {
  const field = options.identityMapping?.field ?? 'user_name';
  if (!(ONELOGIN_IDENTITY_FIELDS as readonly string[]).includes(field)) {
    throw parseDetail.error(
      'identityMapping.field',
      `expected one of ${ONELOGIN_IDENTITY_FIELDS.join(', ')} for OneLogin, got "${field}"`,
    );
  }
  return field as OneLoginIdentityField;
}

export const onelogin: IdentitySource<OneLoginOptions> = {
  name: 'onelogin',

  eventPattern: ({ eventSourceNames }) => ({
    source: [...eventSourceNames],
    detail: { event_type_id: [...EVENT_TYPE_IDS, ...EVENT_TYPE_IDS.map(String)] },
  }),

  toRequest(event: EventBridgeEnvelope, options: OneLoginOptions) {
    const field = identityField(options);
    const detail = parseDetail(oneLoginEventSchema, event.detail);
    const value = parseDetail(z.object({ [field]: z.unknown() }).loose(), detail)[field];
    const identity = parseDetail(
      field === 'user_id' ? userIdSchema.pipe(identitySchema) : identitySchema,
      value,
      `detail.${field}`,
    );
    const id = detail.event_type_id;
    return sourceRequest('revoke', event, {
      eventType: String(id),
      eventTime: detail.created_at ?? event.time,
      identity,
      reason: `OneLogin event_type_id ${id}: ${ONELOGIN_LOST_ACCESS_EVENT_TYPE_IDS[id]}`,
    });
  },
};
