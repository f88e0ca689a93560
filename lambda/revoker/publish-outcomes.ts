import { REVOKER_METRICS } from '../../contracts/metrics.ts';
import { type OutcomeDetail, outcomeDetailSchema } from '../core/outcome.ts';
import type { PublishResult } from '../engine/adapters/eventbridge-outcomes.ts';
import type { BatchMetrics, ProcessBatchDependencies } from './batch-dependencies.ts';
import { type BatchItem, errorText } from './batch-item.ts';

// The last step: a request is done only once its outcome event is out, so an outcome that is not published
// sends its message back to the queue. Each outcome is logged and counted here, published or not.

export async function publishOutcomes(deps: ProcessBatchDependencies, items: readonly BatchItem[]) {
  const withOutcome = items.filter((item): item is BatchItem & { outcome: OutcomeDetail } => !!item.outcome);
  // The outcome is a public contract: an outcome breaking its schema is a bug and must not go out — that
  // request alone counts as not published, so it goes back to the queue (and to the dead-letter queue).
  const checked = withOutcome.map((item) => outcomeDetailSchema.safeParse(item.outcome));
  const valid = withOutcome.flatMap((_item, index) => {
    const check = checked[index];
    return check?.success ? [check.data] : [];
  });
  let sent: PublishResult[];
  try {
    sent = await deps.publish(valid);
  } catch (error) {
    // Not expected (the publisher reports failures per entry): every request in it is retried.
    sent = valid.map(() => ({ published: false, error: errorText(error) }));
  }
  let next = 0;
  const published = checked.map((check): PublishResult | undefined =>
    check.success
      ? sent[next++]
      : { published: false, error: `the outcome breaks its schema: ${check.error.message}` },
  );
  withOutcome.forEach((item, index) => {
    const result = published[index];
    const { outcome } = item;
    const log = {
      requestId: outcome.requestId,
      messageId: item.record.messageId,
      status: outcome.status,
      action: outcome.action,
      identity: deps.identityForLogs(outcome.identity),
      attempt: item.attempt,
      summary: outcome.summary,
      ...(outcome.message && { detail: outcome.message }),
    };
    if (result?.published) {
      deps.logger.info('Revocation outcome published', log);
    } else {
      // A request is not done until its outcome is published: hand it back to the queue.
      item.retry = true;
      deps.logger.error('Outcome could not be published; the request will be retried', {
        ...log,
        error: result?.published === false ? result.error : 'no result',
      });
    }
    recordMetrics(deps.metrics, outcome, !!result?.published);
  });
}

function recordMetrics(metrics: BatchMetrics, outcome: OutcomeDetail, published: boolean) {
  metrics.addMetric(REVOKER_METRICS.outcome(outcome.status), 'Count', 1);
  metrics.addMetric(REVOKER_METRICS.connectionsFound, 'Count', outcome.summary.connectionsFound);
  metrics.addMetric(REVOKER_METRICS.connectionsTerminated, 'Count', outcome.summary.connectionsTerminated);
  metrics.addMetric(REVOKER_METRICS.connectionsRemaining, 'Count', outcome.summary.connectionsRemaining);
  if (!published) metrics.addMetric(REVOKER_METRICS.outcomePublishFailed, 'Count', 1);
  // Revocations only (a rejected event has no action): from the identity provider's event to this outcome,
  // queueing, batching and earlier attempts included (a clock ahead of ours counts as 0), and the part spent
  // in this invocation.
  if (outcome.action !== 'revoke') return;
  const latencyMs = Date.parse(outcome.timings.finishedAt) - Date.parse(outcome.trigger.eventTime);
  if (Number.isFinite(latencyMs)) {
    metrics.addMetric(REVOKER_METRICS.revocationLatency, 'Milliseconds', Math.max(0, latencyMs));
  }
  metrics.addMetric(REVOKER_METRICS.revocationProcessingTime, 'Milliseconds', outcome.timings.durationMs);
}
