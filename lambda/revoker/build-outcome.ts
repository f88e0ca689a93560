import type { SQSRecord } from 'aws-lambda';
import type { RevocationStatus } from '../../contracts/events.ts';
import { OUTCOME_SCHEMA_VERSION, type OutcomeDetail } from '../core/outcome.ts';
import type { RevocationResult } from '../engine/revoke-access.ts';

// The outcome event of one request (its schema: lambda/core/outcome.ts), built from plain values: what the
// engine reported, or — when the engine never ran for the request — a bare outcome with nothing scanned.

const iso = (ms: number) => new Date(ms).toISOString();

/** The outcome of a request the engine ran; `willRetry` says whether another delivery follows. */
export function engineOutcome(
  result: RevocationResult,
  attempt: number,
  willRetry: boolean,
  now: number,
): OutcomeDetail {
  const { request, timings } = result;
  return {
    schemaVersion: OUTCOME_SCHEMA_VERSION,
    requestId: request.requestId,
    status: result.status,
    action: request.action,
    identity: request.identity,
    ...(request.aliases && { aliases: [...request.aliases] }),
    reason: request.reason,
    dryRun: request.dryRun,
    ...(result.message && { message: result.message }),
    trigger: request.trigger,
    delivery: { attempt, willRetry },
    summary: result.summary,
    regions: result.regions,
    ...(result.accounts && { accounts: result.accounts }),
    timings: {
      startedAt: iso(timings.startedAt),
      finishedAt: iso(now),
      durationMs: now - timings.startedAt,
      findMs: timings.findMs,
      terminateMs: timings.finishedAt - timings.startedAt - timings.findMs,
    },
  };
}

const EMPTY_SUMMARY: OutcomeDetail['summary'] = {
  endpointsScanned: 0,
  endpointsUnreachable: 0,
  connectionsFound: 0,
  connectionsTerminated: 0,
  connectionsRemaining: 0,
};

/** The outcome of a request that ended before the engine ran: nothing scanned, nothing terminated. */
export function bareOutcome(
  status: RevocationStatus,
  fields: Pick<
    OutcomeDetail,
    | 'requestId'
    | 'action'
    | 'identity'
    | 'aliases'
    | 'reason'
    | 'dryRun'
    | 'trigger'
    | 'delivery'
    | 'message'
    | 'ledger'
  >,
  startedAt: number,
  now: number,
): OutcomeDetail {
  return {
    schemaVersion: OUTCOME_SCHEMA_VERSION,
    status,
    ...fields,
    summary: EMPTY_SUMMARY,
    regions: [],
    timings: {
      startedAt: iso(startedAt),
      finishedAt: iso(now),
      durationMs: now - startedAt,
      findMs: 0,
      terminateMs: 0,
    },
  };
}

/** Whatever of the envelope can be read still identifies the rejected event for auditors. */
export function rejectedOutcome(
  { record, attempt }: { readonly record: SQSRecord; readonly attempt: number },
  message: string,
  startedAt: number,
  now: number,
): OutcomeDetail {
  let envelope: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(record.body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      envelope = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: the SQS message id is all there is to go by.
  }
  const text = (value: unknown, fallback: string) => (typeof value === 'string' && value ? value : fallback);
  return bareOutcome(
    'rejected',
    {
      requestId: text(envelope.id, record.messageId),
      identity: null,
      reason: 'The event could not be turned into a revocation request',
      dryRun: false,
      trigger: {
        source: text(envelope.source, 'unknown'),
        detailType: text(envelope['detail-type'], 'unknown'),
        eventType: 'unknown',
        eventTime: text(envelope.time, iso(now)),
      },
      delivery: { attempt, willRetry: false },
      message,
    },
    startedAt,
    now,
  );
}
