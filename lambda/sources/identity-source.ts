import type { EventBridgeEnvelope } from '../core/envelope.ts';
import type { EventPattern } from '../core/event-pattern.ts';
import type { RevocationRequest } from '../core/request.ts';

/**
 * One identity source = one file implementing this: the EventBridge pattern its rule uses (also what
 * the handler accepts) and the normaliser from its event to a revocation request.
 */
export interface IdentitySource<Options> {
  readonly name: string;
  eventPattern(options: Options): EventPattern;
  /** Throws `InvalidEventError` naming the field when the event cannot identify a user. */
  toRequest(event: EventBridgeEnvelope, options: Options): RevocationRequest;
}
