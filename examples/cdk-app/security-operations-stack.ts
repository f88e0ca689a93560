import { Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  type ClientVpnEndpointReference,
  ClientVpnRevoker,
  type ClientVpnRevokerProps,
  OUTCOME_DETAIL_TYPE,
} from 'client-vpn-revoker';
import type { Construct } from 'constructs';

export interface SecurityOperationsStackProps extends StackProps {
  /** The security team's existing event bus: runbook requests arrive on it, outcomes are published to it. */
  readonly securityEventBusName: string;
  /** The existing on-call topic: every alarm, and every revocation that did not complete, notifies it. */
  readonly onCallTopicArn: string;
  /** The Okta log stream's partner event source, `aws.partner/okta.com/<org>/<name>`. */
  readonly oktaEventSourceName: string;
  /** The Client VPN endpoints the revoker may act on (and whose reconnects it blocks, in this region). */
  readonly vpnEndpoints: ClientVpnEndpointReference[];
  /** Break-glass accounts that are never cut off. */
  readonly breakGlassIdentities?: string[];
  /** Rehearse first: find and report sessions without ending them. */
  readonly dryRun?: boolean;
}

/** The `source` of this organisation's outcome events (and the one its consumers match). */
export const OUTCOME_SOURCE = 'acme.client-vpn-revoker';

/**
 * An existing security-operations stack (no VPC) with its own event bus and on-call topic, into which the
 * Client VPN Revoker is embedded as one construct. Everything it needs comes in as typed props.
 */
export class SecurityOperationsStack extends Stack {
  public readonly revoker: ClientVpnRevoker;

  constructor(scope: Construct, id: string, props: SecurityOperationsStackProps) {
    super(scope, id, props);
    const securityBus = events.EventBus.fromEventBusName(this, 'SecurityEvents', props.securityEventBusName);
    const onCall = sns.Topic.fromTopicArn(this, 'OnCall', props.onCallTopicArn);

    const revokerProps: ClientVpnRevokerProps = {
      endpoints: props.vpnEndpoints,
      okta: { eventSourceNames: [props.oktaEventSourceName] },
      // Incident responders put `Client VPN Revocation Requested` on the security bus, not the default bus.
      runbook: { eventBus: securityBus, source: 'acme.incident-response' },
      outcomeEventBus: securityBus,
      outcomeSource: OUTCOME_SOURCE,
      alarmTopic: onCall,
      protectedIdentities: props.breakGlassIdentities,
      dryRun: props.dryRun,
      // A connect handler serves endpoints of its own region only: wire those, block reconnects there.
      connectHandler: {
        endpointIds: props.vpnEndpoints
          .filter((e) => !e.region || e.region === this.region)
          .map((e) => e.endpointId),
      },
      sessionCleanup: { interval: Duration.minutes(10) },
    };
    this.revoker = new ClientVpnRevoker(this, 'ClientVpnRevoker', revokerProps);

    // The stack's own consumer of the outcome contract: page on-call when a revocation did not complete.
    // Pages EventBridge cannot deliver are kept in a queue of their own (not the revoker's dead-letter queue,
    // whose messages are revocation requests to redrive).
    const undeliveredPages = new sqs.Queue(this, 'UndeliveredPages', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    for (const id of ['AwsSolutions::AwsSolutions-SQS3', 'Serverless::Serverless-SQSRedrivePolicy']) {
      Validations.of(undeliveredPages.node.defaultChild ?? undeliveredPages).acknowledge({
        id,
        reason:
          'It is the dead-letter queue of the on-call rule target; a dead-letter queue of its own would only move the problem',
      });
    }
    new events.Rule(this, 'IncompleteRevocationsToOnCall', {
      description: 'Page on-call when a Client VPN revocation failed or left sessions behind',
      eventBus: securityBus,
      eventPattern: {
        source: [OUTCOME_SOURCE],
        detailType: [OUTCOME_DETAIL_TYPE],
        detail: { status: ['partial', 'failed'], delivery: { willRetry: [false] } },
      },
      targets: [new targets.SnsTopic(onCall, { deadLetterQueue: undeliveredPages })],
    });
  }
}
