import type { EventBridgeEnvelope } from '../core/envelope.ts';
import type { EventPattern } from '../core/event-pattern.ts';
import type { IdentityMapping } from '../core/identity-mapping.ts';
import type { RevocationRequest } from '../core/request.ts';

/** A user the event names only by an id that must be looked up (the name is not in the event). */
export type IdentityReference =
  | { readonly kind: 'identity-store-user'; readonly identityStoreId: string; readonly userId: string }
  | { readonly kind: 'cognito-user'; readonly userPoolId: string; readonly sub: string };

/** What a source makes of an event: the identity is a name as the IdP gives it, or a reference to look up. */
export interface SourceRequest extends Omit<RevocationRequest, 'identity'> {
  readonly identity: string | IdentityReference;
}

/** Options every source accepts. */
export interface SourceOptions {
  /** From the IdP's name for the user to the name Client VPN sees. */
  readonly identityMapping?: IdentityMapping;
}

/**
 * One identity source = one file implementing this: the EventBridge pattern its rule uses (also what
 * the handler accepts) and the normaliser from its event to a revocation request.
 */
export interface IdentitySource<Options extends SourceOptions> {
  readonly name: string;
  eventPattern(options: Options): EventPattern;
  /** Throws `InvalidEventError` naming the field when the event cannot identify a user. */
  toRequest(event: EventBridgeEnvelope, options: Options): SourceRequest;
}
