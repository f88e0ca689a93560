import { Duration, Stack } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import {
  ClientVpnRevoker,
  type ClientVpnRevokerProps,
  ClientVpnRevokerPropsError,
  type LedgerUnavailableAction,
} from '../../lib/client-vpn-revoker.ts';
import type { OktaLostAccessEventType } from '../../sources/okta/events.ts';
import { testApp } from './synth.ts';

const ENDPOINT = 'cvpn-endpoint-0123456789abcdef0';

/** A fresh stack per call, so the assertion can run the construction more than once. */
const construct = (props: ClientVpnRevokerProps) => () =>
  new ClientVpnRevoker(
    new Stack(testApp(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } }),
    'Revoker',
    props,
  );

describe('ClientVpnRevoker props validation', () => {
  it.each<[string, ClientVpnRevokerProps, RegExp]>([
    [
      'both endpoints and endpointTag',
      { endpoints: [{ endpointId: ENDPOINT }], endpointTag: { key: 'team' } },
      /endpoints: expected either endpoints or endpointTag, not both/,
    ],
    [
      'a malformed endpoint id',
      { endpoints: [{ endpointId: 'vpn-0123' }] },
      /endpoints\[\]\.endpointId: expected cvpn-endpoint-<8 to 17 hex digits>, got "vpn-0123"/,
    ],
    ['an empty endpoint list', { endpoints: [] }, /endpoints: expected at least one endpoint/],
    [
      'a malformed region',
      { regions: ['Europe'] },
      /regions: expected an AWS region such as us-east-1, got "Europe"/,
    ],
    [
      'a malformed endpoint region',
      { endpoints: [{ region: 'eu_west_1', endpointId: ENDPOINT }] },
      /endpoints\[\]\.region: expected an AWS region/,
    ],
    [
      'an endpoint outside the regions',
      { regions: ['us-east-1'], endpoints: [{ region: 'eu-west-1', endpointId: ENDPOINT }] },
      /endpoints\[\]\.region: endpoint cvpn-endpoint-0123456789abcdef0 is in eu-west-1, which is not one of regions/,
    ],
    ['an empty region list', { regions: [] }, /regions: expected at least one region/],
    ['a tag key with "="', { endpointTag: { key: 'a=b' } }, /endpointTag\.key: expected 1 to 128 characters/],
    ['maxConcurrency 1', { maxConcurrency: 1 }, /maxConcurrency: expected an integer from 2 to 1000, got 1/],
    [
      'maxConcurrency 1001',
      { maxConcurrency: 1001 },
      /maxConcurrency: expected an integer from 2 to 1000, got 1001/,
    ],
    ['maxConcurrency 2.5', { maxConcurrency: 2.5 }, /maxConcurrency: expected an integer/],
    ['maxReceiveCount 0', { maxReceiveCount: 0 }, /maxReceiveCount: expected an integer from 1 to 1000/],
    [
      'maxEventTimeSkew over an hour',
      { maxEventTimeSkew: Duration.minutes(61) },
      /maxEventTimeSkew: expected whole seconds from 0 to 3600 \(1 hour\), got/,
    ],
    [
      'maxEventTimeSkew of a fraction of a second',
      { maxEventTimeSkew: Duration.millis(1500) },
      /maxEventTimeSkew: expected whole seconds/,
    ],
    ['memorySize 64', { memorySize: 64 }, /memorySize: expected an integer from 128 to 10240/],
    ['batchSize 0', { batchSize: 0 }, /batchSize: expected an integer from 1 to 10000/],
    [
      'batchSize above 10 without a window',
      { batchSize: 100, maxBatchingWindow: Duration.seconds(0) },
      /batchSize: a batchSize above 10 needs a maxBatchingWindow above 0/,
    ],
    [
      'a batching window above 5 minutes',
      { maxBatchingWindow: Duration.minutes(6) },
      /maxBatchingWindow: expected 0 to 300/,
    ],
    [
      'a timeout above 15 minutes',
      { timeout: Duration.minutes(16) },
      /timeout: expected 30 seconds to 15 minutes/,
    ],
    [
      'a timeout below 30 seconds',
      { timeout: Duration.seconds(10) },
      /timeout: expected 30 seconds to 15 minutes/,
    ],
    [
      'a retry budget equal to the timeout',
      { timeout: Duration.minutes(1), terminateRetryBudget: Duration.minutes(1) },
      /terminateRetryBudget: expected at most half of timeout \(30000 ms.*got 60000 ms/,
    ],
    [
      'a retry budget above the timeout',
      { terminateRetryBudget: Duration.minutes(3) },
      /terminateRetryBudget: expected at most half of timeout \(150000 ms/,
    ],
    [
      'a log retention that is not a RetentionDays',
      { logRetention: 42 as RetentionDays },
      /logRetention: expected a RetentionDays value/,
    ],
    [
      'an Okta source of another partner',
      { okta: { eventSourceNames: ['aws.partner/auth0.com/acme/logs'] } },
      /okta\.eventSourceNames: expected aws\.partner\/okta\.com\/<org>\/<name>, got "aws\.partner\/auth0\.com\/acme\/logs"/,
    ],
    ['no Okta source', { okta: { eventSourceNames: [] } }, /okta\.eventSourceNames: expected at least one/],
    [
      'an unknown Okta event type',
      {
        okta: {
          eventSourceNames: ['aws.partner/okta.com/a/b'],
          eventTypes: ['user.session.start' as OktaLostAccessEventType],
        },
      },
      /okta\.eventTypes: expected one of user\.lifecycle\.deactivate, .*user\.account\.lock, got "user\.session\.start"/,
    ],
    [
      'an aws. outcome source',
      { outcomeSource: 'aws.vpn' },
      /outcomeSource: expected a source not starting with "aws\."/,
    ],
    ['an empty runbook source', { runbook: { source: '' } }, /runbook\.source: expected 1 to 256 characters/],
    [
      'runbook options while disabled',
      { runbook: { enabled: false, source: 'x' } },
      /runbook: source\/eventBus given but enabled is false/,
    ],
    [
      'a ledger retention of 0 days',
      { ledger: { retention: Duration.days(0) } },
      /ledger\.retention: expected whole days from 1 to 3650, got/,
    ],
    [
      'a ledger retention above 10 years',
      { ledger: { retention: Duration.days(3651) } },
      /ledger\.retention: expected whole days from 1 to 3650/,
    ],
    [
      'a ledger retention that is not whole days',
      { ledger: { retention: Duration.hours(36) } },
      /ledger\.retention: expected whole days/,
    ],
    [
      'ledger options while disabled',
      { ledger: { enabled: false, retention: Duration.days(7) } },
      /ledger: retention\/removalPolicy given but enabled is false/,
    ],
    [
      'a cleanup interval below a minute',
      { sessionCleanup: { interval: Duration.seconds(30) } },
      /sessionCleanup\.interval: expected whole minutes from 1 minute to 24 hours/,
    ],
    [
      'a cleanup interval above a day',
      { sessionCleanup: { interval: Duration.hours(25) } },
      /sessionCleanup\.interval: expected whole minutes from 1 minute to 24 hours/,
    ],
    [
      'a maximum session age of 8 hours',
      { sessionCleanup: { maxSessionAge: Duration.hours(8) } },
      /sessionCleanup\.maxSessionAge: expected whole minutes from 15 minutes to below 8 hours/,
    ],
    [
      'a maximum session age below 15 minutes',
      { sessionCleanup: { maxSessionAge: Duration.minutes(14) } },
      /sessionCleanup\.maxSessionAge: expected whole minutes from 15 minutes/,
    ],
    [
      'a cleanup requested without the ledger and without a maximum session age',
      { ledger: { enabled: false }, sessionCleanup: { enabled: true } },
      /sessionCleanup: without the ledger a sweep needs maxSessionAge/,
    ],
    [
      'a denied message longer than 255 characters',
      { connectHandler: { deniedMessage: 'x'.repeat(256) } },
      /connectHandler\.deniedMessage: expected 1 to 255 characters \(Client VPN's limit\), got 256/,
    ],
    [
      'an empty denied message',
      { connectHandler: { deniedMessage: '' } },
      /connectHandler\.deniedMessage: expected 1 to 255 characters/,
    ],
    [
      'a connect handler endpoint id with a region',
      { connectHandler: { endpointIds: [`eu-west-1:${ENDPOINT}`] } },
      /connectHandler\.endpointIds: expected cvpn-endpoint-<8 to 17 hex digits>, got "eu-west-1:cvpn-endpoint-/,
    ],
    [
      'an unknown ledger fallback',
      { connectHandler: { onLedgerUnavailable: 'open' as LedgerUnavailableAction } },
      /connectHandler\.onLedgerUnavailable: expected 'deny' or 'allow', got "open"/,
    ],
    [
      'negative provisioned concurrency',
      { connectHandler: { provisionedConcurrency: -1 } },
      /connectHandler\.provisionedConcurrency: expected an integer from 0 to 1000/,
    ],
    [
      'the connect handler enabled without the ledger',
      { ledger: { enabled: false }, connectHandler: { enabled: true } },
      /connectHandler\.enabled: the connect handler needs the ledger/,
    ],
    [
      'connect handler endpoints without the ledger',
      {
        ledger: { enabled: false },
        connectHandler: { endpointIds: [ENDPOINT] },
        sessionCleanup: { enabled: false },
      },
      /connectHandler\.enabled: the connect handler needs the ledger/,
    ],
    [
      'a Terminate budget above 5 per second',
      { ec2CallBudget: { terminateCallsPerSecond: 5.5 } },
      /ec2CallBudget\.terminateCallsPerSecond: expected more than 0 and at most 5 \(EC2's refill per second\), got 5\.5/,
    ],
    [
      'a zero Describe budget',
      { ec2CallBudget: { describeCallsPerSecond: 0 } },
      /ec2CallBudget\.describeCallsPerSecond: expected more than 0 and at most 20/,
    ],
    [
      'a budget whose share per environment rounds to 0',
      { maxConcurrency: 1000, ec2CallBudget: { terminateCallsPerSecond: 1 } },
      /ec2CallBudget\.terminateCallsPerSecond: 1 split over 1000 concurrent revoker environments and the sweeper leaves less than 0\.01 per second to one of them/,
    ],
    [
      'an empty protected identity',
      { protectedIdentities: [''] },
      /protectedIdentities: expected non-empty names .*got ""/,
    ],
    [
      'a protected identity with surrounding spaces',
      { protectedIdentities: ['admin '] },
      /protectedIdentities: expected non-empty names .*got "admin "/,
    ],
    [
      'a protected identity with a comma (the list separator)',
      { protectedIdentities: ['doe,jane'] },
      /protectedIdentities: .*got "doe,jane"/,
    ],
    [
      'a protected identity with a control character',
      { protectedIdentities: ['admin\n'] },
      /protectedIdentities: .*control characters/,
    ],
    [
      'an Active Directory domain that is a user name',
      { activeDirectoryDomains: ['CORP', 'CORP\\jdoe'] },
      /activeDirectoryDomains: expected an Active Directory domain: a NetBIOS name \(CORP\) or a DNS name \(corp\.example\.com\), got "CORP\\\\jdoe"/,
    ],
    [
      'a hashing key without hashIdentitiesInLogs',
      { logHashKey: {} as never },
      /logHashKey: given but hashIdentitiesInLogs is not true/,
    ],
  ])('rejects %s', (_case, props, message) => {
    // Act
    const act = construct(props);

    // Assess
    expect(act).toThrow(ClientVpnRevokerPropsError);
    expect(act).toThrow(message);
  });

  it('accepts a token region and deduplicates regions and endpoints', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Agnostic');

    // Act
    const revoker = new ClientVpnRevoker(stack, 'Revoker', {
      regions: [stack.region, 'eu-west-1', 'eu-west-1'],
      endpoints: [
        { endpointId: ENDPOINT },
        { endpointId: ENDPOINT },
        { region: 'eu-west-1', endpointId: ENDPOINT },
      ],
    });

    // Assess
    expect(revoker.regions).toEqual([stack.region, 'eu-west-1']);
  });
});
