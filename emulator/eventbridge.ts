import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.ts';
import type { Faults } from './faults.ts';
import { jsonError, jsonResponse, type RequestContext, ServiceError, type WireResponse } from './protocol.ts';

/** EventBridge `PutEvents` (JSON 1.1, target `AWSEvents.PutEvents`): records every accepted entry. */

/** An accepted PutEvents entry as the emulator recorded it. */
export interface PublishedEvent {
  readonly eventId: string;
  readonly region: string;
  readonly eventBusName: string;
  readonly source: string;
  readonly detailType: string;
  /** `Detail` parsed from its JSON text. */
  readonly detail: Record<string, unknown>;
  readonly detailText: string;
  readonly resources: readonly string[];
  /** ISO 8601: the entry's `Time`, or the emulated time it was received. */
  readonly time: string;
}

type ResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024;

const validation = (message: string) => new ServiceError('ValidationException', 400, message);

const entryError = (code: string, message: string): ResultEntry => ({
  ErrorCode: code,
  ErrorMessage: message,
});

const missingArgument = (name: string): ResultEntry =>
  entryError('InvalidArgument', `Parameter ${name} is not valid. Reason: ${name} is a required argument.`);

const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** Parses `Detail` text; only a JSON object is accepted, as in EventBridge. */
const parseDetail = (text: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/** `Time` arrives as epoch seconds from the SDKs (a number), or as text from hand-written requests. */
const parseTime = (value: unknown, fallback: number): string => {
  const ms =
    typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return new Date(Number.isFinite(ms) ? ms : fallback).toISOString();
};

export interface EventBridgeDeps {
  readonly faults: Faults;
  readonly clock: Clock;
  readonly record: (event: PublishedEvent) => void;
}

export const createEventBridge = (deps: EventBridgeDeps) => {
  const { faults, clock, record } = deps;

  const putEntry = (raw: unknown, ctx: RequestContext): ResultEntry => {
    if (typeof raw !== 'object' || raw === null)
      return entryError('InvalidArgument', 'Entry must be an object.');
    const entry = raw as Record<string, unknown>;
    const source = optionalString(entry.Source);
    const detailType = optionalString(entry.DetailType);
    const detailText = optionalString(entry.Detail);
    const eventBusName = optionalString(entry.EventBusName) ?? 'default';
    if (!source) return missingArgument('Source');
    if (!detailType) return missingArgument('DetailType');
    if (detailText === undefined) return missingArgument('Detail');
    if (source.startsWith('aws.')) {
      return entryError('NotAuthorizedForSourceException', 'Not authorized for the source.');
    }
    const detail = parseDetail(detailText);
    if (!detail) return entryError('MalformedDetail', 'Detail is malformed.');
    if (faults.eventEntryFails({ source, detailType, eventBusName })) {
      return entryError('InternalFailure', 'Internal service error.');
    }
    const eventId = randomUUID();
    record({
      eventId,
      region: ctx.region,
      eventBusName,
      source,
      detailType,
      detail,
      detailText,
      resources: Array.isArray(entry.Resources) ? entry.Resources.filter((r) => typeof r === 'string') : [],
      time: parseTime(entry.Time, clock.now()),
    });
    return { EventId: eventId };
  };

  const putEvents = (
    input: Record<string, unknown>,
    ctx: RequestContext,
    bodyBytes: number,
  ): WireResponse => {
    if (faults.putEventsCallFails())
      throw new ServiceError('InternalException', 500, 'Internal service error.');
    const entries = input.Entries;
    if (!Array.isArray(entries)) {
      throw validation(
        "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
      );
    }
    if (entries.length < 1 || entries.length > MAX_ENTRIES) {
      const bound =
        entries.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ENTRIES}`;
      throw validation(
        `1 validation error detected: Value '[…${entries.length} entries]' at 'entries' failed to satisfy ` +
          `constraint: Member must have length ${bound}`,
      );
    }
    if (bodyBytes > MAX_REQUEST_BYTES)
      throw validation('Total size of the entries in the request is over the limit.');
    const results = entries.map((entry) => putEntry(entry, ctx));
    return jsonResponse(ctx.requestId, {
      FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length,
      Entries: results,
    });
  };

  return (operation: string, input: Record<string, unknown>, ctx: RequestContext, bodyBytes: number) => {
    try {
      if (operation !== 'PutEvents') {
        throw new ServiceError('UnknownOperationException', 400, `Operation ${operation} is not supported.`);
      }
      return putEvents(input, ctx, bodyBytes);
    } catch (e) {
      if (e instanceof ServiceError) return jsonError(ctx.requestId, e);
      throw e;
    }
  };
};
