import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Invocation } from './lambda-host.ts';

export interface QueueSettings {
  /** Receives before a message moves to the dead-letter queue (the redrive policy's maxReceiveCount). */
  readonly maxReceiveCount: number;
  /** Messages per invocation (the event source mapping's BatchSize). */
  readonly batchSize: number;
  /** Invocations in flight at most (the mapping's ScalingConfig.MaximumConcurrency); default 1. */
  readonly maxConcurrency?: number;
  /**
   * How long a poller waits for a batch to fill while messages are still arriving (the mapping's
   * MaximumBatchingWindowInSeconds, in wall-clock ms); default 0.
   */
  readonly batchingWindowMs?: number;
  readonly queueArn?: string;
}

export interface DrainOptions {
  /**
   * A producer still sending messages: the queue is drained until it has settled and no message is left
   * (a rejection is rethrown once the queue is empty). Without it, draining ends when the queue is empty.
   */
  readonly until?: PromiseLike<unknown>;
}

interface Message {
  readonly messageId: string;
  readonly body: string;
  receiveCount: number;
}

export interface DeliveryReport {
  readonly invocations: Invocation[];
  /** Message bodies moved to the dead-letter queue after maxReceiveCount receives. */
  readonly deadLettered: string[];
  /** Most invocations that were in flight at the same time. */
  readonly peakConcurrency: number;
}

/**
 * SQS with a redrive policy in front of a function with ReportBatchItemFailures, minus the waiting:
 * messages named in batchItemFailures, or in a batch whose invocation failed or timed out, come back
 * with a higher receive count until they succeed or are dead-lettered. Up to `maxConcurrency` pollers
 * each take a batch and wait for its invocation, as the event source mapping does; while a producer is
 * still sending, a poller waits up to the batching window for a full batch.
 */
export class LocalQueue {
  private readonly messages: Message[] = [];
  readonly deadLetters: string[] = [];
  /** Pollers waiting for a message, a finished invocation or the producer to settle. */
  private waiters: (() => void)[] = [];

  constructor(private readonly settings: QueueSettings) {
    const { maxConcurrency = 1 } = settings;
    if (!(Number.isInteger(maxConcurrency) && maxConcurrency >= 1)) {
      throw new RangeError(`maxConcurrency must be a whole number of at least 1, got ${maxConcurrency}`);
    }
  }

  send(body: unknown): string {
    const messageId = randomUUID();
    this.messages.push({
      messageId,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      receiveCount: 0,
    });
    this.notify();
    return messageId;
  }

  get depth(): number {
    return this.messages.length;
  }

  /**
   * Delivers batches to `invoke`, up to maxConcurrency at a time, until the queue is empty, nothing is in
   * flight and the producer (`until`), if any, has settled.
   */
  async drain(
    invoke: (event: SQSEvent) => Promise<Invocation>,
    options: DrainOptions = {},
  ): Promise<DeliveryReport> {
    const { batchSize, maxConcurrency = 1 } = this.settings;
    const invocations: Invocation[] = [];
    const deadLettered: string[] = [];
    let producing = options.until !== undefined;
    let inFlight = 0;
    let peakConcurrency = 0;
    let failed = false;
    const stopProducing = () => {
      producing = false;
      this.notify();
    };
    options.until?.then(stopProducing, stopProducing);

    const poll = async (): Promise<void> => {
      while (!failed) {
        if (this.messages.length === 0) {
          if (!producing && inFlight === 0) return;
          await this.changed();
          continue;
        }
        if (producing) await this.gather(() => producing);
        const batch = this.messages.splice(0, batchSize);
        if (batch.length === 0) continue;
        for (const message of batch) message.receiveCount++;
        peakConcurrency = Math.max(peakConcurrency, ++inFlight);
        let invocation: Invocation;
        try {
          invocation = await invoke({ Records: batch.map((message) => this.toRecord(message)) });
        } catch (error) {
          failed = true;
          throw error;
        } finally {
          inFlight--;
          this.notify();
        }
        invocations.push(invocation);
        const failedIds = failedMessageIds(invocation, batch);
        for (const message of batch) {
          if (!failedIds.has(message.messageId)) continue;
          if (message.receiveCount >= this.settings.maxReceiveCount) {
            this.deadLetters.push(message.body);
            deadLettered.push(message.body);
          } else {
            this.messages.push(message);
          }
        }
        this.notify();
      }
    };
    await Promise.all(Array.from({ length: maxConcurrency }, poll));
    await options.until;
    return { invocations, deadLettered, peakConcurrency };
  }

  /** Waits, up to the batching window, for a full batch while `producing()` holds. */
  private async gather(producing: () => boolean): Promise<void> {
    const { batchSize, batchingWindowMs = 0 } = this.settings;
    const deadline = performance.now() + batchingWindowMs;
    while (producing() && this.messages.length > 0 && this.messages.length < batchSize) {
      const left = deadline - performance.now();
      if (left <= 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.changed(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, left);
        }),
      ]);
      clearTimeout(timer);
    }
  }

  /** Resolves at the next change: a message sent, an invocation ended, or the producer settled. */
  private changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private toRecord(message: Message): SQSRecord {
    const now = String(Date.now());
    return {
      messageId: message.messageId,
      receiptHandle: `${message.messageId}#${message.receiveCount}`,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: now,
        SenderId: 'events.amazonaws.com',
        ApproximateFirstReceiveTimestamp: now,
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: this.settings.queueArn ?? 'arn:aws:sqs:us-east-1:111122223333:local-queue',
      awsRegion: 'us-east-1',
    };
  }
}

/** Which messages of a batch go back to the queue, by Lambda's partial-batch-response rules. */
function failedMessageIds(invocation: Invocation, batch: readonly Message[]): Set<string> {
  const all = new Set(batch.map((message) => message.messageId));
  if (invocation.kind !== 'result') return all;
  const response = invocation.result as SQSBatchResponse | null | undefined;
  const failures = response?.batchItemFailures ?? [];
  const ids = failures.map((failure) => failure.itemIdentifier);
  // An empty or unknown itemIdentifier fails the whole batch.
  if (ids.some((id) => !id || !all.has(id))) return all;
  return new Set(ids);
}
