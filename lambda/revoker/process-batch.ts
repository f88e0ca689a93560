import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { RevocationStatus } from '../../contracts/events.ts';
import { REVOKER_METRICS } from '../../contracts/metrics.ts';
import type { IdentityReference, UserNames } from '../../sources/identity-source.ts';
import {
  mapAliases,
  type ParsedRequest,
  type SourcesConfig,
  toRevocationRequest,
} from '../../sources/requests.ts';
import { IdentityUnresolvedError, InvalidEventError } from '../core/errors.ts';
import { boundEventTime } from '../core/event-time.ts';
import { distinctIdentities, type IdentityKey, identityKey } from '../core/identity.ts';
import { mapIdentity } from '../core/identity-mapping.ts';
import { type LedgerWriteResult, type RevocationLedger, recordEveryName } from '../core/ledger.ts';
import type { IdentityForLogs } from '../core/log-identity.ts';
import {
  type LedgerReport,
  OUTCOME_SCHEMA_VERSION,
  type OutcomeDetail,
  outcomeDetailSchema,
  RETRYABLE_STATUSES,
  type SkipReason,
} from '../core/outcome.ts';
import type { ProtectedIdentities } from '../core/protected-identities.ts';
import { namesOf, type RevocationRequest } from '../core/request.ts';
import type { PublishOutcomes, PublishResult } from '../engine/adapters/eventbridge-outcomes.ts';
import type { RevocationResult, RevokeAccess } from '../engine/revoke-access.ts';

export interface BatchLogger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

export interface BatchMetrics {
  addMetric(name: string, unit: 'Count' | 'Milliseconds', value: number): void;
}

/**
 * The user's names behind an id-only event; `undefined` when they cannot be determined
 * (lambda/revoker/resolve-user.ts).
 */
export type LookUpUserName = (reference: IdentityReference) => Promise<UserNames | undefined>;

export interface ProcessBatchDependencies {
  readonly revoke: RevokeAccess;
  readonly lookUpUserName: LookUpUserName;
  readonly publish: PublishOutcomes;
  readonly sources: SourcesConfig;
  /** Where revocations are recorded before terminating, so reconnects are denied; absent = no ledger. */
  readonly ledger?: RevocationLedger;
  /** The break-glass list: never revoked (the request is reported `skipped`; a protected alias is dropped). */
  readonly protectedIdentities: ProtectedIdentities;
  /** The canonical key of a name (with the configured Active Directory domains): aliases are distinct by it. */
  readonly identityKey?: IdentityKey;
  /** How identities appear in logs (plain, or a keyed hash). */
  readonly identityForLogs: IdentityForLogs;
  /** Forces every request to be a dry run (safe rollout). */
  readonly dryRun: boolean;
  /** The queue's redrive limit: the delivery after which a failed request goes to the DLQ. */
  readonly maxReceiveCount: number;
  /** How far an event time may run ahead of the queue's receipt of the event (lambda/core/event-time.ts). */
  readonly maxEventTimeSkewMs: number;
  readonly now: () => number;
  readonly logger: BatchLogger;
  readonly metrics: BatchMetrics;
}

interface Item {
  readonly record: SQSRecord;
  readonly attempt: number;
  /** The request, once parsed and its identity resolved. */
  request?: RevocationRequest;
  /** What the ledger holds after this request's write. */
  ledger?: LedgerReport;
  /** Why the ledger write failed; the revocation still runs, then the request is retried. */
  ledgerError?: string;
  outcome?: OutcomeDetail;
  /** True when the work is incomplete and the message must go back to the queue. */
  retry: boolean;
}

/**
 * Turns an SQS batch of trigger events into revocations and outcome events. A request whose work is
 * incomplete, or whose outcome could not be published, is reported as a batch item failure so the queue
 * redelivers it (and dead-letters it after the redrive limit); a malformed event is rejected, never retried.
 */
export const processRevocationBatch =
  (deps: ProcessBatchDependencies) =>
  async (
    records: readonly SQSRecord[],
    options: { readonly deadline: number },
  ): Promise<SQSBatchResponse> => {
    const startedAt = deps.now();
    const items: Item[] = records.map((record) => ({
      record,
      attempt: Number(record.attributes.ApproximateReceiveCount) || 1,
      retry: false,
    }));
    // Each message settles on its own: an unexpected throw for one (a bug, a poison message) fails that one,
    // never its batch-mates, so only it is retried and dead-lettered.
    await Promise.all(
      items.map((item) => settleAlone(deps, item, startedAt, () => prepare(deps, item, startedAt))),
    );
    // The ledger must hold a revocation before its first Terminate, not before discovery: the writes run
    // beside the listing, and the engine waits for them only before terminating.
    const ledgerWritten = recordInLedger(deps, items, startedAt);
    const toRevoke = items.filter((item) => item.request?.action === 'revoke' && !item.outcome);
    const stillWanted = ledgerWritten.then(() => {
      // A revocation the ledger found superseded (re-enabled since) has its outcome already: it is not applied.
      const superseded = new Set(toRevoke.filter((item) => item.outcome).map((item) => item.request));
      return (request: RevocationRequest) => !superseded.has(request);
    });
    await revokeRequests(deps, toRevoke, { deadline: options.deadline, admit: stillWanted }, ledgerWritten);
    await publishOutcomes(deps, items);

    return {
      batchItemFailures: items
        .filter((item) => item.retry)
        .map((item) => ({ itemIdentifier: item.record.messageId })),
    };
  };

/**
 * Parses the message, resolves the identity and applies the break-glass list. Leaves `item.outcome` set when
 * the request is finished here (rejected, skipped, dry-run lift, failed look-up).
 */
async function prepare(deps: ProcessBatchDependencies, item: Item, startedAt: number): Promise<void> {
  let parsed: ParsedRequest | undefined;
  try {
    parsed = withBoundedEventTime(deps, item, toRevocationRequest(item.record.body, deps.sources));
    if (parsed.action === 'lift' && !deps.ledger) {
      throw new InvalidEventError(
        'lifting a revocation needs the revocation ledger, which is not configured',
      );
    }
    const names = await resolveIdentity(deps, parsed);
    item.request = { ...parsed, ...names, dryRun: parsed.dryRun || deps.dryRun };
  } catch (error) {
    if (error instanceof InvalidEventError) {
      deps.logger.warn('Rejected event', { messageId: item.record.messageId, reason: error.message });
      item.outcome = rejectedOutcome(item, error.message, startedAt, deps.now());
      return;
    }
    if (!parsed) throw error; // unexpected: settleAlone fails this message alone
    // The look-up failed (throttling, permissions), or nobody can name the user: the request stays on the
    // queue for another try, then goes to the dead-letter queue; a disable is never dropped.
    const unresolved = error instanceof IdentityUnresolvedError;
    if (unresolved) deps.metrics.addMetric(REVOKER_METRICS.identityUnresolved, 'Count', 1);
    const message = unresolved ? error.message : `User look-up failed: ${errorText(error)}`;
    deps.logger.error(unresolved ? 'Identity unresolved' : 'User look-up failed', {
      messageId: item.record.messageId,
      error: message,
    });
    failForRetry(deps, item, { ...parsed, identity: describeReference(parsed.identity) }, message, startedAt);
    return;
  }
  const { request } = item;
  if (request.action === 'revoke' && deps.protectedIdentities.has(request.identity)) {
    finishEarly(deps, item, 'skipped', startedAt, {
      skipReason: 'protected-identity',
      message: 'The identity is on the break-glass list (protected identities): it is never revoked',
    });
    return;
  }
  item.request = withDistinctAliases(deps, request);
  if (request.dryRun && request.action === 'lift') {
    finishEarly(deps, item, 'dry-run', startedAt, { message: 'Dry run: the revocation would be lifted' });
  }
}

/**
 * The request with its event time bounded by the queue's receipt of the message (the same on every
 * redelivery), so that no event, forged or mis-clocked, outranks the events that come after it.
 */
function withBoundedEventTime(
  deps: ProcessBatchDependencies,
  item: Item,
  parsed: ParsedRequest,
): ParsedRequest {
  const sentAt = Number(item.record.attributes.SentTimestamp);
  const receivedAtMs = Number.isFinite(sentAt) && sentAt > 0 ? sentAt : deps.now();
  const bounded = boundEventTime(parsed.trigger.eventTime, receivedAtMs, deps.maxEventTimeSkewMs);
  if (!bounded.adjustment) return parsed;
  deps.logger.warn('Event time adjusted', {
    messageId: item.record.messageId,
    requestId: parsed.requestId,
    adjustment: bounded.adjustment,
    reportedEventTime: bounded.reportedEventTime,
    eventTime: bounded.eventTime,
  });
  deps.metrics.addMetric(REVOKER_METRICS.eventTimeAdjusted, 'Count', 1);
  return {
    ...parsed,
    trigger: {
      ...parsed.trigger,
      eventTime: bounded.eventTime,
      reportedEventTime: bounded.reportedEventTime,
      eventTimeAdjustment: bounded.adjustment,
    },
  };
}

/**
 * Aliases distinct from each other and from the identity; for a revocation, none on the break-glass list: a
 * protected name is never revoked, but it does not shield the person's other names (nor an event naming a
 * protected alias the revocation of its identity).
 */
function withDistinctAliases(deps: ProcessBatchDependencies, request: RevocationRequest): RevocationRequest {
  const { aliases: _aliases, ...rest } = request;
  const names = distinctIdentities(namesOf(request), deps.identityKey ?? identityKey);
  const aliases = names
    .slice(1)
    .filter((alias) => request.action === 'lift' || !deps.protectedIdentities.has(alias));
  return aliases.length > 0 ? { ...rest, aliases } : rest;
}

/** Writes the ledger for every prepared request that is not a dry run; each write settles on its own. */
async function recordInLedger(deps: ProcessBatchDependencies, items: readonly Item[], startedAt: number) {
  const { ledger } = deps;
  if (!ledger) return;
  await Promise.all(
    items.map(async (item) => {
      const { request } = item;
      if (!request || item.outcome || request.dryRun) return;
      await settleAlone(deps, item, startedAt, () => writeLedger(deps, ledger, item, request, startedAt));
    }),
  );
}

/** Records the revocation (before any Terminate) or the lift; an older event than the stored one changes nothing. */
async function writeLedger(
  deps: ProcessBatchDependencies,
  ledger: RevocationLedger,
  item: Item,
  request: RevocationRequest,
  startedAt: number,
): Promise<void> {
  const change = {
    identity: request.identity,
    source: request.trigger.source,
    reason: request.reason,
    requestId: request.requestId,
    eventTime: request.trigger.eventTime,
  };
  let result: LedgerWriteResult;
  try {
    result = await recordEveryName(ledger, request.action, change, namesOf(request));
  } catch (error) {
    item.ledger = { status: 'unavailable' };
    item.ledgerError = `The revocation ledger could not be written (${errorText(error)})`;
    deps.logger.error('Ledger write failed', {
      requestId: request.requestId,
      action: request.action,
      identity: deps.identityForLogs(request.identity),
      error: errorText(error),
    });
    if (request.action === 'lift') {
      // Nothing else to do for a lift: it is retried until the ledger takes it.
      failForRetry(deps, item, request, item.ledgerError, startedAt);
    }
    return;
  }
  const entry = result.kind === 'recorded' ? result.entry : result.current;
  item.ledger = {
    status: result.kind,
    state: entry.state,
    eventTime: entry.eventTime,
    // A revocation never expires (a record from an earlier version may still carry an expiry until swept).
    ...(entry.state === 'lifted' && entry.expiresAt !== undefined && { expiresAt: entry.expiresAt }),
  };
  if (result.kind === 'superseded' && (request.action === 'lift' || entry.state === 'lifted')) {
    // A later event decided the other way (e.g. re-enabled after this disable): applying this one would undo it.
    finishEarly(deps, item, 'skipped', startedAt, {
      skipReason: 'superseded',
      message:
        `Superseded: the ledger holds a later event for this identity (${entry.state} at ${entry.eventTime}); ` +
        `this ${request.action} from ${request.trigger.eventTime} is not applied`,
    });
  } else if (request.action === 'lift') {
    finishEarly(deps, item, 'lifted', startedAt, {
      message: 'The revocation is lifted: reconnects are allowed again',
    });
  }
}

/**
 * Runs one message's step; an unexpected throw fails that message alone (`failed`, retried, then
 * dead-lettered) instead of rejecting the whole batch.
 */
async function settleAlone(
  deps: ProcessBatchDependencies,
  item: Item,
  startedAt: number,
  step: () => Promise<void>,
): Promise<void> {
  try {
    await step();
  } catch (error) {
    failUnexpectedly(deps, item, error, startedAt);
  }
}

function failUnexpectedly(
  deps: ProcessBatchDependencies,
  item: Item,
  error: unknown,
  startedAt: number,
): void {
  deps.logger.error('Request failed unexpectedly; it alone is retried', {
    messageId: item.record.messageId,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  const message = `Unexpected error: ${errorText(error)}`;
  if (item.request) {
    failForRetry(deps, item, item.request, message, startedAt);
    return;
  }
  // Not even parsed: the envelope names it, as for a rejected event, but it goes back to the queue.
  const willRetry = item.attempt < deps.maxReceiveCount;
  const envelope = rejectedOutcome(item, message, startedAt, deps.now());
  item.retry = true;
  item.outcome = { ...envelope, status: 'failed', delivery: { attempt: item.attempt, willRetry } };
}

/** Ends a request before the revocation engine runs (skipped, lifted, dry-run lift). */
function finishEarly(
  deps: ProcessBatchDependencies,
  item: Item,
  status: RevocationStatus,
  startedAt: number,
  extra: { readonly message: string; readonly skipReason?: SkipReason },
): void {
  const request = item.request;
  if (!request) throw new Error('finishEarly needs a parsed request');
  item.outcome = {
    ...bareOutcome(status, fieldsOf(item, request, false, extra.message), startedAt, deps.now()),
    ...(extra.skipReason && { skipReason: extra.skipReason }),
  };
}

/** A `failed` outcome for work that could not be done now: the request goes back to the queue. */
function failForRetry(
  deps: ProcessBatchDependencies,
  item: Item,
  request: Parameters<typeof fieldsOf>[1],
  message: string,
  startedAt: number,
): void {
  item.retry = true;
  const willRetry = item.attempt < deps.maxReceiveCount;
  item.outcome = bareOutcome('failed', fieldsOf(item, request, willRetry, message), startedAt, deps.now());
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The names to revoke: as the event gave them, or looked up and then mapped like any other name. */
async function resolveIdentity(
  deps: ProcessBatchDependencies,
  parsed: ParsedRequest,
): Promise<Pick<RevocationRequest, 'identity' | 'aliases'>> {
  if (typeof parsed.identity === 'string') return { identity: parsed.identity, aliases: parsed.aliases };
  const found = await deps.lookUpUserName(parsed.identity);
  if (found === undefined) {
    throw new IdentityUnresolvedError(
      `${describeReference(parsed.identity)} no longer exists and the user directory has no record of it, ` +
        'so its user name cannot be determined; revoke the user by name with a runbook request',
    );
  }
  const mapping = 'identityMapping' in parsed ? parsed.identityMapping : undefined;
  return {
    identity: mapIdentity(found.userName, mapping),
    aliases: [...(parsed.aliases ?? []), ...mapAliases(found.aliases, mapping)],
  };
}

const describeReference = (identity: string | IdentityReference) => {
  if (typeof identity === 'string') return identity;
  return identity.kind === 'identity-store-user'
    ? `Identity Store user ${identity.userId} (identity store ${identity.identityStoreId})`
    : `Cognito user with sub ${identity.sub} (user pool ${identity.userPoolId})`;
};

/**
 * Runs the engine, then settles each request's outcome once its ledger write has too: an engine that found
 * nothing to terminate returns before the write, and a write that then fails must still send the request back.
 */
async function revokeRequests(
  deps: ProcessBatchDependencies,
  items: readonly Item[],
  options: Parameters<RevokeAccess>[1],
  ledgerWritten: Promise<void>,
) {
  const requests = new Map<Item, RevocationRequest>();
  for (const item of items) if (item.request) requests.set(item, item.request);
  if (requests.size === 0) return ledgerWritten;
  const startedAt = deps.now();
  let results: RevocationResult[];
  try {
    results = await deps.revoke([...requests.values()], options);
  } catch (error) {
    await ledgerWritten;
    // Not expected (the engine reports API failures per endpoint), but never lose the requests over it.
    deps.logger.error('Revocation failed unexpectedly', {
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    for (const [item, request] of requests) {
      failForRetry(deps, item, request, `Unexpected error: ${errorText(error)}`, startedAt);
    }
    return;
  }
  await ledgerWritten;
  const byRequest = new Map(results.map((result) => [result.request, result]));
  for (const [item, request] of requests) {
    // Finished while the engine ran (the ledger found it superseded): nothing was terminated for it.
    if (item.outcome) continue;
    const result = byRequest.get(request);
    if (!result) {
      failUnexpectedly(deps, item, new Error(`No result for request ${request.requestId}`), startedAt);
      continue;
    }
    const { status, message } = withLedgerFailure(result, item.ledgerError);
    const incomplete = RETRYABLE_STATUSES.includes(status);
    item.retry = incomplete;
    item.outcome = {
      ...toOutcome(
        { ...result, status, ...(message && { message }) },
        item.attempt,
        incomplete && item.attempt < deps.maxReceiveCount,
        deps.now(),
      ),
      ...(item.ledger && { ledger: item.ledger }),
    };
  }
}

/**
 * Sessions ended but no ledger record means reconnects are not blocked: the work is incomplete and the
 * request is retried (the retry records it, and finds nothing left to terminate).
 */
function withLedgerFailure(
  result: RevocationResult,
  ledgerError: string | undefined,
): { status: RevocationResult['status']; message?: string } {
  if (!ledgerError || result.status === 'dry-run') return result;
  const message = [result.message, `${ledgerError}: reconnects are not blocked until a retry records it`]
    .filter(Boolean)
    .join('; ');
  const status = result.status === 'revoked' || result.status === 'partial' ? 'partial' : 'failed';
  return { status, message };
}

async function publishOutcomes(deps: ProcessBatchDependencies, items: readonly Item[]) {
  const withOutcome = items.filter((item): item is Item & { outcome: OutcomeDetail } => !!item.outcome);
  // The outcome is a public contract: an outcome breaking its schema is a bug and must not go out — that
  // request alone counts as not published, so it goes back to the queue (and to the dead-letter queue).
  const checked = withOutcome.map((item) => outcomeDetailSchema.safeParse(item.outcome));
  const valid = withOutcome.flatMap((_item, index) => {
    const check = checked[index];
    return check?.success ? [check.data] : [];
  });
  let sent: PublishResult[];
  try {
    sent = await deps.publish(valid);
  } catch (error) {
    // Not expected (the publisher reports failures per entry): every request in it is retried.
    sent = valid.map(() => ({ published: false, error: errorText(error) }));
  }
  let next = 0;
  const published = checked.map((check): PublishResult | undefined =>
    check.success
      ? sent[next++]
      : { published: false, error: `the outcome breaks its schema: ${check.error.message}` },
  );
  withOutcome.forEach((item, index) => {
    const result = published[index];
    const { outcome } = item;
    const log = {
      requestId: outcome.requestId,
      messageId: item.record.messageId,
      status: outcome.status,
      action: outcome.action,
      identity: deps.identityForLogs(outcome.identity),
      attempt: item.attempt,
      summary: outcome.summary,
      ...(outcome.message && { detail: outcome.message }),
    };
    if (result?.published) {
      deps.logger.info('Revocation outcome published', log);
    } else {
      // A request is not done until its outcome is published: hand it back to the queue.
      item.retry = true;
      deps.logger.error('Outcome could not be published; the request will be retried', {
        ...log,
        error: result?.published === false ? result.error : 'no result',
      });
    }
    recordMetrics(deps.metrics, outcome, !!result?.published);
  });
}

function recordMetrics(metrics: BatchMetrics, outcome: OutcomeDetail, published: boolean) {
  metrics.addMetric(REVOKER_METRICS.outcome(outcome.status), 'Count', 1);
  metrics.addMetric(REVOKER_METRICS.connectionsFound, 'Count', outcome.summary.connectionsFound);
  metrics.addMetric(REVOKER_METRICS.connectionsTerminated, 'Count', outcome.summary.connectionsTerminated);
  metrics.addMetric(REVOKER_METRICS.connectionsRemaining, 'Count', outcome.summary.connectionsRemaining);
  if (!published) metrics.addMetric(REVOKER_METRICS.outcomePublishFailed, 'Count', 1);
  // Revocations only (a rejected event has no action): from the identity provider's event to this outcome,
  // queueing, batching and earlier attempts included (a clock ahead of ours counts as 0), and the part spent
  // in this invocation.
  if (outcome.action !== 'revoke') return;
  const latencyMs = Date.parse(outcome.timings.finishedAt) - Date.parse(outcome.trigger.eventTime);
  if (Number.isFinite(latencyMs)) {
    metrics.addMetric(REVOKER_METRICS.revocationLatency, 'Milliseconds', Math.max(0, latencyMs));
  }
  metrics.addMetric(REVOKER_METRICS.revocationProcessingTime, 'Milliseconds', outcome.timings.durationMs);
}

const iso = (ms: number) => new Date(ms).toISOString();

function toOutcome(
  result: RevocationResult,
  attempt: number,
  willRetry: boolean,
  now: number,
): OutcomeDetail {
  const { request, timings } = result;
  return {
    schemaVersion: OUTCOME_SCHEMA_VERSION,
    requestId: request.requestId,
    status: result.status,
    action: request.action,
    identity: request.identity,
    ...(request.aliases && { aliases: [...request.aliases] }),
    reason: request.reason,
    dryRun: request.dryRun,
    ...(result.message && { message: result.message }),
    trigger: request.trigger,
    delivery: { attempt, willRetry },
    summary: result.summary,
    regions: result.regions,
    ...(result.accounts && { accounts: result.accounts }),
    timings: {
      startedAt: iso(timings.startedAt),
      finishedAt: iso(now),
      durationMs: now - timings.startedAt,
      findMs: timings.findMs,
      terminateMs: timings.finishedAt - timings.startedAt - timings.findMs,
    },
  };
}

const EMPTY_SUMMARY: OutcomeDetail['summary'] = {
  endpointsScanned: 0,
  endpointsUnreachable: 0,
  connectionsFound: 0,
  connectionsTerminated: 0,
  connectionsRemaining: 0,
};

function bareOutcome(
  status: RevocationStatus,
  fields: Pick<
    OutcomeDetail,
    | 'requestId'
    | 'action'
    | 'identity'
    | 'aliases'
    | 'reason'
    | 'dryRun'
    | 'trigger'
    | 'delivery'
    | 'message'
    | 'ledger'
  >,
  startedAt: number,
  now: number,
): OutcomeDetail {
  return {
    schemaVersion: OUTCOME_SCHEMA_VERSION,
    status,
    ...fields,
    summary: EMPTY_SUMMARY,
    regions: [],
    timings: {
      startedAt: iso(startedAt),
      finishedAt: iso(now),
      durationMs: now - startedAt,
      findMs: 0,
      terminateMs: 0,
    },
  };
}

/** The outcome fields a request determines; a retryable status says whether another delivery follows. */
function fieldsOf(
  item: Item,
  request: Pick<
    RevocationRequest,
    'requestId' | 'action' | 'identity' | 'aliases' | 'reason' | 'dryRun' | 'trigger'
  >,
  willRetry: boolean,
  message: string,
) {
  return {
    requestId: request.requestId,
    action: request.action,
    identity: request.identity,
    ...(request.aliases && { aliases: [...request.aliases] }),
    reason: request.reason,
    dryRun: request.dryRun,
    trigger: request.trigger,
    delivery: { attempt: item.attempt, willRetry },
    message,
    ...(item.ledger && { ledger: item.ledger }),
  };
}

/** Whatever of the envelope can be read still identifies the rejected event for auditors. */
function rejectedOutcome(item: Item, message: string, startedAt: number, now: number): OutcomeDetail {
  let envelope: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(item.record.body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      envelope = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: the SQS message id is all there is to go by.
  }
  const text = (value: unknown, fallback: string) => (typeof value === 'string' && value ? value : fallback);
  return bareOutcome(
    'rejected',
    {
      requestId: text(envelope.id, item.record.messageId),
      identity: null,
      reason: 'The event could not be turned into a revocation request',
      dryRun: false,
      trigger: {
        source: text(envelope.source, 'unknown'),
        detailType: text(envelope['detail-type'], 'unknown'),
        eventType: 'unknown',
        eventTime: text(envelope.time, iso(now)),
      },
      delivery: { attempt: item.attempt, willRetry: false },
      message,
    },
    startedAt,
    now,
  );
}
