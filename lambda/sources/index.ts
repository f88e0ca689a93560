import { eventBridgeEnvelopeSchema } from '../core/envelope.ts';
import { InvalidEventError } from '../core/errors.ts';
import { matchesEventPattern } from '../core/event-pattern.ts';
import { type IdentityMapping, mapIdentity } from '../core/identity-mapping.ts';
import { type Auth0Options, auth0 } from './auth0.ts';
import { type CognitoOptions, cognito } from './cognito.ts';
import { type IdentityCenterOptions, identityCenter } from './identity-center.ts';
import type { IdentityReference, IdentitySource, SourceOptions, SourceRequest } from './identity-source.ts';
import { type OktaOptions, okta } from './okta.ts';
import { type OneLoginOptions, onelogin } from './onelogin.ts';
import { parseDetail } from './parse-detail.ts';
import { type RunbookOptions, runbook } from './runbook.ts';

/** Which identity sources are enabled, with their options; absent = disabled. */
export interface SourcesConfig {
  readonly okta?: OktaOptions;
  readonly auth0?: Auth0Options;
  readonly onelogin?: OneLoginOptions;
  readonly identityCenter?: IdentityCenterOptions;
  readonly cognito?: CognitoOptions;
  readonly runbook?: RunbookOptions;
}

interface EnabledSource {
  readonly source: IdentitySource<never>;
  readonly options: SourceOptions;
}

/**
 * A request as far as the event alone can tell: a mapped name, or a reference whose name is looked up
 * (then mapped with `identityMapping`) before the revocation runs.
 */
export type ParsedRequest =
  | (SourceRequest & { readonly identity: string })
  | (SourceRequest & { readonly identity: IdentityReference; readonly identityMapping?: IdentityMapping });

export function enabledSources(config: SourcesConfig): EnabledSource[] {
  const enabled: EnabledSource[] = [];
  if (config.okta) enabled.push({ source: okta, options: config.okta });
  if (config.auth0) enabled.push({ source: auth0, options: config.auth0 });
  if (config.onelogin) enabled.push({ source: onelogin, options: config.onelogin });
  if (config.identityCenter) enabled.push({ source: identityCenter, options: config.identityCenter });
  if (config.cognito) enabled.push({ source: cognito, options: config.cognito });
  if (config.runbook) enabled.push({ source: runbook, options: config.runbook });
  return enabled;
}

/**
 * Parses an SQS message body into a revocation request. Only events matching an enabled source's
 * rule pattern are accepted, so a message put on the queue by other means cannot widen the trust
 * boundary the rules draw.
 */
export function toRevocationRequest(body: string, config: SourcesConfig): ParsedRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new InvalidEventError('expected an EventBridge event as JSON', 'body', { cause: error });
  }
  const event = parseDetail(eventBridgeEnvelopeSchema, parsed, 'event');
  for (const { source, options } of enabledSources(config)) {
    const typed = source as IdentitySource<SourceOptions>;
    if (!matchesEventPattern(typed.eventPattern(options), event)) continue;
    const request = typed.toRequest(event, options);
    const { identity } = request;
    return typeof identity === 'string'
      ? { ...request, identity: mapIdentity(identity, options.identityMapping) }
      : { ...request, identity, identityMapping: options.identityMapping };
  }
  throw new InvalidEventError(
    `no enabled identity source accepts source "${event.source}" with detail-type "${event['detail-type']}"`,
    'event',
  );
}
