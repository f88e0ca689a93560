import { RETRYABLE_STATUSES } from '../core/outcome.ts';
import type { RevocationRequest } from '../core/request.ts';
import type { RevocationResult, RevokeAccess } from '../engine/revoke-access.ts';
import type { ProcessBatchDependencies } from './batch-dependencies.ts';
import { type BatchItem, errorText, failForRetry, failUnexpectedly } from './batch-item.ts';
import { engineOutcome } from './build-outcome.ts';

// The engine step: every revocation of the batch in one call, so that they share the endpoint discovery; the
// engine's result and the request's ledger write together decide its outcome and whether it is retried.

/**
 * Runs the engine, then settles each request's outcome once its ledger write has too: an engine that found
 * nothing to terminate returns before the write, and a write that then fails must still send the request back.
 */
export async function revokeRequests(
  deps: ProcessBatchDependencies,
  items: readonly BatchItem[],
  options: Parameters<RevokeAccess>[1],
  ledgerWritten: Promise<void>,
) {
  const requests = new Map<BatchItem, RevocationRequest>();
  for (const item of items) if (item.request) requests.set(item, item.request);
  if (requests.size === 0) return ledgerWritten;
  const startedAt = deps.now();
  let results: RevocationResult[];
  try {
    results = await deps.revoke([...requests.values()], options);
  } catch (error) {
    await ledgerWritten;
    // Not expected (the engine reports API failures per endpoint), but never lose the requests over it.
    deps.logger.error('Revocation failed unexpectedly', {
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    for (const [item, request] of requests) {
      failForRetry(deps, item, request, `Unexpected error: ${errorText(error)}`, startedAt);
    }
    return;
  }
  await ledgerWritten;
  const byRequest = new Map(results.map((result) => [result.request, result]));
  for (const [item, request] of requests) {
    // Finished while the engine ran (the ledger found it superseded): nothing was terminated for it.
    if (item.outcome) continue;
    const result = byRequest.get(request);
    if (!result) {
      failUnexpectedly(deps, item, new Error(`No result for request ${request.requestId}`), startedAt);
      continue;
    }
    const { status, message } = withLedgerFailure(result, item.ledgerError);
    const incomplete = RETRYABLE_STATUSES.includes(status);
    item.retry = incomplete;
    item.outcome = {
      ...engineOutcome(
        { ...result, status, ...(message && { message }) },
        item.attempt,
        incomplete && item.attempt < deps.maxReceiveCount,
        deps.now(),
      ),
      ...(item.ledger && { ledger: item.ledger }),
    };
  }
}

/**
 * Sessions ended but no ledger record means reconnects are not blocked: the work is incomplete and the
 * request is retried (the retry records it, and finds nothing left to terminate).
 */
function withLedgerFailure(
  result: RevocationResult,
  ledgerError: string | undefined,
): { status: RevocationResult['status']; message?: string } {
  if (!ledgerError || result.status === 'dry-run') return result;
  const message = [result.message, `${ledgerError}: reconnects are not blocked until a retry records it`]
    .filter(Boolean)
    .join('; ');
  const status = result.status === 'revoked' || result.status === 'partial' ? 'partial' : 'failed';
  return { status, message };
}
