import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../lambda/revoker/config.ts';
import { ClientVpnRevokerStack } from '../../lib/client-vpn-revoker-stack.ts';
import { parseContext } from '../../lib/config.ts';
import { flatten, onlyResource, testApp } from './synth.ts';

describe('ClientVpnRevokerStack', () => {
  it('builds the construct from context, importing buses by name or ARN', () => {
    // Prepare
    const config = parseContext({
      regions: 'eu-west-1',
      endpointTag: 'team=secops',
      oktaEventSources: 'aws.partner/okta.com/acme/revoker',
      runbookSource: 'soar.playbooks',
      runbookEventBusName: 'security-ops',
      outcomeEventBusName: 'arn:aws:events:eu-west-1:444455556666:event-bus/outcomes',
      outcomeSource: 'acme.vpn',
      dryRun: 'true',
      maxConcurrency: '3',
      batchSize: '20',
      maxBatchingWindowSeconds: '10',
      maxReceiveCount: '6',
      timeoutSeconds: '180',
      terminateRetryBudgetSeconds: '60',
      logRetentionDays: '30',
      memorySize: '256',
    });

    // Act
    const stack = new ClientVpnRevokerStack(testApp(), 'ClientVpnRevoker', {
      config,
      env: { account: '111122223333', region: 'eu-west-1' },
    });

    // Assess
    const template = Template.fromStack(stack);
    const fn = onlyResource(template, 'AWS::Lambda::Function') as {
      MemorySize: number;
      Timeout: number;
      Environment: { Variables: Record<string, string> };
    };
    expect(fn).toMatchObject({ MemorySize: 256, Timeout: 180 });
    expect(fn.Environment.Variables).toMatchObject({
      [ENV.endpointTag]: 'team=secops',
      [ENV.outcomeEventBus]: 'arn:aws:events:eu-west-1:444455556666:event-bus/outcomes',
      [ENV.outcomeSource]: 'acme.vpn',
      [ENV.dryRun]: 'true',
      [ENV.maxReceiveCount]: '6',
      [ENV.terminateRetryBudgetMs]: '60000',
      [ENV.runbookSource]: 'soar.playbooks',
    });
    expect(onlyResource(template, 'AWS::Lambda::EventSourceMapping')).toMatchObject({
      BatchSize: 20,
      MaximumBatchingWindowInSeconds: 10,
      ScalingConfig: { MaximumConcurrency: 3 },
    });
    expect(onlyResource(template, 'AWS::Logs::LogGroup')).toEqual({ RetentionInDays: 30 });
    template.hasResourceProperties('AWS::Events::Rule', { EventBusName: 'security-ops' });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: 'aws.partner/okta.com/acme/revoker',
    });
    expect(Object.keys(template.toJSON().Outputs)).toEqual([
      'FunctionName',
      'QueueUrl',
      'DeadLetterQueueUrl',
    ]);
  });

  it('deploys with defaults from an empty context', () => {
    // Act
    const stack = new ClientVpnRevokerStack(testApp(), 'ClientVpnRevoker', { config: parseContext({}) });

    // Assess
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Events::Rule', 1);
    expect(flatten(onlyResource(template, 'AWS::Lambda::Function').Environment)).toMatchObject({
      Variables: { [ENV.regions]: '<AWS::Region>', [ENV.dryRun]: 'false' },
    });
  });
});
