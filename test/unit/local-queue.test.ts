import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { Invocation } from '../../local/lambda-host.ts';
import { LocalQueue } from '../../local/queue.ts';

const VISIBILITY_TIMEOUT_MS = 360_000;

/** A function that fails every message whose body is in `failing`, for its first `times` receives. */
const failingFunction =
  (failing: readonly string[], times: number) =>
  async (event: SQSEvent): Promise<Invocation> => {
    const result: SQSBatchResponse = {
      batchItemFailures: event.Records.filter(
        (record) =>
          failing.includes(record.body) && Number(record.attributes.ApproximateReceiveCount) <= times,
      ).map((record) => ({ itemIdentifier: record.messageId })),
    };
    return { kind: 'result', result, durationMs: 0 };
  };

describe('LocalQueue visibility', () => {
  it('brings a failed message back after the visibility the function set, skipping the idle wait', async () => {
    // Prepare: the function asks for 2 s, then 4 s
    const skipped: number[] = [];
    const handles: string[] = [];
    const queue = new LocalQueue({
      maxReceiveCount: 5,
      batchSize: 10,
      visibilityTimeoutMs: VISIBILITY_TIMEOUT_MS,
      visibilityMsOf: (receiptHandle) => {
        handles.push(receiptHandle);
        return receiptHandle.endsWith('#1') ? 2_000 : 4_000;
      },
      onTimeSkipped: (ms) => skipped.push(ms),
    });
    queue.send('fails twice');
    queue.send('succeeds');

    // Act
    const report = await queue.drain(failingFunction(['fails twice'], 2));

    // Assess
    expect(
      report.retries.map(({ body, receiveCount, invisibleForMs }) => [body, receiveCount, invisibleForMs]),
    ).toEqual([
      ['fails twice', 1, 2_000],
      ['fails twice', 2, 4_000],
    ]);
    expect(report.invocations).toHaveLength(3);
    expect(report.deadLettered).toEqual([]);
    expect(report.elapsedMs).toBeGreaterThanOrEqual(6_000);
    expect(report.elapsedMs).toBeLessThan(VISIBILITY_TIMEOUT_MS);
    expect(skipped).toHaveLength(2);
    expect(handles.every((handle) => /#[12]$/.test(handle))).toBe(true);
  });

  it("waits out the queue's visibility timeout when the function set none, then dead-letters at maxReceiveCount", async () => {
    // Prepare
    const queue = new LocalQueue({
      maxReceiveCount: 3,
      batchSize: 10,
      visibilityTimeoutMs: VISIBILITY_TIMEOUT_MS,
    });
    queue.send('always fails');

    // Act
    const report = await queue.drain(failingFunction(['always fails'], Number.POSITIVE_INFINITY));

    // Assess
    expect(report.retries.map((retry) => retry.invisibleForMs)).toEqual([
      VISIBILITY_TIMEOUT_MS,
      VISIBILITY_TIMEOUT_MS,
    ]);
    expect(report.deadLettered).toEqual(['always fails']);
    expect(report.elapsedMs).toBeGreaterThanOrEqual(2 * VISIBILITY_TIMEOUT_MS);
  });
});
