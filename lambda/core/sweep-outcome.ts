import * as z from 'zod';
import { SWEEP_OUTCOME_DETAIL_TYPE, SWEEP_STATUSES, type SweepStatus } from '../../contracts/events.ts';
import { accountIdSchema } from './environment.ts';
import { connectionReportSchema, timingFields, truncatedSchema } from './outcome.ts';

// 1.1 added `accountId` on connections and errors, for member accounts (additive to 1.0);
// 1.2 added `ledger.expiriesRemoved` and `ledger.expiryError` (revoked records are kept until lifted; additive);
// 1.3 added `connectHandler` (which endpoints the sweep wired to the connect handler, and which are unguarded).
export const SWEEP_OUTCOME_SCHEMA_VERSION = '1.3';

/** Why the sweep ended a connection. A revoked identity's connection is reported as such, whatever its age. */
export const SWEEP_REASONS = ['revoked-identity', 'max-session-age'] as const;
export type SweepReason = (typeof SWEEP_REASONS)[number];

const errorFields = { code: z.string(), message: z.string() };
const accountIdField = {
  accountId: accountIdSchema.optional().describe('The account, when member accounts are configured.'),
};

export const sweepConnectionSchema = z.object({
  ...accountIdField,
  region: z.string(),
  endpointId: z.string(),
  connectionId: z.string(),
  username: connectionReportSchema.shape.username,
  commonName: connectionReportSchema.shape.commonName,
  establishedTime: connectionReportSchema.shape.establishedTime,
  reason: z.enum(SWEEP_REASONS),
  matchedOn: connectionReportSchema.shape.matchedOn
    .optional()
    .describe('Which name matched the revoked identity; absent for max-session-age.'),
  terminatedBy: connectionReportSchema.shape.terminatedBy,
  attempts: connectionReportSchema.shape.attempts,
  finalStatus: connectionReportSchema.shape.finalStatus,
  messages: z.array(z.string()),
});
export type SweepConnection = z.infer<typeof sweepConnectionSchema>;

export const sweepErrorSchema = z
  .object({
    ...accountIdField,
    region: z.string(),
    endpointId: z.string().optional().describe('Absent when endpoint discovery failed for the whole region.'),
    ...errorFields,
  })
  .meta({
    description:
      'An endpoint or region that could not be read. A configured endpoint that no longer exists is listed ' +
      'with InvalidClientVpnEndpointId.NotFound but does not make the sweep partial: no session remains on it.',
  });
export type SweepError = z.infer<typeof sweepErrorSchema>;

/** How the sweeper treats governed endpoints whose ClientConnectOptions do not name the connect handler. */
export const ENDPOINT_WIRING_MODES = ['enforce', 'report'] as const;
export type EndpointWiringMode = (typeof ENDPOINT_WIRING_MODES)[number];

export const UNGUARDED_REASONS = ['disabled', 'other-handler', 'error'] as const;

const wiringLocationSchema = z.object({
  ...accountIdField,
  region: z.string(),
  endpointId: z.string(),
});
export type WiringLocation = z.infer<typeof wiringLocationSchema>;

const unguardedEndpointSchema = z.object({
  ...accountIdField,
  region: z.string(),
  endpointId: z
    .string()
    .optional()
    .describe('Absent when the endpoints of the region could not be listed (reason error).'),
  reason: z
    .enum(UNGUARDED_REASONS)
    .describe(
      'disabled: no connect handler (report mode or a dry run leaves it so); other-handler: another ' +
        'function is set and is never overwritten; error: the endpoint could not be read or modified.',
    ),
  functionArn: z.string().optional().describe('The other handler the endpoint names (other-handler).'),
  error: z.object(errorFields).optional(),
});
export type UnguardedEndpoint = z.infer<typeof unguardedEndpointSchema>;

export const connectHandlerReportSchema = z
  .object({
    handlerArn: z.string().describe("The ARN governed endpoints' ClientConnectOptions must name."),
    wiring: z
      .enum(ENDPOINT_WIRING_MODES)
      .describe(
        'enforce: endpoints without a handler were wired; report: nothing was modified (or a dry run).',
      ),
    guarded: z.number().int().min(0).describe('Governed endpoints in reach already naming the handler.'),
    wired: z.array(wiringLocationSchema).describe('Endpoints this sweep set to the handler.'),
    unguarded: z
      .array(unguardedEndpointSchema)
      .describe('Governed endpoints in reach whose reconnects the handler does not check (alarmed).'),
    outOfReach: z
      .array(wiringLocationSchema)
      .describe(
        "Governed endpoints in another region or account: AWS requires a handler of the endpoint's own " +
          'account and region, so this one cannot guard them (reported, not alarmed).',
      ),
  })
  .meta({ description: "The governed endpoints' client connect handler, as this sweep found and left it." });
export type ConnectHandlerReport = z.infer<typeof connectHandlerReportSchema>;

export const sweepOutcomeDetailSchema = z
  .object({
    schemaVersion: z.literal(SWEEP_OUTCOME_SCHEMA_VERSION),
    sweepId: z
      .string()
      .describe(
        'Id of the scheduler event, or the invocation request id; identical across retries, so consumers can dedupe.',
      ),
    status: z
      .enum(SWEEP_STATUSES)
      .describe(
        'clean: nothing to end; swept: every connection found is ending; partial: some of the work could not be ' +
          'done (an endpoint or the ledger could not be read, or a connection remains); failed: none of it could ' +
          'be done; dry-run: connections were found and reported, none terminated.',
      ),
    dryRun: z.boolean(),
    message: z.string().optional().describe('A summary of what went wrong.'),
    criteria: z.object({
      revokedIdentities: z
        .boolean()
        .describe('True when connections of identities the revocation ledger holds revoked are ended.'),
      maxSessionAgeMs: z
        .number()
        .int()
        .positive()
        .nullable()
        .describe('Connections established longer ago than this are ended; null when no maximum is set.'),
    }),
    ledger: z.object({
      status: z
        .enum(['read', 'not-configured', 'unavailable'])
        .describe('unavailable: the ledger could not be read, so revoked identities were not enforced.'),
      error: z.object(errorFields).optional(),
      expiriesRemoved: z
        .number()
        .int()
        .positive()
        .optional()
        .describe(
          'Revoked records written with an expiry by an earlier version whose expiry this sweep removed, so ' +
            'they protect until lifted.',
        ),
      expiryError: z
        .object(errorFields)
        .optional()
        .describe('Why those expiries could not be removed (the sweep is partial; the next one retries).'),
    }),
    counts: z.object({
      revokedIdentities: z.number().int().min(0).describe('Revoked identities in the ledger.'),
      endpointsScanned: z.number().int().min(0),
      endpointsUnreachable: z
        .number()
        .int()
        .min(0)
        .describe('Endpoints, and regions whose endpoints could not be discovered, that could not be read.'),
      connectionsFound: z.number().int().min(0).describe('Live connections the sweep set out to end.'),
      connectionsTerminated: z
        .number()
        .int()
        .min(0)
        .describe('Connections confirmed terminating or terminated.'),
      connectionsRemaining: z
        .number()
        .int()
        .min(0)
        .describe('Connections that could not be confirmed ended (all of them in a dry run).'),
      connectionsProtected: z
        .number()
        .int()
        .min(0)
        .describe('Connections that qualified but belong to a protected (break-glass) identity: left alone.'),
    }),
    connections: z.array(sweepConnectionSchema),
    errors: z.array(sweepErrorSchema),
    connectHandler: connectHandlerReportSchema
      .optional()
      .describe('Present when the stack has a connect handler: the wiring check of this sweep.'),
    truncated: truncatedSchema,
    timings: z.object({
      ...timingFields,
      ledgerMs: z.number().min(0).describe('Reading the revoked identities from the ledger.'),
    }),
  })
  .meta({
    title: 'Client VPN Session Sweep Outcome',
    description: `Detail of the "${SWEEP_OUTCOME_DETAIL_TYPE}" event published once per scheduled sweep.`,
  });

export type SweepOutcomeDetail = z.infer<typeof sweepOutcomeDetailSchema>;

/** Statuses after which the next scheduled sweep has work left to retry. */
export const INCOMPLETE_SWEEP_STATUSES: readonly SweepStatus[] = ['partial', 'failed'];
