import type { EventTimeAdjustment } from './event-time.ts';

/** What triggered a revocation, carried into the outcome event for auditors. */
export interface Trigger {
  /** EventBridge `source` of the triggering event. */
  readonly source: string;
  readonly detailType: string;
  /** The identity provider's own event type, e.g. `user.lifecycle.deactivate`. */
  readonly eventType: string;
  /**
   * When the identity provider says it happened (ISO 8601), bounded by the queue's receipt of the event
   * (lambda/core/event-time.ts): the time the ledger orders revocations and lifts by.
   */
  readonly eventTime: string;
  /** The time as the event gave it, when it was adjusted. */
  readonly reportedEventTime?: string;
  readonly eventTimeAdjustment?: EventTimeAdjustment;
}

/** `revoke`: the identity lost access. `lift`: it was re-enabled, so its revocation is undone. */
export type RequestAction = 'revoke' | 'lift';

/** One request to cut a user off from Client VPN, or to let them back in. */
export interface RevocationRequest {
  readonly action: RequestAction;
  /** The triggering EventBridge event's id: stable across redeliveries, so consumers can dedupe. */
  readonly requestId: string;
  readonly trigger: Trigger;
  /** Login, email, SAML NameID or certificate common name; matched by canonical key (`IdentityKey`). */
  readonly identity: string;
  /**
   * The person's other names the event or the user look-up gives (e-mail, UPN, login, certificate CN): each
   * is revoked, recorded and lifted like `identity`. Absent or empty: `identity` is the only name.
   */
  readonly aliases?: readonly string[];
  readonly reason: string;
  readonly dryRun: boolean;
}

/** Every name of the request's person: `identity` first, then its aliases. */
export const namesOf = (request: Pick<RevocationRequest, 'identity' | 'aliases'>): string[] => [
  request.identity,
  ...(request.aliases ?? []),
];
