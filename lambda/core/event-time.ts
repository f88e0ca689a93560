/**
 * Event times decide revoke versus lift in the ledger, and some are set by whoever puts the event (a runbook
 * request's `time` is the PutEvents caller's to choose). A time far in the future would make that event win
 * over every later one until the ledger forgets it — a forged lift dated next year would cancel every
 * disable until then. So no event counts as later than the moment the queue received it, plus a small skew for
 * honest clocks; an unreadable time counts as that moment too. The outcome says when a time was adjusted.
 */

/** How far ahead of the queue's receipt an identity provider's clock may honestly run. */
export const DEFAULT_MAX_EVENT_TIME_SKEW_MS = 60_000;
/** The largest skew the construct accepts: beyond it, the bound no longer protects anything. */
export const MAX_EVENT_TIME_SKEW_MS = 3_600_000;

/** Why a trigger's event time was not used as given. */
export type EventTimeAdjustment = 'future' | 'unreadable';

export interface BoundedEventTime {
  /** The time the ledger orders the event by (ISO 8601). */
  readonly eventTime: string;
  /** The time as the event gave it, when it was adjusted. */
  readonly reportedEventTime?: string;
  readonly adjustment?: EventTimeAdjustment;
}

/**
 * The event time to order by: the reported one, unless it is unreadable or more than `maxSkewMs` after
 * `receivedAtMs` (when the queue received the event: the same on every redelivery, so a retry orders the
 * same way), in which case `receivedAtMs` stands in for it.
 */
export function boundEventTime(eventTime: string, receivedAtMs: number, maxSkewMs: number): BoundedEventTime {
  const reportedMs = Date.parse(eventTime);
  if (Number.isNaN(reportedMs)) {
    return {
      eventTime: new Date(receivedAtMs).toISOString(),
      reportedEventTime: eventTime,
      adjustment: 'unreadable',
    };
  }
  if (reportedMs > receivedAtMs + maxSkewMs) {
    return {
      eventTime: new Date(receivedAtMs).toISOString(),
      reportedEventTime: eventTime,
      adjustment: 'future',
    };
  }
  return { eventTime };
}
