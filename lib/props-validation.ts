import { Duration, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { REGION_PATTERN } from '../lambda/core/environment.ts';
import { MAX_EVENT_TIME_SKEW_MS } from '../lambda/core/event-time.ts';
import { activeDirectoryDomainSchema, identitySchema } from '../lambda/core/identity.ts';
import { eventSourceProblem } from '../sources/kit/settings.ts';
import type {
  ClientVpnEndpointTag,
  ClientVpnRevokerProps,
  ConnectHandlerProps,
  Ec2CallBudget,
  LedgerProps,
  SessionCleanupProps,
} from './client-vpn-revoker.ts';
import { EndpointWiring } from './parts/connect-handler.ts';

// The checks ClientVpnRevoker runs on its props before creating anything: each error names the prop and what
// was expected, and a prop that is a token (resolved at deploy time) is not judged.

/** Thrown when ClientVpnRevoker props are invalid; the message names the prop and what was expected. */
export class ClientVpnRevokerPropsError extends Error {
  override readonly name = 'ClientVpnRevokerPropsError';
  constructor(prop: string, message: string) {
    super(`ClientVpnRevoker: ${prop}: ${message}`);
  }
}

/** An AWS region name such as `us-east-1` (the same rule the function applies to its environment). */
export { REGION_PATTERN };
/** A Client VPN endpoint id, `cvpn-endpoint-<hex>`. */
export const ENDPOINT_ID_PATTERN = /^cvpn-endpoint-[0-9a-f]{8,17}$/;
/** An Okta partner event source name, `aws.partner/okta.com/<org>/<name>`. */
export { OKTA_EVENT_SOURCE_PATTERN } from '../sources/okta/source.ts';

const LOG_RETENTION_VALUES = new Set<number>(
  Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number'),
);

export const known = (value: string) => !Token.isUnresolved(value);
export const show = (value: unknown) => JSON.stringify(value);

/** Which endpoints the construct acts on: listed, by tag, or (neither) every endpoint of the regions. */
export interface EndpointSelection {
  readonly endpoints?: readonly { region: string; endpointId: string }[];
  readonly tag?: ClientVpnEndpointTag;
}

export function validateInteger(prop: string, value: number, min: number, max: number): void {
  if (!Token.isUnresolved(value) && (!Number.isInteger(value) || value < min || value > max)) {
    throw new ClientVpnRevokerPropsError(prop, `expected an integer from ${min} to ${max}, got ${value}`);
  }
}

export function validateNumbers(values: {
  maxConcurrency: number;
  batchSize: number;
  maxReceiveCount: number;
  memorySize: number;
  logRetention: number;
}): void {
  validateInteger('maxConcurrency', values.maxConcurrency, 2, 1000);
  validateInteger('batchSize', values.batchSize, 1, 10_000);
  validateInteger('maxReceiveCount', values.maxReceiveCount, 1, 1000);
  validateInteger('memorySize', values.memorySize, 128, 10_240);
  if (!LOG_RETENTION_VALUES.has(values.logRetention)) {
    throw new ClientVpnRevokerPropsError(
      'logRetention',
      `expected a RetentionDays value, got ${values.logRetention}`,
    );
  }
}

export function validateDurations(values: {
  timeout: Duration;
  terminateRetryBudget: Duration;
  maxBatchingWindow: Duration;
  batchSize: number;
}): void {
  const { timeout, terminateRetryBudget, maxBatchingWindow, batchSize } = values;
  const timeoutSeconds = timeout.toSeconds();
  if (timeoutSeconds < 30 || timeoutSeconds > 900) {
    throw new ClientVpnRevokerPropsError('timeout', `expected 30 seconds to 15 minutes, got ${timeout}`);
  }
  const budgetMs = terminateRetryBudget.toMilliseconds();
  // At most 450 s (half of 15 min), so always within the function's own 600 s limit.
  const ceilingMs = timeout.toMilliseconds() / 2;
  if (budgetMs > ceilingMs) {
    throw new ClientVpnRevokerPropsError(
      'terminateRetryBudget',
      `expected at most half of timeout (${ceilingMs} ms) so listing, verifying and publishing still fit, ` +
        `got ${budgetMs} ms`,
    );
  }
  const windowSeconds = maxBatchingWindow.toSeconds();
  if (windowSeconds > 300) {
    throw new ClientVpnRevokerPropsError(
      'maxBatchingWindow',
      `expected 0 to 300 seconds, got ${windowSeconds}`,
    );
  }
  if (batchSize > 10 && windowSeconds === 0) {
    throw new ClientVpnRevokerPropsError(
      'batchSize',
      'a batchSize above 10 needs a maxBatchingWindow above 0',
    );
  }
}

/** The skew in whole seconds, 0 to MAX_EVENT_TIME_SKEW_MS. */
export function validatedEventTimeSkew(skew: Duration): number {
  const skewSeconds = skew.toMilliseconds() / 1000;
  const maxSeconds = MAX_EVENT_TIME_SKEW_MS / 1000;
  if (!Number.isInteger(skewSeconds) || skewSeconds < 0 || skewSeconds > maxSeconds) {
    throw new ClientVpnRevokerPropsError(
      'maxEventTimeSkew',
      `expected whole seconds from 0 to ${maxSeconds} (1 hour), got ${skew}`,
    );
  }
  return skewSeconds;
}

export function validateSource(prop: string, source: string): void {
  const problem = known(source) ? eventSourceProblem(source) : undefined;
  if (problem) throw new ClientVpnRevokerPropsError(prop, problem);
}

export function validateRegion(prop: string, region: string): void {
  if (known(region) && !REGION_PATTERN.test(region)) {
    throw new ClientVpnRevokerPropsError(
      prop,
      `expected an AWS region such as us-east-1, got ${show(region)}`,
    );
  }
}

export function validateEndpoints(props: ClientVpnRevokerProps, stackRegion: string): EndpointSelection {
  if (props.endpoints && props.endpointTag) {
    throw new ClientVpnRevokerPropsError(
      'endpoints',
      'expected either endpoints or endpointTag, not both (neither = every endpoint in the regions)',
    );
  }
  if (props.endpoints) {
    if (props.endpoints.length === 0) {
      throw new ClientVpnRevokerPropsError('endpoints', 'expected at least one endpoint (or omit it)');
    }
    const seen = new Set<string>();
    const endpoints: { region: string; endpointId: string }[] = [];
    for (const { region = stackRegion, endpointId } of props.endpoints) {
      validateRegion('endpoints[].region', region);
      if (known(endpointId) && !ENDPOINT_ID_PATTERN.test(endpointId)) {
        throw new ClientVpnRevokerPropsError(
          'endpoints[].endpointId',
          `expected cvpn-endpoint-<8 to 17 hex digits>, got ${show(endpointId)}`,
        );
      }
      const key = `${region}:${endpointId}`;
      if (!seen.has(key)) endpoints.push({ region, endpointId });
      seen.add(key);
    }
    return { endpoints };
  }
  if (props.endpointTag) {
    const { key, value } = props.endpointTag;
    if (known(key) && (key.length < 1 || key.length > 128 || key.includes('=') || key.startsWith('aws:'))) {
      throw new ClientVpnRevokerPropsError(
        'endpointTag.key',
        `expected 1 to 128 characters without "=" and not starting with "aws:", got ${show(key)}`,
      );
    }
    if (value !== undefined && known(value) && value.length > 256) {
      throw new ClientVpnRevokerPropsError(
        'endpointTag.value',
        `expected at most 256 characters, got ${value.length}`,
      );
    }
    return { tag: props.endpointTag };
  }
  return {};
}

export function validateRegions(
  regions: string[] | undefined,
  selection: EndpointSelection,
  stackRegion: string,
): readonly string[] {
  if (regions === undefined) {
    return selection.endpoints ? [...new Set(selection.endpoints.map((e) => e.region))] : [stackRegion];
  }
  const unique = [...new Set(regions)];
  if (unique.length === 0) {
    throw new ClientVpnRevokerPropsError('regions', 'expected at least one region (or omit it)');
  }
  for (const region of unique) validateRegion('regions', region);
  for (const { region, endpointId } of selection.endpoints ?? []) {
    if (known(region) && !unique.includes(region)) {
      throw new ClientVpnRevokerPropsError(
        'endpoints[].region',
        `endpoint ${endpointId} is in ${region}, which is not one of regions (${unique.join(', ')})`,
      );
    }
  }
  return unique;
}

/** Down to two decimals; the epsilon keeps binary float error (3 × 0.95 = 2.8499…) from costing a cent. */
export const roundDown = (value: number) => Math.floor(value * 100 + 1e-9) / 100;

export function validateProtectedIdentities(identities: readonly string[]): string[] {
  for (const identity of identities) {
    // The functions parse the list with identitySchema at cold start: reject here what they would reject.
    if (known(identity) && (identity.includes(',') || !identitySchema.safeParse(identity).success)) {
      throw new ClientVpnRevokerPropsError(
        'protectedIdentities',
        'expected non-empty names of at most 256 characters without surrounding spaces, commas or ' +
          `control characters, got ${show(identity)}`,
      );
    }
  }
  return [...new Set(identities)];
}

export function validateActiveDirectoryDomains(domains: readonly string[]): string[] {
  for (const domain of domains) {
    const parsed = activeDirectoryDomainSchema.safeParse(domain);
    if (known(domain) && !parsed.success) {
      throw new ClientVpnRevokerPropsError(
        'activeDirectoryDomains',
        `${parsed.error.issues[0]?.message}, got ${show(domain)}`,
      );
    }
  }
  return [...new Set(domains)];
}

/** The smallest per-environment share the functions accept (their environment holds two decimals). */
const MIN_CALLS_PER_SECOND_SHARE = 0.01;

/** The default budget: just under EC2's refill (5 Terminates, 20 Describes per second per account and region). */
export const DEFAULT_EC2_CALL_BUDGET: Required<Ec2CallBudget> = {
  terminateCallsPerSecond: 4.75,
  describeCallsPerSecond: 15,
};

/**
 * The session sweeper's part of the budget. It runs for seconds every few minutes and may take its time;
 * revocations are what must be fast, so the revoker environments share the rest.
 */
export const SWEEPER_BUDGET_SHARE = 0.05;

/** Calls per second one function environment paces itself to. */
export interface CallRates {
  readonly terminate: number;
  readonly describe: number;
}

/**
 * Splits the budget: the sweeper (when there is one) gets `SWEEPER_BUDGET_SHARE`, and each of the
 * `revokerEnvironments` concurrent revoker environments an equal part of the rest, rounded down to the two
 * decimals the functions read. Together they never exceed the budget.
 */
export function splitBudget(
  budget: Ec2CallBudget | undefined,
  revokerEnvironments: number,
  sweeper: boolean,
): { revoker: CallRates; sweeper: CallRates } {
  const terminateCallsPerSecond =
    budget?.terminateCallsPerSecond ?? DEFAULT_EC2_CALL_BUDGET.terminateCallsPerSecond;
  const describeCallsPerSecond =
    budget?.describeCallsPerSecond ?? DEFAULT_EC2_CALL_BUDGET.describeCallsPerSecond;
  const revokerPart = sweeper ? 1 - SWEEPER_BUDGET_SHARE : 1;
  const shares = (total: number) => ({
    revoker: roundDown((total * revokerPart) / revokerEnvironments),
    sweeper: roundDown(total * SWEEPER_BUDGET_SHARE),
  });
  const check = (prop: string, value: number, max: number) => {
    if (!(value > 0 && value <= max)) {
      throw new ClientVpnRevokerPropsError(
        `ec2CallBudget.${prop}`,
        `expected more than 0 and at most ${max} (EC2's refill per second), got ${value}`,
      );
    }
    const { revoker, sweeper: sweeperShare } = shares(value);
    const smallest = sweeper ? Math.min(revoker, sweeperShare) : revoker;
    if (smallest < MIN_CALLS_PER_SECOND_SHARE) {
      throw new ClientVpnRevokerPropsError(
        `ec2CallBudget.${prop}`,
        `${value} split over ${revokerEnvironments} concurrent revoker environments` +
          `${sweeper ? ' and the sweeper' : ''} leaves less than ${MIN_CALLS_PER_SECOND_SHARE} per second ` +
          'to one of them; raise it or lower maxConcurrency',
      );
    }
  };
  check('terminateCallsPerSecond', terminateCallsPerSecond, 5);
  check('describeCallsPerSecond', describeCallsPerSecond, 20);
  const terminate = shares(terminateCallsPerSecond);
  const describe = shares(describeCallsPerSecond);
  return {
    revoker: { terminate: terminate.revoker, describe: describe.revoker },
    sweeper: { terminate: terminate.sweeper, describe: describe.sweeper },
  };
}

export function validateLedger(props: LedgerProps | undefined, retention: Duration): void {
  if (props?.enabled === false && (props.retention || props.removalPolicy)) {
    throw new ClientVpnRevokerPropsError('ledger', 'retention/removalPolicy given but enabled is false');
  }
  const days = retention.toDays({ integral: false });
  if (!(Number.isInteger(days) && days >= 1 && days <= 3650)) {
    throw new ClientVpnRevokerPropsError(
      'ledger.retention',
      `expected whole days from 1 to 3650, got ${retention}`,
    );
  }
}

/** Without a ledger there is nothing for a connect handler to look up: asking for one is an error. */
export function validateNoConnectHandler(props: ConnectHandlerProps | undefined): void {
  if (!props || props.enabled === false) return;
  const { enabled, ...options } = props;
  if (enabled === true || Object.values(options).some((value) => value !== undefined)) {
    throw new ClientVpnRevokerPropsError(
      'connectHandler.enabled',
      'the connect handler needs the ledger (ledger.enabled is false); set connectHandler.enabled to false',
    );
  }
}

/**
 * Whether to create the sweeper. It needs something to sweep for: revoked identities (the ledger) or a maximum
 * session age. Without either, the default cleanup is left out, and an explicitly requested one is an error.
 */
export function sweeperWanted(props: SessionCleanupProps | undefined, ledgerEnabled: boolean): boolean {
  if (props?.enabled === false) return false;
  if (ledgerEnabled || props?.maxSessionAge) return true;
  if (props?.enabled === true || props?.interval) {
    throw new ClientVpnRevokerPropsError(
      'sessionCleanup',
      'without the ledger a sweep needs maxSessionAge (there are no revoked identities to sweep for)',
    );
  }
  return false;
}

export function validateEndpointWiring(wiring: EndpointWiring | undefined): EndpointWiring {
  if (wiring === undefined) return EndpointWiring.ENFORCE;
  if (!Object.values(EndpointWiring).includes(wiring)) {
    throw new ClientVpnRevokerPropsError(
      'connectHandler.endpointWiring',
      `expected EndpointWiring.ENFORCE ('enforce') or EndpointWiring.REPORT ('report'), got ${show(wiring)}`,
    );
  }
  return wiring;
}

/**
 * The session sweep is what wires governed endpoints to the connect handler (or reports them): without it a
 * handler would guard nothing, silently.
 */
export const connectHandlerWithoutSweep = () =>
  new ClientVpnRevokerPropsError(
    'sessionCleanup.enabled',
    'is false, but the session sweep is what wires the governed endpoints to the connect handler and reports ' +
      'those it does not guard. Re-enable sessionCleanup (with connectHandler.endpointWiring: ' +
      'EndpointWiring.REPORT to only report, when other IaC owns the endpoints), or set ' +
      'connectHandler.enabled to false',
  );

export function validateConnectHandler(props: ConnectHandlerProps) {
  const endpointIds = [...new Set(props.endpointIds ?? [])];
  for (const endpointId of endpointIds) {
    if (known(endpointId) && !ENDPOINT_ID_PATTERN.test(endpointId)) {
      throw new ClientVpnRevokerPropsError(
        'connectHandler.endpointIds',
        `expected cvpn-endpoint-<8 to 17 hex digits>, got ${show(endpointId)}`,
      );
    }
  }
  const onLedgerUnavailable = props.onLedgerUnavailable ?? 'deny';
  if (onLedgerUnavailable !== 'deny' && onLedgerUnavailable !== 'allow') {
    throw new ClientVpnRevokerPropsError(
      'connectHandler.onLedgerUnavailable',
      `expected 'deny' or 'allow', got ${show(onLedgerUnavailable)}`,
    );
  }
  const { deniedMessage } = props;
  if (
    deniedMessage !== undefined &&
    known(deniedMessage) &&
    (deniedMessage === '' || deniedMessage.length > 255)
  ) {
    throw new ClientVpnRevokerPropsError(
      'connectHandler.deniedMessage',
      `expected 1 to 255 characters (Client VPN's limit), got ${deniedMessage.length}`,
    );
  }
  const provisionedConcurrency = props.provisionedConcurrency ?? 0;
  validateInteger('connectHandler.provisionedConcurrency', provisionedConcurrency, 0, 1000);
  return { endpointIds, onLedgerUnavailable, deniedMessage, provisionedConcurrency };
}

export function validateSessionCleanup(props: SessionCleanupProps) {
  const interval = props.interval ?? Duration.minutes(5);
  const minutes = interval.toMinutes({ integral: false });
  if (!(Number.isInteger(minutes) && minutes >= 1 && minutes <= 24 * 60)) {
    throw new ClientVpnRevokerPropsError(
      'sessionCleanup.interval',
      `expected whole minutes from 1 minute to 24 hours, got ${interval}`,
    );
  }
  const { maxSessionAge } = props;
  if (maxSessionAge) {
    const ageMinutes = maxSessionAge.toMinutes({ integral: false });
    if (!(Number.isInteger(ageMinutes) && ageMinutes >= 15 && ageMinutes < 8 * 60)) {
      throw new ClientVpnRevokerPropsError(
        'sessionCleanup.maxSessionAge',
        `expected whole minutes from 15 minutes to below 8 hours (Client VPN's minimum session timeout; ` +
          `set the endpoint's sessionTimeoutHours for longer), got ${maxSessionAge}`,
      );
    }
  }
  return { interval, maxSessionAge };
}
