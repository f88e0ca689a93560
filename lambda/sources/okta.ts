import { z } from 'zod';
import type { EventBridgeEnvelope } from '../core/envelope.ts';
import { identitySchema } from '../core/identity.ts';
import type { IdentitySource, SourceOptions } from './identity-source.ts';
import { parseDetail } from './parse-detail.ts';

/** Okta System Log event types after which a user must lose VPN access. */
export const OKTA_LOST_ACCESS_EVENT_TYPES = ['user.lifecycle.deactivate', 'user.lifecycle.suspend'] as const;
export type OktaLostAccessEventType = (typeof OKTA_LOST_ACCESS_EVENT_TYPES)[number];

export interface OktaOptions extends SourceOptions {
  /** Partner event source names, `aws.partner/okta.com/<org>/<name>` (also the partner bus names). */
  readonly eventSourceNames: readonly string[];
  readonly eventTypes: readonly OktaLostAccessEventType[];
}

export const OKTA_DETAIL_TYPE = 'SystemLog';

const oktaLogEventSchema = z.object({
  uuid: z.string().min(1),
  eventType: z.string(),
  published: z.iso.datetime({ offset: true }),
  displayMessage: z.string().nullish(),
  target: z
    .array(z.object({ type: z.string(), alternateId: z.unknown() }).loose(), {
      error: 'expected an array of targets',
    })
    .nullable(),
});

export const okta: IdentitySource<OktaOptions> = {
  name: 'okta',

  eventPattern: ({ eventSourceNames, eventTypes }) => ({
    source: [...eventSourceNames],
    'detail-type': [OKTA_DETAIL_TYPE],
    detail: { eventType: [...eventTypes], outcome: { result: ['SUCCESS'] } },
  }),

  toRequest(event: EventBridgeEnvelope) {
    const detail = parseDetail(oktaLogEventSchema, event.detail);
    const targetIndex = detail.target?.findIndex((target) => target.type === 'User') ?? -1;
    if (targetIndex < 0) {
      throw parseDetail.error('detail.target', 'expected an entry with type "User"');
    }
    const identity = parseDetail(
      identitySchema,
      detail.target?.[targetIndex]?.alternateId,
      `detail.target.${targetIndex}.alternateId`,
    );
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
