import type { EndpointScope } from '../function-support.ts';
import {
  ClientVpnRevokerPropsError,
  known,
  show,
  validateEndpointId,
  validateRegion,
} from '../props-validation.ts';

/** One Client VPN endpoint the revoker may act on. */
export interface ClientVpnEndpointReference {
  /**
   * Region of the endpoint (endpoint ids are only unique within a region).
   * @default - the stack's region
   */
  readonly region?: string;
  /** The endpoint id, `cvpn-endpoint-<hex>`. */
  readonly endpointId: string;
}

/** Selects the endpoints carrying a tag, in every configured region. */
export interface ClientVpnEndpointTag {
  /** Tag key. */
  readonly key: string;
  /**
   * Tag value the endpoint must carry.
   * @default - any value: the key must merely be present
   */
  readonly value?: string;
}

/** Which endpoints the construct acts on: listed (each with its region), by tag, or (neither) all of them. */
export function validateEndpoints(
  props: { readonly endpoints?: ClientVpnEndpointReference[]; readonly endpointTag?: ClientVpnEndpointTag },
  stackRegion: string,
): EndpointScope {
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
      validateEndpointId('endpoints[].endpointId', endpointId);
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

/** The regions in scope: as given, else those of the listed endpoints, else the stack's. */
export function validateRegions(
  regions: string[] | undefined,
  selection: EndpointScope,
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
