import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { describe, expect, it } from 'vitest';
import { OUTCOME_DETAIL_TYPE } from '../../contracts/events.ts';
import { ClientVpnRevoker } from '../../lib/client-vpn-revoker.ts';
import {
  ACCOUNT,
  allStatements,
  asList,
  flatten,
  logicalId,
  resourceOf,
  roleStatements,
  type Statement,
  synthRevoker,
  testApp,
} from './synth.ts';

const CONNECTION_ACTIONS = ['ec2:DescribeClientVpnConnections', 'ec2:TerminateClientVpnConnections'];
const endpointArn = (region: string, id: string) =>
  `arn:aws:ec2:${region}:${ACCOUNT}:client-vpn-endpoint/${id}`;
const bySid = (statements: Statement[], sid: string) => statements.find((statement) => statement.Sid === sid);

describe('ClientVpnRevoker IAM', () => {
  it('scopes Describe/Terminate connections to exactly the listed endpoint ARNs, without DescribeClientVpnEndpoints', () => {
    // Act
    const { template, stack, revoker } = synthRevoker({
      regions: ['eu-west-1', 'us-east-1'],
      endpoints: [
        { endpointId: 'cvpn-endpoint-0123456789abcdef0' },
        { region: 'us-east-1', endpointId: 'cvpn-endpoint-0fedcba9876543210' },
      ],
    });

    // Assess
    const statements = roleStatements(template, stack, revoker);
    const ec2 = statements.filter((statement) => asList(statement.Action).some((a) => a.startsWith('ec2:')));
    expect(ec2).toEqual([
      {
        Sid: 'TerminateOnSelectedEndpoints',
        Effect: 'Allow',
        Action: CONNECTION_ACTIONS,
        Resource: [
          endpointArn('eu-west-1', 'cvpn-endpoint-0123456789abcdef0'),
          endpointArn('us-east-1', 'cvpn-endpoint-0fedcba9876543210'),
        ],
      },
    ]);
  });

  it('conditions the grants on the endpoint tag in every region, and lists endpoints only in those regions', () => {
    // Act
    const { template, stack, revoker } = synthRevoker({
      regions: ['eu-west-1', 'eu-central-1'],
      endpointTag: { key: 'team', value: 'secops' },
    });

    // Assess
    const statements = roleStatements(template, stack, revoker);
    expect(bySid(statements, 'TerminateOnTaggedEndpoints')).toEqual({
      Sid: 'TerminateOnTaggedEndpoints',
      Effect: 'Allow',
      Action: CONNECTION_ACTIONS,
      // Sorted by the minimizePolicies feature flag.
      Resource: [endpointArn('eu-central-1', '*'), endpointArn('eu-west-1', '*')],
      Condition: { StringEquals: { 'aws:ResourceTag/team': 'secops' } },
    });
    expect(bySid(statements, 'ListEndpoints')).toEqual({
      Sid: 'ListEndpoints',
      Effect: 'Allow',
      Action: 'ec2:DescribeClientVpnEndpoints',
      Resource: '*',
      Condition: { StringEquals: { 'ec2:Region': ['eu-west-1', 'eu-central-1'] } },
    });
  });

  it('requires only the presence of the tag key when no value is given', () => {
    // Act
    const { template, stack, revoker } = synthRevoker({ endpointTag: { key: 'revoker-managed' } });

    // Assess
    expect(bySid(roleStatements(template, stack, revoker), 'TerminateOnTaggedEndpoints')).toMatchObject({
      Resource: endpointArn('eu-west-1', '*'),
      Condition: { Null: { 'aws:ResourceTag/revoker-managed': 'false' } },
    });
  });

  it('grants every endpoint of the regions when no selection is given', () => {
    // Act
    const { template, stack, revoker } = synthRevoker({ regions: ['eu-west-1', 'us-east-1'] });

    // Assess
    const statements = roleStatements(template, stack, revoker);
    expect(bySid(statements, 'TerminateOnAllEndpoints')).toEqual({
      Sid: 'TerminateOnAllEndpoints',
      Effect: 'Allow',
      Action: CONNECTION_ACTIONS,
      Resource: [endpointArn('eu-west-1', '*'), endpointArn('us-east-1', '*')],
    });
    expect(bySid(statements, 'ListEndpoints')).toMatchObject({
      Resource: '*',
      Condition: { StringEquals: { 'ec2:Region': ['eu-west-1', 'us-east-1'] } },
    });
  });

  it('publishes outcomes only to the outcome bus, only with the outcome source and detail-type', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Test', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const outcomeEventBus = EventBus.fromEventBusArn(
      stack,
      'Bus',
      'arn:aws:events:eu-west-1:444455556666:event-bus/security',
    );

    // Act
    const revoker = new ClientVpnRevoker(stack, 'Revoker', { outcomeEventBus, outcomeSource: 'acme.vpn' });
    const defaults = synthRevoker();

    // Assess
    expect(bySid(roleStatements(Template.fromStack(stack), stack, revoker), 'PublishOutcome')).toEqual({
      Sid: 'PublishOutcome',
      Effect: 'Allow',
      Action: 'events:PutEvents',
      Resource: 'arn:aws:events:eu-west-1:444455556666:event-bus/security',
      Condition: { StringEquals: { 'events:source': 'acme.vpn', 'events:detail-type': OUTCOME_DETAIL_TYPE } },
    });
    expect(
      bySid(roleStatements(defaults.template, defaults.stack, defaults.revoker), 'PublishOutcome'),
    ).toMatchObject({
      Resource: `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default`,
      Condition: {
        StringEquals: { 'events:source': 'client-vpn-revoker', 'events:detail-type': OUTCOME_DETAIL_TYPE },
      },
    });
  });

  it('writes logs only to its log group and consumes only its queue', () => {
    // Act
    const { template, stack, revoker } = synthRevoker();

    // Assess
    const statements = roleStatements(template, stack, revoker);
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `<${logicalId(stack, revoker.logGroup)}.Arn>`,
    });
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: [
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
      ],
      Resource: `<${logicalId(stack, revoker.queue)}.Arn>`,
    });
  });

  it.each([
    ['endpoints', { endpoints: [{ endpointId: 'cvpn-endpoint-0123456789abcdef0' }] }],
    ['tag', { endpointTag: { key: 'team' } }],
    ['all', {}],
  ])('has no wildcard action, no managed policy and nothing else on * (%s)', (_mode, props) => {
    // Act
    const { template, stack, revoker } = synthRevoker({
      ...props,
      okta: { eventSourceNames: ['aws.partner/okta.com/a/b'] },
    });

    // Assess
    const statements = roleStatements(template, stack, revoker);
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
    const role = resourceOf(template, stack, revoker.role);
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.Policies).toBeUndefined();
    expect(role.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } },
      ],
    });
    // Every role of the construct (revoker, connect handler, sweeper, scheduler): the same rules.
    const everything = allStatements(template);
    expect(everything.flatMap((s) => asList(s.Action)).filter((action) => action.includes('*'))).toEqual([]);
    expect(everything.every((s) => s.Effect === 'Allow')).toBe(true);
    const onStar = everything
      .filter((s) => asList(s.Resource).includes('*'))
      .flatMap((s) => asList(s.Action));
    // The revoker and the sweeper list endpoints unless they are selected by id; with ids in the stack's
    // region the sweeper still reads their ClientConnectOptions (the connect handler wiring check).
    expect(onStar).toEqual(Array(_mode === 'endpoints' ? 1 : 2).fill('ec2:DescribeClientVpnEndpoints'));
    for (const other of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(other.Properties.ManagedPolicyArns).toBeUndefined();
      expect(other.Properties.Policies).toBeUndefined();
    }
    expect(
      Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
        (flatten(policy.Properties) as { Roles: string[] }).Roles.includes(
          `<${logicalId(stack, revoker.role)}>`,
        ),
      ),
    ).toHaveLength(1);
  });
});
