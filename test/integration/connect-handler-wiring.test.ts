import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Seed } from '../../emulator/index.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION, RevokerOnEmulator } from '../../local/revoker-on-emulator.ts';
import { OKTA_SOURCE, oktaEvent } from '../support/events.ts';
import { publishedSweeps } from '../support/published.ts';

// Reconnect blocking on by default, on the bundles from cdk.out: the sweeper bundle wires the governed endpoints
// of its own region to the connect handler bundle, which then answers the emulator's connection attempts.
const UNWIRED = 'cvpn-endpoint-0aaa00000000000f1';
const THEIRS = 'cvpn-endpoint-0bbb00000000000f2';
const FAR = 'cvpn-endpoint-0ccc00000000000f3';
const UNGOVERNED = 'cvpn-endpoint-0ddd00000000000f4';
const OTHER_HANDLER = `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:AWSClientVPN-posture-check`;
const JANE = 'jane.doe@example.com';
const JOHN = 'john.roe@example.com';
// cdk.json selects endpoints by this tag in us-east-1 and eu-west-1; the stack (and its handler) is in us-east-1.
const IN_SCOPE = { 'client-vpn-revoker': 'enabled' };
const FAST = { EC2_TERMINATE_CALLS_PER_SECOND: '1000', EC2_DESCRIBE_CALLS_PER_SECOND: '1000' };

const seed: Seed = {
  endpoints: [
    { id: UNWIRED, region: LOCAL_REGION, tags: IN_SCOPE, authType: 'saml' },
    {
      id: THEIRS,
      region: LOCAL_REGION,
      tags: IN_SCOPE,
      authType: 'saml',
      clientConnectOptions: { enabled: true, lambdaFunctionArn: OTHER_HANDLER },
    },
    { id: FAR, region: 'eu-west-1', tags: IN_SCOPE, authType: 'saml' },
    { id: UNGOVERNED, region: LOCAL_REGION, authType: 'saml' },
  ],
};

let revoker: RevokerOnEmulator | undefined;
afterEach(async () => {
  await revoker?.stop();
  revoker = undefined;
});

async function start(environment: Record<string, string> = {}) {
  revoker = await RevokerOnEmulator.start({
    seed,
    cdkOut: inject('cdkOut'),
    emulator: { terminateDelayMs: 10 },
    environment: { ...FAST, ...environment },
  });
  return revoker;
}

const connectOptions = (r: RevokerOnEmulator, endpointId: string) =>
  r.emulator.endpoints().find((endpoint) => endpoint.endpointId === endpointId)?.clientConnectOptions;

/** The EMF metrics the sweeper bundle logged. */
const sweeperMetrics = (r: RevokerOnEmulator) =>
  (r.sweeper?.logs ?? []).flatMap((line) => {
    const record = line.startsWith('{') ? (JSON.parse(line) as Record<string, unknown>) : {};
    return '_aws' in record ? [record] : [];
  });

const revokeJane = (r: RevokerOnEmulator) =>
  r.deliver([{ event: oktaEvent(JANE), eventBusName: OKTA_SOURCE }]);

describe('connect handler wiring by the sweeper (synthesized stack → bundled functions → emulator)', () => {
  it('one sweep wires the unwired governed endpoint; a revoked user reconnecting there is then denied', async () => {
    // Prepare
    const r = await start();
    await revokeJane(r);
    const before = await r.emulator.connect({ endpointId: UNWIRED, username: JANE });
    expect(before.allowed).toBe(true);

    // Act
    const invocation = await r.sweep('sweep-wire');
    const jane = await r.emulator.connect({ endpointId: UNWIRED, username: JANE });
    const john = await r.emulator.connect({ endpointId: UNWIRED, username: JOHN });

    // Assess
    expect(invocation.kind).toBe('result');
    expect(connectOptions(r, UNWIRED)).toEqual({ enabled: true, lambdaFunctionArn: r.connectHandlerArn });
    expect(jane).toMatchObject({ allowed: false, message: expect.stringMatching(/revoked/i) });
    expect(john).toMatchObject({ allowed: true });
    // Another handler is left as it is, and the endpoint nobody governs is not touched.
    expect(connectOptions(r, THEIRS)).toEqual({ enabled: true, lambdaFunctionArn: OTHER_HANDLER });
    expect(connectOptions(r, UNGOVERNED)).toEqual({ enabled: false });
    const [sweep] = publishedSweeps(r.emulator);
    expect(sweep?.schemaVersion).toBe('1.3');
    expect(sweep?.connectHandler).toEqual({
      handlerArn: r.connectHandlerArn,
      wiring: 'enforce',
      guarded: 0,
      wired: [{ region: LOCAL_REGION, endpointId: UNWIRED }],
      unguarded: [
        { region: LOCAL_REGION, endpointId: THEIRS, reason: 'other-handler', functionArn: OTHER_HANDLER },
      ],
      outOfReach: [{ region: 'eu-west-1', endpointId: FAR }],
    });
    expect(sweeperMetrics(r)).toContainEqual(
      expect.objectContaining({ EndpointsWired: 1, EndpointsNotGuarded: 1 }),
    );
  });

  it('the next sweep finds the endpoint guarded and modifies nothing', async () => {
    // Prepare
    const r = await start();
    await r.sweep('sweep-1');
    const modifies = () =>
      r.emulator.calls().filter((call) => call.action === 'ModifyClientVpnEndpoint').length;
    const afterFirst = modifies();

    // Act
    await r.sweep('sweep-2');

    // Assess
    expect(afterFirst).toBe(1);
    expect(modifies()).toBe(1);
    expect(publishedSweeps(r.emulator)[1]?.connectHandler).toMatchObject({ guarded: 1, wired: [] });
  });

  it('report mode leaves the endpoint unwired, reports it and emits EndpointsNotGuarded', async () => {
    // Prepare
    const r = await start({ CONNECT_HANDLER_ENDPOINT_WIRING: 'report' });
    await revokeJane(r);

    // Act
    await r.sweep('sweep-report');
    const jane = await r.emulator.connect({ endpointId: UNWIRED, username: JANE });

    // Assess
    expect(connectOptions(r, UNWIRED)).toEqual({ enabled: false });
    expect(r.emulator.calls().filter((call) => call.action === 'ModifyClientVpnEndpoint')).toEqual([]);
    expect(jane.allowed).toBe(true);
    const [sweep] = publishedSweeps(r.emulator);
    expect(sweep?.connectHandler).toMatchObject({
      wiring: 'report',
      wired: [],
      unguarded: [
        { region: LOCAL_REGION, endpointId: UNWIRED, reason: 'disabled' },
        { region: LOCAL_REGION, endpointId: THEIRS, reason: 'other-handler' },
      ],
    });
    expect(sweeperMetrics(r)).toContainEqual(
      expect.objectContaining({ EndpointsWired: 0, EndpointsNotGuarded: 2 }),
    );
  });
});
