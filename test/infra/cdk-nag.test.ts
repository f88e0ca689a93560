import { describe, expect, it } from 'vitest';
import { ClientVpnRevokerStack } from '../../lib/client-vpn-revoker-stack.ts';
import { parseContext } from '../../lib/config.ts';
import { unacknowledgedNagFindings } from './synth.ts';

const OKTA = { oktaEventSources: 'aws.partner/okta.com/acme/revoker,aws.partner/okta.com/acme/other' };

/** Synthesizes the app as bin/ does, with both packs; returns the unacknowledged findings. */
const nagFindings = (context: Record<string, unknown>, env?: { account: string; region: string }) =>
  unacknowledgedNagFindings((app) => {
    new ClientVpnRevokerStack(app, 'ClientVpnRevoker', { config: parseContext(context), env });
  });

describe('cdk-nag (AwsSolutions + Serverless)', () => {
  it.each([
    ['explicit endpoints', { endpoints: 'eu-west-1:cvpn-endpoint-0123456789abcdef0', ...OKTA }],
    ['endpoint tag', { endpointTag: 'team=secops', regions: 'eu-west-1,us-east-1', ...OKTA }],
    ['all endpoints', { ...OKTA }],
    [
      'everything on (wired connect handler with provisioned concurrency, hashing, maximum age, break-glass)',
      {
        endpoints: 'eu-west-1:cvpn-endpoint-0123456789abcdef0,eu-west-1:cvpn-endpoint-0fedcba9876543210',
        connectHandlerEndpointIds: 'cvpn-endpoint-0123456789abcdef0,cvpn-endpoint-0fedcba9876543210',
        connectHandlerProvisionedConcurrency: '2',
        hashIdentitiesInLogs: 'true',
        maxSessionAgeMinutes: '240',
        protectedIdentities: 'breakglass-admin',
        ...OKTA,
      },
    ],
    [
      'everything on, all endpoints and a given hashing key',
      {
        connectHandlerEndpointIds: 'cvpn-endpoint-0123456789abcdef0',
        hashIdentitiesInLogs: 'true',
        logHashKeySecretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:vpn/log-hash-key-AbCdEf',
        sessionCleanupIntervalMinutes: '1',
        ...OKTA,
      },
    ],
    [
      'the id-only sources and their user directory (Identity Center and Cognito, tracing on)',
      {
        identityCenterEnabled: 'true',
        identityCenterStoreIds: 'd-9067a1b2c3',
        cognitoUserPoolIds: 'eu-west-1_ExAmPlE12,us-east-1_ExAmPlE34',
        tracingEnabled: 'true',
        ...OKTA,
      },
    ],
    [
      'the ledger off (sweeps by maximum age only)',
      { ledgerEnabled: 'false', maxSessionAgeMinutes: '60', ...OKTA },
    ],
    [
      'endpoint ids in the stack region (the wiring check reads and modifies them)',
      { endpoints: 'cvpn-endpoint-0123456789abcdef0', ...OKTA },
    ],
    [
      'endpoints by tag, report-only wiring',
      { endpointTag: 'team=secops', connectHandlerEndpointWiring: 'report', ...OKTA },
    ],
    ['the ledger off (no sweeper)', { ledgerEnabled: 'false', endpointTag: 'team=secops', ...OKTA }],
    [
      'member accounts',
      { memberAccountIds: '222233334444,333344445555', endpointTag: 'team=secops', ...OKTA },
    ],
    [
      'member accounts only (the own account not searched)',
      {
        memberAccountRoleArns: 'arn:aws:iam::222233334444:role/VpnRevoker',
        includeOwnAccount: 'false',
        ...OKTA,
      },
    ],
  ])('reports no unacknowledged error or warning with %s', (_mode, context) => {
    // Act
    const agnostic = nagFindings(context);
    const pinned = nagFindings(context, { account: '111122223333', region: 'eu-west-1' });

    // Assess
    expect(agnostic).toEqual([]);
    expect(pinned).toEqual([]);
  });
});
