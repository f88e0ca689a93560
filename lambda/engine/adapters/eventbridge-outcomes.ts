import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { OUTCOME_DETAIL_TYPE, SWEEP_OUTCOME_DETAIL_TYPE } from '../../../contracts/events.ts';
import type { OutcomeDetail } from '../../core/outcome.ts';
import type { SweepOutcomeDetail } from '../../core/sweep-outcome.ts';

const ENTRIES_PER_CALL = 10;
/** PutEvents refuses a request whose entries add up to more than 256 KB. */
const MAX_REQUEST_BYTES = 256 * 1024;
/** EventBridge rejects entries over 256 KB; keep headroom for the envelope it adds. */
const MAX_DETAIL_BYTES = 240 * 1024;

export type PublishResult =
  | { readonly published: true }
  | { readonly published: false; readonly error: string };
/** Publishes details of one kind; one result per detail, in order. */
export type Publish<Detail> = (details: readonly Detail[]) => Promise<PublishResult[]>;
export type PublishOutcomes = Publish<OutcomeDetail>;
export type PublishSweepOutcomes = Publish<SweepOutcomeDetail>;

export interface OutcomePublisherSettings {
  readonly eventBusName: string;
  readonly source: string;
  /** PutEvents attempts per entry; entries the bus refused (`FailedEntryCount`) are sent again. */
  readonly attempts: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** What sets one kind of outcome event apart: its detail-type, its time and how it shrinks to fit. */
export interface OutcomeEventKind<Detail> {
  readonly detailType: string;
  readonly time: (detail: Detail) => Date;
  /** The detail without per-connection details, marked `truncated`, for one too large for an event. */
  readonly truncate: (detail: Detail) => Detail;
}

/** `Client VPN Revocation Outcome`: one per processed request. */
export const revocationOutcomeEvent: OutcomeEventKind<OutcomeDetail> = {
  detailType: OUTCOME_DETAIL_TYPE,
  time: (outcome) => new Date(outcome.timings.finishedAt),
  truncate: (outcome) => ({
    ...outcome,
    truncated: true,
    regions: outcome.regions.map((region) => ({
      ...region,
      endpoints: region.endpoints.map((endpoint) => ({ ...endpoint, connections: [] })),
    })),
  }),
};

/** `Client VPN Session Sweep Outcome`: one per sweep; counts and errors survive truncation. */
export const sweepOutcomeEvent: OutcomeEventKind<SweepOutcomeDetail> = {
  detailType: SWEEP_OUTCOME_DETAIL_TYPE,
  time: (outcome) => new Date(outcome.timings.finishedAt),
  truncate: (outcome) => ({ ...outcome, truncated: true, connections: [] }),
};

/** The detail as JSON, truncated by `kind` when it is too large for one event. */
export function serialiseWithinLimit<Detail>(detail: Detail, kind: OutcomeEventKind<Detail>): string {
  const json = JSON.stringify(detail);
  if (Buffer.byteLength(json) <= MAX_DETAIL_BYTES) return json;
  return JSON.stringify(kind.truncate(detail));
}

/** Outcomes too large for one event keep their summary and drop per-connection details. */
export const detailWithinLimit = (outcome: OutcomeDetail): string =>
  serialiseWithinLimit(outcome, revocationOutcomeEvent);

/** Publishes revocation outcome events (`Client VPN Revocation Outcome`). */
export const eventBridgeOutcomePublisher = (
  client: EventBridgeClient,
  settings: OutcomePublisherSettings,
): PublishOutcomes => eventBridgePublisher(client, settings, revocationOutcomeEvent);

/** Publishes session sweep outcome events (`Client VPN Session Sweep Outcome`). */
export const eventBridgeSweepOutcomePublisher = (
  client: EventBridgeClient,
  settings: OutcomePublisherSettings,
): PublishSweepOutcomes => eventBridgePublisher(client, settings, sweepOutcomeEvent);

/**
 * Publishes events of one kind in as few PutEvents calls as fit (10 entries, 256 KB), reading every entry's
 * result — a 200 with FailedEntryCount > 0 is not success — and sending refused entries again.
 */
export function eventBridgePublisher<Detail>(
  client: EventBridgeClient,
  settings: OutcomePublisherSettings,
  kind: OutcomeEventKind<Detail>,
): Publish<Detail> {
  return async (details) => {
    const results: PublishResult[] = details.map(() => ({ published: false, error: 'not sent' }));
    let pending = details.map((detail, index) => ({ index, entry: toEntry(detail, settings, kind) }));
    for (let attempt = 1; attempt <= settings.attempts && pending.length > 0; attempt++) {
      if (attempt > 1) await settings.sleep(100 * 2 ** attempt);
      const failed: typeof pending = [];
      for (const chunk of chunkBySize(pending)) {
        try {
          const reply = await client.send(new PutEventsCommand({ Entries: chunk.map(({ entry }) => entry) }));
          chunk.forEach((item, position) => {
            const entry = reply.Entries?.[position];
            if (entry?.EventId && !entry.ErrorCode) {
              results[item.index] = { published: true };
            } else {
              results[item.index] = {
                published: false,
                error: `${entry?.ErrorCode ?? 'NoResult'}: ${entry?.ErrorMessage ?? 'no entry result returned'}`,
              };
              failed.push(item);
            }
          });
        } catch (error) {
          for (const item of chunk) {
            results[item.index] = {
              published: false,
              error: error instanceof Error ? error.message : String(error),
            };
            failed.push(item);
          }
        }
      }
      pending = failed;
    }
    return results;
  };
}

/** EventBridge's size of an entry: Time counts 14 bytes, then Source, DetailType and Detail as UTF-8. */
const entrySize = (entry: PutEventsRequestEntry) =>
  14 +
  Buffer.byteLength(entry.Source ?? '') +
  Buffer.byteLength(entry.DetailType ?? '') +
  Buffer.byteLength(entry.Detail ?? '');

function chunkBySize<Item extends { entry: PutEventsRequestEntry }>(items: readonly Item[]): Item[][] {
  const chunks: Item[][] = [];
  let current: Item[] = [];
  let size = 0;
  for (const item of items) {
    const itemSize = entrySize(item.entry);
    if (current.length === ENTRIES_PER_CALL || (current.length > 0 && size + itemSize > MAX_REQUEST_BYTES)) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += itemSize;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

const toEntry = <Detail>(
  detail: Detail,
  settings: OutcomePublisherSettings,
  kind: OutcomeEventKind<Detail>,
): PutEventsRequestEntry => ({
  EventBusName: settings.eventBusName,
  Source: settings.source,
  DetailType: kind.detailType,
  Detail: serialiseWithinLimit(detail, kind),
  Time: kind.time(detail),
});
