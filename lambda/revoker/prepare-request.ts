import { REVOKER_METRICS } from '../../contracts/metrics.ts';
import type { IdentityReference } from '../../sources/identity-source.ts';
import { mapAliases, type ParsedRequest, toRevocationRequest } from '../../sources/requests.ts';
import { IdentityUnresolvedError, InvalidEventError } from '../core/errors.ts';
import { boundEventTime } from '../core/event-time.ts';
import { distinctIdentities, identityKey } from '../core/identity.ts';
import { mapIdentity } from '../core/identity-mapping.ts';
import { namesOf, type RevocationRequest } from '../core/request.ts';
import type { ProcessBatchDependencies } from './batch-dependencies.ts';
import { type BatchItem, errorText, failForRetry, finishEarly } from './batch-item.ts';
import { rejectedOutcome } from './build-outcome.ts';

// The first step of the batch: from an SQS message to a request the ledger and the engine may act on, or to
// the outcome that ends it here. Nothing here writes the ledger or terminates a connection.

/**
 * Parses the message, resolves the identity and applies the break-glass list. Leaves `item.outcome` set when
 * the request is finished here (rejected, skipped, dry-run lift, failed look-up).
 */
export async function prepareRequest(
  deps: ProcessBatchDependencies,
  item: BatchItem,
  startedAt: number,
): Promise<void> {
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
  item: BatchItem,
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
