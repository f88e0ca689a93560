import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { listOf } from '../../../lambda/core/environment.ts';
import { applyWiring } from '../../../lib/parts/source-rules.ts';
import { type IdentitySource, type SourceOptions, sourceRequest } from '../../../sources/identity-source.ts';
import { defineSource, type SourceWiring, type WiringContext } from '../../../sources/kit/definition.ts';
import { partnerRules, revokeAndLiftRules } from '../../../sources/kit/settings.ts';

interface FakeOptions extends SourceOptions {
  readonly names: readonly string[];
}

const fakeEvents: IdentitySource<FakeOptions> = {
  name: 'fake',
  eventPattern: ({ names }) => ({ source: [...names], 'detail-type': ['Gone'] }),
  toRequest: (event) =>
    sourceRequest('revoke', event, {
      eventType: 'gone',
      eventTime: event.time,
      identity: 'x',
      reason: 'gone',
    }),
};

/** A source that is not in the registry: what a new folder under sources/ would hold. */
const fake = defineSource({
  events: fakeEvents,
  context: { shape: { fakeNames: z.array(z.string()).optional() }, toProps: (context) => context.fakeNames },
  environment: {
    shape: { FAKE_NAMES: listOf(z.string()) },
    toOptions: (environment) =>
      environment.FAKE_NAMES.length > 0 ? { names: environment.FAKE_NAMES } : undefined,
  },
  wiring: (names: string[] | undefined, { lift }): SourceWiring | undefined =>
    names && {
      rules: [
        ...partnerRules(
          {
            id: 'Fake',
            revoke: { description: 'fake: revoke', pattern: (name) => ({ source: [name] }) },
            lift: {
              description: 'fake: lift',
              pattern: (name) => ({ source: [name], 'detail-type': ['Back'] }),
            },
          },
          names,
          lift,
        ),
        ...revokeAndLiftRules(
          {
            id: 'FakeAudit',
            bus: { kind: 'default' },
            revoke: { description: 'fake audit', pattern: () => ({ source: ['aws.fake'] }) },
          },
          undefined,
          lift,
        ),
        {
          id: 'FakeRequests',
          description: 'fake requests',
          bus: { kind: 'request-bus' },
          pattern: { source: ['fake.requests'] },
        },
      ],
      environment: { FAKE_NAMES: names.join(',') },
      grants: [
        {
          sid: 'LookUpFakeUsers',
          actions: ['fake:DescribeUser'],
          resources: ['arn:aws:fake:::user/*'],
          wildcards: [{ resource: 'arn:aws:fake:::user/*', reason: 'user ids come from the event' }],
        },
      ],
      requestBus: {
        id: 'FakeBus',
        busDescription: 'fake requests bus',
        misroutedDescription: 'fake requests on the default bus',
        prop: 'fake',
        source: 'fake.requests',
        liftDetailType: 'Fake Lifted',
        defaultBusName: (stackName) => `${stackName}-fake`,
        allowedPrincipalArns: ['arn:aws:iam::111122223333:role/Responder'],
      },
    },
});

const NAMES = ['aws.partner/fake.example/org/one', 'aws.partner/fake.example/org/two'];

function wire(lift: boolean) {
  const stack = new Stack(new App(), 'Wired', { env: { account: '111122223333', region: 'eu-west-1' } });
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const target = new targets.SqsQueue(new sqs.Queue(stack, 'Queue'));
  const context: WiringContext = {
    partition: stack.partition,
    account: stack.account,
    region: stack.region,
    lift,
    error: (prop, message) => new Error(`${prop}: ${message}`),
    isToken: () => false,
  };
  const wiring = fake.wiring(NAMES, context) as SourceWiring;
  const applied = applyWiring(stack, wiring, { target, role });
  return { applied, wiring, template: Template.fromStack(stack) };
}

describe('a source folder wired by the one interpreter', () => {
  it('creates its rules in order, each on the bus it names, with lifts only when routed', () => {
    // Act
    const withLifts = wire(true).applied.rules.map((rule) => rule.node.id);
    const withoutLifts = wire(false).applied.rules.map((rule) => rule.node.id);

    // Assess
    expect(withLifts).toEqual([
      'FakeRule',
      'FakeLiftRule',
      'FakeRule2',
      'FakeLiftRule2',
      'FakeAuditRule',
      'FakeRequests',
    ]);
    expect(withoutLifts).toEqual(['FakeRule', 'FakeRule2', 'FakeAuditRule', 'FakeRequests']);
  });

  it('puts partner rules on the partner bus of the same name, default rules on the default bus, request rules on its bus', () => {
    // Act
    const { template } = wire(true);

    // Assess
    template.resourceCountIs('AWS::Events::Rule', 7); // six of the source's, and the misrouted-requests rule
    template.hasResourceProperties('AWS::Events::Rule', {
      Description: 'fake: lift',
      EventBusName: NAMES[1],
      EventPattern: { source: [NAMES[1]], 'detail-type': ['Back'] },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      Description: 'fake audit',
      EventBusName: Match.absent(),
      EventPattern: { source: ['aws.fake'] },
    });
    template.hasResourceProperties('AWS::Events::EventBus', {
      Name: 'Wired-fake',
      Description: 'fake requests bus',
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      Description: 'fake requests',
      EventBusName: { Ref: Match.stringLikeRegexp('^FakeBus') },
    });
    template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: Match.objectLike({
        Effect: 'Deny',
        Condition: Match.objectLike({ StringEquals: { 'events:source': 'fake.requests' } }),
      }),
    });
  });

  it("grants the source's look-ups to the role", () => {
    // Act
    const { template } = wire(true);

    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'LookUpFakeUsers',
            Action: 'fake:DescribeUser',
            Resource: 'arn:aws:fake:::user/*',
          }),
        ]),
      },
    });
  });

  it('refuses a rule on a request bus the wiring does not create', () => {
    // Prepare
    const stack = new Stack(new App(), 'Unwired');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const target = new targets.SqsQueue(new sqs.Queue(stack, 'Queue'));
    const wiring: SourceWiring = {
      rules: [
        { id: 'Orphan', description: 'orphan', bus: { kind: 'request-bus' }, pattern: { source: ['x'] } },
      ],
      environment: {},
    };

    // Act
    const act = () => applyWiring(stack, wiring, { target, role });

    // Assess
    expect(act).toThrow(/no request bus/);
  });

  it('reads back from the environment what its wiring set', () => {
    // Prepare
    const { wiring } = wire(true);

    // Act
    const options = fake.environment.toOptions(z.object(fake.environment.shape).parse(wiring.environment));

    // Assess
    expect(options).toEqual({ names: NAMES });
  });
});
