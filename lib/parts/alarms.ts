import { Duration, Fn, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DECISION_METRICS,
  DIRECTORY_SYNC_METRICS,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  REVOKER_METRICS,
  SWEEPER_METRICS,
} from '../../contracts/metrics.ts';

/** Source queue messages older than this mean revocations are falling behind (or being retried). */
export const QUEUE_AGE_THRESHOLD = Duration.minutes(15);
/** A dead-letter message older than this has been waiting for an operator too long. */
export const DLQ_AGE_THRESHOLD = Duration.hours(1);

const PERIOD = Duration.minutes(5);

export interface RevokerAlarmsProps {
  /** The revoker function. */
  readonly function: lambda.IFunction;
  /** The source queue between the rules and the function. */
  readonly queue: sqs.IQueue;
  /** The dead-letter queue of both the source queue and the rule targets. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The rules feeding the queue. */
  readonly rules: readonly events.Rule[];
  /** Where runbook requests put on the default bus are kept, when the runbook has a bus of its own. */
  readonly misroutedRunbookRequests?: sqs.IQueue;
  /** The client connect handler, when the stack has one. */
  readonly connectHandler?: lambda.IFunction;
  /** The session sweeper, when the stack has one. */
  readonly sweeper?: lambda.IFunction;
  /** The user directory sync, when the stack has one. */
  readonly directorySync?: lambda.IFunction;
  /**
   * Topic every alarm notifies when it goes into ALARM.
   * @default - no actions: the alarms are created without actions; subscribe by passing a topic
   */
  readonly alarmTopic?: sns.ITopic;
}

/**
 * The operational alarms of a ClientVpnRevoker: dead-letter queue, function errors and throttles, failed and
 * partial revocations, unpublished outcomes, a lagging queue and undeliverable rule events. Every alarm
 * treats missing data as not breaching (most of these metrics are only emitted when non-zero).
 */
export class RevokerAlarms extends Construct {
  /** Every alarm created, in creation order. */
  public readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: RevokerAlarmsProps) {
    super(scope, id);
    const action = props.alarmTopic && new SnsAction(props.alarmTopic);
    const add = (alarmId: string, metric: cloudwatch.IMetric, threshold: number, description: string) => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      if (action) alarm.addAlarmAction(action);
      this.alarms.push(alarm);
      return alarm;
    };
    const emf = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: METRICS_SERVICE },
        statistic: cloudwatch.Stats.SUM,
        period: PERIOD,
      });

    add(
      'DeadLetterQueueDepth',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: cloudwatch.Stats.MAXIMUM,
        period: PERIOD,
      }),
      0,
      'Client VPN Revoker: a revocation request is in the dead-letter queue — either it failed on every ' +
        'attempt (maxReceiveCount) or EventBridge could not deliver the event to the queue. A user may still ' +
        'be connected. Read the message, find its failed outcome events by requestId, fix the cause, then ' +
        'redrive the dead-letter queue to the source queue (or revoke by hand through the runbook path).',
    );
    add(
      'DeadLetterQueueAge',
      props.deadLetterQueue.metricApproximateAgeOfOldestMessage({
        statistic: cloudwatch.Stats.MAXIMUM,
        period: PERIOD,
      }),
      DLQ_AGE_THRESHOLD.toSeconds(),
      `Client VPN Revoker: a dead-letter message has waited more than ${DLQ_AGE_THRESHOLD.toHumanString()} ` +
        'unhandled; the user it names may still be connected. Inspect it, redrive the dead-letter queue once ' +
        'the cause is fixed, or revoke by hand. Messages expire after the queue retention (14 days).',
    );
    add(
      'FunctionErrors',
      props.function.metricErrors({ statistic: cloudwatch.Stats.SUM, period: PERIOD }),
      0,
      'Client VPN Revoker: the function failed as a whole (crash, timeout, out of memory) — per-request ' +
        'failures are reported as partial batch failures and do not count here. The batch is retried from the ' +
        "queue. Read the function's log group for the error and watch the dead-letter queue.",
    );
    add(
      'FunctionThrottles',
      props.function.metricThrottles({ statistic: cloudwatch.Stats.SUM, period: PERIOD }),
      0,
      'Client VPN Revoker: invocations were throttled (account or reserved concurrency exhausted), so ' +
        'revocations are delayed. Check the account concurrency and other functions using it; messages stay ' +
        'in the queue and are retried.',
    );
    add(
      'FailedOutcomes',
      emf('Outcome-failed'),
      0,
      'Client VPN Revoker: a revocation request failed (outcome status "failed"). Look up the outcome ' +
        'events and logs by requestId: delivery.willRetry says whether the queue retries it; if not, it is in ' +
        'the dead-letter queue and the user may still be connected.',
    );
    add(
      'PartialOutcomes',
      emf('Outcome-partial'),
      0,
      'Client VPN Revoker: connections of a user remained after a revocation (outcome status "partial"). ' +
        'Look up the outcome event by requestId (summary.connectionsRemaining, regions) and terminate the ' +
        'remaining connections by hand if no retry follows (delivery.willRetry).',
    );
    add(
      'OutcomePublishFailed',
      emf(REVOKER_METRICS.outcomePublishFailed),
      0,
      'Client VPN Revoker: an outcome event could not be published to EventBridge, so subscribers (ticketing, ' +
        "SIEM) missed it. The revocation itself may have succeeded: find it in the function's logs by " +
        'requestId, and check the outcome bus, its policy and the PutEvents grant.',
    );
    add(
      'RetryBackoffFailed',
      emf(REVOKER_METRICS.retryBackoffFailed),
      0,
      'Client VPN Revoker: the revoker could not shorten the visibility of a request it handed back to the ' +
        'queue (sqs:ChangeMessageVisibility failed), so that request is retried only after the visibility ' +
        "timeout (6 x the function timeout) instead of within seconds. Read the function's log for the SQS " +
        'error (permissions, queue policy, throttling); the request is not lost.',
    );
    add(
      'EventTimesAdjusted',
      emf(REVOKER_METRICS.eventTimeAdjusted),
      0,
      'Client VPN Revoker: a request was dated beyond the allowed clock skew after the queue received it (or ' +
        'its time was unreadable), so its receipt time was used instead. A runbook request dated in the future ' +
        'is what a forged lift meant to outrank later disables looks like; an identity provider with a wrong ' +
        'clock looks the same. Find the outcome (trigger.eventTimeAdjustment) and who put the event.',
    );
    if (props.misroutedRunbookRequests) {
      add(
        'MisroutedRunbookRequests',
        props.misroutedRunbookRequests.metricApproximateNumberOfMessagesVisible({
          statistic: cloudwatch.Stats.MAXIMUM,
          period: PERIOD,
        }),
        0,
        'Client VPN Revoker: a runbook request was put on the default event bus, where it is not applied ' +
          '(runbook requests go to the runbook bus, stack output RunbookEventBusName). It is kept in the ' +
          'misrouted-requests queue: read it, and if it is legitimate put it again on the runbook bus; then ' +
          'fix the caller (SOAR playbook, script) and purge the queue.',
      );
    }
    add(
      'RejectedOutcomes',
      emf('Outcome-rejected'),
      0,
      'Client VPN Revoker: an event that matched a rule could not be turned into a revocation request ' +
        '(outcome status "rejected") and was dropped. The rules and the parser accept the same events, so this ' +
        'means a changed event shape, a message put on the queue by hand, or a bug. Read the outcome message ' +
        '(it names the field) and the event; revoke the person through the runbook path if it was a disable.',
    );
    add(
      'IdentityUnresolved',
      emf(REVOKER_METRICS.identityUnresolved),
      0,
      'Client VPN Revoker: a disable or delete named its user only by id, the user no longer exists and the ' +
        'user directory has no record of it, so nobody can be revoked. The request is retried, then ' +
        'dead-lettered. Find who the id was (identity provider audit log, CloudTrail CreateUser) and revoke ' +
        'the person by name with a runbook request; check that the user directory sync runs.',
    );
    add(
      'QueueAge',
      props.queue.metricApproximateAgeOfOldestMessage({
        statistic: cloudwatch.Stats.MAXIMUM,
        period: PERIOD,
      }),
      QUEUE_AGE_THRESHOLD.toSeconds(),
      `Client VPN Revoker: a revocation request has waited more than ${QUEUE_AGE_THRESHOLD.toHumanString()} ` +
        'in the queue — revocations are falling behind or a request is being retried. Check function errors, ' +
        'throttles and EC2 API throttling (the Ec2Throttled metric); raise maxConcurrency if the backlog is a ' +
        'burst of offboardings.',
    );

    if (props.connectHandler) {
      add(
        'ConnectHandlerErrors',
        props.connectHandler.metricErrors({ statistic: cloudwatch.Stats.SUM, period: PERIOD }),
        0,
        'Client VPN Revoker: the client connect handler failed (crash, timeout) — Client VPN denies every ' +
          "connection attempt it cannot answer, so people may be locked out. Read the handler's log group.",
      );
      add(
        'ConnectHandlerThrottles',
        props.connectHandler.metricThrottles({ statistic: cloudwatch.Stats.SUM, period: PERIOD }),
        0,
        'Client VPN Revoker: client connect handler invocations were throttled, and Client VPN denied those ' +
          'connection attempts. Raise its provisioned or reserved concurrency, or the account limit.',
      );
      add(
        'ConnectLedgerUnavailableDenied',
        emf(DECISION_METRICS['ledger-unavailable-denied']),
        0,
        'Client VPN Revoker: the connect handler could not read the revocation ledger and denied connection ' +
          "attempts (onLedgerUnavailable 'deny'). Check DynamoDB's health and throttling and the handler's " +
          'BatchGetItem permission; everyone is locked out until it reads the ledger again.',
      );
      add(
        'ConnectLedgerUnavailableAllowed',
        emf(DECISION_METRICS['ledger-unavailable-allowed']),
        0,
        'Client VPN Revoker: the connect handler could not read the revocation ledger and allowed connection ' +
          "attempts (onLedgerUnavailable 'allow'), revoked identities included. The next sweep ends revoked " +
          "identities' sessions once the ledger is readable; check DynamoDB and the handler's permission.",
      );
    }
    if (props.sweeper) {
      add(
        'SweeperErrors',
        props.sweeper.metricErrors({ statistic: cloudwatch.Stats.SUM, period: PERIOD }),
        0,
        'Client VPN Revoker: a session cleanup sweep failed as a whole (e.g. its outcome could not be ' +
          "published); Lambda retries it twice, then dead-letters it. Read the sweeper's log group.",
      );
      add(
        'SweepIncomplete',
        new cloudwatch.MathExpression({
          expression: 'FILL(failed, 0) + FILL(partial, 0)',
          usingMetrics: { failed: emf('SweepOutcome-failed'), partial: emf('SweepOutcome-partial') },
          period: PERIOD,
          label: 'Incomplete sweeps',
        }),
        0,
        'Client VPN Revoker: a session cleanup sweep could not end every session it should have, or could not ' +
          'read the ledger or an endpoint. The next sweep retries; read the sweep outcome event for what remains.',
      );
      if (props.connectHandler) {
        add(
          'EndpointsNotGuarded',
          emf(SWEEPER_METRICS.endpointsNotGuarded),
          0,
          'Client VPN Revoker: a governed endpoint does not call the connect handler, so revoked identities can ' +
            'reconnect there until the next sweep ends them. The sweep outcome event (connectHandler.unguarded) ' +
            'names each endpoint and why: disabled (report mode: set the handler with the ConnectHandlerArn output ' +
            'or switch to enforce), other-handler (another function is set: chain or replace it by hand), error ' +
            "(the sweeper's ModifyClientVpnEndpoint/Describe permission or EC2 throttling).",
        );
      }
    }

    if (props.directorySync) {
      add(
        'DirectorySyncErrors',
        props.directorySync.metricErrors({ statistic: cloudwatch.Stats.SUM, period: PERIOD }),
        0,
        'Client VPN Revoker: the user directory sync failed as a whole (crash, timeout). Users created since ' +
          "the last sync are not recorded until the next one; read the sync function's log group.",
      );
      add(
        'DirectorySyncFailed',
        emf(DIRECTORY_SYNC_METRICS.syncFailed),
        0,
        'Client VPN Revoker: the user directory sync could not list an identity store or user pool to the end ' +
          '(throttling, permissions, DynamoDB). Nothing recorded is lost; users not reached are not refreshed. ' +
          'Read the "User directory sync incomplete" log entry for the store and the error.',
      );
    }

    for (const rule of props.rules) {
      const dimensionsMap = ruleDimensions(rule);
      const ruleMetric = (metricName: string) =>
        new cloudwatch.Metric({
          namespace: 'AWS/Events',
          metricName,
          dimensionsMap,
          statistic: cloudwatch.Stats.SUM,
          period: PERIOD,
        });
      add(
        `${rule.node.id}FailedInvocations`,
        ruleMetric('FailedInvocations'),
        0,
        `Client VPN Revoker: rule ${rule.node.id} failed to deliver matching events to the queue after all ` +
          'retries; they should be in the dead-letter queue (see its alarm). Check the queue policy and ' +
          'encryption, then redrive the dead-letter queue.',
      );
      add(
        `${rule.node.id}FailedToDeadLetter`,
        ruleMetric('InvocationsFailedToBeSentToDlq'),
        0,
        `Client VPN Revoker: rule ${rule.node.id} could deliver events neither to the queue nor to the ` +
          'dead-letter queue: those revocation requests are lost. Check both queue policies, then find the ' +
          "disabled users in the identity provider's log and revoke them through the runbook path.",
      );
    }
  }
}

/**
 * AWS/Events rule metrics carry `RuleName` alone for rules on the default bus and `EventBusName` + `RuleName`
 * on any other bus (partner and custom buses). The Ref of a rule on a non-default bus is `<bus>|<rule>`, so
 * the rule name is taken from after the `|`.
 */
export function ruleDimensions(rule: events.Rule): Record<string, string> {
  const bus = (rule.node.defaultChild as events.CfnRule).eventBusName;
  // An unresolved bus name is a bus created in (or passed to) the app, hence not the default bus.
  const busName = bus === undefined || Token.isUnresolved(bus) ? bus : bus.replace(/^arn:.*:event-bus\//, '');
  if (busName === undefined || busName === 'default') return { RuleName: rule.ruleName };
  return { EventBusName: busName, RuleName: Fn.select(1, Fn.split('|', rule.ruleName)) };
}
