import { Metrics } from '@aws-lambda-powertools/metrics';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { METRICS_NAMESPACE, METRICS_SERVICE } from '../../contracts/metrics.ts';
import { ClientVpnRevoker } from '../../lib/client-vpn-revoker.ts';
import { ClientVpnRevokerStack } from '../../lib/client-vpn-revoker-stack.ts';
import { ContextError, parseContext } from '../../lib/config.ts';
import { DLQ_AGE_THRESHOLD, QUEUE_AGE_THRESHOLD } from '../../lib/parts/alarms.ts';
import { ACCOUNT, environmentOf, flatten, logicalId, synthRevoker, testApp } from './synth.ts';

interface AlarmProperties {
  Namespace: string;
  MetricName: string;
  Dimensions: { Name: string; Value: unknown }[];
  Statistic: string;
  Period: number;
  Threshold: number;
  ComparisonOperator: string;
  EvaluationPeriods: number;
  TreatMissingData: string;
  AlarmDescription: string;
  AlarmActions?: unknown[];
}

const OKTA_SOURCE = 'aws.partner/okta.com/acme/revoker';

function alarmsOf(template: Template): AlarmProperties[] {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
    (resource) => flatten(resource.Properties) as AlarmProperties,
  );
}

function alarmOf(template: Template, namespace: string, metricName: string): AlarmProperties[] {
  return alarmsOf(template).filter((a) => a.Namespace === namespace && a.MetricName === metricName);
}

const dimension = (Name: string, Value: unknown) => ({ Name, Value });
const ruleNameAfterBus = (ruleId: string) => ({ 'Fn::Select': [1, { 'Fn::Split': ['|', `<${ruleId}>`] }] });

describe('RevokerAlarms', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('alarms on the queues, the function and the outcome metrics with the right metric and threshold', () => {
    // Prepare
    const { stack, revoker, template } = synthRevoker();
    const dlq = `<${logicalId(stack, revoker.deadLetterQueue)}.QueueName>`;
    const queue = `<${logicalId(stack, revoker.queue)}.QueueName>`;
    const fn = `<${logicalId(stack, revoker.function)}>`;
    const service = [dimension('service', 'client-vpn-revoker')];
    const expected: [string, string, { Name: string; Value: unknown }[], string, number][] = [
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', [dimension('QueueName', dlq)], 'Maximum', 0],
      ['AWS/SQS', 'ApproximateAgeOfOldestMessage', [dimension('QueueName', dlq)], 'Maximum', 3600],
      ['AWS/SQS', 'ApproximateAgeOfOldestMessage', [dimension('QueueName', queue)], 'Maximum', 900],
      ['AWS/Lambda', 'Errors', [dimension('FunctionName', fn)], 'Sum', 0],
      ['AWS/Lambda', 'Throttles', [dimension('FunctionName', fn)], 'Sum', 0],
      ['ClientVpnRevoker', 'Outcome-failed', service, 'Sum', 0],
      ['ClientVpnRevoker', 'Outcome-partial', service, 'Sum', 0],
      ['ClientVpnRevoker', 'OutcomePublishFailed', service, 'Sum', 0],
    ];

    // Act
    const found = expected.map(([namespace, metricName, dimensions]) =>
      alarmOf(template, namespace, metricName).filter(
        (a) => JSON.stringify(a.Dimensions) === JSON.stringify(dimensions),
      ),
    );

    // Assess
    expected.forEach(([namespace, metricName, dimensions, statistic, threshold], index) => {
      expect(found[index], `${namespace} ${metricName}`).toEqual([
        expect.objectContaining({
          Namespace: namespace,
          MetricName: metricName,
          Dimensions: dimensions,
          Statistic: statistic,
          Period: 300,
          Threshold: threshold,
          ComparisonOperator: 'GreaterThanThreshold',
          EvaluationPeriods: 1,
        }),
      ]);
    });
    expect(DLQ_AGE_THRESHOLD.toSeconds()).toBe(3600);
    expect(QUEUE_AGE_THRESHOLD.toSeconds()).toBe(900);
  });

  it('alarms on the connect handler failing or running without the ledger, and on failing sweeps', () => {
    // Prepare
    const { stack, revoker, template } = synthRevoker();
    const handler = revoker.connectHandler?.function;
    const sweeper = revoker.sweeper?.function;
    if (!handler || !sweeper) throw new Error('expected a connect handler and a sweeper by default');
    const service = [dimension('service', 'client-vpn-revoker')];

    // Act
    const errors = alarmOf(template, 'AWS/Lambda', 'Errors').map((a) => a.Dimensions);
    const throttles = alarmOf(template, 'AWS/Lambda', 'Throttles').map((a) => a.Dimensions);
    const incomplete = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .map((resource) => flatten(resource.Properties) as { Metrics?: { MetricStat?: { Metric: unknown } }[] })
      .filter((alarm) => alarm.Metrics)
      .map((alarm) => alarm.Metrics?.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : [])));

    // Assess
    expect(errors).toContainEqual([dimension('FunctionName', `<${logicalId(stack, handler)}>`)]);
    expect(errors).toContainEqual([dimension('FunctionName', `<${logicalId(stack, sweeper)}>`)]);
    expect(throttles).toContainEqual([dimension('FunctionName', `<${logicalId(stack, handler)}>`)]);
    for (const metric of ['ConnectDeniedLedgerUnavailable', 'ConnectAllowedLedgerUnavailable']) {
      expect(alarmOf(template, 'ClientVpnRevoker', metric), metric).toEqual([
        expect.objectContaining({ Dimensions: service, Statistic: 'Sum', Threshold: 0 }),
      ]);
    }
    expect(incomplete).toEqual([
      [
        { Namespace: 'ClientVpnRevoker', MetricName: 'SweepOutcome-failed', Dimensions: service },
        { Namespace: 'ClientVpnRevoker', MetricName: 'SweepOutcome-partial', Dimensions: service },
      ],
    ]);
  });

  it('treats missing data as not breaching and tells the operator what happened and what to do', () => {
    // Act
    const { revoker, template } = synthRevoker({ okta: { eventSourceNames: [OKTA_SOURCE] } });

    // Assess
    const alarms = alarmsOf(template);
    // 13 for the revoker and its queues (the runbook's holding queue included), 4 for the connect handler,
    // 3 for the sweeper (with the connect handler: endpoints not guarded), 2 per rule
    expect(alarms).toHaveLength(13 + 4 + 3 + 2 * revoker.rules.length);
    expect(revoker.alarms).toHaveLength(alarms.length);
    for (const alarm of alarms) {
      expect(alarm.TreatMissingData, alarm.MetricName).toBe('notBreaching');
      expect(alarm.AlarmDescription, alarm.MetricName).toMatch(/^Client VPN Revoker: .{100,}/);
    }
    expect(alarmOf(template, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible')[0]?.AlarmDescription).toMatch(
      /redrive/,
    );
    expect(alarmOf(template, 'ClientVpnRevoker', 'Outcome-failed')[0]?.AlarmDescription).toMatch(/requestId/);
  });

  it('alarms on FailedInvocations and InvocationsFailedToBeSentToDlq of a default-bus rule by RuleName', () => {
    // Act
    const { stack, revoker, template } = synthRevoker({ identityCenter: {}, runbook: { enabled: false } });

    // Assess
    expect(revoker.rules.map((rule) => rule.node.id)).toEqual([
      'IdentityCenterRule',
      'IdentityCenterLiftRule',
    ]);
    for (const rule of revoker.rules) {
      const dimensions = [dimension('RuleName', `<${logicalId(stack, rule)}>`)];
      for (const metricName of ['FailedInvocations', 'InvocationsFailedToBeSentToDlq']) {
        expect(alarmOf(template, 'AWS/Events', metricName)).toContainEqual(
          expect.objectContaining({
            Dimensions: dimensions,
            Statistic: 'Sum',
            Period: 300,
            Threshold: 0,
            ComparisonOperator: 'GreaterThanThreshold',
          }),
        );
      }
    }
  });

  it('adds EventBusName for rules on partner and custom buses, whose Ref is "<bus>|<rule>"', () => {
    // Act
    const { stack, revoker, template } = synthRevoker({
      okta: { eventSourceNames: [OKTA_SOURCE] },
      runbook: {
        allowedPrincipalArns: [`arn:aws:iam::${ACCOUNT}:role/soar`],
        liftAllowedPrincipalArns: [`arn:aws:iam::${ACCOUNT}:role/incident-commander`],
      },
    });

    // Assess
    // Okta revoke and lift rules, then the runbook revoke and lift rules.
    expect(revoker.rules).toHaveLength(4);
    const runbookBus = Object.keys(template.findResources('AWS::Events::EventBus'))[0];
    const busOf = (index: number) => (index < 2 ? OKTA_SOURCE : `<${runbookBus}>`);
    const failed = alarmOf(template, 'AWS/Events', 'FailedInvocations').map((a) => a.Dimensions);
    expect(failed).toEqual(
      revoker.rules.map((rule, index) => [
        dimension('EventBusName', busOf(index)),
        dimension('RuleName', ruleNameAfterBus(logicalId(stack, rule))),
      ]),
    );
  });

  it('treats a rule on a bus imported by the name "default" as a default-bus rule', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Test', { env: { account: ACCOUNT, region: 'eu-west-1' } });

    // Act
    const revoker = new ClientVpnRevoker(stack, 'Revoker', {
      runbook: { eventBus: EventBus.fromEventBusName(stack, 'Default', 'default') },
    });

    // Assess
    const [rule] = revoker.rules;
    if (!rule) throw new Error('expected the runbook rule');
    expect(alarmOf(Template.fromStack(stack), 'AWS/Events', 'FailedInvocations')[0]?.Dimensions).toEqual([
      dimension('RuleName', `<${logicalId(stack, rule)}>`),
    ]);
  });

  it('notifies the alarm topic from every alarm when one is given, and has no actions otherwise', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Test', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const topic = new Topic(stack, 'Ops');

    // Act
    new ClientVpnRevoker(stack, 'Revoker', { alarmTopic: topic, okta: { eventSourceNames: [OKTA_SOURCE] } });
    const without = synthRevoker({ okta: { eventSourceNames: [OKTA_SOURCE] } });

    // Assess
    const withTopic = alarmsOf(Template.fromStack(stack));
    expect(withTopic.length).toBeGreaterThan(0);
    for (const alarm of withTopic)
      expect(alarm.AlarmActions, alarm.MetricName).toEqual([`<${logicalId(stack, topic)}>`]);
    for (const alarm of alarmsOf(without.template)) expect(alarm.AlarmActions).toBeUndefined();
  });

  it('watches the namespace and dimensions Powertools emits the outcome metrics with', () => {
    // Prepare: the function's own Powertools settings, then what Metrics emits with them
    const { template, stack, revoker } = synthRevoker();
    const env = environmentOf(template, stack, revoker.function);
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', env.POWERTOOLS_SERVICE_NAME);
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', env.POWERTOOLS_METRICS_NAMESPACE);
    const metrics = new Metrics();

    // Act
    metrics.addMetric('Outcome-failed', 'Count', 1);
    metrics.addMetric('Outcome-partial', 'Count', 1);
    metrics.addMetric('OutcomePublishFailed', 'Count', 1);
    const emf = metrics.serializeMetrics() as unknown as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] };
    };

    // Assess
    const [directive] = emf._aws.CloudWatchMetrics;
    if (!directive) throw new Error('expected an EMF directive');
    const emitted = (directive.Dimensions[0] ?? []).map((name) => dimension(name, emf[name]));
    expect(emitted).toEqual([dimension('service', METRICS_SERVICE)]);
    expect(directive.Namespace).toBe(METRICS_NAMESPACE);
    for (const metricName of ['Outcome-failed', 'Outcome-partial', 'OutcomePublishFailed']) {
      expect(alarmOf(template, directive.Namespace, metricName), metricName).toEqual([
        expect.objectContaining({ Dimensions: emitted }),
      ]);
    }
  });
});

describe('alarmTopicArn context key', () => {
  it('imports the topic by ARN and gives it to every alarm', () => {
    // Prepare
    const arn = `arn:aws:sns:eu-west-1:${ACCOUNT}:secops-alerts`;

    // Act
    const stack = new ClientVpnRevokerStack(testApp(), 'ClientVpnRevoker', {
      config: parseContext({ alarmTopicArn: arn }),
      env: { account: ACCOUNT, region: 'eu-west-1' },
    });

    // Assess
    const alarms = alarmsOf(Template.fromStack(stack));
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([arn]);
  });

  it('rejects a value that is not an SNS topic ARN', () => {
    // Act
    const parse = () => parseContext({ alarmTopicArn: 'secops-alerts' });

    // Assess
    expect(parse).toThrow(ContextError);
    expect(parse).toThrow(/context key alarmTopicArn: expected arn:<partition>:sns/);
  });
});
