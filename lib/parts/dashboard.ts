import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { REVOCATION_STATUSES, SWEEP_STATUSES } from '../../contracts/events.ts';
import {
  DECISION_LATENCY_METRIC,
  DECISION_METRICS,
  EC2_THROTTLED_METRICS,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  REVOKER_METRICS,
  SWEEPER_METRICS,
} from '../../contracts/metrics.ts';
import { DLQ_AGE_THRESHOLD, QUEUE_AGE_THRESHOLD, ruleDimensions } from './alarms.ts';

const PERIOD = Duration.minutes(5);
const WIDTH = 12;
const HEIGHT = 6;
const MAX_ALARMS_PER_WIDGET = 100;

/**
 * The label of the EC2 throttling widget: every attempt EC2 refused, the ones the SDK's adaptive retries
 * absorbed included (lambda/core/adapters/instrument-client.ts).
 */
export const EC2_THROTTLING_TITLE =
  'EC2 throttling — attempts refused with RequestLimitExceeded, SDK retries included';

export interface RevokerDashboardProps {
  /** The revoker function. */
  readonly function: lambda.IFunction;
  /** The source queue between the rules and the function. */
  readonly queue: sqs.IQueue;
  /** The dead-letter queue of the source queue, the rule targets and the sweeper. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The rules feeding the queue (their delivery failures are graphed). */
  readonly rules: readonly events.Rule[];
  /** The alarms to show in the status row (`ClientVpnRevoker.alarms`). */
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** The client connect handler, when the stack has one. */
  readonly connectHandler?: lambda.IFunction;
  /** The session sweeper, when the stack has one. */
  readonly sweeper?: lambda.IFunction;
}

/** A Powertools EMF metric exactly as the functions publish it: namespace, name and the `service` dimension. */
export function emfMetric(metricName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: METRICS_SERVICE },
    statistic: cloudwatch.Stats.SUM,
    period: PERIOD,
    ...options,
  });
}

const sum = { statistic: cloudwatch.Stats.SUM, period: PERIOD };
const maximum = { statistic: cloudwatch.Stats.MAXIMUM, period: PERIOD };

const graph = (props: cloudwatch.GraphWidgetProps) =>
  new cloudwatch.GraphWidget({ width: WIDTH, height: HEIGHT, period: PERIOD, ...props });

/** Duration percentiles of a function, one line each. */
const durations = (fn: lambda.IFunction, who: string) =>
  [50, 99].map((percentile) =>
    fn.metricDuration({
      statistic: cloudwatch.Stats.p(percentile),
      period: PERIOD,
      label: `${who} p${percentile}`,
    }),
  );

/** p50 and p99 of one of the functions' millisecond metrics, one line each. */
const percentiles = (metricName: string, what: string) =>
  [50, 99].map((percentile) =>
    emfMetric(metricName, { statistic: cloudwatch.Stats.p(percentile), label: `${what} p${percentile}` }),
  );

/** Errors and throttles of a function. */
const faults = (fn: lambda.IFunction, who: string) => [
  fn.metricErrors({ ...sum, label: `${who} errors` }),
  fn.metricThrottles({ ...sum, label: `${who} throttles` }),
];

/**
 * The operational dashboard of a ClientVpnRevoker: alarm states, revocations by status, latency, connections
 * ended and left, throttled EC2 attempts, the queue and the dead-letter queue, function faults, rule delivery,
 * and the connect handler and sweeper when they exist. Every custom metric is the functions' own (namespace
 * `ClientVpnRevoker`, dimension `service`); the AWS metrics are scoped to this construct's resources.
 */
export class RevokerDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: RevokerDashboardProps) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(12),
    });
    const { dashboard } = this;

    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        width: 24,
        height: 2,
        markdown:
          '# Client VPN Revoker\n' +
          'Requests arrive on the queue, the revoker ends the sessions and publishes one outcome per request; ' +
          'what fails on every attempt lands in the dead-letter queue. What each alarm means and what to do: ' +
          '`docs/operations.md`.',
      }),
    );
    // An alarm status widget shows at most 100 alarms.
    for (let first = 0; first < props.alarms.length; first += MAX_ALARMS_PER_WIDGET) {
      const alarms = props.alarms.slice(first, first + MAX_ALARMS_PER_WIDGET);
      dashboard.addWidgets(
        new cloudwatch.AlarmStatusWidget({
          title: 'Alarms',
          alarms,
          width: 24,
          height: Math.min(2 + Math.ceil(alarms.length / 4), 12),
        }),
      );
    }

    dashboard.addWidgets(
      graph({
        title: 'Revocations by status (one outcome per request and attempt)',
        left: REVOCATION_STATUSES.map((status) =>
          emfMetric(REVOKER_METRICS.outcome(status), { label: status }),
        ),
        stacked: true,
      }),
      graph({
        title: 'Revocation latency (ms): IdP event to outcome, time in the revoker, invocation Duration',
        left: [
          ...percentiles(REVOKER_METRICS.revocationLatency, 'event to outcome'),
          ...percentiles(REVOKER_METRICS.revocationProcessingTime, 'in the revoker'),
          ...durations(props.function, 'Duration (a batch)'),
        ],
        leftYAxis: { min: 0, label: 'ms', showUnits: false },
      }),
    );
    dashboard.addWidgets(
      graph({
        title: 'Connections found, terminated and remaining',
        left: [
          emfMetric(REVOKER_METRICS.connectionsFound, { label: 'found' }),
          emfMetric(REVOKER_METRICS.connectionsTerminated, { label: 'terminated' }),
          emfMetric(REVOKER_METRICS.connectionsRemaining, { label: 'remaining' }),
        ],
      }),
      graph({
        title: EC2_THROTTLING_TITLE,
        left: [
          emfMetric(EC2_THROTTLED_METRICS.revoker, { label: 'revoker' }),
          ...(props.sweeper ? [emfMetric(EC2_THROTTLED_METRICS.sweeper, { label: 'sweeper' })] : []),
        ],
        leftYAxis: { min: 0 },
      }),
    );
    dashboard.addWidgets(
      graph({
        title: 'Queue depth and age of the oldest request',
        left: [
          props.queue.metricApproximateNumberOfMessagesVisible({ ...maximum, label: 'waiting' }),
          props.queue.metricApproximateNumberOfMessagesNotVisible({ ...maximum, label: 'in flight' }),
        ],
        right: [props.queue.metricApproximateAgeOfOldestMessage({ ...maximum, label: 'oldest (s)' })],
        rightAnnotations: [
          { value: QUEUE_AGE_THRESHOLD.toSeconds(), label: 'QueueAge alarm', color: cloudwatch.Color.ORANGE },
        ],
        leftYAxis: { min: 0 },
        rightYAxis: { min: 0, label: 's', showUnits: false },
      }),
      graph({
        title: 'Dead-letter queue depth and age (any message: a user may still be connected)',
        left: [
          props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ ...maximum, label: 'messages' }),
        ],
        right: [
          props.deadLetterQueue.metricApproximateAgeOfOldestMessage({ ...maximum, label: 'oldest (s)' }),
        ],
        rightAnnotations: [
          {
            value: DLQ_AGE_THRESHOLD.toSeconds(),
            label: 'DeadLetterQueueAge alarm',
            color: cloudwatch.Color.RED,
          },
        ],
        leftYAxis: { min: 0 },
        rightYAxis: { min: 0, label: 's', showUnits: false },
      }),
    );
    dashboard.addWidgets(
      graph({
        title:
          'Revoker function errors and throttles, unpublished outcomes, adjusted event times, unnamed users',
        left: [
          ...faults(props.function, 'Revoker'),
          emfMetric(REVOKER_METRICS.outcomePublishFailed, { label: 'outcomes not published' }),
          emfMetric(REVOKER_METRICS.eventTimeAdjusted, { label: 'event times beyond the allowed skew' }),
          emfMetric(REVOKER_METRICS.identityUnresolved, { label: 'users nobody can name' }),
          emfMetric(REVOKER_METRICS.retriesScheduled, { label: 'requests handed back for a retry' }),
          emfMetric(REVOKER_METRICS.retryBackoffFailed, { label: 'retries left to the visibility timeout' }),
        ],
        right: [props.function.metricInvocations({ ...sum, label: 'invocations' })],
      }),
      graph({
        title: 'Rule deliveries to the queue that failed',
        left: props.rules.flatMap((rule) =>
          ['FailedInvocations', 'InvocationsFailedToBeSentToDlq'].map(
            (metricName) =>
              new cloudwatch.Metric({
                namespace: 'AWS/Events',
                metricName,
                dimensionsMap: ruleDimensions(rule),
                ...sum,
                label: `${rule.node.id} ${metricName}`,
              }),
          ),
        ),
      }),
    );

    if (props.connectHandler) {
      dashboard.addWidgets(
        graph({
          title: 'Connect handler decisions',
          left: Object.values(DECISION_METRICS).map((metricName) =>
            emfMetric(metricName, { label: metricName }),
          ),
          stacked: true,
        }),
        graph({
          title: 'Connect handler decision latency and Duration (ms)',
          left: [
            ...percentiles(DECISION_LATENCY_METRIC, 'decision'),
            ...durations(props.connectHandler, 'Duration'),
          ],
          leftYAxis: { min: 0, label: 'ms', showUnits: false },
        }),
      );
      dashboard.addWidgets(
        graph({
          title: 'Connect handler errors and throttles (Client VPN denies what the handler cannot answer)',
          left: faults(props.connectHandler, 'Connect handler'),
        }),
      );
    }

    if (props.sweeper) {
      dashboard.addWidgets(
        graph({
          title: 'Session sweeps by status',
          left: SWEEP_STATUSES.map((status) => emfMetric(SWEEPER_METRICS.outcome(status), { label: status })),
          stacked: true,
        }),
        graph({
          title: 'Sessions swept: found, terminated, remaining, protected',
          left: [
            emfMetric(SWEEPER_METRICS.connectionsFound, { label: 'found' }),
            emfMetric(SWEEPER_METRICS.connectionsTerminated, { label: 'terminated' }),
            emfMetric(SWEEPER_METRICS.connectionsRemaining, { label: 'remaining' }),
            emfMetric(SWEEPER_METRICS.connectionsProtected, { label: 'protected (break-glass)' }),
          ],
        }),
      );
      dashboard.addWidgets(
        graph({
          title: 'Sweeper errors and throttles, unpublished sweep outcomes',
          left: [
            ...faults(props.sweeper, 'Sweeper'),
            emfMetric(SWEEPER_METRICS.outcomePublishFailed, { label: 'sweep outcomes not published' }),
          ],
        }),
        graph({
          title: 'Sweeper Duration (ms)',
          left: durations(props.sweeper, 'Duration'),
          leftYAxis: { min: 0, label: 'ms', showUnits: false },
        }),
      );
      if (props.connectHandler) {
        dashboard.addWidgets(
          graph({
            title: 'Governed endpoints: not guarded by the connect handler (alarmed), wired by the sweep',
            left: [
              emfMetric(SWEEPER_METRICS.endpointsNotGuarded, { label: 'not guarded' }),
              emfMetric(SWEEPER_METRICS.endpointsWired, { label: 'wired' }),
            ],
          }),
        );
      }
    }
  }
}
