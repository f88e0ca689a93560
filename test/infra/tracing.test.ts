import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { TRACE_ENABLED_ENV } from '../../contracts/tracing.ts';
import type { ClientVpnRevoker } from '../../lib/client-vpn-revoker.ts';
import { ClientVpnRevokerStack } from '../../lib/client-vpn-revoker-stack.ts';
import { parseContext } from '../../lib/config.ts';
import { TRACING_ENVIRONMENT } from '../../lib/function-support.ts';
import {
  allStatements,
  asList,
  environmentOf,
  policyStatements,
  resourceOf,
  synthRevoker,
  testApp,
  unacknowledgedNagFindings,
} from './synth.ts';

const XRAY_GRANT = {
  Effect: 'Allow',
  Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
  Resource: '*',
};
const OKTA = { oktaEventSources: 'aws.partner/okta.com/acme/revoker' };

/** The revoker, the connect handler and the sweeper; each must exist. */
function functionsOf(revoker: ClientVpnRevoker) {
  const { connectHandler, sweeper } = revoker;
  if (!connectHandler || !sweeper) throw new Error('expected a connect handler and a sweeper');
  return [revoker.function, connectHandler.function, sweeper.function];
}

/** What each function says about tracing: its TracingConfig, its tracer variables and X-Ray grants. */
function tracingOf(template: Template, stack: Stack, revoker: ClientVpnRevoker) {
  return functionsOf(revoker).map((fn) => {
    const environment = environmentOf(template, stack, fn);
    return {
      tracingConfig: resourceOf(template, stack, fn).TracingConfig,
      environment: Object.keys(TRACING_ENVIRONMENT).map((name) => environment[name]),
      xrayGrants: policyStatements(template, stack, fn.role ?? revoker.role).filter((statement) =>
        asList(statement.Action).some((action) => action.startsWith('xray:')),
      ),
    };
  });
}

describe('tracing', () => {
  it('is off by default: no function is traced, granted X-Ray or told to load the tracer', () => {
    // Act
    const { stack, revoker, template } = synthRevoker();

    // Assess
    expect(tracingOf(template, stack, revoker)).toEqual(
      Array(3).fill({ tracingConfig: undefined, environment: [undefined, undefined], xrayGrants: [] }),
    );
    const actions = allStatements(template).flatMap((statement) => asList(statement.Action));
    expect(actions.filter((action) => action.startsWith('xray:'))).toEqual([]);
  });

  it('traces every function with tracing: true (active mode, the X-Ray grant on its role, the tracer on)', () => {
    // Act
    const { stack, revoker, template } = synthRevoker({ tracing: true });

    // Assess
    expect(TRACING_ENVIRONMENT).toMatchObject({ [TRACE_ENABLED_ENV]: 'true' });
    expect(tracingOf(template, stack, revoker)).toEqual(
      Array(3).fill({
        tracingConfig: { Mode: 'Active' },
        environment: Object.values(TRACING_ENVIRONMENT),
        xrayGrants: [XRAY_GRANT],
      }),
    );
    // The rest of the environment is untouched.
    expect(environmentOf(template, stack, revoker.function)).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'client-vpn-revoker',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it.each([
    [
      'explicit endpoints (the X-Ray grant is the only * resource)',
      { endpoints: 'cvpn-endpoint-0123456789abcdef0' },
    ],
    ['all endpoints', {}],
    ['the ledger off (no connect handler, no sweeper)', { ledgerEnabled: 'false' }],
  ])('leaves no unacknowledged cdk-nag finding with %s', (_mode, context) => {
    // Act
    const findings = unacknowledgedNagFindings((app) => {
      new ClientVpnRevokerStack(app, 'Traced', {
        config: parseContext({ ...context, ...OKTA, tracingEnabled: 'true' }),
        env: { account: '111122223333', region: 'eu-west-1' },
      });
    });

    // Assess
    expect(findings).toEqual([]);
  });

  it('is switched on by the context key tracingEnabled, and off by default and by false', () => {
    // Act
    const traced = (tracingEnabled?: string) => {
      const stack = new ClientVpnRevokerStack(testApp(), 'Stack', {
        config: parseContext({ tracingEnabled }),
      });
      return tracingOf(Template.fromStack(stack), stack, stack.revoker).map((fn) => fn.tracingConfig);
    };

    // Assess
    expect(traced('true')).toEqual(Array(3).fill({ Mode: 'Active' }));
    expect(traced('false')).toEqual(Array(3).fill(undefined));
    expect(traced(undefined)).toEqual(Array(3).fill(undefined));
    expect(() => parseContext({ tracingEnabled: 'yes' })).toThrow(
      'context key tracingEnabled: expected true or false',
    );
  });
});
