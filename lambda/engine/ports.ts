/** What the engine needs from EC2, per region. Adapters translate the SDK; tests pass fakes. */

export interface EndpointSummary {
  readonly endpointId: string;
  readonly status: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The endpoint's client connect handler (`ClientConnectOptions`); absent when EC2 did not say. */
  readonly clientConnect?: ClientConnectState;
}

export interface ClientConnectState {
  readonly enabled: boolean;
  readonly lambdaFunctionArn?: string;
}

export interface ConnectionSummary {
  readonly connectionId: string;
  readonly username?: string;
  readonly commonName?: string;
  /** EC2 status code: active | failed-to-terminate | terminating | terminated. */
  readonly status: string;
  readonly statusMessage?: string;
  readonly establishedTime?: string;
}

export interface StatusChange {
  readonly connectionId: string;
  readonly previousStatus?: string;
  readonly currentStatus?: string;
  readonly message?: string;
}

export interface Page<Item> {
  readonly items: readonly Item[];
  readonly nextToken?: string;
}

export type TerminateTarget = { readonly username: string } | { readonly connectionId: string };

/** Errors are thrown as `ClientVpnApiError` carrying the EC2 error code. */
export interface ClientVpnApi {
  describeEndpoints(nextToken?: string): Promise<Page<EndpointSummary>>;
  describeConnections(
    endpointId: string,
    options?: { readonly nextToken?: string; readonly connectionIds?: readonly string[] },
  ): Promise<Page<ConnectionSummary>>;
  terminate(endpointId: string, target: TerminateTarget): Promise<readonly StatusChange[]>;
}

/**
 * The API in one region of one account: `accountId` is absent when the function searches its own account only
 * (no member accounts configured). EC2's buckets are per account and region, so is each API.
 */
export type ClientVpnApiForRegion = (region: string, accountId?: string) => ClientVpnApi;

/**
 * `create` called once per region and account, its API reused after that: EC2's buckets, the pacer's
 * limiters and the SDK's retry state are all per region and account.
 */
export function onePerRegionAndAccount(create: ClientVpnApiForRegion): ClientVpnApiForRegion {
  const apis = new Map<string, ClientVpnApi>();
  return (region, accountId) => {
    const key = `${accountId ?? ''}/${region}`;
    let api = apis.get(key);
    if (!api) {
      api = create(region, accountId);
      apis.set(key, api);
    }
    return api;
  };
}
