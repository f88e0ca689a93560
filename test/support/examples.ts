import { readdirSync, readFileSync } from 'node:fs';
import * as z from 'zod';
import { type EventBridgeEnvelope, eventBridgeEnvelopeSchema } from '../../lambda/core/envelope.ts';
import { InvalidEventError } from '../../lambda/core/errors.ts';
import { AUTH0_LOST_ACCESS_EVENT_TYPES } from '../../sources/auth0/events.ts';
import { COGNITO_LOST_ACCESS_EVENT_TYPES } from '../../sources/cognito/events.ts';
import { IDENTITY_CENTER_EVENT_TYPES } from '../../sources/identity-center/events.ts';
import { OKTA_LOST_ACCESS_EVENT_TYPES } from '../../sources/okta/events.ts';
import type { SourcesConfig } from '../../sources/requests.ts';
import { DEFAULT_RUNBOOK_SOURCE } from '../../sources/runbook/events.ts';

export const EXAMPLES_DIR = new URL('../../examples/events/', import.meta.url);

/**
 * What an example in examples/events/ is, by a word of its name (words are separated by `-` and `.`):
 * - `lift`: a re-enable event (or runbook lift request), a lift request when the stack has a revocation
 *   ledger, rejected otherwise — `okta-user-activate.lift.json`, `runbook-lift-request.json`;
 * - `negative`: an event no rule routes or the function rejects — `idc-console-disableuser-failed.negative.json`;
 * - otherwise `revoke`: a revocation request — `okta-user-deactivate.json`, `runbook-request.json`.
 */
export type ExampleKind = 'revoke' | 'lift' | 'negative';

export function exampleKind(name: string): ExampleKind {
  const words = name.replace(/\.json$/, '').split(/[-.]/);
  if (words.includes('negative')) return 'negative';
  return words.includes('lift') ? 'lift' : 'revoke';
}

/**
 * Every identity source enabled with every event type, as the examples need it (their partner sources, one
 * identity store, one user pool, the default runbook source). Lifts are off; add `lift: true` for them.
 */
export const EXAMPLE_SOURCES = {
  okta: {
    eventSourceNames: ['aws.partner/okta.com/example-org/vpn-kill-switch'],
    eventTypes: [...OKTA_LOST_ACCESS_EVENT_TYPES],
  },
  auth0: {
    eventSourceNames: ['aws.partner/auth0.com/example-tenant-0f1e2d3c/auth0.logs'],
    eventTypes: [...AUTH0_LOST_ACCESS_EVENT_TYPES],
  },
  onelogin: { eventSourceNames: ['aws.partner/onelogin.com/US-123456/vpn-revoker'] },
  identityCenter: { eventTypes: [...IDENTITY_CENTER_EVENT_TYPES], identityStoreIds: ['d-9067a1b2c3'] },
  cognito: { userPoolIds: ['us-east-1_ExAmPlE12'], eventTypes: [...COGNITO_LOST_ACCESS_EVENT_TYPES] },
  runbook: { source: DEFAULT_RUNBOOK_SOURCE, liftsAllowed: true },
} satisfies SourcesConfig;

/** Every example file name in examples/events/, sorted. */
export const EXAMPLE_FILES: readonly string[] = readdirSync(EXAMPLES_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort();

const ofKind = (kind: ExampleKind) => EXAMPLE_FILES.filter((name) => exampleKind(name) === kind);

/** The examples that revoke (including the runbook request, a PutEvents entry list). */
export const REVOKE_EXAMPLES: readonly string[] = ofKind('revoke');
/** The examples that lift a revocation (including the runbook lift request). */
export const LIFT_EXAMPLES: readonly string[] = ofKind('lift');
/** The examples no rule routes or the function rejects. */
export const NEGATIVE_EXAMPLES: readonly string[] = ofKind('negative');

/** Whether an example file holds PutEvents entries (the runbook requests) rather than a delivered event. */
export const isPutEventsExample = (name: string): boolean =>
  Array.isArray(JSON.parse(readFileSync(new URL(name, EXAMPLES_DIR), 'utf8')));

/** An event from examples/events/, checked to be a well-formed EventBridge envelope. */
export const loadExample = <Event>(name: string): Event =>
  eventBridgeEnvelopeSchema.parse(JSON.parse(readFileSync(new URL(name, EXAMPLES_DIR), 'utf8'))) as Event;

/** A deep copy of an example event, changed by `change`. */
export function changedExample<Event>(name: string, change: (event: Event) => void = () => {}): Event {
  const event = structuredClone(loadExample<Event>(name));
  change(event);
  return event;
}

const putEventsEntriesSchema = z
  .array(z.object({ Source: z.string(), DetailType: z.string(), Detail: z.string() }).loose())
  .min(1);

/**
 * An example as EventBridge delivers it: the event itself, or for a file of PutEvents entries (the runbook
 * requests) the event its first entry becomes, with a fixed id, account, region and time.
 */
export function deliveredExample(name: string): EventBridgeEnvelope {
  const parsed: unknown = JSON.parse(readFileSync(new URL(name, EXAMPLES_DIR), 'utf8'));
  if (!Array.isArray(parsed)) return eventBridgeEnvelopeSchema.parse(parsed);
  const [entry] = putEventsEntriesSchema.parse(parsed);
  if (!entry) throw new Error(`${name}: expected at least one PutEvents entry`);
  return eventBridgeEnvelopeSchema.parse({
    version: '0',
    id: `example-${name.replace(/\.json$/, '')}`,
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: '111122223333',
    time: '2026-11-22T10:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: JSON.parse(entry.Detail),
  });
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
