import { eventBridgeEnvelopeSchema } from '../core/envelope.ts';
import { InvalidEventError } from '../core/errors.ts';
import { matchesEventPattern } from '../core/event-pattern.ts';
import type { RevocationRequest } from '../core/request.ts';
import type { IdentitySource } from './identity-source.ts';
import { type OktaOptions, okta } from './okta.ts';
import { parseDetail } from './parse-detail.ts';
import { type RunbookOptions, runbook } from './runbook.ts';

/** Which identity sources are enabled, with their options; absent = disabled. */
export interface SourcesConfig {
  readonly okta?: OktaOptions;
  readonly runbook?: RunbookOptions;
}

interface EnabledSource {
  readonly source: IdentitySource<never>;
  readonly options: unknown;
}

export function enabledSources(config: SourcesConfig): EnabledSource[] {
  const enabled: EnabledSource[] = [];
  if (config.okta) enabled.push({ source: okta, options: config.okta });
  if (config.runbook) enabled.push({ source: runbook, options: config.runbook });
  return enabled;
}

/**
 * Parses an SQS message body into a revocation request. Only events matching an enabled source's
 * rule pattern are accepted, so a message put on the queue by other means cannot widen the trust
 * boundary the rules draw.
 */
export function toRevocationRequest(body: string, config: SourcesConfig): RevocationRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new InvalidEventError('expected an EventBridge event as JSON', 'body', { cause: error });
  }
  const event = parseDetail(eventBridgeEnvelopeSchema, parsed, 'event');
  for (const { source, options } of enabledSources(config)) {
    const typed = source as IdentitySource<unknown>;
    if (matchesEventPattern(typed.eventPattern(options), event)) return typed.toRequest(event, options);
  }
  throw new InvalidEventError(
    `no enabled identity source accepts source "${event.source}" with detail-type "${event['detail-type']}"`,
    'event',
  );
}
