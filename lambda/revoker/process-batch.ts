import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { RevocationRequest } from '../core/request.ts';
import type { ProcessBatchDependencies } from './batch-dependencies.ts';
import { batchItemOf, settleAlone } from './batch-item.ts';
import { prepareRequest } from './prepare-request.ts';
import { publishOutcomes } from './publish-outcomes.ts';
import { recordInLedger } from './record-in-ledger.ts';
import { revokeRequests } from './revoke-requests.ts';

export type {
  BatchLogger,
  BatchMetrics,
  LookUpUserName,
  ProcessBatchDependencies,
} from './batch-dependencies.ts';

/**
 * Turns an SQS batch of trigger events into revocations and outcome events. A request whose work is
 * incomplete, or whose outcome could not be published, is reported as a batch item failure so the queue
 * redelivers it (and dead-letters it after the redrive limit); a malformed event is rejected, never retried.
 *
 * The steps, each in its own module: prepare (parse, resolve, break-glass), record in the ledger, revoke
 * through the engine, publish the outcomes.
 */
export const processRevocationBatch =
  (deps: ProcessBatchDependencies) =>
  async (
    records: readonly SQSRecord[],
    options: { readonly deadline: number },
  ): Promise<SQSBatchResponse> => {
    const startedAt = deps.now();
    const items = records.map(batchItemOf);
    // Each message settles on its own: an unexpected throw for one (a bug, a poison message) fails that one,
    // never its batch-mates, so only it is retried and dead-lettered.
    await Promise.all(
      items.map((item) => settleAlone(deps, item, startedAt, () => prepareRequest(deps, item, startedAt))),
    );
    // The ledger must hold a revocation before its first Terminate, not before discovery: the writes run
    // beside the listing, and the engine waits for them only before terminating.
    const ledgerWritten = recordInLedger(deps, items, startedAt);
    const toRevoke = items.filter((item) => item.request?.action === 'revoke' && !item.outcome);
    const stillWanted = ledgerWritten.then(() => {
      // A revocation the ledger found superseded (re-enabled since) has its outcome already: it is not applied.
      const superseded = new Set(toRevoke.filter((item) => item.outcome).map((item) => item.request));
      return (request: RevocationRequest) => !superseded.has(request);
    });
    await revokeRequests(deps, toRevoke, { deadline: options.deadline, admit: stillWanted }, ledgerWritten);
    await publishOutcomes(deps, items);

    return {
      batchItemFailures: items
        .filter((item) => item.retry)
        .map((item) => ({ itemIdentifier: item.record.messageId })),
    };
  };
