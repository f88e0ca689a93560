import * as z from 'zod';
import { OUTCOME_DETAIL_TYPE, REVOCATION_STATUSES, type RevocationStatus } from '../../contracts/events.ts';
import { accountIdSchema } from './environment.ts';

// 1.1 added `action`, `skipReason`, `ledger` and the statuses `skipped` and `lifted` (additive to 1.0);
// 1.2 added `accounts` and `regions[].accountId` for member accounts (additive);
// 1.3 added `trigger.reportedEventTime`, `trigger.eventTimeAdjustment`, `aliases` (the person's other names the
// request covered) and `connections[].matchedIdentity` (additive), and `ledger.expiresAt` is absent for revoked
// records, which are kept until lifted.
export const OUTCOME_SCHEMA_VERSION = '1.3';

/** Statuses after which the request is handed back to the queue for another attempt. */
export const RETRYABLE_STATUSES: readonly RevocationStatus[] = ['partial', 'failed'];

/** Why a request was `skipped`: the identity is on the break-glass list, or a later IdP event stands. */
export const SKIP_REASONS = ['protected-identity', 'superseded'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export const ledgerReportSchema = z
  .object({
    status: z
      .enum(['recorded', 'superseded', 'unavailable'])
      .describe(
        'recorded: the revocation (or lift) is stored; superseded: a later event for the identity is stored ' +
          'and stands; unavailable: the ledger could not be written (the request is retried).',
      ),
    state: z
      .enum(['revoked', 'lifted'])
      .optional()
      .describe('The state the ledger holds for the identity after this request.'),
    eventTime: z.string().optional().describe('Event time of the record the ledger holds.'),
    expiresAt: z.iso
      .datetime()
      .optional()
      .describe(
        'When a lifted record expires (the retention); absent for a revoked record, which blocks reconnects ' +
          'until it is lifted.',
      ),
  })
  .meta({ description: 'The revocation ledger (reconnect blocking), when the stack has one.' });
export type LedgerReport = z.infer<typeof ledgerReportSchema>;

const errorSchema = z
  .object({ code: z.string(), message: z.string() })
  .meta({ description: 'The AWS error that stopped this part of the work.' });

export const connectionReportSchema = z.object({
  connectionId: z.string(),
  username: z
    .string()
    .describe('Username as Client VPN stores it (SAML NameID or AD user); empty for certificates.'),
  commonName: z.string().describe('Client certificate common name.'),
  establishedTime: z.string().optional().describe('As EC2 reports it: "YYYY-MM-DD HH:MM:SS", UTC.'),
  matchedOn: z.enum(['username', 'common-name']),
  matchedIdentity: z
    .string()
    .optional()
    .describe(
      "Which of the request's names (identity or alias) the connection matched; set when it has aliases.",
    ),
  terminatedBy: z
    .enum(['username', 'connection-id'])
    .nullable()
    .describe('How the last Terminate call named this connection; null when none was made (dry run).'),
  attempts: z.number().int().min(0).describe('Terminate calls that named this connection.'),
  finalStatus: z
    .enum(['active', 'failed-to-terminate', 'terminating', 'terminated'])
    .describe('Last status observed from EC2; terminating and terminated mean the session is going away.'),
  messages: z.array(z.string()),
});
export type ConnectionReport = z.infer<typeof connectionReportSchema>;

export const endpointReportSchema = z.object({
  endpointId: z.string(),
  status: z
    .enum(['scanned', 'not-found', 'unreachable'])
    .describe(
      'not-found: the endpoint no longer exists (no sessions can remain); unreachable: it could not be read.',
    ),
  error: errorSchema.optional(),
  connections: z.array(connectionReportSchema),
});
export type EndpointReport = z.infer<typeof endpointReportSchema>;

export const regionReportSchema = z.object({
  accountId: accountIdSchema
    .optional()
    .describe('The account the region was searched in; set when member accounts are configured.'),
  region: z.string(),
  error: errorSchema.optional().describe('Set when endpoint discovery failed for the whole region.'),
  endpoints: z.array(endpointReportSchema),
});
export type RegionReport = z.infer<typeof regionReportSchema>;

const summarySchema = z.object({
  endpointsScanned: z.number().int().min(0),
  endpointsUnreachable: z.number().int().min(0),
  connectionsFound: z.number().int().min(0),
  connectionsTerminated: z.number().int().min(0).describe('Connections confirmed terminating or terminated.'),
  connectionsRemaining: z.number().int().min(0).describe('Connections that could not be confirmed ended.'),
});

export const accountReportSchema = z
  .object({
    accountId: accountIdSchema,
    status: z
      .enum(['reached', 'unreachable'])
      .describe(
        'unreachable: no region of the account could be read (typically its role could not be assumed); ' +
          'the request is retried, the other accounts are not held up.',
      ),
    error: errorSchema.optional().describe('Why the account could not be reached.'),
    summary: summarySchema,
  })
  .meta({ description: 'One account searched, when member accounts are configured.' });
export type AccountReport = z.infer<typeof accountReportSchema>;

/** Set on any outcome event whose per-connection details had to go (EventBridge's 256 KB limit). */
export const truncatedSchema = z
  .boolean()
  .optional()
  .describe('True when per-connection details were dropped to keep the event under 256 KB.');

/** The timings every outcome event reports. */
export const timingFields = {
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  durationMs: z.number().min(0),
  findMs: z.number().min(0).describe('Endpoint discovery and connection listing.'),
  terminateMs: z.number().min(0).describe('Terminate calls, retries and verification.'),
};

export const outcomeDetailSchema = z
  .object({
    schemaVersion: z.literal(OUTCOME_SCHEMA_VERSION),
    requestId: z
      .string()
      .describe('Id of the triggering event; identical across retries, so consumers can dedupe.'),
    status: z.enum(REVOCATION_STATUSES),
    action: z
      .enum(['revoke', 'lift'])
      .optional()
      .describe(
        'revoke: the identity lost access; lift: it was re-enabled and its revocation is undone. ' +
          'Absent when the event was rejected before its action was known.',
      ),
    skipReason: z.enum(SKIP_REASONS).optional().describe('Set when status is skipped.'),
    ledger: ledgerReportSchema.optional(),
    identity: z
      .string()
      .nullable()
      .describe('The identity revoked; null when the event named none (rejected).'),
    aliases: z
      .array(z.string())
      .optional()
      .describe(
        "The person's other names the source gave (e-mail, login, certificate CN), revoked or lifted with " +
          '`identity`; absent when there are none.',
      ),
    reason: z.string(),
    dryRun: z.boolean(),
    message: z.string().optional().describe('Why a request was rejected, or a summary of what went wrong.'),
    trigger: z.object({
      source: z.string(),
      detailType: z.string(),
      eventType: z.string(),
      eventTime: z
        .string()
        .describe(
          'When the identity provider says it happened, as the ledger orders it: never later than the ' +
            "queue's receipt of the event plus the allowed clock skew.",
        ),
      reportedEventTime: z
        .string()
        .optional()
        .describe(
          'The event time as the event gave it; present only when it was not used (eventTimeAdjustment).',
        ),
      eventTimeAdjustment: z
        .enum(['future', 'unreadable'])
        .optional()
        .describe(
          'future: the event was dated beyond the allowed clock skew after the queue received it; ' +
            'unreadable: its time could not be parsed. Either way the receipt time stands in for it.',
        ),
    }),
    delivery: z.object({
      attempt: z
        .number()
        .int()
        .min(1)
        .describe('Which delivery of the request this outcome reports (1 = first).'),
      willRetry: z.boolean().describe('True when the request goes back to the queue for another attempt.'),
    }),
    summary: summarySchema,
    regions: z.array(regionReportSchema),
    accounts: z
      .array(accountReportSchema)
      .optional()
      .describe('Per account searched; absent when the stack searches its own account only.'),
    truncated: truncatedSchema,
    timings: z.object(timingFields),
  })
  .meta({
    title: 'Client VPN Revocation Outcome',
    description: `Detail of the "${OUTCOME_DETAIL_TYPE}" event published once per processed request.`,
  });

export type OutcomeDetail = z.infer<typeof outcomeDetailSchema>;
