import { describe, expect, it } from 'vitest';
import { ContextError, parseContext, readContext } from '../../lib/config.ts';
import { testApp } from './synth.ts';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:vpn/log-hash-key-AbCdEf';

describe('context validation (lib/config.ts)', () => {
  it('accepts -c style strings: comma lists, "true"/"false", numbers, key=value', () => {
    // Act
    const config = parseContext({
      regions: 'eu-west-1, us-east-1',
      endpoints: 'eu-west-1:cvpn-endpoint-0123456789abcdef0,cvpn-endpoint-0fedcba9876543210',
      oktaEventSources: 'aws.partner/okta.com/acme/revoker',
      oktaEventTypes: 'user.lifecycle.suspend',
      dryRun: 'true',
      runbookEnabled: 'false',
      maxConcurrency: '4',
      timeoutSeconds: '300',
      logRetentionDays: '90',
    });

    // Assess
    expect(config).toEqual({
      regions: ['eu-west-1', 'us-east-1'],
      endpoints: [
        { region: 'eu-west-1', endpointId: 'cvpn-endpoint-0123456789abcdef0' },
        { endpointId: 'cvpn-endpoint-0fedcba9876543210' },
      ],
      oktaEventSources: ['aws.partner/okta.com/acme/revoker'],
      oktaEventTypes: ['user.lifecycle.suspend'],
      dryRun: true,
      runbookEnabled: false,
      maxConcurrency: 4,
      timeoutSeconds: 300,
      logRetentionDays: 90,
    });
  });

  it('accepts cdk.json JSON values, and JSON passed as a -c string', () => {
    // Act
    const json = parseContext({
      regions: ['eu-west-1'],
      endpoints: [
        { region: 'eu-west-1', endpointId: 'cvpn-endpoint-0123456789abcdef0' },
        'cvpn-endpoint-0fedcba9876543210',
      ],
      dryRun: false,
      maxConcurrency: 10,
    });
    const jsonString = parseContext({
      endpointTag: '{"key":"team","value":"sec=ops"}',
      regions: '["eu-west-1"]',
    });

    // Assess
    expect(json).toEqual({
      regions: ['eu-west-1'],
      endpoints: [
        { region: 'eu-west-1', endpointId: 'cvpn-endpoint-0123456789abcdef0' },
        { endpointId: 'cvpn-endpoint-0fedcba9876543210' },
      ],
      dryRun: false,
      maxConcurrency: 10,
    });
    expect(jsonString).toEqual({ endpointTag: { key: 'team', value: 'sec=ops' }, regions: ['eu-west-1'] });
  });

  it('accepts the ledger, connect handler, cleanup, break-glass, hashing and budget keys as -c strings', () => {
    // Act
    const config = parseContext({
      protectedIdentities: 'breakglass-admin, Emergency@Example.com',
      activeDirectoryDomains: 'CORP, corp.example.com',
      hashIdentitiesInLogs: 'true',
      logHashKeySecretArn: SECRET_ARN,
      ec2TerminateCallsPerSecond: '2.5',
      ec2DescribeCallsPerSecond: '.5',
      ledgerEnabled: 'true',
      ledgerRetentionDays: '90',
      connectHandlerEnabled: 'true',
      connectHandlerEndpointIds: 'cvpn-endpoint-0123456789abcdef0,cvpn-endpoint-0fedcba9876543210',
      onLedgerUnavailable: 'allow',
      deniedMessage: 'Access revoked, call the service desk',
      connectHandlerProvisionedConcurrency: '0',
      sessionCleanupEnabled: 'true',
      sessionCleanupIntervalMinutes: '15',
      maxSessionAgeMinutes: '479',
    });

    // Assess
    expect(config).toEqual({
      protectedIdentities: ['breakglass-admin', 'Emergency@Example.com'],
      activeDirectoryDomains: ['CORP', 'corp.example.com'],
      hashIdentitiesInLogs: true,
      logHashKeySecretArn: SECRET_ARN,
      ec2TerminateCallsPerSecond: 2.5,
      ec2DescribeCallsPerSecond: 0.5,
      ledgerEnabled: true,
      ledgerRetentionDays: 90,
      connectHandlerEnabled: true,
      connectHandlerEndpointIds: ['cvpn-endpoint-0123456789abcdef0', 'cvpn-endpoint-0fedcba9876543210'],
      onLedgerUnavailable: 'allow',
      deniedMessage: 'Access revoked, call the service desk',
      connectHandlerProvisionedConcurrency: 0,
      sessionCleanupEnabled: true,
      sessionCleanupIntervalMinutes: 15,
      maxSessionAgeMinutes: 479,
    });
  });

  it('accepts the same keys as cdk.json JSON values', () => {
    // Act
    const config = parseContext({
      protectedIdentities: ['breakglass-admin'],
      hashIdentitiesInLogs: false,
      ec2TerminateCallsPerSecond: 5,
      ec2DescribeCallsPerSecond: 20,
      ledgerEnabled: false,
      connectHandlerEnabled: false,
      sessionCleanupEnabled: true,
      maxSessionAgeMinutes: 15,
    });

    // Assess
    expect(config).toEqual({
      protectedIdentities: ['breakglass-admin'],
      hashIdentitiesInLogs: false,
      ec2TerminateCallsPerSecond: 5,
      ec2DescribeCallsPerSecond: 20,
      ledgerEnabled: false,
      connectHandlerEnabled: false,
      sessionCleanupEnabled: true,
      maxSessionAgeMinutes: 15,
    });
  });

  it('parses endpointTag key=value (first "=" splits) and key alone', () => {
    // Act
    const withValue = parseContext({ endpointTag: 'team=sec=ops' });
    const keyOnly = parseContext({ endpointTag: 'revoker-managed' });

    // Assess
    expect(withValue.endpointTag).toEqual({ key: 'team', value: 'sec=ops' });
    expect(keyOnly.endpointTag).toEqual({ key: 'revoker-managed' });
  });

  it('returns nothing for an empty context (the construct defaults apply)', () => {
    // Act / Assess
    expect(parseContext({})).toEqual({});
    expect(readContext(testApp())).toEqual({});
  });

  it('reads the keys from the app context', () => {
    // Prepare
    const app = testApp({ regions: 'us-west-2', dryRun: 'true', unrelated: 'ignored' });

    // Act
    const config = readContext(app);

    // Assess
    expect(config).toEqual({ regions: ['us-west-2'], dryRun: true });
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a bad region',
      { regions: 'eu-west-1,Europe' },
      'context key regions (at 1): expected an AWS region such as us-east-1',
    ],
    ['an empty list', { regions: '' }, 'context key regions: expected at least one region'],
    [
      'a bad endpoint',
      { endpoints: 'eu-west-1:vpn-123' },
      'context key endpoints (at 0.endpointId): expected cvpn-endpoint-<8 to 17 hex digits>',
    ],
    ['a non-boolean', { dryRun: 'yes' }, 'context key dryRun: expected true or false'],
    ['a non-integer', { maxConcurrency: 'two' }, 'context key maxConcurrency: expected an integer'],
    ['an out-of-range integer', { maxConcurrency: '1' }, 'context key maxConcurrency: expected at least 2'],
    [
      'an unknown retention',
      { logRetentionDays: 42 },
      'context key logRetentionDays: expected one of 1, 3, 5',
    ],
    [
      'a foreign partner source',
      { oktaEventSources: 'aws.partner/auth0.com/acme/logs' },
      'context key oktaEventSources (at 0): expected aws.partner/okta.com/<org>/<name>',
    ],
    [
      'an unknown Okta event type',
      { oktaEventSources: 'aws.partner/okta.com/a/b', oktaEventTypes: 'user.session.start' },
      'context key oktaEventTypes (at 0): expected one of user.lifecycle.deactivate, user.lifecycle.suspend',
    ],
    [
      'Okta types without sources',
      { oktaEventTypes: 'user.lifecycle.suspend' },
      'context key oktaEventTypes: oktaEventTypes needs oktaEventSources',
    ],
    [
      'both endpoints and endpointTag',
      { endpoints: 'cvpn-endpoint-0123456789abcdef0', endpointTag: 'team' },
      'context key endpointTag: expected either endpoints or endpointTag, not both',
    ],
    [
      'an aws. source',
      { outcomeSource: 'aws.vpn' },
      'context key outcomeSource: expected a source not starting with "aws."',
    ],
    [
      'an empty string',
      { outcomeEventBusName: ' ' },
      'context key outcomeEventBusName: expected a non-empty string',
    ],
    [
      'a wrong type',
      { regions: 42 },
      'context key regions: expected a list (JSON array or comma-separated string)',
    ],
    [
      'a protected identity with surrounding spaces (JSON)',
      { protectedIdentities: [' admin'] },
      'context key protectedIdentities (at 0): expected no leading or trailing whitespace',
    ],
    [
      'a protected identity with a comma (JSON)',
      { protectedIdentities: ['doe, jane'] },
      'context key protectedIdentities (at 0): expected no comma',
    ],
    [
      'an Active Directory domain with an @ (JSON)',
      { activeDirectoryDomains: ['corp.example.com', 'jdoe@corp'] },
      'context key activeDirectoryDomains (at 1): expected an Active Directory domain: a NetBIOS name (CORP) or a DNS name (corp.example.com)',
    ],
    [
      'a non-boolean hashing flag',
      { hashIdentitiesInLogs: 'on' },
      'context key hashIdentitiesInLogs: expected true or false',
    ],
    [
      'a secret name instead of its complete ARN',
      { hashIdentitiesInLogs: 'true', logHashKeySecretArn: 'vpn/log-hash-key' },
      'context key logHashKeySecretArn: expected a complete secret ARN',
    ],
    [
      'a partial secret ARN (no random suffix)',
      {
        hashIdentitiesInLogs: 'true',
        logHashKeySecretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:vpn/log-hash-key',
      },
      'context key logHashKeySecretArn: expected a complete secret ARN',
    ],
    [
      'a hashing key without hashing',
      { logHashKeySecretArn: SECRET_ARN },
      'context key logHashKeySecretArn: logHashKeySecretArn needs hashIdentitiesInLogs=true',
    ],
    [
      'a Terminate budget above EC2 refill',
      { ec2TerminateCallsPerSecond: '6' },
      'context key ec2TerminateCallsPerSecond: expected at most 5',
    ],
    [
      'a zero Describe budget',
      { ec2DescribeCallsPerSecond: '0' },
      'context key ec2DescribeCallsPerSecond: expected more than 0',
    ],
    [
      'a budget that is not a number',
      { ec2DescribeCallsPerSecond: 'ten' },
      'context key ec2DescribeCallsPerSecond: expected a number',
    ],
    [
      'a ledger retention above 10 years',
      { ledgerRetentionDays: '3651' },
      'context key ledgerRetentionDays: expected at most 3650',
    ],
    [
      'a ledger retention while the ledger is off',
      { ledgerEnabled: 'false', ledgerRetentionDays: '30' },
      'context key ledgerRetentionDays: ledgerRetentionDays given but ledgerEnabled is false',
    ],
    [
      'connect handler endpoints while the ledger is off',
      { ledgerEnabled: 'false', connectHandlerEndpointIds: 'cvpn-endpoint-0123456789abcdef0' },
      'context key connectHandlerEnabled: the connect handler needs the ledger (ledgerEnabled is false)',
    ],
    [
      'the connect handler enabled while the ledger is off',
      { ledgerEnabled: 'false', connectHandlerEnabled: 'true' },
      'context key connectHandlerEnabled: the connect handler needs the ledger',
    ],
    [
      'a connect handler endpoint in region:id form',
      { connectHandlerEndpointIds: 'eu-west-1:cvpn-endpoint-0123456789abcdef0' },
      'context key connectHandlerEndpointIds (at 0): expected cvpn-endpoint-<8 to 17 hex digits>',
    ],
    [
      'an unknown ledger fallback',
      { onLedgerUnavailable: 'open' },
      'context key onLedgerUnavailable: expected deny or allow',
    ],
    [
      'a denied message longer than Client VPN allows',
      { deniedMessage: 'x'.repeat(256) },
      'context key deniedMessage: expected at most 255 characters',
    ],
    [
      'negative provisioned concurrency',
      { connectHandlerProvisionedConcurrency: '-1' },
      'context key connectHandlerProvisionedConcurrency: expected at least 0',
    ],
    [
      'a cleanup interval of 0',
      { sessionCleanupIntervalMinutes: '0' },
      'context key sessionCleanupIntervalMinutes: expected at least 1',
    ],
    [
      'a cleanup interval above a day',
      { sessionCleanupIntervalMinutes: '1441' },
      'context key sessionCleanupIntervalMinutes: expected at most 1440',
    ],
    [
      'a maximum session age of 8 hours',
      { maxSessionAgeMinutes: '480' },
      'context key maxSessionAgeMinutes: expected at most 479',
    ],
    [
      'a maximum session age below 15 minutes',
      { maxSessionAgeMinutes: '10' },
      'context key maxSessionAgeMinutes: expected at least 15',
    ],
    [
      'cleanup settings while cleanup is off',
      { sessionCleanupEnabled: 'false', maxSessionAgeMinutes: '60' },
      'context key sessionCleanupEnabled: sessionCleanupIntervalMinutes/maxSessionAgeMinutes given but sessionCleanupEnabled is false',
    ],
  ])('rejects %s with a message naming the key', (_case, raw, message) => {
    // Act
    const act = () => parseContext(raw);

    // Assess
    expect(act).toThrow(ContextError);
    expect(act).toThrow(message);
  });

  it('reports every bad key at once', () => {
    // Act
    const act = () => parseContext({ dryRun: 'yes', maxConcurrency: '0' });

    // Assess
    expect(act).toThrow(/context key dryRun: .*; context key maxConcurrency: /);
  });
});
