import { Duration, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface RequestQueueProps {
  /** The revoker function's timeout: a received message stays invisible six times as long. */
  readonly functionTimeout: Duration;
  /** Receives of a message before it moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
}

export interface RequestQueue {
  /** Buffer between the rules and the function; absorbs bursts and retries failed requests. */
  readonly queue: sqs.Queue;
  /** Requests that failed `maxReceiveCount` times, and events EventBridge could not deliver to `queue`. */
  readonly deadLetterQueue: sqs.Queue;
  /** What every rule delivers to: the queue, retried for a day, then the dead-letter queue. */
  readonly target: events.IRuleTarget;
}

/**
 * The revocation requests' queue and its dead-letter queue, encrypted and TLS-only. Created in `scope` itself
 * (a function, not a construct) so that their logical ids stay those of the revoker's own children.
 */
export function createRequestQueue(scope: Construct, props: RequestQueueProps): RequestQueue {
  const deadLetterQueue = new sqs.Queue(scope, 'DeadLetterQueue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  const queue = new sqs.Queue(scope, 'Queue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: Duration.seconds(props.functionTimeout.toSeconds() * 6),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
  });
  Validations.of(deadLetterQueue.node.defaultChild ?? deadLetterQueue).acknowledge({
    id: 'Serverless::Serverless-SQSRedrivePolicy',
    reason: 'This queue is the dead-letter queue; a dead-letter queue of its own would only move the problem',
  });
  const target = new targets.SqsQueue(queue, {
    deadLetterQueue,
    retryAttempts: 185,
    maxEventAge: Duration.hours(24),
  });
  return { queue, deadLetterQueue, target };
}
