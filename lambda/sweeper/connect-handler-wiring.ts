import { mapConcurrent } from '../core/concurrency.ts';
import type {
  ConnectHandlerReport,
  EndpointWiringMode,
  UnguardedEndpoint,
  WiringLocation,
} from '../core/sweep-outcome.ts';
import {
  type ApiErrorSummary,
  describeSelectedEndpoints,
  type SearchScope,
  summariseError,
} from '../engine/find-connections.ts';
import type { ClientConnectState, ClientVpnApiForRegion } from '../engine/ports.ts';
import type { SweepRun, SweepSessions } from './sweep.ts';

const MODIFY_CALLS_IN_FLIGHT = 3;
/** arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>] */
export const LAMBDA_FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([\w-]+)(:[\w$-]+)?$/;

/** The region and account of a Lambda function ARN: where the endpoints it can guard are. */
export function handlerLocation(handlerArn: string): { readonly region: string; readonly accountId: string } {
  const [, region, accountId] = LAMBDA_FUNCTION_ARN.exec(handlerArn) ?? [];
  if (!region || !accountId) {
    throw new Error(`expected a Lambda function ARN for the connect handler, got ${handlerArn}`);
  }
  return { region, accountId };
}

/** What one endpoint's ClientConnectOptions call for. */
export type WiringDecision =
  | { readonly action: 'none' }
  | { readonly action: 'wire' }
  | { readonly action: 'report'; readonly reason: 'disabled' | 'other-handler' };

/** The function an ARN names, without its version or alias. */
const functionOf = (arn: string) => arn.split(':').slice(0, 7).join(':');

/**
 * The pure decision for one governed endpoint. Already this handler: nothing to do. Another handler: never
 * overwritten (someone chose it), only reported. No handler: wired in `enforce` mode, reported in `report`
 * mode. This handler's function under another qualifier (e.g. wired before provisioned concurrency added the
 * alias) already denies revoked identities: re-pointed at `handlerArn` in `enforce` mode, left alone otherwise.
 */
export function decideWiring(
  current: ClientConnectState | undefined,
  handlerArn: string,
  mode: EndpointWiringMode,
): WiringDecision {
  const functionArn = current?.enabled ? current.lambdaFunctionArn : undefined;
  if (functionArn === handlerArn) return { action: 'none' };
  if (functionArn !== undefined && functionOf(functionArn) !== functionOf(handlerArn)) {
    return { action: 'report', reason: 'other-handler' };
  }
  if (mode === 'report') return functionArn ? { action: 'none' } : { action: 'report', reason: 'disabled' };
  return { action: 'wire' };
}

export interface ConnectHandlerWiringSettings extends SearchScope {
  /** What governed endpoints must name: the handler's function, or its alias with provisioned concurrency. */
  readonly handlerArn: string;
  readonly mode: EndpointWiringMode;
  /** A dry run modifies nothing: it reports as `report` mode does. */
  readonly dryRun: boolean;
}

export interface ConnectHandlerWiringDependencies {
  readonly clientVpn: ClientVpnApiForRegion;
  /** ModifyClientVpnEndpoint on an endpoint of the handler's own region and account. */
  readonly enableConnectHandler: (endpointId: string, functionArn: string) => Promise<void>;
}

interface Location {
  readonly accountId?: string;
  readonly region: string;
}

/**
 * Checks every governed endpoint's client connect handler. AWS only lets an endpoint call a handler of its own
 * account and region, so endpoints elsewhere are listed as out of reach; those in reach are wired (enforce)
 * or reported (report, dry run). Errors are reported per endpoint (or per region), never thrown.
 */
export function checkConnectHandlerWiring(
  deps: ConnectHandlerWiringDependencies,
  settings: ConnectHandlerWiringSettings,
): () => Promise<ConnectHandlerReport> {
  const { region: handlerRegion, accountId: handlerAccount } = handlerLocation(settings.handlerArn);
  const inReach = (location: Location) =>
    location.region === handlerRegion && (location.accountId ?? handlerAccount) === handlerAccount;
  const mode: EndpointWiringMode = settings.dryRun ? 'report' : settings.mode;

  return async () => {
    const report: Mutable<ConnectHandlerReport> = {
      handlerArn: settings.handlerArn,
      wiring: mode,
      guarded: 0,
      wired: [],
      unguarded: [],
      outOfReach: [],
    };
    const accountIds = settings.accounts?.map((account) => account.accountId) ?? [undefined];
    const locations: Location[] = accountIds.flatMap((accountId) =>
      settings.regions.map((region) => ({ ...(accountId !== undefined && { accountId }), region })),
    );
    await Promise.all(
      locations.map((location) =>
        inReach(location) ? wireLocation(location, report) : listOutOfReach(location, report),
      ),
    );
    return report;
  };

  async function listOutOfReach(location: Location, report: Mutable<ConnectHandlerReport>) {
    const { endpoints } = settings;
    if (endpoints.kind === 'ids') {
      for (const ref of endpoints.endpoints.filter((ref) => ref.region === location.region)) {
        report.outOfReach.push({ ...location, endpointId: ref.endpointId });
      }
      return;
    }
    try {
      const found = await describeSelectedEndpoints(
        deps.clientVpn(location.region, location.accountId),
        location.region,
        endpoints,
      );
      for (const endpoint of found) report.outOfReach.push({ ...location, endpointId: endpoint.endpointId });
    } catch {
      // The sweep reads the same region and reports why it could not; nothing here could be guarded anyway.
    }
  }

  async function wireLocation(location: Location, report: Mutable<ConnectHandlerReport>) {
    let found: Awaited<ReturnType<typeof describeSelectedEndpoints>>;
    try {
      found = await describeSelectedEndpoints(
        deps.clientVpn(location.region, location.accountId),
        location.region,
        settings.endpoints,
      );
    } catch (error) {
      report.unguarded.push(...unreadLocation(location, summariseError(error)));
      return;
    }
    await mapConcurrent(found, MODIFY_CALLS_IN_FLIGHT, async (endpoint) => {
      const where: WiringLocation = { ...location, endpointId: endpoint.endpointId };
      const decision = decideWiring(endpoint.clientConnect, settings.handlerArn, mode);
      if (decision.action === 'none') {
        report.guarded += 1;
      } else if (decision.action === 'report') {
        const functionArn = endpoint.clientConnect?.lambdaFunctionArn;
        report.unguarded.push({
          ...where,
          reason: decision.reason,
          ...(decision.reason === 'other-handler' && functionArn && { functionArn }),
        });
      } else {
        try {
          await deps.enableConnectHandler(endpoint.endpointId, settings.handlerArn);
          report.wired.push(where);
        } catch (error) {
          report.unguarded.push({ ...where, reason: 'error', error: summariseError(error) });
        }
      }
    });
  }

  /** The endpoints of a region in reach that could not be listed: each listed one, or the region itself. */
  function unreadLocation(location: Location, error: ApiErrorSummary): UnguardedEndpoint[] {
    const { endpoints } = settings;
    if (endpoints.kind !== 'ids') return [{ ...location, reason: 'error', error }];
    return endpoints.endpoints
      .filter((ref) => ref.region === location.region)
      .map((ref) => ({ ...location, endpointId: ref.endpointId, reason: 'error', error }));
  }
}

export type CheckConnectHandlerWiring = ReturnType<typeof checkConnectHandlerWiring>;

/**
 * The sweep with the wiring check first, so that a session it ends can no longer reconnect through an endpoint
 * it just wired; the report goes into the sweep's outcome.
 */
export const sweepAfterWiring =
  (sweep: SweepSessions, checkWiring: CheckConnectHandlerWiring): SweepSessions =>
  async (run: SweepRun) => {
    const connectHandler = await checkWiring();
    return { ...(await sweep(run)), connectHandler };
  };

type Mutable<T> = {
  -readonly [Key in keyof T]: T[Key] extends readonly (infer Item)[] ? Item[] : T[Key];
};
