import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../lambda/core/environment.ts';
import { ClientVpnRevokerStack } from '../../lib/client-vpn-revoker-stack.ts';
import { parseContext } from '../../lib/config.ts';
import { RUNBOOK_ENV } from '../../sources/runbook/source.ts';
import {
  ACCOUNT,
  environmentOf,
  flatten,
  onlyResource,
  policyStatements,
  resourceOf,
  testApp,
} from './synth.ts';

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
      maxEventTimeSkewSeconds: '300',
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
    expect(resourceOf(template, stack, stack.revoker.function)).toMatchObject({
      MemorySize: 256,
      Timeout: 180,
    });
    expect(environmentOf(template, stack, stack.revoker.function)).toMatchObject({
      [ENV.endpointTag]: 'team=secops',
      [ENV.outcomeEventBus]: 'arn:aws:events:eu-west-1:444455556666:event-bus/outcomes',
      [ENV.outcomeSource]: 'acme.vpn',
      [ENV.dryRun]: 'true',
      [ENV.maxReceiveCount]: '6',
      [ENV.terminateRetryBudgetMs]: '60000',
      [ENV.maxEventTimeSkewSeconds]: '300',
      [RUNBOOK_ENV.source]: 'soar.playbooks',
    });
    expect(onlyResource(template, 'AWS::Lambda::EventSourceMapping')).toMatchObject({
      BatchSize: 20,
      MaximumBatchingWindowInSeconds: 10,
      ScalingConfig: { MaximumConcurrency: 3 },
    });
    expect(resourceOf(template, stack, stack.revoker.logGroup)).toEqual({ RetentionInDays: 30 });
    template.hasResourceProperties('AWS::Events::Rule', { EventBusName: 'security-ops' });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: 'aws.partner/okta.com/acme/revoker',
    });
    expect(Object.keys(template.toJSON().Outputs)).toEqual([
      'FunctionName',
      'QueueUrl',
      'DeadLetterQueueUrl',
      'RunbookEventBusName',
      'QueueArn',
      'DeadLetterQueueArn',
      'ConnectHandlerArn',
      'DashboardName',
    ]);
  });

  it('deploys with defaults from an empty context', () => {
    // Act
    const stack = new ClientVpnRevokerStack(testApp(), 'ClientVpnRevoker', { config: parseContext({}) });

    // Assess
    const template = Template.fromStack(stack);
    // The runbook rule on its own bus (no lift rule: no lifters named), and the one keeping runbook requests
    // put on the default bus by mistake.
    expect(stack.revoker.rules.map((rule) => rule.node.id)).toEqual(['RunbookRule']);
    template.resourceCountIs('AWS::Events::Rule', 2);
    expect(environmentOf(template, stack, stack.revoker.function)).toMatchObject({
      [ENV.regions]: '<AWS::Region>',
      [ENV.dryRun]: 'false',
      [ENV.terminateCallsPerSecond]: '2.25',
      [ENV.describeCallsPerSecond]: '7.12',
      [ENV.ledgerRetentionDays]: '30',
    });
    expect(stack.revoker.ledgerTable).toBeDefined();
    expect(stack.revoker.connectHandler).toBeDefined();
    expect(stack.revoker.sweeper).toBeDefined();
    expect(stack.revoker.logHashKey).toBeUndefined();
    template.resourceCountIs('Custom::AWS', 0);
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(5 minutes)' });
  });

  it('maps the ledger, connect handler, cleanup, break-glass, hashing and budget keys to the props', () => {
    // Prepare
    const secretArn = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:vpn/log-hash-key-AbCdEf`;
    const config = parseContext({
      protectedIdentities: 'breakglass-admin,Emergency@Example.com',
      activeDirectoryDomains: 'CORP,corp.example.com',
      hashIdentitiesInLogs: 'true',
      logHashKeySecretArn: secretArn,
      ec2TerminateCallsPerSecond: '3',
      ec2DescribeCallsPerSecond: '12',
      maxConcurrency: '5',
      ledgerRetentionDays: '90',
      connectHandlerEndpointIds: `${ENDPOINT_A},${ENDPOINT_B}`,
      onLedgerUnavailable: 'allow',
      deniedMessage: 'Access revoked: call the service desk',
      connectHandlerProvisionedConcurrency: '2',
      sessionCleanupIntervalMinutes: '10',
      maxSessionAgeMinutes: '120',
    });

    // Act
    const stack = new ClientVpnRevokerStack(testApp(), 'ClientVpnRevoker', {
      config,
      env: { account: ACCOUNT, region: 'eu-west-1' },
    });

    // Assess
    const template = Template.fromStack(stack);
    const { revoker } = stack;
    const { connectHandler, sweeper } = revoker;
    if (!connectHandler || !sweeper) throw new Error('expected the connect handler and the sweeper');
    const revokerEnv = environmentOf(template, stack, revoker.function);
    expect(revokerEnv).toMatchObject({
      [ENV.protectedIdentities]: 'breakglass-admin,Emergency@Example.com',
      [ENV.logHashKeySecretArn]: secretArn,
      // 95 % of 3 and 12 calls per second over 5 revoker environments; 5 % to the sweeper.
      [ENV.terminateCallsPerSecond]: '0.57',
      [ENV.describeCallsPerSecond]: '2.28',
      [ENV.ledgerRetentionDays]: '90',
    });
    // No secret is generated for an imported key.
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(environmentOf(template, stack, connectHandler.function)).toMatchObject({
      [ENV.onLedgerUnavailable]: 'allow',
      [ENV.deniedMessage]: 'Access revoked: call the service desk',
      [ENV.logHashKeySecretArn]: secretArn,
      [ENV.protectedIdentities]: 'breakglass-admin,Emergency@Example.com',
      [ENV.activeDirectoryDomains]: 'CORP,corp.example.com',
    });
    template.hasResourceProperties('AWS::Lambda::Alias', {
      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 },
    });
    const wired = Object.values(template.findResources('Custom::AWS')).map(
      (resource) =>
        JSON.parse((flatten(resource.Properties) as { Create: string }).Create).parameters
          .ClientVpnEndpointId,
    );
    expect(wired).toEqual([ENDPOINT_A, ENDPOINT_B]);
    expect(revokerEnv[ENV.activeDirectoryDomains]).toBe('CORP,corp.example.com');
    expect(environmentOf(template, stack, sweeper.function)).toMatchObject({
      [ENV.activeDirectoryDomains]: 'CORP,corp.example.com',
      [ENV.maxSessionAgeMinutes]: '120',
      [ENV.terminateCallsPerSecond]: '0.15',
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(10 minutes)' });
    // The alias ARN, built from the handler's fixed name; the wiring resources depend on the alias itself.
    expect(template.toJSON().Outputs.ConnectHandlerArn.Value).toMatch(
      /^arn:aws:lambda:eu-west-1:\d{12}:function:AWSClientVPN-[\w-]+:live$/,
    );
    expect(
      Object.values(template.findResources('Custom::AWS')).every((resource) =>
        (resource.DependsOn as string[]).includes(logicalIdOfAlias(template)),
      ),
    ).toBe(true);
    // The imported key is read by ARN, including its random suffix.
    expect(policyStatements(template, stack, revoker.role)).toContainEqual(
      expect.objectContaining({
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        Resource: secretArn,
      }),
    );
  });

  it('leaves out the ledger, connect handler and lift rules with ledgerEnabled=false', () => {
    // Act
    const stack = new ClientVpnRevokerStack(testApp(), 'ClientVpnRevoker', {
      config: parseContext({
        ledgerEnabled: 'false',
        maxSessionAgeMinutes: '45',
        runbookLiftAllowedPrincipalArns: `arn:aws:iam::${ACCOUNT}:role/incident-commander`,
      }),
      env: { account: ACCOUNT, region: 'eu-west-1' },
    });

    // Assess
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    // The runbook rule, and none for lifts even with lifters named: nothing records a revocation to lift.
    expect(stack.revoker.rules.map((rule) => rule.node.id)).toEqual(['RunbookRule']);
    expect(stack.revoker.connectHandler).toBeUndefined();
    expect(template.toJSON().Outputs).not.toHaveProperty('ConnectHandlerArn');
    const sweeper = stack.revoker.sweeper;
    if (!sweeper) throw new Error('expected the sweeper (maxSessionAgeMinutes is set)');
    expect(environmentOf(template, stack, sweeper.function)).not.toHaveProperty(ENV.ledgerTableName);
    expect(environmentOf(template, stack, stack.revoker.function)).not.toHaveProperty(ENV.ledgerTableName);
  });

  it('turns off the connect handler and the cleanup with their enabled keys', () => {
    // Act
    const stack = new ClientVpnRevokerStack(testApp(), 'ClientVpnRevoker', {
      config: parseContext({ connectHandlerEnabled: 'false', sessionCleanupEnabled: 'false' }),
    });

    // Assess
    const template = Template.fromStack(stack);
    expect(stack.revoker.connectHandler).toBeUndefined();
    expect(stack.revoker.sweeper).toBeUndefined();
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    // Only the revoker paces itself: 4.75 and 15 calls per second over its 2 environments.
    expect(environmentOf(template, stack, stack.revoker.function)).toMatchObject({
      [ENV.terminateCallsPerSecond]: '2.37',
      [ENV.describeCallsPerSecond]: '7.5',
    });
  });

  it('generates the hashing key when hashIdentitiesInLogs is set without a key', () => {
    // Act
    const stack = new ClientVpnRevokerStack(testApp(), 'ClientVpnRevoker', {
      config: parseContext({ hashIdentitiesInLogs: 'true' }),
    });

    // Assess
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    expect(stack.revoker.logHashKey).toBeDefined();
  });
});

const ENDPOINT_A = 'cvpn-endpoint-0123456789abcdef0';
const ENDPOINT_B = 'cvpn-endpoint-0fedcba9876543210';

function logicalIdOfAlias(template: Template): string {
  const [id] = Object.keys(template.findResources('AWS::Lambda::Alias'));
  if (!id) throw new Error('expected the live alias');
  return id;
}
