import { CfnOutput, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { sourcesFromContext } from '../sources/registry.ts';
import { ClientVpnRevoker } from './client-vpn-revoker.ts';
import type { RevokerContext } from './config.ts';

export interface ClientVpnRevokerStackProps extends StackProps {
  /** Validated context (lib/config.ts). */
  readonly config: RevokerContext;
}

const seconds = (value: number | undefined) => (value === undefined ? undefined : Duration.seconds(value));
const minutes = (value: number | undefined) => (value === undefined ? undefined : Duration.minutes(value));
const days = (value: number | undefined) => (value === undefined ? undefined : Duration.days(value));

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
      ...sourcesFromContext(config, { importBus: (busId, nameOrArn) => this.importBus(busId, nameOrArn) }),
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
      maxEventTimeSkew: seconds(config.maxEventTimeSkewSeconds),
      logRetention: config.logRetentionDays as RetentionDays | undefined,
      memorySize: config.memorySize,
      alarmTopic: config.alarmTopicArn
        ? Topic.fromTopicArn(this, 'AlarmTopic', config.alarmTopicArn)
        : undefined,
      dashboard: config.dashboardEnabled,
      tracing: config.tracingEnabled,
      protectedIdentities: config.protectedIdentities,
      activeDirectoryDomains: config.activeDirectoryDomains,
      hashIdentitiesInLogs: config.hashIdentitiesInLogs,
      logHashKey: config.logHashKeySecretArn
        ? Secret.fromSecretCompleteArn(this, 'LogHashKey', config.logHashKeySecretArn)
        : undefined,
      ec2CallBudget: {
        terminateCallsPerSecond: config.ec2TerminateCallsPerSecond,
        describeCallsPerSecond: config.ec2DescribeCallsPerSecond,
      },
      ledger: {
        enabled: config.ledgerEnabled,
        retention: days(config.ledgerRetentionDays),
      },
      connectHandler: {
        enabled: config.connectHandlerEnabled,
        endpointIds: config.connectHandlerEndpointIds,
        onLedgerUnavailable: config.onLedgerUnavailable,
        deniedMessage: config.deniedMessage,
        provisionedConcurrency: config.connectHandlerProvisionedConcurrency,
        endpointWiring: config.connectHandlerEndpointWiring,
      },
      userDirectory: {
        enabled: config.userDirectoryEnabled,
        syncInterval: minutes(config.userDirectorySyncIntervalMinutes),
        retention: days(config.userDirectoryRetentionDays),
      },
      sessionCleanup: {
        enabled: config.sessionCleanupEnabled,
        interval: minutes(config.sessionCleanupIntervalMinutes),
        maxSessionAge: minutes(config.maxSessionAgeMinutes),
      },
      memberAccounts:
        config.memberAccountRoleArns || config.memberAccountIds
          ? {
              roleArns: config.memberAccountRoleArns,
              accountIds: config.memberAccountIds,
              roleName: config.memberAccountRoleName,
              includeOwnAccount: config.includeOwnAccount,
            }
          : undefined,
    });

    new CfnOutput(this, 'FunctionName', { value: this.revoker.function.functionName });
    new CfnOutput(this, 'QueueUrl', { value: this.revoker.queue.queueUrl });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      description: 'Requests that could not be processed; alarm on its depth',
      value: this.revoker.deadLetterQueue.queueUrl,
    });
    if (this.revoker.runbookRequests) {
      new CfnOutput(this, 'RunbookEventBusName', {
        description: 'Where runbook requests (aws events put-events, client-vpn-revoker request/lift) go',
        value: this.revoker.runbookRequests.eventBus.eventBusName,
      });
    }
    // The ARNs a dead-letter redrive (sqs start-message-move-task) needs.
    new CfnOutput(this, 'QueueArn', { value: this.revoker.queue.queueArn });
    new CfnOutput(this, 'DeadLetterQueueArn', { value: this.revoker.deadLetterQueue.queueArn });
    if (this.revoker.connectHandler) {
      new CfnOutput(this, 'ConnectHandlerArn', {
        description:
          "What an endpoint's ClientConnectOptions.LambdaFunctionArn must name (the alias when provisioned)",
        value: this.revoker.connectHandler.handlerArn,
      });
    }
    if (this.revoker.memberAccountTrustedRoleArns.length > 0) {
      new CfnOutput(this, 'MemberAccountTrustedRoleArns', {
        description:
          'The roles each member account must trust: the memberRoleTrustedRoleArns of ClientVpnRevokerMember',
        value: Fn.join(',', this.revoker.memberAccountTrustedRoleArns),
      });
    }
    if (this.revoker.dashboard) {
      new CfnOutput(this, 'DashboardName', {
        description: 'CloudWatch dashboard of the revoker, its queues and functions (docs/operations.md)',
        value: this.revoker.dashboard.dashboardName,
      });
    }
  }

  private importBus(id: string, nameOrArn: string): IEventBus {
    return nameOrArn.startsWith('arn:')
      ? EventBus.fromEventBusArn(this, id, nameOrArn)
      : EventBus.fromEventBusName(this, id, nameOrArn);
  }
}
