import { readdirSync, readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { REVOCATION_STATUSES, SWEEP_STATUSES } from '../../contracts/events.ts';
import {
  DECISION_LATENCY_METRIC,
  DECISION_METRICS,
  EC2_THROTTLED_METRICS,
  REVOKER_METRICS as REVOKER_METRIC_NAMES,
  SWEEPER_METRICS as SWEEPER_METRIC_NAMES,
} from '../../contracts/metrics.ts';
import { ClientVpnRevokerStack } from '../../lib/client-vpn-revoker-stack.ts';
import { parseContext } from '../../lib/config.ts';
import { EC2_THROTTLING_TITLE } from '../../lib/parts/dashboard.ts';
import { environmentOf, flatten, logicalId, onlyResource, synthRevoker, testApp } from './synth.ts';

interface Widget {
  type: string;
  properties: { title?: string; metrics?: unknown[][]; alarms?: string[] };
}

/** One metric line of a widget: namespace, name, dimensions and rendering options (stat, label). */
interface MetricLine {
  widget: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  stat?: string;
  label?: string;
}

/** The value, which the test needs to exist. */
function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`expected ${what}`);
  return value;
}

const OKTA = { okta: { eventSourceNames: ['aws.partner/okta.com/acme/revoker'] } };

/** The dashboard's widgets, its body's tokens flattened to `<LogicalId>` / `<LogicalId.Attribute>`. */
function widgetsOf(template: Template): Widget[] {
  const { DashboardBody } = onlyResource(template, 'AWS::CloudWatch::Dashboard');
  return (JSON.parse(DashboardBody as string) as { widgets: Widget[] }).widgets;
}

function metricLines(widgets: Widget[]): MetricLine[] {
  return widgets.flatMap((widget) =>
    (widget.properties.metrics ?? []).map((line) => {
      const last = line.at(-1);
      const options = (typeof last === 'object' ? last : {}) as { stat?: string; label?: string };
      const [namespace, metricName, ...rest] = line.filter((item) => typeof item === 'string') as string[];
      const dimensions: Record<string, string> = {};
      for (let i = 0; i < rest.length; i += 2) dimensions[rest[i] as string] = rest[i + 1] as string;
      return {
        widget: widget.properties.title ?? '',
        namespace: namespace as string,
        metricName: metricName as string,
        dimensions,
        ...options,
      };
    }),
  );
}

/** A file of the repository. */
const source = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/**
 * The metric names a function's code publishes with `addMetric(<CONTRACT>.<name>` or
 * `addMetric(<CONTRACT>.outcome(…)` (expanded over the statuses the outcome contract allows), read from the
 * source and resolved in contracts/metrics.ts, so the dashboard cannot graph a name the code does not emit.
 */
function emittedNames(path: string, statuses: readonly string[]): string[] {
  const contracts: Record<string, Record<string, string | ((status: string) => string)>> = {
    REVOKER_METRICS: REVOKER_METRIC_NAMES,
    SWEEPER_METRICS: SWEEPER_METRIC_NAMES,
  };
  return [...source(path).matchAll(/addMetric\(\s*(\w+)\.(\w+)(\()?/g)].flatMap(([, contract, key, call]) => {
    const name = contracts[contract as string]?.[key as string];
    if (name === undefined)
      throw new Error(`${path}: addMetric(${contract}.${key}) is not in contracts/metrics.ts`);
    if (typeof name === 'function') return call ? statuses.map(name) : [];
    return [name];
  });
}

const REVOKER_METRICS = [
  // Every module of the revoker function: the batch's steps each emit their own.
  ...readdirSync(new URL('../../lambda/revoker/', import.meta.url))
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => emittedNames(`lambda/revoker/${file}`, REVOCATION_STATUSES)),
  EC2_THROTTLED_METRICS.revoker,
];
const SWEEPER_METRICS = [
  ...emittedNames('lambda/sweeper/run-sweep.ts', SWEEP_STATUSES),
  EC2_THROTTLED_METRICS.sweeper,
];
const CONNECT_HANDLER_METRICS = [...Object.values(DECISION_METRICS), DECISION_LATENCY_METRIC];

describe('RevokerDashboard', () => {
  it('reads the metric names the functions emit (the check below is not vacuous)', () => {
    // Prepare
    const handler = source('lambda/connect-handler/handler.ts');

    // Assess
    expect(REVOKER_METRICS).toEqual([
      'IdentityUnresolved',
      'EventTimeAdjusted',
      ...REVOCATION_STATUSES.map((status) => `Outcome-${status}`),
      'ConnectionsFound',
      'ConnectionsTerminated',
      'ConnectionsRemaining',
      'OutcomePublishFailed',
      'RevocationLatency',
      'RevocationProcessingTime',
      'RetriesScheduled',
      'RetryBackoffFailed',
      'Ec2Throttled',
    ]);
    expect(SWEEPER_METRICS).toContain('SweepOutcome-partial');
    expect(SWEEPER_METRICS).toContain('SweepConnectionsTerminated');
    expect(handler).toContain('addMetric(DECISION_METRICS[');
    expect(handler).toContain('addMetric(DECISION_LATENCY_METRIC');
    // The throttled-attempt counts are emitted by the shared instrumentation, under the name each handler gives.
    expect(source('lambda/core/adapters/instrument-client.ts')).toContain('metrics.addMetric(metricName,');
    expect(source('lambda/revoker/handler.ts')).toContain(
      'ec2ThrottlingMetric(metrics, EC2_THROTTLED_METRICS.revoker)',
    );
    expect(source('lambda/sweeper/handler.ts')).toContain(
      'ec2ThrottlingMetric(metrics, EC2_THROTTLED_METRICS.sweeper)',
    );
  });

  it("graphs every metric the functions emit, each with the functions' namespace and service dimension", () => {
    // Prepare
    const { stack, revoker, template } = synthRevoker(OKTA);
    const functions = [
      revoker.function,
      must(revoker.connectHandler, 'a connect handler').function,
      must(revoker.sweeper, 'a sweeper').function,
    ];

    // Act
    const custom = metricLines(widgetsOf(template)).filter((line) => !line.namespace.startsWith('AWS/'));

    // Assess
    for (const fn of functions) {
      // The namespace and the `service` dimension Powertools gives every metric come from these variables.
      expect(environmentOf(template, stack, fn)).toMatchObject({
        POWERTOOLS_METRICS_NAMESPACE: 'ClientVpnRevoker',
        POWERTOOLS_SERVICE_NAME: 'client-vpn-revoker',
      });
    }
    for (const line of custom) {
      expect(line.namespace, line.metricName).toBe('ClientVpnRevoker');
      expect(line.dimensions, line.metricName).toEqual({ service: 'client-vpn-revoker' });
    }
    const names = new Set(custom.map((line) => line.metricName));
    const emitted = [...REVOKER_METRICS, ...SWEEPER_METRICS, ...CONNECT_HANDLER_METRICS];
    expect([...names].filter((name) => !emitted.includes(name))).toEqual([]);
    expect(emitted.filter((name) => !names.has(name))).toEqual([]);
  });

  it('graphs revocations by status and the connections terminated and remaining', () => {
    // Act
    const lines = metricLines(widgetsOf(synthRevoker().template));

    // Assess
    const byStatus = lines.filter((line) => line.widget.startsWith('Revocations by status'));
    expect(byStatus.map((line) => [line.metricName, line.stat])).toEqual(
      REVOCATION_STATUSES.map((status) => [`Outcome-${status}`, 'Sum']),
    );
    const connections = lines.filter((line) => line.widget.startsWith('Connections found'));
    expect(connections.map((line) => line.metricName)).toEqual([
      'ConnectionsFound',
      'ConnectionsTerminated',
      'ConnectionsRemaining',
    ]);
  });

  it("graphs revocation latency p50/p99 (event to outcome, in the revoker) and the revoker's Duration", () => {
    // Prepare
    const { stack, revoker, template } = synthRevoker();
    const fn = { FunctionName: `<${logicalId(stack, revoker.function)}>` };

    // Act
    const lines = metricLines(widgetsOf(template));
    const revokerLines = lines.filter(
      (line) => line.namespace === 'AWS/Lambda' && line.dimensions.FunctionName === fn.FunctionName,
    );

    // Assess
    const latency = lines.filter((line) => line.widget.startsWith('Revocation latency'));
    expect(latency.map((line) => [line.namespace, line.metricName, line.stat])).toEqual([
      ['ClientVpnRevoker', 'RevocationLatency', 'p50'],
      ['ClientVpnRevoker', 'RevocationLatency', 'p99'],
      ['ClientVpnRevoker', 'RevocationProcessingTime', 'p50'],
      ['ClientVpnRevoker', 'RevocationProcessingTime', 'p99'],
      ['AWS/Lambda', 'Duration', 'p50'],
      ['AWS/Lambda', 'Duration', 'p99'],
    ]);
    expect(latency.filter((line) => line.namespace === 'AWS/Lambda').map((line) => line.dimensions)).toEqual([
      fn,
      fn,
    ]);
    for (const metricName of ['Errors', 'Throttles']) {
      expect(revokerLines).toContainEqual(
        expect.objectContaining({ metricName, dimensions: fn, stat: 'Sum' }),
      );
    }
  });

  it("graphs the revoker's and the sweeper's throttled EC2 attempts, the revoker's alone without a sweeper", () => {
    // Prepare
    const throttling = (template: Template) =>
      metricLines(widgetsOf(template))
        .filter((line) => line.widget === EC2_THROTTLING_TITLE)
        .map((line) => [line.namespace, line.metricName, line.stat, line.label]);

    // Act
    const withSweeper = throttling(synthRevoker().template);
    const withoutSweeper = throttling(synthRevoker({ ledger: { enabled: false } }).template);

    // Assess
    expect(withSweeper).toEqual([
      ['ClientVpnRevoker', 'Ec2Throttled', 'Sum', 'revoker'],
      ['ClientVpnRevoker', 'SweepEc2Throttled', 'Sum', 'sweeper'],
    ]);
    expect(withoutSweeper).toEqual([['ClientVpnRevoker', 'Ec2Throttled', 'Sum', 'revoker']]);
  });

  it('graphs the depth and oldest-message age of the queue and of the dead-letter queue', () => {
    // Prepare
    const { stack, revoker, template } = synthRevoker();
    const queue = `<${logicalId(stack, revoker.queue)}.QueueName>`;
    const dlq = `<${logicalId(stack, revoker.deadLetterQueue)}.QueueName>`;

    // Act
    const sqsLines = metricLines(widgetsOf(template)).filter((line) => line.namespace === 'AWS/SQS');

    // Assess
    const of = (queueName: string) =>
      sqsLines
        .filter((line) => line.dimensions.QueueName === queueName)
        .map((line) => [line.metricName, line.stat]);
    expect(of(queue)).toEqual([
      ['ApproximateNumberOfMessagesVisible', 'Maximum'],
      ['ApproximateNumberOfMessagesNotVisible', 'Maximum'],
      ['ApproximateAgeOfOldestMessage', 'Maximum'],
    ]);
    expect(of(dlq)).toEqual([
      ['ApproximateNumberOfMessagesVisible', 'Maximum'],
      ['ApproximateAgeOfOldestMessage', 'Maximum'],
    ]);
    expect(sqsLines.every((line) => [queue, dlq].includes(line.dimensions.QueueName as string))).toBe(true);
  });

  it('shows every alarm and graphs the delivery failures of every rule', () => {
    // Prepare
    const { stack, revoker, template } = synthRevoker(OKTA);

    // Act
    const widgets = widgetsOf(template);
    const ruleLines = metricLines(widgets).filter((line) => line.namespace === 'AWS/Events');

    // Assess
    const alarmWidgets = widgets.filter((widget) => widget.type === 'alarm');
    expect(alarmWidgets.flatMap((widget) => widget.properties.alarms)).toEqual(
      revoker.alarms.map((alarm) => `<${logicalId(stack, alarm)}.Arn>`),
    );
    expect(ruleLines).toHaveLength(revoker.rules.length * 2);
    expect(new Set(ruleLines.map((line) => line.metricName))).toEqual(
      new Set(['FailedInvocations', 'InvocationsFailedToBeSentToDlq']),
    );
  });

  it('graphs the connect handler and the sweeper on their own functions when they exist', () => {
    // Prepare
    const { stack, revoker, template } = synthRevoker();
    const handler = `<${logicalId(stack, must(revoker.connectHandler, 'a connect handler').function)}>`;
    const sweeper = `<${logicalId(stack, must(revoker.sweeper, 'a sweeper').function)}>`;

    // Act
    const lines = metricLines(widgetsOf(template));

    // Assess
    const onFunction = (name: string) =>
      lines
        .filter((line) => line.namespace === 'AWS/Lambda' && line.dimensions.FunctionName === name)
        .map((line) => `${line.metricName} ${line.stat}`);
    expect(onFunction(handler)).toEqual(['Duration p50', 'Duration p99', 'Errors Sum', 'Throttles Sum']);
    expect(onFunction(sweeper)).toEqual(['Errors Sum', 'Throttles Sum', 'Duration p50', 'Duration p99']);
    const latency = lines.filter((line) => line.metricName === DECISION_LATENCY_METRIC);
    expect(latency.map((line) => line.stat)).toEqual(['p50', 'p99']);
    const sweeps = lines.filter((line) => line.metricName.startsWith('SweepOutcome'));
    expect(sweeps.map((line) => line.metricName)).toEqual([
      ...SWEEP_STATUSES.map((status) => `SweepOutcome-${status}`),
      'SweepOutcomePublishFailed',
    ]);
  });

  it('leaves out the connect handler and sweeper widgets when neither exists', () => {
    // Act
    const { revoker, template } = synthRevoker({ ledger: { enabled: false } });

    // Assess
    expect(revoker.connectHandler).toBeUndefined();
    expect(revoker.sweeper).toBeUndefined();
    const names = metricLines(widgetsOf(template)).map((line) => line.metricName);
    expect(names.filter((name) => name.startsWith('Connect') && name !== 'ConnectionsFound')).toEqual([
      'ConnectionsTerminated',
      'ConnectionsRemaining',
    ]);
    expect(names.filter((name) => name.startsWith('Sweep'))).toEqual([]);
  });

  it('is not created with dashboard: false', () => {
    // Act
    const { revoker, template } = synthRevoker({ dashboard: false });

    // Assess
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(revoker.dashboard).toBeUndefined();
    // The alarms do not depend on it.
    expect(revoker.alarms.length).toBeGreaterThan(0);
  });

  it('is the stack output DashboardName, and both go away with dashboardEnabled=false', () => {
    // Act
    const on = new ClientVpnRevokerStack(testApp(), 'On', { config: parseContext({}) });
    const off = new ClientVpnRevokerStack(testApp(), 'Off', {
      config: parseContext({ dashboardEnabled: 'false' }),
    });

    // Assess
    const outputs = (stack: ClientVpnRevokerStack) =>
      Template.fromStack(stack).toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(flatten(outputs(on).DashboardName?.Value)).toBe(
      `<${logicalId(on, must(on.revoker.dashboard, 'a dashboard'))}>`,
    );
    expect(outputs(off)).not.toHaveProperty('DashboardName');
    Template.fromStack(off).resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });
});
