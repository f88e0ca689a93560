import * as z from 'zod';
import type { EventBridgeEnvelope } from '../../lambda/core/envelope.ts';
import { InvalidEventError } from '../../lambda/core/errors.ts';
import { identitySchema } from '../../lambda/core/identity.ts';
import type { RequestAction } from '../../lambda/core/request.ts';
import { type LiftableIdentitySource, type SourceOptions, sourceRequest } from '../identity-source.ts';
import { parseDetail } from '../parse-detail.ts';

export const RUNBOOK_DETAIL_TYPE = 'Client VPN Revocation Requested';
/** An operator lifts a revocation (only accepted when the stack has a revocation ledger). */
export const RUNBOOK_LIFT_DETAIL_TYPE = 'Client VPN Revocation Lifted';
export const DEFAULT_RUNBOOK_SOURCE = 'client-vpn-revoker.runbook';
/** The dedicated runbook bus of a stack (lib/parts/request-bus.ts), unless the deployer names another. */
export const runbookEventBusName = (stackName: string) => `${stackName}-runbook`;
/** The name of the stack this repository's CDK app deploys (lib/app.ts). */
export const DEFAULT_STACK_NAME = 'ClientVpnRevoker';
/** The runbook bus of that stack: what the CLI puts runbook requests on unless told otherwise. */
export const DEFAULT_RUNBOOK_EVENT_BUS = runbookEventBusName(DEFAULT_STACK_NAME);

export interface RunbookOptions extends SourceOptions {
  /** The `source` an operator or SOAR tool puts the request with; only this one is trusted. */
  readonly source: string;
  /**
   * Whether runbook lifts are accepted: only when the runbook bus names who may put them, because a lift lets
   * a revoked person back in.
   * @default false
   */
  readonly liftsAllowed?: boolean;
}

// Strict: a misspelt `dryRun` must not silently turn a rehearsal into a real revocation (or lift).
export const runbookDetailSchema = z.strictObject({
  username: identitySchema,
  /** The person's other names (e-mail, UPN, certificate CN): revoked, recorded and lifted with `username`. */
  aliases: z.array(identitySchema).max(20, 'expected at most 20 aliases').optional(),
  reason: z.string({ error: 'expected a string' }).trim().min(1, 'expected a non-empty reason').max(1024),
  dryRun: z.boolean({ error: 'expected true or false' }).optional(),
});

/** The detail of a revocation request and of a lift request alike. */
export type RunbookDetail = z.input<typeof runbookDetailSchema>;

const DETAIL_TYPES: Readonly<Record<RequestAction, string>> = {
  revoke: RUNBOOK_DETAIL_TYPE,
  lift: RUNBOOK_LIFT_DETAIL_TYPE,
};

function runbookRequest<Action extends RequestAction>(action: Action, event: EventBridgeEnvelope) {
  const detail = parseDetail(runbookDetailSchema, event.detail);
  return sourceRequest(action, event, {
    eventType: DETAIL_TYPES[action],
    eventTime: event.time,
    identity: detail.username,
    aliases: detail.aliases,
    reason: detail.reason,
    dryRun: detail.dryRun,
  });
}

/**
 * The incident-response path: an operator asks for a user to be cut off (`Client VPN Revocation Requested`)
 * or let back in (`Client VPN Revocation Lifted`), with the same detail and from the same configured source.
 */
export const runbook: LiftableIdentitySource<RunbookOptions> = {
  name: 'runbook',

  eventPattern: ({ source }) => ({ source: [source], 'detail-type': [RUNBOOK_DETAIL_TYPE] }),

  toRequest: (event) => runbookRequest('revoke', event),

  liftEventPattern: ({ source }) => ({ source: [source], 'detail-type': [RUNBOOK_LIFT_DETAIL_TYPE] }),

  toLiftRequest: (event, { liftsAllowed }) => {
    if (!liftsAllowed) {
      throw new InvalidEventError(
        'runbook lifts are not authorized: name the principals who may lift in runbook.liftAllowedPrincipalArns',
        'detail-type',
      );
    }
    return runbookRequest('lift', event);
  },
};
