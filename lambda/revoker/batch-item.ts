import type { SQSRecord } from 'aws-lambda';
import type { RevocationStatus } from '../../contracts/events.ts';
import type { LedgerReport, OutcomeDetail, SkipReason } from '../core/outcome.ts';
import type { RevocationRequest } from '../core/request.ts';
import type { ProcessBatchDependencies } from './batch-dependencies.ts';
import { bareOutcome, rejectedOutcome } from './build-outcome.ts';

// One message of the batch as it moves through the steps, and the ways it can end before the last one: each
// step settles its own messages, so that one message's trouble never decides another's.

type SettleDependencies = Pick<ProcessBatchDependencies, 'logger' | 'maxReceiveCount' | 'now'>;

export interface BatchItem {
  readonly record: SQSRecord;
  readonly attempt: number;
  /** The request, once parsed and its identity resolved. */
  request?: RevocationRequest;
  /** What the ledger holds after this request's write. */
  ledger?: LedgerReport;
  /** Why the ledger write failed; the revocation still runs, then the request is retried. */
  ledgerError?: string;
  outcome?: OutcomeDetail;
  /** True when the work is incomplete and the message must go back to the queue. */
  retry: boolean;
}

export const batchItemOf = (record: SQSRecord): BatchItem => ({
  record,
  attempt: Number(record.attributes.ApproximateReceiveCount) || 1,
  retry: false,
});

export const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs one message's step; an unexpected throw fails that message alone (`failed`, retried, then
 * dead-lettered) instead of rejecting the whole batch.
 */
export async function settleAlone(
  deps: SettleDependencies,
  item: BatchItem,
  startedAt: number,
  step: () => Promise<void>,
): Promise<void> {
  try {
    await step();
  } catch (error) {
    failUnexpectedly(deps, item, error, startedAt);
  }
}

export function failUnexpectedly(
  deps: SettleDependencies,
  item: BatchItem,
  error: unknown,
  startedAt: number,
): void {
  deps.logger.error('Request failed unexpectedly; it alone is retried', {
    messageId: item.record.messageId,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  const message = `Unexpected error: ${errorText(error)}`;
  if (item.request) {
    failForRetry(deps, item, item.request, message, startedAt);
    return;
  }
  // Not even parsed: the envelope names it, as for a rejected event, but it goes back to the queue.
  const willRetry = item.attempt < deps.maxReceiveCount;
  const envelope = rejectedOutcome(item, message, startedAt, deps.now());
  item.retry = true;
  item.outcome = { ...envelope, status: 'failed', delivery: { attempt: item.attempt, willRetry } };
}

/** Ends a request before the revocation engine runs (skipped, lifted, dry-run lift). */
export function finishEarly(
  deps: SettleDependencies,
  item: BatchItem,
  status: RevocationStatus,
  startedAt: number,
  extra: { readonly message: string; readonly skipReason?: SkipReason },
): void {
  const request = item.request;
  if (!request) throw new Error('finishEarly needs a parsed request');
  item.outcome = {
    ...bareOutcome(status, fieldsOf(item, request, false, extra.message), startedAt, deps.now()),
    ...(extra.skipReason && { skipReason: extra.skipReason }),
  };
}

/** A `failed` outcome for work that could not be done now: the request goes back to the queue. */
export function failForRetry(
  deps: SettleDependencies,
  item: BatchItem,
  request: Parameters<typeof fieldsOf>[1],
  message: string,
  startedAt: number,
): void {
  item.retry = true;
  const willRetry = item.attempt < deps.maxReceiveCount;
  item.outcome = bareOutcome('failed', fieldsOf(item, request, willRetry, message), startedAt, deps.now());
}

/** The outcome fields a request determines; a retryable status says whether another delivery follows. */
function fieldsOf(
  item: BatchItem,
  request: Pick<
    RevocationRequest,
    'requestId' | 'action' | 'identity' | 'aliases' | 'reason' | 'dryRun' | 'trigger'
  >,
  willRetry: boolean,
  message: string,
) {
  return {
    requestId: request.requestId,
    action: request.action,
    identity: request.identity,
    ...(request.aliases && { aliases: [...request.aliases] }),
    reason: request.reason,
    dryRun: request.dryRun,
    trigger: request.trigger,
    delivery: { attempt: item.attempt, willRetry },
    message,
    ...(item.ledger && { ledger: item.ledger }),
  };
}
