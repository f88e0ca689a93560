import { Duration } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ClientVpnRevokerPropsError } from '../../lib/client-vpn-revoker.ts';
import {
  environmentOf,
  flatten,
  logicalId,
  policyStatements,
  resourceOf,
  roleStatements,
  synthRevoker,
} from './synth.ts';

const STORE = 'd-9067a1b2c3';
const POOLS = ['eu-west-1_ExAmPlE12', 'us-east-1_ExAmPlE34'];
const OKTA = { okta: { eventSourceNames: ['aws.partner/okta.com/acme/revoker'] } };
const ID_ONLY = { identityCenter: { identityStoreIds: [STORE] }, cognito: { userPoolIds: POOLS } };

describe('the user directory', () => {
  it('is a DynamoDB table keyed by user, with TTL, point-in-time recovery and encryption, deleted with the stack', () => {
    // Act
    const { stack, revoker, template } = synthRevoker(ID_ONLY);
    const directory = revoker.userDirectory;
    if (!directory) throw new Error('expected a user directory with id-only sources');

    // Assess
    expect(resourceOf(template, stack, directory.table)).toMatchObject({
      KeySchema: [{ AttributeName: 'userKey', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAtEpoch', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
    expect(template.toJSON().Resources[logicalId(stack, directory.table)].DeletionPolicy).toBe('Delete');
  });

  it('lets the revoker read a record and record a looked-up user, and tells it the table', () => {
    // Act
    const { stack, revoker, template } = synthRevoker(ID_ONLY);
    const table = `<${logicalId(stack, revoker.userDirectory?.table ?? revoker.queue)}.Arn>`;

    // Assess
    expect(roleStatements(template, stack, revoker)).toContainEqual({
      Sid: 'NameDeletedUsers',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      Resource: table,
    });
    expect(environmentOf(template, stack, revoker.function)).toMatchObject({
      USER_DIRECTORY_TABLE_NAME: `<${logicalId(stack, revoker.userDirectory?.table ?? revoker.queue)}>`,
      USER_DIRECTORY_RETENTION_DAYS: '90',
    });
  });

  it('syncs with exactly the listing of the configured store and pools and batch writes to its table', () => {
    // Act
    const { stack, revoker, template } = synthRevoker(ID_ONLY);
    const sync = revoker.userDirectory?.sync;
    if (!sync) throw new Error('expected a sync');
    const table = `<${logicalId(stack, revoker.userDirectory?.table ?? revoker.queue)}.Arn>`;

    // Assess
    const statements = policyStatements(template, stack, sync.role).filter(
      (statement) => !String(statement.Action).startsWith('logs:'),
    );
    expect(statements).toEqual([
      { Sid: 'RecordUsers', Effect: 'Allow', Action: 'dynamodb:BatchWriteItem', Resource: table },
      {
        Sid: 'ListIdentityStoreUsers',
        Effect: 'Allow',
        Action: 'identitystore:ListUsers',
        Resource: [
          `arn:aws:identitystore::111122223333:identitystore/${STORE}`,
          'arn:aws:identitystore:::user/*',
        ],
      },
      {
        Sid: 'ListUserPoolUsers',
        Effect: 'Allow',
        Action: 'cognito-idp:ListUsers',
        Resource: [
          'arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_ExAmPlE12',
          'arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_ExAmPlE34',
        ],
      },
    ]);
    expect(environmentOf(template, stack, sync.function)).toMatchObject({
      IDENTITY_CENTER_STORE_IDS: STORE,
      IDENTITY_STORE_REGION: 'eu-west-1',
      COGNITO_USER_POOL_IDS: POOLS.join(','),
      USER_DIRECTORY_RETENTION_DAYS: '90',
    });
    expect(resourceOf(template, stack, sync.function)).toMatchObject({ ReservedConcurrentExecutions: 1 });
  });

  it('runs the sync hourly by default, or as configured, on EventBridge Scheduler', () => {
    // Act
    const hourly = synthRevoker(ID_ONLY);
    const custom = synthRevoker({
      ...ID_ONLY,
      userDirectory: { syncInterval: Duration.minutes(15), retention: Duration.days(30) },
    });

    // Assess
    const scheduleOf = (synth: ReturnType<typeof synthRevoker>) => {
      const schedule = synth.revoker.userDirectory?.sync?.schedule;
      if (!schedule) throw new Error('expected a schedule');
      return resourceOf(synth.template, synth.stack, schedule);
    };
    expect(scheduleOf(hourly)).toMatchObject({
      ScheduleExpression: 'rate(1 hour)',
      Target: { RetryPolicy: { MaximumRetryAttempts: 3 } },
    });
    expect(scheduleOf(custom)).toMatchObject({ ScheduleExpression: 'rate(15 minutes)' });
    expect(
      environmentOf(custom.template, custom.stack, custom.revoker.function).USER_DIRECTORY_RETENTION_DAYS,
    ).toBe('30');
  });

  it('alarms on unresolved identities, rejected requests and an incomplete or failed sync', () => {
    // Act
    const { template } = synthRevoker(ID_ONLY);

    // Assess
    const metrics = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => (flatten(alarm.Properties) as { MetricName?: string; Namespace?: string }).MetricName,
    );
    expect(metrics).toEqual(
      expect.arrayContaining(['IdentityUnresolved', 'Outcome-rejected', 'DirectorySyncFailed', 'Errors']),
    );
    expect(metrics.filter((name) => name === 'Outcome-rejected')).toHaveLength(1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'IdentityUnresolved',
      AlarmDescription: Match.stringLikeRegexp('runbook'),
    });
  });

  it('is left out without an id-only source or when disabled, and refused when enabled without one', () => {
    // Act
    const withoutSource = synthRevoker(OKTA);
    const disabled = synthRevoker({ ...ID_ONLY, userDirectory: { enabled: false } });
    const refused = () => synthRevoker({ ...OKTA, userDirectory: { enabled: true } });

    // Assess
    expect(withoutSource.revoker.userDirectory).toBeUndefined();
    expect(disabled.revoker.userDirectory).toBeUndefined();
    expect(environmentOf(disabled.template, disabled.stack, disabled.revoker.function)).not.toHaveProperty(
      'USER_DIRECTORY_TABLE_NAME',
    );
    expect(refused).toThrow(ClientVpnRevokerPropsError);
    expect(refused).toThrow(/userDirectory\.enabled/);
  });

  it('refuses a retention shorter than the dead-letter queue keeps a delete, and a bad interval', () => {
    // Act
    const short = () => synthRevoker({ ...ID_ONLY, userDirectory: { retention: Duration.days(14) } });
    const seconds = () => synthRevoker({ ...ID_ONLY, userDirectory: { syncInterval: Duration.seconds(90) } });

    // Assess
    expect(short).toThrow(/userDirectory\.retention.*14 days/);
    expect(seconds).toThrow(/userDirectory\.syncInterval/);
  });

  it('has no sync but records look-ups when Identity Center names no store, and says so', () => {
    // Act
    const { stack, revoker } = synthRevoker({ identityCenter: {} });

    // Assess
    expect(revoker.userDirectory?.table).toBeDefined();
    expect(revoker.userDirectory?.sync).toBeUndefined();
    Annotations.fromStack(stack).hasInfo('*', Match.stringLikeRegexp('identityStoreIds is empty'));
  });
});
