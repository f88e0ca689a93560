import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { SWEEP_OUTCOME_DETAIL_TYPE } from '../../contracts/events.ts';
import { LEDGER_PARTITION_KEY, LEDGER_TTL_ATTRIBUTE } from '../../contracts/tables.ts';
import { loadConfig as loadConnectHandlerConfig } from '../../lambda/connect-handler/config.ts';
import { ENV } from '../../lambda/core/environment.ts';
import { loadConfig as loadRevokerConfig } from '../../lambda/revoker/config.ts';
import { loadSweeperConfig } from '../../lambda/sweeper/config.ts';
import { ClientVpnRevoker, type ClientVpnRevokerProps } from '../../lib/client-vpn-revoker.ts';
import { CONNECT_HANDLER_NAME_PREFIX, LedgerUnavailableAction } from '../../lib/parts/connect-handler.ts';
import { splitBudget } from '../../lib/parts/ec2-call-budget.ts';
import {
  ACCOUNT,
  asList,
  environmentOf,
  flatten,
  logicalId,
  policyStatements,
  resourceOf,
  roleStatements,
  type Statement,
  synthRevoker,
  testApp,
} from './synth.ts';

const ENDPOINT_A = 'cvpn-endpoint-0123456789abcdef0';
const ENDPOINT_B = 'cvpn-endpoint-0fedcba9876543210';
const endpointArn = (region: string, id: string) =>
  `arn:aws:ec2:${region}:${ACCOUNT}:client-vpn-endpoint/${id}`;
const LOGS_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
const SECRET_READ_ACTIONS = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];

type Synth = ReturnType<typeof synthRevoker>;

/** The parts the ledger brings, asserting they exist. */
function parts({ revoker }: Synth) {
  const { ledgerTable, connectHandler, sweeper } = revoker;
  if (!ledgerTable || !connectHandler || !sweeper)
    throw new Error('expected ledger, connect handler, sweeper');
  return { ledgerTable, connectHandler, sweeper };
}

/** The connect handler function's ARN as the stack builds it, from its fixed `AWSClientVPN-` name. */
function handlerFunctionArn(synth: Synth): string {
  const { FunctionName } = resourceOf(synth.template, synth.stack, parts(synth).connectHandler.function) as {
    FunctionName: string;
  };
  return `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:${FunctionName}`;
}

const roleOf = (fn: { role?: iam.IRole }): iam.IRole => {
  if (!fn.role) throw new Error('expected a function role');
  return fn.role;
};

const actionsOf = (statements: Statement[]) => statements.flatMap((s) => asList(s.Action));

/** The `Custom::AWS` wirings, with their SDK calls parsed (tokens flattened to `<…>`). */
function wirings(template: Template) {
  return Object.entries(template.findResources('Custom::AWS')).map(([id, resource]) => {
    const properties = flatten(resource.Properties) as Record<'Create' | 'Update' | 'Delete', string>;
    return {
      id,
      dependsOn: resource.DependsOn as string[],
      create: JSON.parse(properties.Create),
      update: JSON.parse(properties.Update),
      delete: JSON.parse(properties.Delete),
    };
  });
}

/** The statements of the CustomResourcePolicy a wiring depends on. */
function wiringPolicyStatements(template: Template, dependsOn: string[]): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const ids = dependsOn.filter((id) => id.includes('CustomResourcePolicy') && id in policies);
  expect(ids).toHaveLength(1);
  const policy = flatten(policies[ids[0] as string]?.Properties) as {
    PolicyDocument: { Statement: Statement[] };
  };
  return policy.PolicyDocument.Statement;
}

describe('revocation ledger table', () => {
  it('is on demand, encrypted, point-in-time recoverable, keyed by identity, expired by TTL and retained', () => {
    // Act
    const { template, stack, revoker } = synthRevoker();

    // Assess
    const table = parts({ template, stack, revoker }).ledgerTable;
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    expect(resourceOf(template, stack, table)).toEqual({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: LEDGER_PARTITION_KEY, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: LEDGER_PARTITION_KEY, AttributeType: 'S' }],
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: LEDGER_TTL_ATTRIBUTE, Enabled: true },
    });
    expect(LEDGER_PARTITION_KEY).toBe('identityKey');
    expect(LEDGER_TTL_ATTRIBUTE).toBe('expiresAtEpoch');
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('applies the given removal policy and retention', () => {
    // Act
    const synth = synthRevoker({
      ledger: { removalPolicy: RemovalPolicy.DESTROY, retention: Duration.days(90) },
    });

    // Assess
    synth.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    expect(environmentOf(synth.template, synth.stack, synth.revoker.function)).toMatchObject({
      [ENV.ledgerRetentionDays]: '90',
    });
  });

  it('gives the revoker only dynamodb:PutItem, on the table', () => {
    // Act
    const synth = synthRevoker();

    // Assess
    const { template, stack, revoker } = synth;
    const table = `<${logicalId(stack, parts(synth).ledgerTable)}.Arn>`;
    const statements = roleStatements(template, stack, revoker);
    expect(statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')))).toEqual([
      { Sid: 'RecordRevocations', Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: table },
    ]);
    expect(actionsOf(statements).filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
    expect(environmentOf(template, stack, revoker.function)).toMatchObject({
      [ENV.ledgerTableName]: `<${logicalId(stack, parts(synth).ledgerTable)}>`,
      [ENV.ledgerRetentionDays]: '30',
    });
  });
});

describe('client connect handler', () => {
  it('is named AWSClientVPN-… within the 64-character limit, even under a long construct path', () => {
    // Prepare
    const stack = new Stack(testApp(), 'AVeryLongStackNameForAClientVpnRevokerDeploymentInProduction', {
      env: { account: ACCOUNT, region: 'eu-west-1' },
    });

    // Act
    const long = new ClientVpnRevoker(stack, 'RevokerWithAnEquallyLongConstructIdToPushTheNameLimit');
    const defaults = synthRevoker();

    // Assess
    const names = [{ template: Template.fromStack(stack), stack, revoker: long }, defaults].map(
      (synth) =>
        (
          resourceOf(synth.template, synth.stack, parts(synth).connectHandler.function) as {
            FunctionName: string;
          }
        ).FunctionName,
    );
    for (const name of names) {
      expect(name.startsWith(CONNECT_HANDLER_NAME_PREFIX)).toBe(true);
      expect(name.length).toBeLessThanOrEqual(64);
    }
    expect(CONNECT_HANDLER_NAME_PREFIX).toBe('AWSClientVPN-');
  });

  it('may only BatchGetItem on the ledger table and write its logs: no EC2, no PutItem', () => {
    // Act
    const synth = synthRevoker({ endpoints: [{ endpointId: ENDPOINT_A }] });

    // Assess
    const { template, stack } = synth;
    const { connectHandler, ledgerTable } = parts(synth);
    const statements = policyStatements(template, stack, roleOf(connectHandler.function));
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: LOGS_ACTIONS,
        Resource: `<${logicalId(stack, connectHandler.node.findChild('FunctionLogGroup'))}.Arn>`,
      },
      {
        Sid: 'LookUpRevokedIdentities',
        Effect: 'Allow',
        Action: 'dynamodb:BatchGetItem',
        Resource: `<${logicalId(stack, ledgerTable)}.Arn>`,
      },
    ]);
    const role = resourceOf(template, stack, roleOf(connectHandler.function));
    expect(role.ManagedPolicyArns).toBeUndefined();
  });

  it('is told the table, the fallback, the message and the break-glass identities, as its config expects', () => {
    // Act
    const defaults = synthRevoker();
    const custom = synthRevoker({
      protectedIdentities: ['breakglass-admin', 'Emergency@Example.com', 'breakglass-admin'],
      connectHandler: {
        onLedgerUnavailable: LedgerUnavailableAction.ALLOW,
        deniedMessage: 'Access revoked: call the service desk',
      },
    });

    // Assess
    const env = (synth: Synth) =>
      environmentOf(synth.template, synth.stack, parts(synth).connectHandler.function);
    const table = `<${logicalId(defaults.stack, parts(defaults).ledgerTable)}>`;
    expect(env(defaults)).toEqual({
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'client-vpn-revoker',
      POWERTOOLS_METRICS_NAMESPACE: 'ClientVpnRevoker',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      [ENV.ledgerTableName]: table,
      [ENV.onLedgerUnavailable]: 'deny',
    });
    expect(env(custom)).toMatchObject({
      [ENV.onLedgerUnavailable]: 'allow',
      [ENV.deniedMessage]: 'Access revoked: call the service desk',
      [ENV.protectedIdentities]: 'breakglass-admin,Emergency@Example.com',
    });
    // The handler accepts this environment (the table token stands in for a real name).
    const config = loadConnectHandlerConfig({ ...env(custom), [ENV.ledgerTableName]: 'ledger-table' });
    expect(config).toMatchObject({
      onLedgerUnavailable: 'allow',
      deniedMessage: 'Access revoked: call the service desk',
      protectedIdentities: ['breakglass-admin', 'Emergency@Example.com'],
    });
    expect(resourceOf(custom.template, custom.stack, parts(custom).connectHandler.function)).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 10,
    });
  });

  it('without provisioned concurrency has no alias and endpoints name the function', () => {
    // Act
    const synth = synthRevoker({ connectHandler: { endpointIds: [ENDPOINT_A] } });

    // Assess
    const { template, stack } = synth;
    const fn = parts(synth).connectHandler.function;
    template.resourceCountIs('AWS::Lambda::Alias', 0);
    // The function's ARN, built from its fixed name (it reads the same before deployment).
    const functionArn = handlerFunctionArn(synth);
    expect(flatten(stack.resolve(parts(synth).connectHandler.handlerArn))).toBe(functionArn);
    const [wiring] = wirings(template);
    expect(wiring?.create.parameters.ClientConnectOptions).toEqual({
      Enabled: true,
      LambdaFunctionArn: functionArn,
    });
    expect(wiring?.dependsOn).toContain(logicalId(stack, fn));
  });

  it('with provisioned concurrency puts it on a live alias, which the endpoints are wired to', () => {
    // Act
    const synth = synthRevoker({ connectHandler: { provisionedConcurrency: 3, endpointIds: [ENDPOINT_A] } });

    // Assess
    const { template, stack } = synth;
    const aliases = template.findResources('AWS::Lambda::Alias');
    const [aliasId] = Object.keys(aliases);
    expect(Object.keys(aliases)).toHaveLength(1);
    expect(flatten(aliases[aliasId as string]?.Properties)).toMatchObject({
      Name: 'live',
      FunctionName: `<${logicalId(stack, parts(synth).connectHandler.function)}>`,
      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 3 },
    });
    const aliasArn = `${handlerFunctionArn(synth)}:live`;
    expect(flatten(stack.resolve(parts(synth).connectHandler.handlerArn))).toBe(aliasArn);
    const [wiring] = wirings(template);
    expect(wiring?.create.parameters.ClientConnectOptions.LambdaFunctionArn).toBe(aliasArn);
    expect(wiring?.update.parameters.ClientConnectOptions.LambdaFunctionArn).toBe(aliasArn);
    // Deployed after the alias it names.
    expect(wiring?.dependsOn).toContain(aliasId);
  });

  it('wires each endpoint with one custom resource: enable on create and update, disable on delete', () => {
    // Act
    const synth = synthRevoker({ connectHandler: { endpointIds: [ENDPOINT_A, ENDPOINT_B, ENDPOINT_A] } });

    // Assess
    const { template } = synth;
    const handler = handlerFunctionArn(synth);
    const found = wirings(template);
    expect(found.map((w) => w.create.parameters.ClientVpnEndpointId)).toEqual([ENDPOINT_A, ENDPOINT_B]);
    for (const wiring of found) {
      const endpointId = wiring.create.parameters.ClientVpnEndpointId;
      const enable = {
        service: 'EC2',
        action: 'ModifyClientVpnEndpoint',
        parameters: {
          ClientVpnEndpointId: endpointId,
          ClientConnectOptions: { Enabled: true, LambdaFunctionArn: handler },
        },
        physicalResourceId: { id: `${endpointId}-client-connect-handler` },
      };
      expect(wiring.create).toEqual(enable);
      expect(wiring.update).toEqual(enable);
      expect(wiring.delete).toEqual({
        ...enable,
        parameters: { ClientVpnEndpointId: endpointId, ClientConnectOptions: { Enabled: false } },
      });
      // IAM for exactly this endpoint.
      expect(wiringPolicyStatements(template, wiring.dependsOn)).toEqual([
        {
          Effect: 'Allow',
          Action: 'ec2:ModifyClientVpnEndpoint',
          Resource: endpointArn('eu-west-1', endpointId),
        },
      ]);
    }
  });

  it('runs the wiring provider with its own role (no managed policy), log group and explicit memory', () => {
    // Act
    const synth = synthRevoker({ connectHandler: { endpointIds: [ENDPOINT_A, ENDPOINT_B] } });

    // Assess
    const { template } = synth;
    const functions = template.findResources('AWS::Lambda::Function');
    const providerIds = Object.keys(functions).filter((id) =>
      id.startsWith('AWS679f53fac002430cb0da5b7982bd2287'),
    );
    expect(providerIds).toHaveLength(1);
    const provider = flatten(functions[providerIds[0] as string]?.Properties) as {
      Role: string;
      MemorySize: number;
      LoggingConfig: { LogGroup: string };
    };
    expect(provider.MemorySize).toBe(256);
    const roleId = provider.Role.slice(1, -'.Arn>'.length);
    const logGroupId = provider.LoggingConfig.LogGroup.slice(1, -1);
    const roles = template.findResources('AWS::IAM::Role');
    expect(roles[roleId]?.Properties.ManagedPolicyArns).toBeUndefined();
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .map(
        (policy) =>
          flatten(policy.Properties) as { Roles: string[]; PolicyDocument: { Statement: Statement[] } },
      )
      .filter((policy) => policy.Roles.includes(`<${roleId}>`))
      .flatMap((policy) => policy.PolicyDocument.Statement);
    expect(statements).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Action: LOGS_ACTIONS, Resource: `<${logGroupId}.Arn>` },
        {
          Effect: 'Allow',
          Action: 'ec2:ModifyClientVpnEndpoint',
          Resource: endpointArn('eu-west-1', ENDPOINT_A),
        },
        {
          Effect: 'Allow',
          Action: 'ec2:ModifyClientVpnEndpoint',
          Resource: endpointArn('eu-west-1', ENDPOINT_B),
        },
      ]),
    );
    expect(statements).toHaveLength(3);
    expect(flatten(template.findResources('AWS::Logs::LogGroup')[logGroupId]?.Properties)).toEqual({
      RetentionInDays: 365,
    });
  });

  it('wires nothing by default', () => {
    // Act
    const { template } = synthRevoker();

    // Assess
    template.resourceCountIs('Custom::AWS', 0);
    template.resourceCountIs('AWS::Lambda::Alias', 0);
  });

  it('is left out with connectHandler.enabled false', () => {
    // Act
    const { revoker, template } = synthRevoker({ connectHandler: { enabled: false } });

    // Assess
    expect(revoker.connectHandler).toBeUndefined();
    const names = Object.values(template.findResources('AWS::Lambda::Function')).map(
      (fn) => fn.Properties.FunctionName,
    );
    expect(names.filter((name) => typeof name === 'string' && name.startsWith('AWSClientVPN-'))).toEqual([]);
  });
});

describe('session sweeper', () => {
  it('runs every 5 minutes by default, on EventBridge Scheduler with retries and the dead-letter queue', () => {
    // Act
    const synth = synthRevoker();

    // Assess
    const { template, stack, revoker } = synth;
    const { sweeper } = parts(synth);
    expect(resourceOf(template, stack, sweeper.schedule)).toMatchObject({
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: `<${logicalId(stack, sweeper.function)}.Arn>`,
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: `<${logicalId(stack, revoker.deadLetterQueue)}.Arn>` },
      },
    });
  });

  it.each([
    ['1 minute', Duration.minutes(1), 'rate(1 minute)', 120],
    ['15 minutes', Duration.minutes(15), 'rate(15 minutes)', 900],
    ['24 hours', Duration.hours(24), 'rate(1 day)', 21_600],
  ])(
    'runs at the configured interval (%s); a retried sweep lives at most that long',
    (_case, interval, expression, age) => {
      // Act
      const { template } = synthRevoker({ sessionCleanup: { interval } });

      // Assess
      template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: expression });
      // Bounded by Lambda's 60 s to 6 h for asynchronous event age.
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumEventAgeInSeconds: age });
    },
  );

  it('never overlaps, dead-letters failed asynchronous invocations and retries them twice first', () => {
    // Act
    const synth = synthRevoker();

    // Assess
    const { template, stack, revoker } = synth;
    const { sweeper } = parts(synth);
    expect(resourceOf(template, stack, sweeper.function)).toMatchObject({
      ReservedConcurrentExecutions: 1,
      DeadLetterConfig: { TargetArn: `<${logicalId(stack, revoker.deadLetterQueue)}.Arn>` },
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(stack, sweeper.function) },
      MaximumRetryAttempts: 2,
    });
  });

  it('may Scan the ledger table, update (expiries) nothing else on it, and publish only the sweep outcome', () => {
    // Act
    const synth = synthRevoker({ outcomeSource: 'acme.vpn' });

    // Assess
    const { template, stack } = synth;
    const { sweeper, ledgerTable } = parts(synth);
    const statements = policyStatements(template, stack, roleOf(sweeper.function));
    expect(statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')))).toEqual([
      {
        Sid: 'ReadRevokedIdentities',
        Effect: 'Allow',
        Action: 'dynamodb:Scan',
        Resource: `<${logicalId(stack, ledgerTable)}.Arn>`,
      },
      {
        Sid: 'KeepRevokedUntilLifted',
        Effect: 'Allow',
        Action: 'dynamodb:UpdateItem',
        Resource: `<${logicalId(stack, ledgerTable)}.Arn>`,
      },
    ]);
    expect(statements.filter((s) => actionsOf([s]).includes('events:PutEvents'))).toEqual([
      {
        Sid: 'PublishSweepOutcome',
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default`,
        Condition: {
          StringEquals: { 'events:source': 'acme.vpn', 'events:detail-type': SWEEP_OUTCOME_DETAIL_TYPE },
        },
      },
    ]);
    expect(SWEEP_OUTCOME_DETAIL_TYPE).toBe('Client VPN Session Sweep Outcome');
    expect(actionsOf(statements).filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
  });

  it.each<[string, ClientVpnRevokerProps]>([
    [
      'endpoints',
      { endpoints: [{ endpointId: ENDPOINT_A }, { region: 'us-east-1', endpointId: ENDPOINT_B }] },
    ],
    ['tag', { regions: ['eu-west-1', 'us-east-1'], endpointTag: { key: 'team', value: 'secops' } }],
    ['all', { regions: ['eu-west-1', 'us-east-1'] }],
  ])('acts on the same endpoints as the revoker (%s)', (_mode, props) => {
    // Act
    const synth = synthRevoker(props);

    // Assess
    const { template, stack, revoker } = synth;
    const ec2 = (statements: Statement[]) =>
      statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('ec2:')));
    // Besides finding and ending connections, the sweeper checks and wires the connect handler
    // (test/infra/connect-handler-wiring.test.ts).
    const wiring = ['WireConnectHandler', 'ReadConnectHandlerOfEndpoints'];
    const sweeperEc2 = ec2(policyStatements(template, stack, roleOf(parts(synth).sweeper.function))).filter(
      (s) => !wiring.includes(s.Sid ?? ''),
    );
    expect(sweeperEc2.length).toBeGreaterThan(0);
    expect(sweeperEc2).toEqual(ec2(roleStatements(template, stack, revoker)));
    const env = environmentOf(template, stack, parts(synth).sweeper.function);
    const revokerEnv = environmentOf(template, stack, revoker.function);
    for (const key of [ENV.regions, ENV.endpointIds, ENV.endpointTag]) expect(env[key]).toBe(revokerEnv[key]);
  });

  it('is told the table, the maximum age and the break-glass identities, as its config expects', () => {
    // Act
    const synth = synthRevoker({
      protectedIdentities: ['breakglass-admin'],
      sessionCleanup: { maxSessionAge: Duration.hours(4) },
      dryRun: true,
    });

    // Assess
    const { template, stack } = synth;
    const env = environmentOf(template, stack, parts(synth).sweeper.function);
    expect(env).toMatchObject({
      [ENV.ledgerTableName]: `<${logicalId(stack, parts(synth).ledgerTable)}>`,
      [ENV.maxSessionAgeMinutes]: '240',
      [ENV.protectedIdentities]: 'breakglass-admin',
      [ENV.dryRun]: 'true',
    });
    expect(loadSweeperConfig(env)).toMatchObject({
      maxSessionAgeMs: 4 * 3_600_000,
      protectedIdentities: ['breakglass-admin'],
      dryRun: true,
      pacing: { terminatePerSecond: 0.23, describePerSecond: 0.75 },
    });
  });

  it('is left out with sessionCleanup.enabled false (and the connect handler off: it needs the sweep)', () => {
    // Act
    const { revoker, template } = synthRevoker({
      sessionCleanup: { enabled: false },
      connectHandler: { enabled: false },
    });

    // Assess
    expect(revoker.sweeper).toBeUndefined();
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
  });
});

describe('without the ledger', () => {
  it('creates no table, no connect handler and no lift rule; the revoker records nothing', () => {
    // Act
    const { template, stack, revoker } = synthRevoker({ ledger: { enabled: false } });

    // Assess
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    expect(revoker.ledgerTable).toBeUndefined();
    expect(revoker.connectHandler).toBeUndefined();
    expect(revoker.rules.map((rule) => rule.node.id)).toEqual(['RunbookRule']);
    const env = environmentOf(template, stack, revoker.function);
    expect(env).not.toHaveProperty(ENV.ledgerTableName);
    expect(env).not.toHaveProperty(ENV.ledgerRetentionDays);
    expect(
      actionsOf(roleStatements(template, stack, revoker)).filter((a) => a.startsWith('dynamodb:')),
    ).toEqual([]);
  });

  it('leaves out the default cleanup, which would have nothing to sweep for, and paces the revoker alone', () => {
    // Act
    const { template, stack, revoker } = synthRevoker({ ledger: { enabled: false } });

    // Assess
    expect(revoker.sweeper).toBeUndefined();
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toEqual([
      logicalId(stack, revoker.function),
    ]);
    // 4.75 and 15 calls per second over the 2 revoker environments only.
    expect(environmentOf(template, stack, revoker.function)).toMatchObject({
      [ENV.terminateCallsPerSecond]: '2.37',
      [ENV.describeCallsPerSecond]: '7.5',
    });
  });

  it('sweeps by maximum session age only, without table or DynamoDB grant, when maxSessionAge is set', () => {
    // Act
    const { template, stack, revoker } = synthRevoker({
      ledger: { enabled: false },
      sessionCleanup: { maxSessionAge: Duration.minutes(90) },
    });

    // Assess
    const sweeper = revoker.sweeper;
    if (!sweeper) throw new Error('expected the sweeper');
    const env = environmentOf(template, stack, sweeper.function);
    expect(env).not.toHaveProperty(ENV.ledgerTableName);
    expect(env).toMatchObject({ [ENV.maxSessionAgeMinutes]: '90' });
    expect(loadSweeperConfig(env)).toMatchObject({ maxSessionAgeMs: 90 * 60_000 });
    expect(
      actionsOf(policyStatements(template, stack, roleOf(sweeper.function))).filter((a) =>
        a.startsWith('dynamodb:'),
      ),
    ).toEqual([]);
  });
});

describe('hashed identities in logs', () => {
  it('generates a 64-character key, tells the revoker and the connect handler, and lets only them read it', () => {
    // Act
    const synth = synthRevoker({ hashIdentitiesInLogs: true });

    // Assess
    const { template, stack, revoker } = synth;
    const { connectHandler, sweeper } = parts(synth);
    const secret = revoker.logHashKey;
    if (!secret) throw new Error('expected the generated key');
    expect(resourceOf(template, stack, secret)).toMatchObject({
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
    const secretRef = `<${logicalId(stack, secret)}>`;
    const read = { Effect: 'Allow', Action: SECRET_READ_ACTIONS, Resource: secretRef };
    expect(roleStatements(template, stack, revoker)).toContainEqual(read);
    expect(policyStatements(template, stack, roleOf(connectHandler.function))).toContainEqual(read);
    expect(policyStatements(template, stack, roleOf(sweeper.function))).not.toContainEqual(read);
    expect(environmentOf(template, stack, revoker.function)).toMatchObject({
      [ENV.logHashKeySecretArn]: secretRef,
    });
    expect(environmentOf(template, stack, connectHandler.function)).toMatchObject({
      [ENV.logHashKeySecretArn]: secretRef,
    });
    // The sweeper logs counts and endpoints, never identities: it needs no key.
    expect(environmentOf(template, stack, sweeper.function)).not.toHaveProperty(ENV.logHashKeySecretArn);
  });

  it('uses the given key instead of generating one', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Test', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const arn = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:vpn/log-hash-key-AbCdEf`;
    const logHashKey = Secret.fromSecretCompleteArn(stack, 'Key', arn);

    // Act
    const revoker = new ClientVpnRevoker(stack, 'Revoker', { hashIdentitiesInLogs: true, logHashKey });

    // Assess
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(revoker.logHashKey).toBe(logHashKey);
    expect(environmentOf(template, stack, revoker.function)).toMatchObject({
      [ENV.logHashKeySecretArn]: arn,
    });
    expect(roleStatements(template, stack, revoker)).toContainEqual({
      Effect: 'Allow',
      Action: SECRET_READ_ACTIONS,
      Resource: arn,
    });
  });

  it('creates no key and sets no variable by default', () => {
    // Act
    const { template, stack, revoker } = synthRevoker();

    // Assess
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(environmentOf(template, stack, revoker.function)).not.toHaveProperty(ENV.logHashKeySecretArn);
  });
});

describe('break-glass identities and the EC2 call budget', () => {
  it('tells every function the deduplicated break-glass list, which the revoker accepts', () => {
    // Act
    const synth = synthRevoker({
      protectedIdentities: ['breakglass-admin', 'ops@example.com', 'breakglass-admin'],
    });

    // Assess
    const { template, stack, revoker } = synth;
    const { connectHandler, sweeper } = parts(synth);
    for (const fn of [revoker.function, connectHandler.function, sweeper.function]) {
      expect(environmentOf(template, stack, fn)).toMatchObject({
        [ENV.protectedIdentities]: 'breakglass-admin,ops@example.com',
      });
    }
    expect(loadRevokerConfig(environmentOf(template, stack, revoker.function)).protectedIdentities).toEqual([
      'breakglass-admin',
      'ops@example.com',
    ]);
  });

  it('tells every function the deduplicated Active Directory domains, which each of them accepts', () => {
    // Act
    const synth = synthRevoker({ activeDirectoryDomains: ['CORP', 'corp.example.com', 'CORP'] });
    const defaults = synthRevoker();

    // Assess
    const functionsOf = (built: Synth) => {
      const { connectHandler, sweeper } = parts(built);
      return [built.revoker.function, connectHandler.function, sweeper.function];
    };
    for (const fn of functionsOf(synth)) {
      expect(environmentOf(synth.template, synth.stack, fn)).toMatchObject({
        [ENV.activeDirectoryDomains]: 'CORP,corp.example.com',
      });
    }
    for (const fn of functionsOf(defaults)) {
      expect(environmentOf(defaults.template, defaults.stack, fn)).not.toHaveProperty(
        ENV.activeDirectoryDomains,
      );
    }
    const { template, stack, revoker } = synth;
    const { connectHandler, sweeper } = parts(synth);
    const domains = ['CORP', 'corp.example.com'];
    expect(
      loadRevokerConfig(environmentOf(template, stack, revoker.function)).activeDirectoryDomains,
    ).toEqual(domains);
    const handlerEnv = {
      ...environmentOf(template, stack, connectHandler.function),
      [ENV.ledgerTableName]: 'ledger',
    };
    expect(loadConnectHandlerConfig(handlerEnv).activeDirectoryDomains).toEqual(domains);
    const sweeperEnv = {
      ...environmentOf(template, stack, sweeper.function),
      [ENV.ledgerTableName]: 'ledger',
    };
    expect(loadSweeperConfig(sweeperEnv).activeDirectoryDomains).toEqual(domains);
  });

  it.each<[string, ClientVpnRevokerProps, [string, string], [string, string] | undefined]>([
    [
      'the default budget over 2 revoker environments and the sweeper',
      {},
      ['2.25', '7.12'],
      ['0.23', '0.75'],
    ],
    [
      'a full budget over 4 revoker environments and the sweeper',
      { maxConcurrency: 4, ec2CallBudget: { terminateCallsPerSecond: 5, describeCallsPerSecond: 20 } },
      ['1.18', '4.75'],
      ['0.25', '1'],
    ],
    [
      'a small budget over 9 revoker environments and the sweeper (rounded down)',
      { maxConcurrency: 9, ec2CallBudget: { terminateCallsPerSecond: 1, describeCallsPerSecond: 3.5 } },
      ['0.1', '0.36'],
      ['0.05', '0.17'],
    ],
    [
      'the default budget without the sweeper',
      { sessionCleanup: { enabled: false }, connectHandler: { enabled: false } },
      ['2.37', '7.5'],
      undefined,
    ],
  ])('splits %s: 5 % to the sweeper, the rest evenly', (_case, props, revokerRates, sweeperRates) => {
    // Act
    const { template, stack, revoker } = synthRevoker(props);

    // Assess
    const expected = ([terminate, describe_]: [string, string]) => ({
      [ENV.terminateCallsPerSecond]: terminate,
      [ENV.describeCallsPerSecond]: describe_,
    });
    expect(environmentOf(template, stack, revoker.function)).toMatchObject(expected(revokerRates));
    expect(revoker.sweeper === undefined).toBe(sweeperRates === undefined);
    if (revoker.sweeper && sweeperRates)
      expect(environmentOf(template, stack, revoker.sweeper.function)).toMatchObject(expected(sweeperRates));
    expect(loadRevokerConfig(environmentOf(template, stack, revoker.function)).pacing).toEqual({
      terminatePerSecond: Number(revokerRates[0]),
      describePerSecond: Number(revokerRates[1]),
    });
  });

  it('never lets the shares add up to more than the budget', () => {
    for (const maxConcurrency of [2, 3, 7, 20]) {
      for (const budget of [1, 3.3, 4.75, 5]) {
        const { revoker, sweeper } = splitBudget({ terminateCallsPerSecond: budget }, maxConcurrency, true);
        expect(revoker.terminate * maxConcurrency + sweeper.terminate).toBeLessThanOrEqual(budget);
        expect(revoker.terminate * maxConcurrency + sweeper.terminate).toBeGreaterThan(
          budget - 0.01 * (maxConcurrency + 1),
        );
      }
    }
  });
});

describe('the default stack', () => {
  it('has the ledger table, the connect handler, the sweeper with its schedule and the revoker', () => {
    // Act
    const { template } = synthRevoker();

    // Assess
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.resourceCountIs('AWS::Lambda::Function', 3);
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: Match.stringLikeRegexp('^AWSClientVPN-'),
    });
  });
});
