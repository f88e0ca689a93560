import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { REVOKER_METRICS } from '../../contracts/metrics.ts';

/**
 * Failed requests come back after a short, growing, jittered delay instead of the queue's visibility timeout
 * (6 × the function timeout, minutes): attempt n waits between half and all of BASE × 2^(n-1), capped at
 * MAX — about 2.5–5 s after the first failure, 5–10 s, 10–20 s, 20–40 s, so a request exhausts the
 * redrive limit (5 receives) within about 40–75 s rather than half an hour. Half of the delay is fixed so
 * that retries never bunch at zero; the random half spreads requests that failed together (a throttled
 * region) so they do not come back at once.
 */
export const RETRY_BASE_DELAY_SECONDS = 5;
export const RETRY_MAX_DELAY_SECONDS = 300;

/** Seconds the message stays invisible after failing on delivery `attempt` (1-based). */
export function retryDelaySeconds(attempt: number, random: () => number): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 16));
  const ceiling = Math.min(RETRY_MAX_DELAY_SECONDS, RETRY_BASE_DELAY_SECONDS * 2 ** exponent);
  return Math.max(1, Math.round(ceiling / 2 + random() * (ceiling / 2)));
}

/** A message to hand back to its queue, visible again after `delaySeconds`. */
export interface HandBack {
  readonly queueArn: string;
  readonly receiptHandle: string;
  readonly delaySeconds: number;
}

/** A message whose visibility SQS did not change, and why. */
export interface Unchanged {
  readonly receiptHandle: string;
  readonly reason: string;
}

/** Sets each message's visibility; resolves to the messages whose change SQS did not take. */
export type ChangeVisibility = (messages: readonly HandBack[]) => Promise<readonly Unchanged[]>;

export interface RetryBackoffDependencies {
  readonly changeVisibility: ChangeVisibility;
  readonly random: () => number;
  readonly logger: { warn(message: string, extra: Record<string, unknown>): void };
  readonly metrics: { addMetric(name: string, unit: 'Count', value: number): void };
}

/**
 * Shortens the wait of every batch item failure before the response goes back to Lambda. Best effort: a
 * message whose change fails is still reported as failed and comes back at the visibility timeout — never
 * lost — and the dead-letter path (maxReceiveCount) is untouched, since each delivery still counts.
 *
 * Powertools batch processing is not used: it reports failures as this function already does, but neither
 * changes visibility nor lets one batch share the endpoint discovery its requests need.
 */
export const scheduleRetries =
  (deps: RetryBackoffDependencies) =>
  async (records: readonly SQSRecord[], response: SQSBatchResponse): Promise<SQSBatchResponse> => {
    const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    const messages = records
      .filter((record) => failed.has(record.messageId))
      .map((record) => ({
        queueArn: record.eventSourceARN,
        receiptHandle: record.receiptHandle,
        delaySeconds: retryDelaySeconds(Number(record.attributes.ApproximateReceiveCount) || 1, deps.random),
      }));
    if (messages.length === 0) return response;
    let unchanged: readonly Unchanged[];
    try {
      unchanged = await deps.changeVisibility(messages);
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      unchanged = messages.map((message) => ({ receiptHandle: message.receiptHandle, reason }));
    }
    if (unchanged.length > 0) {
      deps.logger.warn(
        'Could not shorten the retry delay; these requests come back at the visibility timeout',
        {
          messageIds: unchanged.map(({ receiptHandle }) => messageIdOf(records, receiptHandle)),
          reasons: [...new Set(unchanged.map(({ reason }) => reason))],
        },
      );
    }
    deps.metrics.addMetric(REVOKER_METRICS.retriesScheduled, 'Count', messages.length - unchanged.length);
    if (unchanged.length > 0)
      deps.metrics.addMetric(REVOKER_METRICS.retryBackoffFailed, 'Count', unchanged.length);
    return response;
  };

const messageIdOf = (records: readonly SQSRecord[], receiptHandle: string) =>
  records.find((record) => record.receiptHandle === receiptHandle)?.messageId ?? 'unknown';
