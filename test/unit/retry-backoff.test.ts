import type { SQSBatchResponse } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { queueUrlOf, sqsVisibility } from '../../lambda/revoker/adapters/sqs-visibility.ts';
import {
  type ChangeVisibility,
  RETRY_MAX_DELAY_SECONDS,
  retryDelaySeconds,
  scheduleRetries,
} from '../../lambda/revoker/retry-backoff.ts';
import { useEmulator } from '../emulator/helpers.ts';
import { sqsRecord } from '../support/events.ts';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:111122223333:revocation-requests';

describe('retryDelaySeconds', () => {
  it.each([
    [1, 3, 5],
    [2, 5, 10],
    [3, 10, 20],
    [4, 20, 40],
    [5, 40, 80],
    [12, RETRY_MAX_DELAY_SECONDS / 2, RETRY_MAX_DELAY_SECONDS],
    [1000, RETRY_MAX_DELAY_SECONDS / 2, RETRY_MAX_DELAY_SECONDS],
  ])('waits between half and all of the doubling, capped delay after attempt %i', (attempt, low, high) => {
    // Act
    const shortest = retryDelaySeconds(attempt, () => 0);
    const longest = retryDelaySeconds(attempt, () => 0.999_999);

    // Assess
    expect(shortest).toBe(low);
    expect(longest).toBe(high);
  });
});

describe('scheduleRetries', () => {
  const setup = (changeVisibility: ChangeVisibility) => {
    const warnings: Record<string, unknown>[] = [];
    const metrics: Record<string, number> = {};
    const schedule = scheduleRetries({
      changeVisibility,
      random: () => 0,
      logger: { warn: (_message, extra) => warnings.push(extra) },
      metrics: { addMetric: (name, _unit, value) => (metrics[name] = (metrics[name] ?? 0) + value) },
    });
    return { schedule, warnings, metrics };
  };
  const records = [1, 3, 2].map((receiveCount, index) => ({
    ...sqsRecord({ id: `event-${index}` }, receiveCount),
    receiptHandle: `handle-${index}`,
    eventSourceARN: QUEUE_ARN,
  }));
  const failing = (...indexes: number[]): SQSBatchResponse => ({
    batchItemFailures: indexes.map((index) => ({ itemIdentifier: records[index]?.messageId ?? '' })),
  });

  it('hands back each failed item with the delay of its attempt, and leaves the response as it is', async () => {
    // Prepare
    const changeVisibility = vi.fn<ChangeVisibility>(async () => []);
    const { schedule, metrics } = setup(changeVisibility);
    const response = failing(1, 2);

    // Act
    const returned = await schedule(records, response);

    // Assess
    expect(returned).toBe(response);
    expect(changeVisibility).toHaveBeenCalledExactlyOnceWith([
      { queueArn: QUEUE_ARN, receiptHandle: 'handle-1', delaySeconds: 10 },
      { queueArn: QUEUE_ARN, receiptHandle: 'handle-2', delaySeconds: 5 },
    ]);
    expect(metrics).toEqual({ RetriesScheduled: 2 });
  });

  it('calls SQS only when an item failed', async () => {
    // Prepare
    const changeVisibility = vi.fn<ChangeVisibility>(async () => []);
    const { schedule } = setup(changeVisibility);

    // Act
    await schedule(records, failing());

    // Assess
    expect(changeVisibility).not.toHaveBeenCalled();
  });

  it('still reports every failure when SQS refuses, and says which requests wait for the visibility timeout', async () => {
    // Prepare
    const { schedule, warnings, metrics } = setup(async () => {
      throw Object.assign(new Error('Service unavailable'), { name: 'InternalError' });
    });
    const response = failing(0, 2);

    // Act
    const returned = await schedule(records, response);

    // Assess
    expect(returned.batchItemFailures).toEqual(response.batchItemFailures);
    expect(warnings).toEqual([
      {
        messageIds: [records[0]?.messageId, records[2]?.messageId],
        reasons: ['InternalError: Service unavailable'],
      },
    ]);
    expect(metrics).toEqual({ RetriesScheduled: 0, RetryBackoffFailed: 2 });
  });
});

describe('sqsVisibility against the emulator', () => {
  const emu = useEmulator();
  /** What the Lambda runtime and the local runner give the function. */
  const stubFunctionEnv = () => {
    for (const [name, value] of Object.entries({
      ...emu.env,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIALOCAL',
      AWS_SECRET_ACCESS_KEY: 'local',
    }))
      vi.stubEnv(name, value);
  };
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('sets the visibility of up to 10 messages per ChangeMessageVisibilityBatch call, through AWS_ENDPOINT_URL_SQS', async () => {
    // Prepare
    stubFunctionEnv();
    const messages = Array.from({ length: 12 }, (_, index) => ({
      queueArn: QUEUE_ARN,
      receiptHandle: `handle-${index}`,
      delaySeconds: index + 1,
    }));

    // Act
    const unchanged = await sqsVisibility()(messages);

    // Assess
    expect(unchanged).toEqual([]);
    const calls = emu.calls().filter((call) => call.service === 'sqs');
    expect(calls.map((call) => [call.action, (call.params.Entries as unknown[]).length])).toEqual([
      ['ChangeMessageVisibilityBatch', 10],
      ['ChangeMessageVisibilityBatch', 2],
    ]);
    expect(calls[0]?.params.QueueUrl).toBe(
      'https://sqs.us-east-1.amazonaws.com/111122223333/revocation-requests',
    );
    expect(emu.sqs.visibilityOf('handle-11')).toBe(12);
  });

  it('reports the entries SQS refused, with its reason', async () => {
    // Prepare
    stubFunctionEnv();

    // Act
    const unchanged = await sqsVisibility()([
      { queueArn: QUEUE_ARN, receiptHandle: 'ok', delaySeconds: 5 },
      { queueArn: QUEUE_ARN, receiptHandle: 'too-long', delaySeconds: 50_000 },
    ]);

    // Assess
    expect(unchanged).toEqual([
      {
        receiptHandle: 'too-long',
        reason: expect.stringMatching(/^InvalidParameterValue: .*VisibilityTimeout/),
      },
    ]);
    expect(emu.sqs.visibilityOf('ok')).toBe(5);
  });
});

describe('queueUrlOf', () => {
  it('turns a queue ARN into its URL, per partition, and refuses anything else', () => {
    expect(queueUrlOf(QUEUE_ARN)).toBe(
      'https://sqs.us-east-1.amazonaws.com/111122223333/revocation-requests',
    );
    expect(queueUrlOf('arn:aws-cn:sqs:cn-north-1:111122223333:q')).toBe(
      'https://sqs.cn-north-1.amazonaws.com.cn/111122223333/q',
    );
    expect(() => queueUrlOf('arn:aws:sns:us-east-1:111122223333:topic')).toThrow(
      'expected an SQS queue ARN, got "arn:aws:sns:us-east-1:111122223333:topic"',
    );
  });
});
