import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ClientVpnRevoker } from './client-vpn-revoker.ts';
import type { RevokerContext } from './config.ts';

export interface ClientVpnRevokerStackProps extends StackProps {
  /** Validated context (lib/config.ts). */
  readonly config: RevokerContext;
}

const seconds = (value: number | undefined) => (value === undefined ? undefined : Duration.seconds(value));

/** The deployable app: one ClientVpnRevoker configured from cdk.json / `-c` context. */
export class ClientVpnRevokerStack extends Stack {
  public readonly revoker: ClientVpnRevoker;

  constructor(scope: Construct, id: string, props: ClientVpnRevokerStackProps) {
    super(scope, id, {
      description: 'Client VPN Revoker: terminates the Client VPN connections of users the IdP disabled',
      ...props,
    });
    const { config } = props;

    this.revoker = new ClientVpnRevoker(this, 'Revoker', {
      regions: config.regions,
      endpoints: config.endpoints,
      endpointTag: config.endpointTag,
      okta: config.oktaEventSources && {
        eventSourceNames: config.oktaEventSources,
        eventTypes: config.oktaEventTypes,
        identityMapping: config.oktaIdentityMapping,
      },
      auth0: config.auth0EventSources && {
        eventSourceNames: config.auth0EventSources,
        eventTypes: config.auth0EventTypes,
        identityMapping: config.auth0IdentityMapping,
      },
      onelogin: config.oneloginEventSources && {
        eventSourceNames: config.oneloginEventSources,
        identityMapping: config.oneloginIdentityMapping,
      },
      identityCenter: config.identityCenterEnabled
        ? {
            eventTypes: config.identityCenterEventTypes,
            identityStoreIds: config.identityCenterStoreIds,
            identityStoreRegion: config.identityStoreRegion,
            identityMapping: config.identityCenterIdentityMapping,
          }
        : undefined,
      cognito: config.cognitoUserPoolIds && {
        userPoolIds: config.cognitoUserPoolIds,
        eventTypes: config.cognitoEventTypes,
        identityMapping: config.cognitoIdentityMapping,
      },
      runbook: {
        enabled: config.runbookEnabled,
        source: config.runbookSource,
        identityMapping: config.runbookIdentityMapping,
        allowedPrincipalArns: config.runbookAllowedPrincipalArns,
        eventBus: config.runbookEventBusName
          ? this.importBus('RunbookEventBus', config.runbookEventBusName)
          : undefined,
      },
      outcomeEventBus: config.outcomeEventBusName
        ? this.importBus('OutcomeEventBus', config.outcomeEventBusName)
        : undefined,
      outcomeSource: config.outcomeSource,
      dryRun: config.dryRun,
      maxConcurrency: config.maxConcurrency,
      batchSize: config.batchSize,
      maxBatchingWindow: seconds(config.maxBatchingWindowSeconds),
      maxReceiveCount: config.maxReceiveCount,
      timeout: seconds(config.timeoutSeconds),
      terminateRetryBudget: seconds(config.terminateRetryBudgetSeconds),
      logRetention: config.logRetentionDays as RetentionDays | undefined,
      memorySize: config.memorySize,
      alarmTopic: config.alarmTopicArn
        ? Topic.fromTopicArn(this, 'AlarmTopic', config.alarmTopicArn)
        : undefined,
    });

    new CfnOutput(this, 'FunctionName', { value: this.revoker.function.functionName });
    new CfnOutput(this, 'QueueUrl', { value: this.revoker.queue.queueUrl });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      description: 'Requests that could not be processed; alarm on its depth',
      value: this.revoker.deadLetterQueue.queueUrl,
    });
  }

  private importBus(id: string, nameOrArn: string): IEventBus {
    return nameOrArn.startsWith('arn:')
      ? EventBus.fromEventBusArn(this, id, nameOrArn)
      : EventBus.fromEventBusName(this, id, nameOrArn);
  }
}
