import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../lambda/core/environment.ts';
import { loadConfig } from '../../lambda/revoker/config.ts';
import { ClientVpnRevoker } from '../../lib/client-vpn-revoker.ts';
import { OKTA_DEFAULT_EVENT_TYPES, okta } from '../../sources/okta/events.ts';
import { OKTA_ENV } from '../../sources/okta/source.ts';
import { DEFAULT_RUNBOOK_SOURCE, RUNBOOK_LIFT_DETAIL_TYPE, runbook } from '../../sources/runbook/events.ts';
import { RUNBOOK_ENV } from '../../sources/runbook/source.ts';
import {
  ACCOUNT,
  environmentOf,
  flatten,
  logicalId,
  onlyResource,
  resourceOf,
  synthRevoker,
  testApp,
} from './synth.ts';

const OKTA_SOURCES = ['aws.partner/okta.com/acme/revoker', 'aws.partner/okta.com/acme-preview/revoker'];
const LIFTERS = ['arn:aws:iam::111122223333:role/incident-commander'];

describe('ClientVpnRevoker rules', () => {
  it('creates a revoke and a lift rule per Okta source on its partner bus, with the patterns okta returns', () => {
    // Prepare
    const eventTypes = ['user.lifecycle.suspend' as const];

    // Act
    const { template, revoker } = synthRevoker({ okta: { eventSourceNames: OKTA_SOURCES, eventTypes } });

    // Assess
    for (const eventSourceName of OKTA_SOURCES) {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventBusName: eventSourceName,
        EventPattern: Match.exact(okta.eventPattern({ eventSourceNames: [eventSourceName], eventTypes })),
      });
      template.hasResourceProperties('AWS::Events::Rule', {
        EventBusName: eventSourceName,
        EventPattern: Match.exact(okta.liftEventPattern({ eventSourceNames: [eventSourceName], eventTypes })),
      });
    }
    expect(revoker.rules.map((rule) => rule.node.id)).toEqual([
      'OktaRule',
      'OktaLiftRule',
      'OktaRule2',
      'OktaLiftRule2',
      'RunbookRule',
    ]);
  });

  it('creates no lift rule without the ledger (nothing records a revocation to lift)', () => {
    // Act
    const { revoker } = synthRevoker({
      okta: { eventSourceNames: OKTA_SOURCES },
      ledger: { enabled: false },
      sessionCleanup: { enabled: false },
    });

    // Assess
    expect(revoker.rules.map((rule) => rule.node.id)).toEqual(['OktaRule', 'OktaRule2', 'RunbookRule']);
  });

  it('defaults the Okta event types to every administrator lost-access type', () => {
    // Act
    const { template } = synthRevoker({ okta: { eventSourceNames: [OKTA_SOURCES[0] as string] } });

    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.exact(
        okta.eventPattern({
          eventSourceNames: [OKTA_SOURCES[0] as string],
          eventTypes: OKTA_DEFAULT_EVENT_TYPES,
        }),
      ),
    });
  });

  it('takes runbook requests by default on a bus of their own, and lifts only from the principals named', () => {
    // Act
    const defaults = synthRevoker();
    const withLifters = synthRevoker({ runbook: { liftAllowedPrincipalArns: LIFTERS } });

    // Assess: a dedicated bus named after the stack, the revoke rule on it, no lift rule
    const { template, revoker } = defaults;
    const [busId] = Object.keys(template.findResources('AWS::Events::EventBus'));
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'Test-runbook' });
    expect(revoker.rules).toHaveLength(1);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: busId },
      EventPattern: Match.exact(runbook.eventPattern({ source: DEFAULT_RUNBOOK_SOURCE })),
    });
    expect(environmentOf(template, defaults.stack, revoker.function)).not.toHaveProperty(
      RUNBOOK_ENV.liftsAllowed,
    );
    // …with lifters, the lift rule on the same bus, and the function told to accept runbook lifts.
    expect(withLifters.revoker.rules.map((rule) => rule.node.id)).toEqual(['RunbookRule', 'RunbookLiftRule']);
    withLifters.template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: busId },
      EventPattern: Match.exact(runbook.liftEventPattern({ source: DEFAULT_RUNBOOK_SOURCE })),
    });
    expect(
      environmentOf(withLifters.template, withLifters.stack, withLifters.revoker.function)[
        RUNBOOK_ENV.liftsAllowed
      ],
    ).toBe('true');
  });

  it('keeps runbook requests put on the default bus in a holding queue no function reads, and alarms', () => {
    // Act
    const { template, stack, revoker } = synthRevoker();

    // Assess
    const holding = revoker.runbookRequests?.misroutedRequests;
    if (!holding) throw new Error('expected a holding queue for misrouted runbook requests');
    const holdingArn = `<${logicalId(stack, holding)}.Arn>`;
    const misrouted = Object.values(template.findResources('AWS::Events::Rule')).filter(
      (rule) => (flatten(rule.Properties.Targets) as { Arn?: string }[])[0]?.Arn === holdingArn,
    );
    expect(misrouted).toHaveLength(1);
    expect(misrouted[0]?.Properties).toMatchObject({
      EventPattern: { source: [DEFAULT_RUNBOOK_SOURCE] },
    });
    expect(misrouted[0]?.Properties).not.toHaveProperty('EventBusName');
    expect(
      Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).map(
        (mapping) => mapping.Properties.EventSourceArn,
      ),
    ).not.toContainEqual({ 'Fn::GetAtt': [logicalId(stack, holding), 'Arn'] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack, holding), 'QueueName'] } }],
      Threshold: 0,
    });
  });

  it('puts the runbook rules on the given bus with the given source, or leaves them out when disabled', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Test');
    const eventBus = EventBus.fromEventBusName(stack, 'Ops', 'security-ops');

    // Act
    const custom = new ClientVpnRevoker(stack, 'Custom', {
      runbook: { source: 'soar.playbooks', eventBus, liftAllowedPrincipalArns: LIFTERS },
    });
    const disabled = synthRevoker({
      runbook: { enabled: false },
      okta: { eventSourceNames: [OKTA_SOURCES[0] as string] },
    });

    // Assess
    const template = Template.fromStack(stack);
    expect(custom.rules).toHaveLength(2);
    template.resourceCountIs('AWS::Events::EventBus', 0);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: 'security-ops',
      EventPattern: Match.exact(runbook.eventPattern({ source: 'soar.playbooks' })),
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: 'security-ops',
      EventPattern: Match.exact(runbook.liftEventPattern({ source: 'soar.playbooks' })),
    });
    // The given bus gets the lift denial too, scoped to the runbook source (the bus may carry other events).
    template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      EventBusName: 'security-ops',
      Statement: Match.objectLike({
        Effect: 'Deny',
        Condition: {
          StringEquals: { 'events:source': 'soar.playbooks', 'events:detail-type': RUNBOOK_LIFT_DETAIL_TYPE },
          ArnNotLike: { 'aws:PrincipalArn': LIFTERS },
        },
      }),
    });
    // The Okta revoke and lift rules only.
    disabled.template.resourceCountIs('AWS::Events::Rule', 2);
    disabled.template.resourceCountIs('AWS::Events::EventBus', 0);
    disabled.template.allResourcesProperties('AWS::Events::Rule', { EventBusName: OKTA_SOURCES[0] });
    // The function is told too, so it rejects runbook requests that reach the queue by other means.
    expect(environmentOf(disabled.template, disabled.stack, disabled.revoker.function)).not.toHaveProperty(
      'RUNBOOK_EVENT_SOURCE',
    );
  });

  it('targets the queue from every rule, with the dead-letter queue and a retry policy', () => {
    // Act
    const { template, stack, revoker } = synthRevoker({ okta: { eventSourceNames: OKTA_SOURCES } });

    // Assess
    const queueArn = `<${logicalId(stack, revoker.queue)}.Arn>`;
    const dlqArn = `<${logicalId(stack, revoker.deadLetterQueue)}.Arn>`;
    const rules = revoker.rules.map((rule) => resourceOf(template, stack, rule));
    expect(rules).toHaveLength(5);
    for (const rule of rules) {
      expect(rule.Targets).toEqual([
        {
          Id: 'Target0',
          Arn: queueArn,
          DeadLetterConfig: { Arn: dlqArn },
          RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
        },
      ]);
    }
  });
});

describe('ClientVpnRevoker queues', () => {
  it('encrypts both queues, denies non-TLS access, redrives to the DLQ and sets visibility to 6 × timeout', () => {
    // Act
    const { template, stack, revoker } = synthRevoker({ timeout: Duration.minutes(5), maxReceiveCount: 3 });

    // Assess
    const queueId = logicalId(stack, revoker.queue);
    const dlqId = logicalId(stack, revoker.deadLetterQueue);
    const queues = template.findResources('AWS::SQS::Queue');
    expect(flatten(queues[queueId]?.Properties)).toEqual({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 1800,
      RedrivePolicy: { deadLetterTargetArn: `<${dlqId}.Arn>`, maxReceiveCount: 3 },
    });
    expect(queues[dlqId]?.Properties).toEqual({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    for (const id of [queueId, dlqId]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 'sqs:*',
              Resource: { 'Fn::GetAtt': [id, 'Arn'] },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ]),
        },
      });
    }
  });

  it('lets only the rules send to the queues', () => {
    // Act
    const { template, stack, revoker } = synthRevoker({ runbook: { liftAllowedPrincipalArns: LIFTERS } });

    // Assess
    const ruleArns = revoker.rules.map((rule) => ({ 'Fn::GetAtt': [logicalId(stack, rule), 'Arn'] }));
    const revokerQueues = [revoker.queue, revoker.deadLetterQueue].map((queue) => ({
      Ref: logicalId(stack, queue),
    }));
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy')).filter((policy) =>
      (policy.Properties.Queues as unknown[]).every((queue) =>
        revokerQueues.some((q) => JSON.stringify(q) === JSON.stringify(queue)),
      ),
    );
    const allows = policies.flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as { Effect: string }[]).filter(
        (s) => s.Effect === 'Allow',
      ),
    );
    // Each rule (revoke, lift) may send to the queue and, for undeliverable events, to the dead-letter queue.
    expect(allows).toHaveLength(2 * ruleArns.length);
    for (const statement of allows) {
      expect(statement).toMatchObject({
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': expect.toBeOneOf(ruleArns) } },
      });
    }
  });
});

describe('ClientVpnRevoker function', () => {
  it('consumes the queue with partial batch responses, capped concurrency and a batching window', () => {
    // Act
    const defaults = synthRevoker();
    const custom = synthRevoker({
      maxConcurrency: 7,
      batchSize: 50,
      maxBatchingWindow: Duration.seconds(20),
    });

    // Assess
    expect(onlyResource(defaults.template, 'AWS::Lambda::EventSourceMapping')).toMatchObject({
      EventSourceArn: `<${logicalId(defaults.stack, defaults.revoker.queue)}.Arn>`,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 5,
    });
    expect(onlyResource(custom.template, 'AWS::Lambda::EventSourceMapping')).toMatchObject({
      ScalingConfig: { MaximumConcurrency: 7 },
      BatchSize: 50,
      MaximumBatchingWindowInSeconds: 20,
    });
  });

  it('runs nodejs24.x on arm64 with its own log group and the defaults', () => {
    // Act
    const { template, stack, revoker } = synthRevoker();

    // Assess
    expect(resourceOf(template, stack, revoker.function)).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 300,
      LoggingConfig: { LogGroup: `<${logicalId(stack, revoker.logGroup)}>` },
    });
    expect(resourceOf(template, stack, revoker.logGroup)).toEqual({ RetentionInDays: 365 });
  });

  it('applies memory, timeout and log retention props', () => {
    // Act
    const { template, stack, revoker } = synthRevoker({
      memorySize: 1024,
      timeout: Duration.minutes(10),
      terminateRetryBudget: Duration.minutes(4),
      logRetention: RetentionDays.THREE_MONTHS,
    });

    // Assess
    expect(resourceOf(template, stack, revoker.function)).toMatchObject({ MemorySize: 1024, Timeout: 600 });
    // Every function's log group (revoker, connect handler, sweeper) keeps the same retention.
    for (const logGroup of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(logGroup.Properties).toEqual({ RetentionInDays: 90 });
    }
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 3600 });
  });

  it('sets every environment variable the handler reads, for explicit endpoints and Okta', () => {
    // Act
    const { template, stack, revoker } = synthRevoker({
      regions: ['eu-west-1', 'us-east-1'],
      endpoints: [
        { endpointId: 'cvpn-endpoint-0123456789abcdef0' },
        { region: 'us-east-1', endpointId: 'cvpn-endpoint-0fedcba9876543210' },
      ],
      okta: { eventSourceNames: OKTA_SOURCES, eventTypes: ['user.lifecycle.deactivate'] },
      runbook: { source: 'soar.playbooks' },
      outcomeSource: 'acme.vpn-revoker',
      dryRun: true,
      maxReceiveCount: 4,
      terminateRetryBudget: Duration.seconds(45),
    });

    // Assess
    const variables = environmentOf(template, stack, revoker.function);
    expect(variables).toEqual({
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'client-vpn-revoker',
      POWERTOOLS_METRICS_NAMESPACE: 'ClientVpnRevoker',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      [ENV.regions]: 'eu-west-1,us-east-1',
      [ENV.endpointIds]:
        'eu-west-1:cvpn-endpoint-0123456789abcdef0,us-east-1:cvpn-endpoint-0fedcba9876543210',
      [ENV.outcomeEventBus]: `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default`,
      [ENV.outcomeSource]: 'acme.vpn-revoker',
      [ENV.dryRun]: 'true',
      [ENV.terminateRetryBudgetMs]: '45000',
      [ENV.maxReceiveCount]: '4',
      [OKTA_ENV.eventSources]: OKTA_SOURCES.join(','),
      [OKTA_ENV.eventTypes]: 'user.lifecycle.deactivate',
      [RUNBOOK_ENV.source]: 'soar.playbooks',
      // 95 % of the default budget (4.75 Terminates/s, 15 Describes/s) over 2 revoker environments.
      [ENV.terminateCallsPerSecond]: '2.25',
      [ENV.describeCallsPerSecond]: '7.12',
      [ENV.ledgerTableName]: `<${logicalId(stack, revoker.ledgerTable as NonNullable<typeof revoker.ledgerTable>)}>`,
      [ENV.ledgerRetentionDays]: '30',
    });
    // The handler accepts exactly this environment.
    expect(loadConfig(variables)).toMatchObject({
      regions: ['eu-west-1', 'us-east-1'],
      endpoints: { kind: 'ids' },
      dryRun: true,
      maxReceiveCount: 4,
      sources: { okta: { eventSourceNames: OKTA_SOURCES }, runbook: { source: 'soar.playbooks' } },
      pacing: { terminatePerSecond: 2.25, describePerSecond: 7.12 },
      ledger: { retentionMs: 30 * 86_400_000 },
    });
  });

  it('passes the endpoint tag as key=value, or key alone', () => {
    // Act
    const withValue = synthRevoker({ endpointTag: { key: 'team', value: 'secops' } });
    const keyOnly = synthRevoker({ endpointTag: { key: 'revoker-managed' } });

    // Assess
    const variables = ({ template, stack, revoker }: typeof withValue) =>
      environmentOf(template, stack, revoker.function);
    expect(variables(withValue)).toMatchObject({ [ENV.endpointTag]: 'team=secops' });
    expect(variables(withValue)).not.toHaveProperty(ENV.endpointIds);
    expect(variables(keyOnly)).toMatchObject({ [ENV.endpointTag]: 'revoker-managed' });
    expect(loadConfig(variables(withValue)).endpoints).toEqual({
      kind: 'tag',
      key: 'team',
      value: 'secops',
    });
  });

  it('defaults the regions to those of the endpoints, else to the stack region', () => {
    // Act
    const fromEndpoints = synthRevoker({
      endpoints: [
        { region: 'us-west-2', endpointId: 'cvpn-endpoint-0123456789abcdef0' },
        { region: 'ap-southeast-2', endpointId: 'cvpn-endpoint-0123456789abcdef1' },
      ],
    });
    const agnostic = synthRevoker({}, {});

    // Assess
    expect(fromEndpoints.revoker.regions).toEqual(['us-west-2', 'ap-southeast-2']);
    expect(flatten(agnostic.stack.resolve(agnostic.revoker.regions))).toEqual(['<AWS::Region>']);
  });
});
