import { z } from 'zod';
import type { EventBridgeEnvelope } from '../core/envelope.ts';
import { identitySchema } from '../core/identity.ts';
import type { IdentitySource, SourceOptions } from './identity-source.ts';
import { parseDetail } from './parse-detail.ts';

export const RUNBOOK_DETAIL_TYPE = 'Client VPN Revocation Requested';
export const DEFAULT_RUNBOOK_SOURCE = 'client-vpn-revoker.runbook';

export interface RunbookOptions extends SourceOptions {
  /** The `source` an operator or SOAR tool puts the request with; only this one is trusted. */
  readonly source: string;
}

// Strict: a misspelt `dryRun` must not silently turn a rehearsal into a real revocation.
const runbookDetailSchema = z.strictObject({
  username: identitySchema,
  reason: z.string({ error: 'expected a string' }).trim().min(1, 'expected a non-empty reason').max(1024),
  dryRun: z.boolean({ error: 'expected true or false' }).optional(),
});

export type RunbookDetail = z.input<typeof runbookDetailSchema>;

/** The incident-response path: an operator asks for a user to be cut off. */
export const runbook: IdentitySource<RunbookOptions> = {
  name: 'runbook',

  eventPattern: ({ source }) => ({ source: [source], 'detail-type': [RUNBOOK_DETAIL_TYPE] }),

  toRequest(event: EventBridgeEnvelope) {
    const detail = parseDetail(runbookDetailSchema, event.detail);
    return {
      requestId: event.id,
      trigger: {
        source: event.source,
        detailType: event['detail-type'],
        eventType: RUNBOOK_DETAIL_TYPE,
        eventTime: event.time,
      },
      identity: detail.username,
      reason: detail.reason,
      dryRun: detail.dryRun ?? false,
    };
  },
};
