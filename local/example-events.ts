import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

const oktaSample = JSON.parse(
  readFileSync(new URL('../examples/events/okta-user-deactivate.json', import.meta.url), 'utf8'),
) as Record<string, unknown> & { detail: Record<string, unknown> };

/** The example Okta System Log event, re-targeted at `login`, with fresh ids, from the given partner source. */
export function oktaEventFor(
  login: string,
  options: { readonly source: string; readonly eventType?: string },
): typeof oktaSample & { id: string; source: string } {
  const target = (oktaSample.detail.target as Record<string, unknown>[])[0];
  return {
    ...oktaSample,
    id: randomUUID(),
    source: options.source,
    detail: {
      ...oktaSample.detail,
      eventType: options.eventType ?? oktaSample.detail.eventType,
      uuid: randomUUID(),
      target: [{ ...target, alternateId: login }],
    },
  };
}
