import type { EventBridgeEnvelope } from '../lambda/core/envelope.ts';
import type { EventPattern } from '../lambda/core/event-pattern.ts';
import { identitySchema } from '../lambda/core/identity.ts';
import type { IdentityMapping } from '../lambda/core/identity-mapping.ts';
import type { RequestAction, RevocationRequest } from '../lambda/core/request.ts';

/** A user the event names only by an id that must be looked up (the name is not in the event). */
export type IdentityReference =
  | { readonly kind: 'identity-store-user'; readonly identityStoreId: string; readonly userId: string }
  | { readonly kind: 'cognito-user'; readonly userPoolId: string; readonly sub: string };

/** A looked-up user's names: the user name, and the other names the directory holds (e-mails…). */
export interface UserNames {
  readonly userName: string;
  readonly aliases: readonly string[];
}

/** What a source makes of an event: the identity is a name as the IdP gives it, or a reference to look up. */
export interface SourceRequest<Action extends RequestAction = RequestAction>
  extends Omit<RevocationRequest, 'identity' | 'action'> {
  readonly action: Action;
  readonly identity: string | IdentityReference;
}

/** Options every source accepts. */
export interface SourceOptions {
  /** From the IdP's name for the user to the name Client VPN sees. */
  readonly identityMapping?: IdentityMapping;
}

/**
 * One identity source = one file implementing this: the EventBridge pattern its rule uses (also what
 * the handler accepts) and the normaliser from its event to a revocation request. A source whose identity
 * provider reports re-enabled users also has a lift pattern and normaliser; both or neither are present.
 */
export interface IdentitySource<Options extends SourceOptions> {
  readonly name: string;
  eventPattern(options: Options): EventPattern;
  /** Throws `InvalidEventError` naming the field when the event cannot identify a user. */
  toRequest(event: EventBridgeEnvelope, options: Options): SourceRequest<'revoke'>;
  /**
   * The pattern of the rule for this source's re-enable events (used only when the stack has a revocation
   * ledger); like `eventPattern`, it is also exactly what the handler accepts as a lift.
   */
  liftEventPattern?(options: Options): EventPattern;
  /** The lift request for a re-enable event; throws `InvalidEventError` naming the field, like `toRequest`. */
  toLiftRequest?(event: EventBridgeEnvelope, options: Options): SourceRequest<'lift'>;
}

/** A source that can lift revocations: its lift members are always present. */
export type LiftableIdentitySource<Options extends SourceOptions> = IdentitySource<Options> &
  Required<Pick<IdentitySource<Options>, 'liftEventPattern' | 'toLiftRequest'>>;

/** What a normaliser reads from its event; the rest of the request comes from the envelope. */
export interface RequestFields {
  /** The identity provider's own event type, e.g. `user.lifecycle.deactivate`. */
  readonly eventType: string;
  /** When the identity provider says it happened (ISO 8601). */
  readonly eventTime: string;
  readonly identity: string | IdentityReference;
  /** The person's other names in the event (e-mail, login, user id), duplicates and `identity` allowed. */
  readonly aliases?: readonly unknown[];
  readonly reason: string;
  /** @default false */
  readonly dryRun?: boolean;
}

/** The request every source builds the same way: id and trigger from the envelope, the rest from `fields`. */
export function sourceRequest<Action extends RequestAction>(
  action: Action,
  event: EventBridgeEnvelope,
  { eventType, eventTime, identity, aliases = [], reason, dryRun = false }: RequestFields,
): SourceRequest<Action> {
  const others = usableNames(aliases).filter((alias) => alias !== identity);
  return {
    action,
    requestId: event.id,
    trigger: { source: event.source, detailType: event['detail-type'], eventType, eventTime },
    identity,
    ...(others.length > 0 && { aliases: [...new Set(others)] }),
    reason,
    dryRun,
  };
}

/**
 * The values that are usable names. Aliases are extra names of the person the event already identifies, so
 * one that is absent or malformed is left out rather than failing the request.
 */
export const usableNames = (values: readonly unknown[]): string[] =>
  values.filter((value): value is string => identitySchema.safeParse(value).success);
