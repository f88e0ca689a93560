import { Duration, Names, Stack, Token, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { RequestBusSpec } from '../../sources/kit/definition.ts';
import { ClientVpnRevokerPropsError } from '../props-validation.ts';

/** How long a bus name may be (EventBridge). */
const MAX_BUS_NAME_LENGTH = 256;
/** How long a bus policy statement id may be (EventBridge). */
const MAX_STATEMENT_ID_LENGTH = 64;
const PRINCIPAL_ARN = /^arn:[^:]+:(iam|sts)::/;

/**
 * The bus a source's requests (the runbook's) arrive on, and who may put them. Anyone allowed to put a runbook request on a bus
 * can cut a person off, and a lift lets a revoked person back in, so the requests get a bus of their own
 * (not the default bus, where every principal with events:PutEvents in the account may put events) whose
 * resource policy names who may request (`allowedPrincipalArns`) and, separately, who may lift
 * (`liftAllowedPrincipalArns`: nobody unless named). The denials hold even for principals with broad IAM
 * rights, and are scoped to the runbook `source`, so a bus the deployer shares with other applications
 * (`eventBus`) is restricted for runbook requests only. Runbook requests put on the default bus instead —
 * the habit of earlier versions — are kept in a queue of their own and alarmed, never silently dropped nor
 * applied.
 */
export class RequestBus extends Construct {
  public readonly eventBus: events.IEventBus;
  /** True when some principals may lift revocations with runbook requests. */
  public readonly liftsAllowed: boolean;
  /**
   * Where runbook requests put on the default bus by mistake are kept for an operator, 14 days (absent when
   * the runbook bus is the default bus). Nothing reads it: its depth is alarmed.
   */
  public readonly misroutedRequests?: sqs.Queue;
  /** The rule that keeps them there. */
  public readonly misroutedRequestsRule?: events.Rule;

  constructor(scope: Construct, id: string, props: RequestBusSpec) {
    super(scope, id);
    const requesters = principalArns(`${props.prop}.allowedPrincipalArns`, props.allowedPrincipalArns, {
      required: true,
    });
    const lifters =
      principalArns(`${props.prop}.liftAllowedPrincipalArns`, props.liftAllowedPrincipalArns, {
        required: false,
      }) ?? [];
    if (props.eventBus && props.eventBusName) {
      throw new ClientVpnRevokerPropsError(
        `${props.prop}.eventBusName`,
        'names the dedicated bus; not with eventBus',
      );
    }
    this.liftsAllowed = lifters.length > 0;
    this.eventBus =
      props.eventBus ??
      new events.EventBus(this, 'Bus', {
        eventBusName: props.eventBusName ?? defaultBusName(this, props.defaultBusName),
        description: props.busDescription,
      });

    const requestSource = { 'events:source': props.source };
    if (requesters) {
      this.deny('OnlyAllowedPrincipalsRequest', {
        StringEquals: requestSource,
        ArnNotLike: { 'aws:PrincipalArn': [...requesters, ...lifters] },
      });
    }
    this.deny('OnlyAllowedPrincipalsLift', {
      StringEquals: { ...requestSource, 'events:detail-type': props.liftDetailType },
      ...(this.liftsAllowed && { ArnNotLike: { 'aws:PrincipalArn': lifters } }),
    });

    if (!isDefaultBus(this.eventBus)) {
      this.misroutedRequests = new sqs.Queue(this, 'MisroutedRequests', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      this.misroutedRequestsRule = new events.Rule(this, 'MisroutedRequestsRule', {
        description: props.misroutedDescription,
        eventPattern: { source: [props.source] },
        targets: [
          new targets.SqsQueue(this.misroutedRequests, {
            retryAttempts: 185,
            maxEventAge: Duration.hours(24),
          }),
        ],
      });
      this.acknowledgeHoldingQueue(this.misroutedRequests, this.misroutedRequestsRule);
    }
  }

  private acknowledgeHoldingQueue(queue: sqs.Queue, rule: events.Rule): void {
    Validations.of(queue.node.defaultChild ?? queue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason:
        'A holding queue no function consumes: its messages wait for an operator, so there is no failed ' +
        'processing to dead-letter',
    });
    Validations.of(queue.node.defaultChild ?? queue).acknowledge({
      id: 'Serverless::Serverless-SQSRedrivePolicy',
      reason: 'A holding queue no function consumes: nothing receives its messages, so none can fail',
    });
    Validations.of(rule.node.defaultChild ?? rule).acknowledge({
      id: 'Serverless::Serverless-EventBusDLQ',
      reason:
        "EventBridge retries delivery to this same-account queue for 24 hours; the revoker's dead-letter " +
        'queue is not used because redriving it would apply a request the runbook bus policy refused',
    });
  }

  /** An explicit deny of the source's PutEvents on the bus, under the given conditions. */
  private deny(statementId: string, condition: Record<string, unknown>): void {
    // Unique per construct: two revokers may share a bus given as `eventBus`.
    const sid = `${statementId}-${Names.uniqueResourceName(this, {
      maxLength: MAX_STATEMENT_ID_LENGTH - statementId.length - 1,
      separator: '-',
    })}`;
    new events.CfnEventBusPolicy(this, statementId, {
      eventBusName: this.eventBus.eventBusName,
      statementId: sid,
      statement: {
        Sid: sid,
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'events:PutEvents',
        Resource: this.eventBus.eventBusArn,
        Condition: condition,
      },
    });
  }
}

/** `required`: an empty list is an error (it would refuse everyone), not "nobody". */
function principalArns(
  prop: string,
  arns: readonly string[] | undefined,
  { required }: { readonly required: boolean },
): readonly string[] | undefined {
  if (arns === undefined) return undefined;
  if (
    (required && arns.length === 0) ||
    arns.some((arn) => !Token.isUnresolved(arn) && !PRINCIPAL_ARN.test(arn))
  ) {
    throw new ClientVpnRevokerPropsError(prop, 'expected IAM role or user ARNs');
  }
  return arns;
}

/** The source's name for the stack's bus (`<stack name>-runbook`): predictable for operators, distinct per stack. */
function defaultBusName(scope: Construct, nameFor: (stackName: string) => string): string {
  const stackName = Stack.of(scope).stackName;
  return Token.isUnresolved(stackName)
    ? Names.uniqueResourceName(scope, { maxLength: MAX_BUS_NAME_LENGTH })
    : nameFor(stackName).slice(0, MAX_BUS_NAME_LENGTH);
}

const isDefaultBus = (bus: events.IEventBus) =>
  !Token.isUnresolved(bus.eventBusName) && bus.eventBusName === 'default';
