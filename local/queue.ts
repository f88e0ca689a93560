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
  /**
   * How long a message the function hands back stays invisible (the queue's VisibilityTimeout, in queue ms);
   * default 0: it comes back at once.
   */
  readonly visibilityTimeoutMs?: number;
  /**
   * The visibility the function set for a received message (SQS ChangeMessageVisibility, e.g. served by the
   * emulator), in queue ms; `undefined` when it set none, so the visibility timeout applies.
   */
  readonly visibilityMsOf?: (receiptHandle: string) => number | undefined;
  /**
   * Called with the queue time skipped while every message left was invisible and nothing else could happen
   * (nothing in flight, no producer): lets other clocks (the emulator's) move on as much.
   */
  readonly onTimeSkipped?: (ms: number) => void;
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
  /** Queue time from which it may be received. */
  visibleAt: number;
}

/** A message the function handed back, and how long it then stayed invisible. */
export interface Retry {
  readonly messageId: string;
  readonly body: string;
  /** The receive that failed (1-based). */
  readonly receiveCount: number;
  /** Queue ms from the end of that invocation until the message could be received again. */
  readonly invisibleForMs: number;
}

export interface DeliveryReport {
  readonly invocations: Invocation[];
  /** Message bodies moved to the dead-letter queue after maxReceiveCount receives. */
  readonly deadLettered: string[];
  /** Most invocations that were in flight at the same time. */
  readonly peakConcurrency: number;
  /** Every failed delivery that went back to the queue (not the dead-lettered ones), in order. */
  readonly retries: Retry[];
  /** Queue time the drain took, the skipped waits for invisible messages included. */
  readonly elapsedMs: number;
}

/**
 * SQS with a redrive policy in front of a function with ReportBatchItemFailures: messages named in
 * batchItemFailures, or in a batch whose invocation failed or timed out, come back with a higher receive
 * count until they succeed or are dead-lettered — after the visibility the function set for them
 * (ChangeMessageVisibility), else after the queue's visibility timeout. Time is real while anything can
 * happen and skipped when nothing can (every message left is invisible, nothing in flight, no producer), so
 * a 6-minute visibility timeout costs no wall-clock time yet shows in `elapsedMs` and `retries`. Up to `maxConcurrency` pollers
 * each take a batch and wait for its invocation, as the event source mapping does; while a producer is
 * still sending, a poller waits up to the batching window for a full batch.
 */
export class LocalQueue {
  private readonly messages: Message[] = [];
  readonly deadLetters: string[] = [];
  /** Queue time skipped so far: queue time is wall-clock time plus this. */
  private skippedMs = 0;
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
      visibleAt: this.now(),
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
    const retries: Retry[] = [];
    const startedAt = this.now();
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
        const nextVisibleAt = Math.min(...this.messages.map((message) => message.visibleAt));
        if (nextVisibleAt > this.now()) {
          if (!producing && inFlight === 0) this.skipTo(nextVisibleAt);
          else await this.changedOrAt(nextVisibleAt);
          continue;
        }
        if (producing) await this.gather(() => producing);
        const batch = this.takeVisible(batchSize);
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
            const invisibleForMs = this.invisibleForMs(message);
            message.visibleAt = this.now() + invisibleForMs;
            retries.push({ ...pick(message), invisibleForMs });
            this.messages.push(message);
          }
        }
        this.notify();
      }
    };
    await Promise.all(Array.from({ length: maxConcurrency }, poll));
    await options.until;
    return { invocations, deadLettered, peakConcurrency, retries, elapsedMs: this.now() - startedAt };
  }

  /** Queue time (ms): the wall clock plus the waits skipped. */
  private now(): number {
    return performance.now() + this.skippedMs;
  }

  private skipTo(time: number): void {
    const ms = time - this.now();
    if (ms <= 0) return;
    this.skippedMs += ms;
    this.settings.onTimeSkipped?.(ms);
  }

  /** The visibility the function set on this receive, else the queue's visibility timeout. */
  private invisibleForMs(message: Message): number {
    const set = this.settings.visibilityMsOf?.(receiptHandleOf(message));
    return set ?? this.settings.visibilityTimeoutMs ?? 0;
  }

  /** Removes and returns up to `count` visible messages, oldest first. */
  private takeVisible(count: number): Message[] {
    const now = this.now();
    const taken: Message[] = [];
    for (let index = 0; index < this.messages.length && taken.length < count; ) {
      const message = this.messages[index];
      if (message && message.visibleAt <= now) {
        taken.push(message);
        this.messages.splice(index, 1);
      } else {
        index++;
      }
    }
    return taken;
  }

  /** Resolves at the next change, or once queue time reaches `time`. */
  private async changedOrAt(time: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.changed(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, time - this.now()));
      }),
    ]);
    clearTimeout(timer);
  }

  /** Waits, up to the batching window, for a full batch while `producing()` holds. */
  private async gather(producing: () => boolean): Promise<void> {
    const { batchSize, batchingWindowMs = 0 } = this.settings;
    const deadline = performance.now() + batchingWindowMs;
    const visible = () => this.messages.filter((message) => message.visibleAt <= this.now()).length;
    while (producing() && visible() > 0 && visible() < batchSize) {
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
      receiptHandle: receiptHandleOf(message),
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

/** A new handle per receive, as SQS issues. */
const receiptHandleOf = (message: Message) => `${message.messageId}#${message.receiveCount}`;

const pick = ({ messageId, body, receiveCount }: Message) => ({ messageId, body, receiveCount });

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
