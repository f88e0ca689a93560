import { randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { RevocationRequest } from '../../lambda/core/request.ts';
import { oktaEventFor } from '../../local/example-events.ts';
import { RUNBOOK_DETAIL_TYPE } from '../../sources/runbook/events.ts';

export const OKTA_SOURCE = 'aws.partner/okta.com/example-org/vpn-kill-switch';

/** The sample Okta deactivate event, re-targeted at `login` and given a fresh id. */
export const oktaEvent = (login: string, eventType = 'user.lifecycle.deactivate') =>
  oktaEventFor(login, { source: OKTA_SOURCE, eventType });

/** A runbook request as EventBridge delivers it; a lift request with `RUNBOOK_LIFT_DETAIL_TYPE`. */
export function runbookEvent(
  detail: Record<string, unknown>,
  source = 'client-vpn-revoker.runbook',
  detailType = RUNBOOK_DETAIL_TYPE,
) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source,
    account: '111122223333',
    time: '2026-11-22T10:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

/** An SQS record as the event source mapping delivers an EventBridge event put on the queue. */
/**
 * An SQS record as the event source mapping delivers an EventBridge event put on the queue: received a second
 * after the event's `time` (when it has one), unless `sentAt` (ms) says when the queue received it.
 */
export function sqsRecord(body: unknown, receiveCount = 1, sentAt?: number): SQSRecord {
  const eventTime = Date.parse(String((body as { time?: unknown } | null)?.time ?? ''));
  const sentTimestamp = String(
    sentAt ?? (Number.isNaN(eventTime) ? Date.parse('2026-11-22T10:00:00Z') : eventTime + 1000),
  );
  return {
    messageId: randomUUID(),
    receiptHandle: 'handle',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: sentTimestamp,
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: sentTimestamp,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:revocation-requests',
    awsRegion: 'us-east-1',
  };
}

export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

/** A revocation request as the engine receives it, already parsed from its source event. */
export const revocationRequest = (
  identity: string,
  overrides: Partial<RevocationRequest> = {},
): RevocationRequest => ({
  action: 'revoke',
  requestId: `req-${identity}`,
  trigger: { source: 'test', detailType: 'test', eventType: 'test', eventTime: '2026-11-22T10:00:00Z' },
  identity,
  reason: 'left the company',
  dryRun: false,
  ...overrides,
});
