import { Duration, Stack } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import type { OktaLostAccessEventType } from '../../lambda/sources/okta.ts';
import {
  ClientVpnRevoker,
  type ClientVpnRevokerProps,
  ClientVpnRevokerPropsError,
} from '../../lib/client-vpn-revoker.ts';
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
      { terminateRetryBudget: Duration.minutes(5) },
      /terminateRetryBudget: expected at most half of timeout \(60000 ms/,
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
