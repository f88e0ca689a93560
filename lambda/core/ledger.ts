/**
 * The revocation ledger: one record per identity (keyed by its canonical `IdentityKey`) saying
 * whether it is revoked or was lifted, as of which identity-provider event. The revoker writes it before it
 * terminates; the client connect handler and the session sweeper read it.
 *
 * Disable and re-enable events can arrive out of order, so a record only ever moves forward in event time:
 * a write carrying an older `eventTime` than the stored record is `superseded` and changes nothing. A lift
 * leaves a `lifted` record (not a deletion) so that a late, older disable cannot revive the revocation.
 * A `revoked` record never expires: it protects until a lift replaces it. Only a `lifted` record expires,
 * `retention` after it is written, and an expired lifted record counts as absent even before DynamoDB's TTL
 * deletes it. Revoked records written by earlier versions carry an expiry; `keepUntilLifted` removes it.
 */

export type LedgerState = 'revoked' | 'lifted';

/** What a revocation or lift says about an identity. */
export interface LedgerChange {
  /** Username or certificate common name as requested; the key is its canonical form (`IdentityKey`). */
  readonly identity: string;
  /** EventBridge `source` of the event behind the change. */
  readonly source: string;
  readonly reason: string;
  /** The triggering event's id (the outcome's `requestId`). */
  readonly requestId: string;
  /** When the identity provider says it happened (ISO 8601): orders out-of-order events. */
  readonly eventTime: string;
}

export interface LedgerEntry extends LedgerChange {
  readonly state: LedgerState;
  /** When the ledger stored the record (ISO 8601). */
  readonly recordedAt: string;
  /**
   * When a `lifted` record stops counting (ISO 8601); DynamoDB's TTL deletes it some time after. Absent on
   * `revoked` records, except those written before revoked records were kept until lifted (see
   * `keepUntilLifted`): readers never treat a revoked record as expired.
   */
  readonly expiresAt?: string;
}

/** `recorded`: the change is stored. `superseded`: a record with a later event time stands (`current`). */
export type LedgerWriteResult =
  | { readonly kind: 'recorded'; readonly entry: LedgerEntry }
  | { readonly kind: 'superseded'; readonly current: LedgerEntry };

/** Thrown when the ledger cannot be read or written (throttled, unreachable, denied). */
export class LedgerUnavailableError extends Error {
  override readonly name = 'LedgerUnavailableError';
}

export interface RevocationLedger {
  /** Records that the identity is revoked, unless a later event (revoke or lift) is already recorded. */
  recordRevocation(change: LedgerChange): Promise<LedgerWriteResult>;
  /** Records that the revocation is lifted, unless a later event is already recorded. */
  recordLift(change: LedgerChange): Promise<LedgerWriteResult>;
  /**
   * The `revoked` records among these identities (usernames and/or common names; empty strings
   * ignored), read strongly consistently in one request — the connect handler's single lookup.
   */
  findRevoked(identities: readonly string[]): Promise<LedgerEntry[]>;
  /** Every `revoked` record — what the session sweeper enforces. */
  listRevoked(): Promise<LedgerEntry[]>;
  /**
   * Removes the expiry from these `revoked` records (written before revoked records were kept until lifted),
   * each only while it is still the same revocation; returns how many were changed. The sweeper calls it with
   * what `listRevoked` returned, so no protection lapses after an upgrade.
   */
  keepUntilLifted(entries: readonly LedgerEntry[]): Promise<number>;
}

/** Event time as a number for ordering; an unparseable time orders first, so any dated event wins over it. */
export const eventTimeMs = (eventTime: string): number => {
  const ms = Date.parse(eventTime);
  return Number.isNaN(ms) ? 0 : ms;
};

/**
 * Records a revocation or lift under each of a person's names (one event: same request id and event time),
 * so that every spelling is denied, swept or let back in. The first name's result stands for the request;
 * a failure of any write rejects, so the request is retried until every name is recorded.
 */
export async function recordEveryName(
  ledger: Pick<RevocationLedger, 'recordRevocation' | 'recordLift'>,
  action: 'revoke' | 'lift',
  change: LedgerChange,
  names: readonly string[],
): Promise<LedgerWriteResult> {
  const write = (identity: string) =>
    action === 'revoke'
      ? ledger.recordRevocation({ ...change, identity })
      : ledger.recordLift({ ...change, identity });
  const [first, ...others] = await Promise.allSettled(names.map(write));
  const failed = [first, ...others].find((result) => result?.status === 'rejected');
  if (failed?.status === 'rejected') throw failed.reason;
  if (first?.status !== 'fulfilled') throw new Error('recordEveryName needs at least one name');
  return first.value;
}
