import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { OUTCOME_DETAIL_TYPE, type OutcomeDetail } from '../../core/outcome.ts';

const ENTRIES_PER_CALL = 10;
/** PutEvents refuses a request whose entries add up to more than 256 KB. */
const MAX_REQUEST_BYTES = 256 * 1024;
/** EventBridge rejects entries over 256 KB; keep headroom for the envelope it adds. */
const MAX_DETAIL_BYTES = 240 * 1024;

export type PublishResult =
  | { readonly published: true }
  | { readonly published: false; readonly error: string };
export type PublishOutcomes = (outcomes: readonly OutcomeDetail[]) => Promise<PublishResult[]>;

export interface OutcomePublisherSettings {
  readonly eventBusName: string;
  readonly source: string;
  /** PutEvents attempts per entry; entries the bus refused (`FailedEntryCount`) are sent again. */
  readonly attempts: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Outcomes too large for one event keep their summary and drop per-connection details. */
export function detailWithinLimit(outcome: OutcomeDetail): string {
  const detail = JSON.stringify(outcome);
  if (Buffer.byteLength(detail) <= MAX_DETAIL_BYTES) return detail;
  return JSON.stringify({
    ...outcome,
    truncated: true,
    regions: outcome.regions.map((region) => ({
      ...region,
      endpoints: region.endpoints.map((endpoint) => ({ ...endpoint, connections: [] })),
    })),
  });
}

/** Publishes outcome events, reading every entry's result: a 200 with FailedEntryCount > 0 is not success. */
export function eventBridgeOutcomePublisher(
  client: EventBridgeClient,
  settings: OutcomePublisherSettings,
): PublishOutcomes {
  return async (outcomes) => {
    const results: PublishResult[] = outcomes.map(() => ({ published: false, error: 'not sent' }));
    let pending = outcomes.map((outcome, index) => ({ index, entry: toEntry(outcome, settings) }));
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

const toEntry = (outcome: OutcomeDetail, settings: OutcomePublisherSettings): PutEventsRequestEntry => ({
  EventBusName: settings.eventBusName,
  Source: settings.source,
  DetailType: OUTCOME_DETAIL_TYPE,
  Detail: detailWithinLimit(outcome),
  Time: new Date(outcome.timings.finishedAt),
});
