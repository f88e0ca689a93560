import { type LedgerWriteResult, type RevocationLedger, recordEveryName } from '../core/ledger.ts';
import { namesOf, type RevocationRequest } from '../core/request.ts';
import type { ProcessBatchDependencies } from './batch-dependencies.ts';
import { type BatchItem, errorText, failForRetry, finishEarly, settleAlone } from './batch-item.ts';

// The ledger step: reconnects are denied from the revocation's record, so it is written before any Terminate;
// a lift is done once its record is written, and a request the ledger finds superseded ends here.

/** Writes the ledger for every prepared request that is not a dry run; each write settles on its own. */
export async function recordInLedger(
  deps: ProcessBatchDependencies,
  items: readonly BatchItem[],
  startedAt: number,
) {
  const { ledger } = deps;
  if (!ledger) return;
  await Promise.all(
    items.map(async (item) => {
      const { request } = item;
      if (!request || item.outcome || request.dryRun) return;
      await settleAlone(deps, item, startedAt, () => writeLedger(deps, ledger, item, request, startedAt));
    }),
  );
}

/** Records the revocation (before any Terminate) or the lift; an older event than the stored one changes nothing. */
async function writeLedger(
  deps: ProcessBatchDependencies,
  ledger: RevocationLedger,
  item: BatchItem,
  request: RevocationRequest,
  startedAt: number,
): Promise<void> {
  const change = {
    identity: request.identity,
    source: request.trigger.source,
    reason: request.reason,
    requestId: request.requestId,
    eventTime: request.trigger.eventTime,
  };
  let result: LedgerWriteResult;
  try {
    result = await recordEveryName(ledger, request.action, change, namesOf(request));
  } catch (error) {
    item.ledger = { status: 'unavailable' };
    item.ledgerError = `The revocation ledger could not be written (${errorText(error)})`;
    deps.logger.error('Ledger write failed', {
      requestId: request.requestId,
      action: request.action,
      identity: deps.identityForLogs(request.identity),
      error: errorText(error),
    });
    if (request.action === 'lift') {
      // Nothing else to do for a lift: it is retried until the ledger takes it.
      failForRetry(deps, item, request, item.ledgerError, startedAt);
    }
    return;
  }
  const entry = result.kind === 'recorded' ? result.entry : result.current;
  item.ledger = {
    status: result.kind,
    state: entry.state,
    eventTime: entry.eventTime,
    // A revocation never expires (a record from an earlier version may still carry an expiry until swept).
    ...(entry.state === 'lifted' && entry.expiresAt !== undefined && { expiresAt: entry.expiresAt }),
  };
  if (result.kind === 'superseded' && (request.action === 'lift' || entry.state === 'lifted')) {
    // A later event decided the other way (e.g. re-enabled after this disable): applying this one would undo it.
    finishEarly(deps, item, 'skipped', startedAt, {
      skipReason: 'superseded',
      message:
        `Superseded: the ledger holds a later event for this identity (${entry.state} at ${entry.eventTime}); ` +
        `this ${request.action} from ${request.trigger.eventTime} is not applied`,
    });
  } else if (request.action === 'lift') {
    finishEarly(deps, item, 'lifted', startedAt, {
      message: 'The revocation is lifted: reconnects are allowed again',
    });
  }
}
