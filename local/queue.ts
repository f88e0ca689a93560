import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Invocation } from './lambda-host.ts';

export interface QueueSettings {
  /** Receives before a message moves to the dead-letter queue (the redrive policy's maxReceiveCount). */
  readonly maxReceiveCount: number;
  /** Messages per invocation (the event source mapping's BatchSize). */
  readonly batchSize: number;
  readonly queueArn?: string;
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
}

/**
 * SQS with a redrive policy in front of a function with ReportBatchItemFailures, minus the waiting:
 * messages named in batchItemFailures, or in a batch whose invocation failed or timed out, come back
 * with a higher receive count until they succeed or are dead-lettered.
 */
export class LocalQueue {
  private readonly messages: Message[] = [];
  readonly deadLetters: string[] = [];

  constructor(private readonly settings: QueueSettings) {}

  send(body: unknown): string {
    const messageId = randomUUID();
    this.messages.push({
      messageId,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      receiveCount: 0,
    });
    return messageId;
  }

  get depth(): number {
    return this.messages.length;
  }

  /** Delivers batches to `invoke` until the queue is empty. */
  async drain(invoke: (event: SQSEvent) => Promise<Invocation>): Promise<DeliveryReport> {
    const invocations: Invocation[] = [];
    const deadLettered: string[] = [];
    while (this.messages.length > 0) {
      const batch = this.messages.splice(0, this.settings.batchSize);
      for (const message of batch) message.receiveCount++;
      const invocation = await invoke({ Records: batch.map((message) => this.toRecord(message)) });
      invocations.push(invocation);
      const failed = failedMessageIds(invocation, batch);
      for (const message of batch) {
        if (!failed.has(message.messageId)) continue;
        if (message.receiveCount >= this.settings.maxReceiveCount) {
          this.deadLetters.push(message.body);
          deadLettered.push(message.body);
        } else {
          this.messages.push(message);
        }
      }
    }
    return { invocations, deadLettered };
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
