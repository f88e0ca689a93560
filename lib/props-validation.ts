import { Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { REGION_PATTERN } from '../lambda/core/environment.ts';
import { eventSourceProblem } from '../sources/kit/settings.ts';

// What every part's checks share: each error names the prop and what was expected, and a prop that is a
// token (resolved at deploy time) is not judged. The checks of a part's own props live in its file.

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

export function validateInteger(prop: string, value: number, min: number, max: number): void {
  if (!Token.isUnresolved(value) && (!Number.isInteger(value) || value < min || value > max)) {
    throw new ClientVpnRevokerPropsError(prop, `expected an integer from ${min} to ${max}, got ${value}`);
  }
}

export function validateLogRetention(prop: string, retention: logs.RetentionDays): void {
  if (!LOG_RETENTION_VALUES.has(retention)) {
    throw new ClientVpnRevokerPropsError(prop, `expected a RetentionDays value, got ${retention}`);
  }
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

export function validateEndpointId(prop: string, endpointId: string): void {
  if (known(endpointId) && !ENDPOINT_ID_PATTERN.test(endpointId)) {
    throw new ClientVpnRevokerPropsError(
      prop,
      `expected cvpn-endpoint-<8 to 17 hex digits>, got ${show(endpointId)}`,
    );
  }
}
