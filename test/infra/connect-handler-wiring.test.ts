import { Duration, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import {
  ClientVpnRevoker,
  type ClientVpnRevokerProps,
  EndpointWiring,
} from '../../lib/client-vpn-revoker.ts';
import { parseContext } from '../../lib/config.ts';
import {
  ACCOUNT,
  asList,
  environmentOf,
  flatten,
  logicalId,
  policyStatements,
  type Statement,
  synthRevoker,
  testApp,
} from './synth.ts';

const REGION = 'eu-west-1';
const OKTA = { okta: { eventSourceNames: ['aws.partner/okta.com/a/b'] } };
const HERE = 'cvpn-endpoint-0123456789abcdef0';
const ELSEWHERE = 'cvpn-endpoint-0fedcba9876543210';
const endpointArn = (region: string, id: string) =>
  `arn:aws:ec2:${region}:${ACCOUNT}:client-vpn-endpoint/${id}`;

function sweeperStatements(props: ClientVpnRevokerProps) {
  const synth = synthRevoker({ ...OKTA, ...props });
  const { sweeper } = synth.revoker;
  if (!sweeper) throw new Error('expected a sweeper');
  const statements = policyStatements(synth.template, synth.stack, sweeper.role);
  const withAction = (action: string) => statements.filter((s) => asList(s.Action).includes(action));
  return { ...synth, sweeper, statements, withAction };
}

describe('connect handler wiring by the session sweeper (infrastructure)', () => {
  it('tells the sweeper the handler ARN (alias with provisioned concurrency) and enforce mode by default', () => {
    // Act
    const { template, stack, revoker } = synthRevoker({
      ...OKTA,
      connectHandler: { provisionedConcurrency: 2 },
    });

    // Assess
    const sweeper = revoker.sweeper?.function;
    const handler = revoker.connectHandler;
    if (!sweeper || !handler) throw new Error('expected a sweeper and a connect handler');
    const environment = environmentOf(template, stack, sweeper);
    const functionName = (
      flatten(template.toJSON().Resources[logicalId(stack, handler.function)].Properties) as {
        FunctionName: string;
      }
    ).FunctionName;
    expect(environment.CONNECT_HANDLER_ARN).toBe(
      `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}:live`,
    );
    expect(flatten(stack.resolve(handler.handlerArn))).toBe(environment.CONNECT_HANDLER_ARN);
    expect(environment.CONNECT_HANDLER_ENDPOINT_WIRING).toBe('enforce');
    // Deployed after the alias it names.
    const sweeperResource = template.toJSON().Resources[logicalId(stack, sweeper)] as {
      DependsOn?: string[];
    };
    expect(sweeperResource.DependsOn).toContain(logicalId(stack, handler.target));
  });

  it('all endpoints: ModifyClientVpnEndpoint on every endpoint of the handler region and account only', () => {
    // Act
    const { withAction } = sweeperStatements({ regions: [REGION, 'us-east-1'] });

    // Assess
    expect(withAction('ec2:ModifyClientVpnEndpoint')).toEqual([
      {
        Sid: 'WireConnectHandler',
        Effect: 'Allow',
        Action: 'ec2:ModifyClientVpnEndpoint',
        Resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:client-vpn-endpoint/*`,
      },
    ]);
  });

  it('an environment-agnostic stack: ModifyClientVpnEndpoint in the region it is deployed to', () => {
    // Act
    const { template, stack, revoker } = synthRevoker({ ...OKTA, regions: ['us-east-1', REGION] }, {});

    // Assess
    const role = revoker.sweeper?.role;
    if (!role) throw new Error('expected a sweeper');
    const modify = policyStatements(template, stack, role).filter((s) =>
      asList(s.Action).includes('ec2:ModifyClientVpnEndpoint'),
    );
    expect(modify.map((s) => s.Resource)).toEqual([
      'arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:client-vpn-endpoint/*',
    ]);
  });

  it('endpoints by tag: ModifyClientVpnEndpoint conditioned on the tag', () => {
    // Act
    const { withAction } = sweeperStatements({ endpointTag: { key: 'team', value: 'secops' } });

    // Assess
    expect(withAction('ec2:ModifyClientVpnEndpoint')).toEqual([
      expect.objectContaining({
        Resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:client-vpn-endpoint/*`,
        Condition: { StringEquals: { 'aws:ResourceTag/team': 'secops' } },
      }),
    ]);
  });

  it("listed endpoints: exact ARNs of those in the handler's region, and Describe there to read their options", () => {
    // Act
    const { withAction } = sweeperStatements({
      regions: [REGION, 'us-east-1'],
      endpoints: [{ endpointId: HERE }, { region: 'us-east-1', endpointId: ELSEWHERE }],
    });

    // Assess
    const modify = withAction('ec2:ModifyClientVpnEndpoint');
    expect(modify.map((s) => s.Resource)).toEqual([endpointArn(REGION, HERE)]);
    expect(withAction('ec2:DescribeClientVpnEndpoints')).toEqual([
      {
        Sid: 'ReadConnectHandlerOfEndpoints',
        Effect: 'Allow',
        Action: 'ec2:DescribeClientVpnEndpoints',
        Resource: '*',
        Condition: { StringEquals: { 'ec2:Region': REGION } },
      } satisfies Statement,
    ]);
  });

  it('listed endpoints all in other regions: nothing to wire, nothing granted', () => {
    // Act
    const { withAction } = sweeperStatements({
      regions: ['us-east-1'],
      endpoints: [{ region: 'us-east-1', endpointId: ELSEWHERE }],
    });

    // Assess
    expect(withAction('ec2:ModifyClientVpnEndpoint')).toEqual([]);
    expect(withAction('ec2:DescribeClientVpnEndpoints')).toEqual([]);
  });

  it('report mode: the sweeper reads but may not modify endpoints', () => {
    // Act
    const { template, stack, sweeper, withAction } = sweeperStatements({
      connectHandler: { endpointWiring: EndpointWiring.REPORT },
    });

    // Assess
    expect(withAction('ec2:ModifyClientVpnEndpoint')).toEqual([]);
    expect(environmentOf(template, stack, sweeper.function).CONNECT_HANDLER_ENDPOINT_WIRING).toBe('report');
  });

  it('without a connect handler (ledger off) nothing changes: no handler ARN, no Modify grant', () => {
    // Act
    const { template, stack, sweeper, statements } = sweeperStatements({
      ledger: { enabled: false },
      sessionCleanup: { maxSessionAge: Duration.minutes(60) },
    });

    // Assess
    const environment = environmentOf(template, stack, sweeper.function);
    expect(environment.CONNECT_HANDLER_ARN).toBeUndefined();
    expect(environment.CONNECT_HANDLER_ENDPOINT_WIRING).toBeUndefined();
    expect(statements.flatMap((s) => asList(s.Action))).not.toContain('ec2:ModifyClientVpnEndpoint');
  });

  it('alarms on EndpointsNotGuarded above 0 and graphs it with EndpointsWired', () => {
    // Act
    const { template } = synthRevoker(OKTA);

    // Assess
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (resource) =>
        resource.Properties as { MetricName?: string; Threshold: number; ComparisonOperator: string },
    );
    expect(alarms.filter((alarm) => alarm.MetricName === 'EndpointsNotGuarded')).toEqual([
      expect.objectContaining({
        Namespace: 'ClientVpnRevoker',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmDescription: expect.stringMatching(/connectHandler\.unguarded/),
      }),
    ]);
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard')));
    expect(body).toContain('EndpointsNotGuarded');
    expect(body).toContain('EndpointsWired');
  });

  it('fails synth when the sweep is off while the connect handler is on, saying how to choose', () => {
    // Act
    const build = () =>
      new ClientVpnRevoker(new Stack(testApp(), 'Test', { env: { account: ACCOUNT, region: REGION } }), 'R', {
        ...OKTA,
        sessionCleanup: { enabled: false },
      });

    // Assess
    expect(build).toThrow(
      /sessionCleanup\.enabled: is false.*Re-enable sessionCleanup.*EndpointWiring\.REPORT.*connectHandler\.enabled to false/,
    );
  });

  it('rejects an unknown endpointWiring, naming the prop and the choices', () => {
    // Act
    const build = () =>
      synthRevoker({ ...OKTA, connectHandler: { endpointWiring: 'wire' as EndpointWiring } });

    // Assess
    expect(build).toThrow(
      /connectHandler\.endpointWiring: expected EndpointWiring\.ENFORCE \('enforce'\) or EndpointWiring\.REPORT/,
    );
  });

  it('reads the cdk.json context key connectHandlerEndpointWiring', () => {
    // Act
    const report = parseContext({ connectHandlerEndpointWiring: 'report' });
    const bad = () => parseContext({ connectHandlerEndpointWiring: 'sometimes' });

    // Assess
    expect(report.connectHandlerEndpointWiring).toBe(EndpointWiring.REPORT);
    expect(bad).toThrow(/connectHandlerEndpointWiring: expected enforce or report/);
  });
});
