import { describe, expect, it, vi } from 'vitest';
import type { EndpointSelection } from '../../lambda/core/environment.ts';
import { ClientVpnApiError } from '../../lambda/core/errors.ts';
import { protectedIdentities } from '../../lambda/core/protected-identities.ts';
import {
  type EndpointWiringMode,
  type SweepOutcomeDetail,
  sweepOutcomeDetailSchema,
} from '../../lambda/core/sweep-outcome.ts';
import type { PublishResult } from '../../lambda/engine/adapters/eventbridge-outcomes.ts';
import type { ClientConnectState } from '../../lambda/engine/ports.ts';
import { loadSweeperConfig } from '../../lambda/sweeper/config.ts';
import {
  checkConnectHandlerWiring,
  decideWiring,
  sweepAfterWiring,
} from '../../lambda/sweeper/connect-handler-wiring.ts';
import { scheduledSweep } from '../../lambda/sweeper/run-sweep.ts';
import { sweepSessions } from '../../lambda/sweeper/sweep.ts';
import { FakeClientVpn, fakeClock } from '../support/fake-client-vpn.ts';

const EAST = 'us-east-1';
const WEST = 'eu-west-1';
const ACCOUNT = '111122223333';
const MEMBER = '444455556666';
const HANDLER = `arn:aws:lambda:${EAST}:${ACCOUNT}:function:AWSClientVPN-revoker-connect`;
const HANDLER_ALIAS = `${HANDLER}:live`;
const OTHER_HANDLER = `arn:aws:lambda:${EAST}:${ACCOUNT}:function:AWSClientVPN-posture-check`;
const UNWIRED = 'cvpn-endpoint-0aaa0000000000001';
const OURS = 'cvpn-endpoint-0bbb0000000000002';
const THEIRS = 'cvpn-endpoint-0ccc0000000000003';
const FAR = 'cvpn-endpoint-0ddd0000000000004';
const DISABLED: ClientConnectState = { enabled: false };
const on = (lambdaFunctionArn: string): ClientConnectState => ({ enabled: true, lambdaFunctionArn });

describe('decideWiring', () => {
  it.each<[string, ClientConnectState | undefined, EndpointWiringMode, ReturnType<typeof decideWiring>]>([
    ['disabled, enforce: wire', DISABLED, 'enforce', { action: 'wire' }],
    ['no options reported, enforce: wire', undefined, 'enforce', { action: 'wire' }],
    ['disabled, report: report disabled', DISABLED, 'report', { action: 'report', reason: 'disabled' }],
    [
      'another handler, enforce: report',
      on(OTHER_HANDLER),
      'enforce',
      { action: 'report', reason: 'other-handler' },
    ],
    [
      'another handler, report: report',
      on(OTHER_HANDLER),
      'report',
      { action: 'report', reason: 'other-handler' },
    ],
    ['already this handler: nothing', on(HANDLER), 'enforce', { action: 'none' }],
    ['already this handler, report: nothing', on(HANDLER), 'report', { action: 'none' }],
    [
      'a disabled endpoint keeping our ARN is still unguarded',
      { enabled: false, lambdaFunctionArn: HANDLER },
      'report',
      { action: 'report', reason: 'disabled' },
    ],
  ])('%s', (_name, current, mode, expected) => {
    // Act
    const decision = decideWiring(current, HANDLER, mode);

    // Assess
    expect(decision).toEqual(expected);
  });

  it("re-points this handler's unqualified function at its alias in enforce mode, leaves it in report mode", () => {
    // Act
    const enforce = decideWiring(on(HANDLER), HANDLER_ALIAS, 'enforce');
    const report = decideWiring(on(HANDLER), HANDLER_ALIAS, 'report');

    // Assess
    expect(enforce).toEqual({ action: 'wire' });
    expect(report).toEqual({ action: 'none' });
  });
});

interface SetupOptions {
  readonly mode?: EndpointWiringMode;
  readonly dryRun?: boolean;
  readonly selection?: EndpointSelection;
  readonly accounts?: readonly { accountId: string }[];
  readonly modifyFails?: string;
}

function setup(options: SetupOptions = {}) {
  const fake = new FakeClientVpn()
    .addEndpoint(EAST, UNWIRED, { clientConnect: DISABLED, tags: { team: 'vpn' } })
    .addEndpoint(EAST, OURS, { clientConnect: on(HANDLER), tags: { team: 'vpn' } })
    .addEndpoint(EAST, THEIRS, { clientConnect: on(OTHER_HANDLER), tags: { team: 'vpn' } })
    .addEndpoint(EAST, 'cvpn-endpoint-0eee0000000000005', { clientConnect: DISABLED })
    .addEndpoint(WEST, FAR, { clientConnect: DISABLED, tags: { team: 'vpn' } });
  const enableConnectHandler = vi.fn(async (endpointId: string, _functionArn: string) => {
    if (options.modifyFails)
      throw new ClientVpnApiError(options.modifyFails, `refused on ${endpointId}`, false);
  });
  const check = checkConnectHandlerWiring(
    { clientVpn: fake.forRegion, enableConnectHandler },
    {
      handlerArn: HANDLER,
      mode: options.mode ?? 'enforce',
      dryRun: options.dryRun ?? false,
      regions: [EAST, WEST],
      endpoints: options.selection ?? { kind: 'tag', key: 'team', value: 'vpn' },
      ...(options.accounts && { accounts: options.accounts }),
    },
  );
  return { fake, enableConnectHandler, check };
}

describe('checkConnectHandlerWiring', () => {
  it('enforce: wires the governed endpoint without a handler, reports another handler, lists far ones', async () => {
    // Prepare
    const { enableConnectHandler, check } = setup();

    // Act
    const report = await check();

    // Assess
    expect(enableConnectHandler.mock.calls).toEqual([[UNWIRED, HANDLER]]);
    expect(report).toEqual({
      handlerArn: HANDLER,
      wiring: 'enforce',
      guarded: 1,
      wired: [{ region: EAST, endpointId: UNWIRED }],
      unguarded: [{ region: EAST, endpointId: THEIRS, reason: 'other-handler', functionArn: OTHER_HANDLER }],
      outOfReach: [{ region: WEST, endpointId: FAR }],
    });
  });

  it('report: modifies nothing and reports the endpoint without a handler', async () => {
    // Prepare
    const { enableConnectHandler, check } = setup({ mode: 'report' });

    // Act
    const report = await check();

    // Assess
    expect(enableConnectHandler).not.toHaveBeenCalled();
    expect(report.wiring).toBe('report');
    expect(report.wired).toEqual([]);
    expect(report.unguarded).toEqual([
      { region: EAST, endpointId: UNWIRED, reason: 'disabled' },
      { region: EAST, endpointId: THEIRS, reason: 'other-handler', functionArn: OTHER_HANDLER },
    ]);
  });

  it('a dry run modifies nothing either', async () => {
    // Prepare
    const { enableConnectHandler, check } = setup({ dryRun: true });

    // Act
    const report = await check();

    // Assess
    expect(enableConnectHandler).not.toHaveBeenCalled();
    expect(report.wiring).toBe('report');
    expect(report.unguarded).toContainEqual({ region: EAST, endpointId: UNWIRED, reason: 'disabled' });
  });

  it('a ModifyClientVpnEndpoint error is reported on the endpoint, not thrown', async () => {
    // Prepare
    const { check } = setup({ modifyFails: 'UnauthorizedOperation' });

    // Act
    const report = await check();

    // Assess
    expect(report.wired).toEqual([]);
    expect(report.unguarded).toContainEqual({
      region: EAST,
      endpointId: UNWIRED,
      reason: 'error',
      error: { code: 'UnauthorizedOperation', message: `refused on ${UNWIRED}` },
    });
  });

  it('with listed ids: lists far ones without a call, and reports each id of a region it cannot read', async () => {
    // Prepare
    const { fake, enableConnectHandler, check } = setup({
      selection: {
        kind: 'ids',
        endpoints: [
          { region: EAST, endpointId: UNWIRED },
          { region: WEST, endpointId: FAR },
        ],
      },
    });
    fake.regionFailures.set(EAST, 'UnauthorizedOperation');

    // Act
    const report = await check();

    // Assess
    expect(enableConnectHandler).not.toHaveBeenCalled();
    expect(fake.calls.filter((call) => call.region === WEST)).toEqual([]);
    expect(report.unguarded).toEqual([
      expect.objectContaining({ region: EAST, endpointId: UNWIRED, reason: 'error' }),
    ]);
    expect(report.outOfReach).toEqual([{ region: WEST, endpointId: FAR }]);
  });

  it('with listed ids: wires only the listed endpoint', async () => {
    // Prepare
    const { enableConnectHandler, check } = setup({
      selection: { kind: 'ids', endpoints: [{ region: EAST, endpointId: UNWIRED }] },
    });

    // Act
    const report = await check();

    // Assess
    expect(enableConnectHandler.mock.calls).toEqual([[UNWIRED, HANDLER]]);
    expect(report).toMatchObject({ guarded: 0, unguarded: [], outOfReach: [] });
  });

  it("member accounts' endpoints are out of reach; only the handler's own account is wired", async () => {
    // Prepare
    const { enableConnectHandler, check } = setup({
      accounts: [{ accountId: ACCOUNT }, { accountId: MEMBER }],
      selection: { kind: 'all' },
    });

    // Act
    const report = await check();

    // Assess: the fake answers the same endpoints for every account
    expect(enableConnectHandler.mock.calls.map(([endpointId]) => endpointId).sort()).toEqual([
      UNWIRED,
      'cvpn-endpoint-0eee0000000000005',
    ]);
    expect(report.wired.every((endpoint) => endpoint.accountId === ACCOUNT)).toBe(true);
    expect(report.outOfReach).toContainEqual({ accountId: MEMBER, region: EAST, endpointId: UNWIRED });
    expect(report.outOfReach).toContainEqual({ accountId: ACCOUNT, region: WEST, endpointId: FAR });
  });
});

describe('the sweep with the wiring check', () => {
  function sweepWithWiring(mode: EndpointWiringMode) {
    const { fake, enableConnectHandler, check } = setup({ mode });
    const clock = fakeClock();
    const publish = vi.fn(async (outcomes: readonly SweepOutcomeDetail[]) =>
      outcomes.map((): PublishResult => ({ published: true })),
    );
    const metrics = { addMetric: vi.fn() };
    const sweep = sweepSessions(
      {
        clientVpn: fake.forRegion,
        ledger: { listRevoked: async () => [], keepUntilLifted: async () => 0 },
        protectedIdentities: protectedIdentities([]),
        ...clock,
      },
      { regions: [EAST], endpoints: { kind: 'all' }, terminateRetryBudgetMs: 30_000, dryRun: false },
    );
    const run = scheduledSweep({
      sweep: sweepAfterWiring(sweep, check),
      publish,
      logger: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
      metrics,
    });
    return {
      run: () => run({ sweepId: 'sweep-1', deadline: clock.now() + 60_000 }),
      publish,
      metrics,
      enableConnectHandler,
    };
  }

  it('puts the report into the published outcome and counts wired and unguarded endpoints', async () => {
    // Prepare
    const { run, publish, metrics } = sweepWithWiring('enforce');

    // Act
    await run();

    // Assess
    const [[outcomes]] = publish.mock.calls as unknown as [[SweepOutcomeDetail[]]];
    const [outcome] = outcomes;
    expect(sweepOutcomeDetailSchema.parse(outcome).connectHandler).toMatchObject({
      wired: [{ endpointId: UNWIRED }],
      unguarded: [{ endpointId: THEIRS, reason: 'other-handler' }],
    });
    expect(metrics.addMetric).toHaveBeenCalledWith('EndpointsWired', 'Count', 1);
    expect(metrics.addMetric).toHaveBeenCalledWith('EndpointsNotGuarded', 'Count', 1);
  });

  it('report mode: every unguarded endpoint is counted, none wired', async () => {
    // Prepare
    const { run, metrics, enableConnectHandler } = sweepWithWiring('report');

    // Act
    await run();

    // Assess
    expect(enableConnectHandler).not.toHaveBeenCalled();
    expect(metrics.addMetric).toHaveBeenCalledWith('EndpointsWired', 'Count', 0);
    expect(metrics.addMetric).toHaveBeenCalledWith('EndpointsNotGuarded', 'Count', 2);
  });
});

describe('sweeper configuration of the wiring', () => {
  const BASE = {
    CLIENT_VPN_REGIONS: EAST,
    OUTCOME_EVENT_BUS: 'revocation-outcomes',
    LEDGER_TABLE_NAME: 'RevocationLedger',
  };

  it('enforces by default when a connect handler is named', () => {
    // Act
    const config = loadSweeperConfig({ ...BASE, CONNECT_HANDLER_ARN: HANDLER_ALIAS });

    // Assess
    expect(config.connectHandler).toEqual({ handlerArn: HANDLER_ALIAS, wiring: 'enforce' });
  });

  it('reads report mode, and has no wiring without a handler', () => {
    // Act
    const report = loadSweeperConfig({
      ...BASE,
      CONNECT_HANDLER_ARN: HANDLER,
      CONNECT_HANDLER_ENDPOINT_WIRING: 'report',
    });
    const none = loadSweeperConfig(BASE);

    // Assess
    expect(report.connectHandler).toEqual({ handlerArn: HANDLER, wiring: 'report' });
    expect(none.connectHandler).toBeUndefined();
  });

  it('names the variable and the expectation for bad values', () => {
    // Act + Assess
    expect(() =>
      loadSweeperConfig({ ...BASE, CONNECT_HANDLER_ARN: HANDLER, CONNECT_HANDLER_ENDPOINT_WIRING: 'wire' }),
    ).toThrow(/CONNECT_HANDLER_ENDPOINT_WIRING: expected "enforce" or "report"/);
    expect(() => loadSweeperConfig({ ...BASE, CONNECT_HANDLER_ARN: 'AWSClientVPN-revoker' })).toThrow(
      /CONNECT_HANDLER_ARN: expected a Lambda function ARN/,
    );
  });
});
