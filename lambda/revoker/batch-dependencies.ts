import type { IdentityReference, UserNames } from '../../sources/identity-source.ts';
import type { SourcesConfig } from '../../sources/requests.ts';
import type { IdentityKey } from '../core/identity.ts';
import type { RevocationLedger } from '../core/ledger.ts';
import type { IdentityForLogs } from '../core/log-identity.ts';
import type { ProtectedIdentities } from '../core/protected-identities.ts';
import type { PublishOutcomes } from '../engine/adapters/eventbridge-outcomes.ts';
import type { RevokeAccess } from '../engine/revoke-access.ts';

// What the batch use case is given (lambda/revoker/handler.ts wires the real ones). A module of its own so that
// every step of the batch can read it without importing the use case that runs the steps.

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
