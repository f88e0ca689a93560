import { eventBridgeEnvelopeSchema } from '../lambda/core/envelope.ts';
import { InvalidEventError } from '../lambda/core/errors.ts';
import { type EventPattern, matchesEventPattern } from '../lambda/core/event-pattern.ts';
import { type IdentityMapping, mapIdentity } from '../lambda/core/identity-mapping.ts';
import type { IdentityReference, IdentitySource, SourceOptions, SourceRequest } from './identity-source.ts';
import { parseDetail } from './parse-detail.ts';
import { type EnabledSourcesOptions, SOURCE_KEYS, SOURCES } from './registry.ts';

/** Which identity sources are enabled, with their options (absent = disabled), and whether lifts are. */
export type SourcesConfig = EnabledSourcesOptions & {
  /**
   * Accept re-enable events as lift requests (true when the stack has a revocation ledger). Otherwise they are
   * rejected like any event no rule routes.
   * @default false
   */
  readonly lift?: boolean;
};

interface EnabledSource {
  readonly source: IdentitySource<never>;
  readonly options: SourceOptions;
}

/** One enabled source's lift rule: the pattern of its re-enable events. */
export interface LiftRule {
  /** The source's name (`okta`, `auth0`, `identity-center`, `cognito`, `runbook`). */
  readonly source: string;
  readonly pattern: EventPattern;
}

/**
 * A revoke or lift request as far as the event alone can tell: a mapped name, or a reference whose name is
 * looked up (then mapped with `identityMapping`) before the revocation or lift runs.
 */
export type ParsedRequest =
  | (SourceRequest & { readonly identity: string })
  | (SourceRequest & { readonly identity: IdentityReference; readonly identityMapping?: IdentityMapping });

export function enabledSources(config: SourcesConfig): EnabledSource[] {
  return SOURCE_KEYS.flatMap((key) => {
    const options = config[key];
    return options ? [{ source: SOURCES[key].events as IdentitySource<never>, options }] : [];
  });
}

/** The lift pattern and normaliser of a source that has them. */
function liftOf(source: IdentitySource<SourceOptions>) {
  const { liftEventPattern, toLiftRequest } = source;
  return liftEventPattern && toLiftRequest
    ? { pattern: liftEventPattern.bind(source), toRequest: toLiftRequest.bind(source) }
    : undefined;
}

/**
 * The lift rule of every enabled source that has one (OneLogin has none), whether or not `config.lift` is
 * set. A partner source's pattern lists all its event source names; a rule on each partner bus takes the
 * source's `liftEventPattern` with that one name, as the revoke rules do.
 */
export function liftRules(config: SourcesConfig): LiftRule[] {
  return enabledSources(config).flatMap(({ source, options }) => {
    const lift = liftOf(source as IdentitySource<SourceOptions>);
    return lift ? [{ source: source.name, pattern: lift.pattern(options) }] : [];
  });
}

const mapped = (request: SourceRequest, options: SourceOptions): ParsedRequest => {
  const { identity, aliases } = request;
  const mappedAliases = aliases && mapAliases(aliases, options.identityMapping);
  const withAliases = { ...request, ...(mappedAliases && { aliases: mappedAliases }) };
  return typeof identity === 'string'
    ? { ...withAliases, identity: mapIdentity(identity, options.identityMapping) }
    : { ...withAliases, identity, identityMapping: options.identityMapping };
};

/**
 * Each alias mapped like the primary name. One the mapping cannot apply to (a `{local}` template and no
 * `@`) is not a name Client VPN can see, so it is left out; the primary name still decides the request.
 */
export function mapAliases(aliases: readonly string[], mapping: IdentityMapping | undefined): string[] {
  return aliases.flatMap((alias) => {
    try {
      return [mapIdentity(alias, mapping)];
    } catch (error) {
      if (error instanceof InvalidEventError) return [];
      throw error;
    }
  });
}

/**
 * Parses an SQS message body into a revocation request (`action` `revoke`) or, when `config.lift` is set, a
 * lift request (`action` `lift`). Only events matching an enabled source's rule pattern — revoke, or lift
 * when lifts are on — are accepted, so a message put on the queue by other means cannot widen the trust
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
    if (matchesEventPattern(typed.eventPattern(options), event)) {
      return mapped(typed.toRequest(event, options), options);
    }
    const lift = config.lift ? liftOf(typed) : undefined;
    if (lift && matchesEventPattern(lift.pattern(options), event)) {
      return mapped(lift.toRequest(event, options), options);
    }
  }
  // Only to say why: a re-enable event is rejected all the same when lifts are off.
  const unroutedLift =
    !config.lift && liftRules(config).some(({ pattern }) => matchesEventPattern(pattern, event));
  const why = unroutedLift ? ' (a re-enable event: lifts are accepted only with a revocation ledger)' : '';
  throw new InvalidEventError(
    `no enabled identity source accepts source "${event.source}" with detail-type "${event['detail-type']}"${why}`,
    'event',
  );
}
