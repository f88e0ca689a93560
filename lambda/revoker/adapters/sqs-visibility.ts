import type { SQSClient } from '@aws-sdk/client-sqs';
import { type InstrumentClient, uninstrumented } from '../../core/adapters/instrument-client.ts';
import type { ChangeVisibility, HandBack, Unchanged } from '../retry-backoff.ts';

/** ChangeMessageVisibilityBatch takes at most 10 entries. */
const ENTRIES_PER_CALL = 10;

/** `arn:<partition>:sqs:<region>:<account>:<name>` → the queue URL SQS expects. */
export function queueUrlOf(queueArn: string): string {
  const [, partition, service, region, account, name] = queueArn.split(':');
  if (service !== 'sqs' || !partition || !region || !account || !name) {
    throw new Error(`expected an SQS queue ARN, got "${queueArn}"`);
  }
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${account}/${name}`;
}

/**
 * ChangeMessageVisibilityBatch through an SQS client loaded on first use: only a batch with a failed
 * request needs it, so a cold start does not pay for it.
 */
export function sqsVisibility(instrumentClient: InstrumentClient = uninstrumented): ChangeVisibility {
  let loaded: Promise<{ client: SQSClient; sdk: typeof import('@aws-sdk/client-sqs') }> | undefined;
  return async (messages) => {
    loaded ??= import('@aws-sdk/client-sqs').then((sdk) => ({
      sdk,
      // The queue URL names the regional endpoint already; AWS_ENDPOINT_URL_SQS (when set) must win over it.
      client: instrumentClient(new sdk.SQSClient({ useQueueUrlAsEndpoint: false, maxAttempts: 3 })),
    }));
    const { sdk, client } = await loaded;
    const unchanged: Unchanged[] = [];
    // One event source mapping reads one queue, but nothing here depends on it.
    const byQueue = new Map<string, HandBack[]>();
    for (const message of messages)
      byQueue.set(message.queueArn, [...(byQueue.get(message.queueArn) ?? []), message]);
    for (const [queueArn, queued] of byQueue) {
      for (let start = 0; start < queued.length; start += ENTRIES_PER_CALL) {
        const entries: HandBack[] = queued.slice(start, start + ENTRIES_PER_CALL);
        try {
          const reply = await client.send(
            new sdk.ChangeMessageVisibilityBatchCommand({
              QueueUrl: queueUrlOf(queueArn),
              Entries: entries.map((entry, index) => ({
                Id: String(index),
                ReceiptHandle: entry.receiptHandle,
                VisibilityTimeout: entry.delaySeconds,
              })),
            }),
          );
          for (const failure of reply.Failed ?? []) {
            const entry = entries[Number(failure.Id)];
            if (entry)
              unchanged.push({
                receiptHandle: entry.receiptHandle,
                reason: `${failure.Code}: ${failure.Message}`,
              });
          }
        } catch (error) {
          const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          unchanged.push(...entries.map((entry) => ({ receiptHandle: entry.receiptHandle, reason })));
        }
      }
    }
    return unchanged;
  };
}
