import { jsonResponse, type RequestContext, ServiceError, type WireResponse } from './protocol.ts';

/**
 * SQS `ChangeMessageVisibility` and `ChangeMessageVisibilityBatch` (AWS JSON 1.0, target prefix `AmazonSQS`):
 * what a function does to hand a message back sooner than the queue's visibility timeout. The emulator holds
 * no queue: it records the latest timeout asked for each receipt handle, and the local queue
 * (`local/queue.ts`) applies it when the message comes back. `failNext` answers the next calls with a 500,
 * as an unavailable SQS would.
 */

export const SQS_TARGET_PREFIX = 'AmazonSQS';

/** SQS allows 0 to 12 hours. */
const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;
/** Entries per ChangeMessageVisibilityBatch. */
const MAX_BATCH_ENTRIES = 10;

export interface VisibilityChange {
  readonly queueUrl: string;
  readonly receiptHandle: string;
  readonly visibilityTimeoutSeconds: number;
}

export interface SqsControls {
  /** The latest visibility timeout set for this receipt handle, if any. */
  visibilityOf(receiptHandle: string): number | undefined;
  /** Every change, oldest first. */
  visibilityChanges(): VisibilityChange[];
  /** The next `count` calls (default: all) answer HTTP 500 InternalError. */
  failNext(count?: number): void;
  clear(): void;
}

const invalid = (message: string) => new ServiceError('InvalidParameterValue', 400, message);

const text = (input: Record<string, unknown>, key: string): string => {
  const value = input[key];
  if (typeof value !== 'string' || value === '') throw invalid(`${key} must be a non-empty string`);
  return value;
};

const timeout = (input: Record<string, unknown>): number => {
  const value = input.VisibilityTimeout;
  if (
    !(
      Number.isInteger(value) &&
      (value as number) >= 0 &&
      (value as number) <= MAX_VISIBILITY_TIMEOUT_SECONDS
    )
  ) {
    throw invalid(
      `Value ${String(value)} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and ` +
        `${MAX_VISIBILITY_TIMEOUT_SECONDS}.`,
    );
  }
  return value as number;
};

export function createSqs(): {
  readonly handle: (action: string, input: Record<string, unknown>, ctx: RequestContext) => WireResponse;
  readonly controls: SqsControls;
} {
  let changes: VisibilityChange[] = [];
  const latest = new Map<string, number>();
  let failures = 0;

  const change = (queueUrl: string, entry: Record<string, unknown>) => {
    const receiptHandle = text(entry, 'ReceiptHandle');
    const visibilityTimeoutSeconds = timeout(entry);
    changes.push({ queueUrl, receiptHandle, visibilityTimeoutSeconds });
    latest.set(receiptHandle, visibilityTimeoutSeconds);
  };

  const handle = (action: string, input: Record<string, unknown>, ctx: RequestContext): WireResponse => {
    if (failures > 0) {
      failures--;
      throw new ServiceError('InternalError', 500, 'We encountered an internal error. Please try again.');
    }
    const queueUrl = text(input, 'QueueUrl');
    if (action === 'ChangeMessageVisibility') {
      change(queueUrl, input);
      return jsonResponse(ctx.requestId, {});
    }
    if (action === 'ChangeMessageVisibilityBatch') {
      const entries = input.Entries;
      if (!Array.isArray(entries) || entries.length === 0) {
        throw new ServiceError(
          'AWS.SimpleQueueService.EmptyBatchRequest',
          400,
          'There should be at least one entry.',
        );
      }
      if (entries.length > MAX_BATCH_ENTRIES) {
        throw new ServiceError(
          'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
          400,
          `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`,
        );
      }
      const successful: { Id: string }[] = [];
      const failed: { Id: string; SenderFault: boolean; Code: string; Message: string }[] = [];
      for (const entry of entries as Record<string, unknown>[]) {
        const id = text(entry, 'Id');
        try {
          change(queueUrl, entry);
          successful.push({ Id: id });
        } catch (error) {
          if (!(error instanceof ServiceError)) throw error;
          failed.push({ Id: id, SenderFault: true, Code: error.code, Message: error.message });
        }
      }
      return jsonResponse(ctx.requestId, { Successful: successful, Failed: failed });
    }
    throw new ServiceError(
      'UnknownOperationException',
      400,
      `Unknown operation ${SQS_TARGET_PREFIX}.${action}`,
    );
  };

  return {
    handle,
    controls: {
      visibilityOf: (receiptHandle) => latest.get(receiptHandle),
      visibilityChanges: () => [...changes],
      failNext: (count = Number.POSITIVE_INFINITY) => {
        failures = count;
      },
      clear: () => {
        changes = [];
        latest.clear();
        failures = 0;
      },
    },
  };
}
