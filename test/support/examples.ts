import { readFileSync } from 'node:fs';
import { eventBridgeEnvelopeSchema } from '../../lambda/core/envelope.ts';
import { InvalidEventError } from '../../lambda/core/errors.ts';

/** An event from examples/events/, checked to be a well-formed EventBridge envelope. */
export const loadExample = <Event>(name: string): Event =>
  eventBridgeEnvelopeSchema.parse(
    JSON.parse(readFileSync(new URL(`../../examples/events/${name}`, import.meta.url), 'utf8')),
  ) as Event;

/** A deep copy of an example event, changed by `change`. */
export function changedExample<Event>(name: string, change: (event: Event) => void = () => {}): Event {
  const event = structuredClone(loadExample<Event>(name));
  change(event);
  return event;
}

/** The InvalidEventError `parse` throws; fails the test when it returns or throws anything else. */
export function invalidEventFrom(parse: () => unknown): InvalidEventError {
  try {
    parse();
  } catch (error) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  }
  throw new Error('expected the event to be rejected');
}
