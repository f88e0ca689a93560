import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DESCRIBE_CALLS_PER_SECOND,
  DEFAULT_OUTCOME_SOURCE,
  DEFAULT_TERMINATE_CALLS_PER_SECOND,
  DEFAULT_TERMINATE_RETRY_BUDGET_MS,
} from '../../lambda/core/environment.ts';
import { ConfigurationError } from '../../lambda/core/errors.ts';
import { loadSweeperConfig, MAX_SESSION_AGE_MINUTES_LIMIT } from '../../lambda/sweeper/config.ts';

const ENDPOINT = 'cvpn-endpoint-0123456789abcdef0';
const MINIMAL = {
  CLIENT_VPN_REGIONS: 'us-east-1',
  OUTCOME_EVENT_BUS: 'revocation-outcomes',
  LEDGER_TABLE_NAME: 'RevocationLedger',
};

/** Loads the config expecting a ConfigurationError; returns its message. */
function configurationError(env: NodeJS.ProcessEnv): string {
  try {
    loadSweeperConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('loadSweeperConfig', () => {
  it('applies the defaults to a minimal environment with a ledger', () => {
    // Prepare
    const env = { ...MINIMAL };

    // Act
    const config = loadSweeperConfig(env);

    // Assess
    expect(config).toEqual({
      regions: ['us-east-1'],
      endpoints: { kind: 'all' },
      outcomeEventBus: 'revocation-outcomes',
      outcomeSource: DEFAULT_OUTCOME_SOURCE,
      dryRun: false,
      terminateRetryBudgetMs: DEFAULT_TERMINATE_RETRY_BUDGET_MS,
      ledgerTableName: 'RevocationLedger',
      protectedIdentities: [],
      activeDirectoryDomains: [],
      pacing: {
        terminatePerSecond: DEFAULT_TERMINATE_CALLS_PER_SECOND,
        describePerSecond: DEFAULT_DESCRIBE_CALLS_PER_SECOND,
      },
    });
    expect(config).not.toHaveProperty('maxSessionAgeMs');
  });

  it('reads every variable when set', () => {
    // Prepare
    const env = {
      CLIENT_VPN_REGIONS: ' us-east-1 , eu-west-1 ',
      CLIENT_VPN_ENDPOINT_IDS: `us-east-1:${ENDPOINT},eu-west-1:cvpn-endpoint-0aaa0000`,
      OUTCOME_EVENT_BUS: 'arn:aws:events:us-east-1:111122223333:event-bus/outcomes',
      OUTCOME_EVENT_SOURCE: 'acme.vpn',
      DRY_RUN: 'true',
      TERMINATE_RETRY_BUDGET_MS: '60000',
      LEDGER_TABLE_NAME: 'arn:aws:dynamodb:us-east-1:111122223333:table/RevocationLedger',
      MAX_SESSION_AGE_MINUTES: '240',
      PROTECTED_IDENTITIES: 'break-glass@example.com, Ops-Admin',
      ACTIVE_DIRECTORY_DOMAINS: 'CORP, corp.example.com',
      EC2_TERMINATE_CALLS_PER_SECOND: '1.5',
      EC2_DESCRIBE_CALLS_PER_SECOND: '5',
    };

    // Act
    const config = loadSweeperConfig(env);

    // Assess
    expect(config).toEqual({
      regions: ['us-east-1', 'eu-west-1'],
      endpoints: {
        kind: 'ids',
        endpoints: [
          { region: 'us-east-1', endpointId: ENDPOINT },
          { region: 'eu-west-1', endpointId: 'cvpn-endpoint-0aaa0000' },
        ],
      },
      outcomeEventBus: 'arn:aws:events:us-east-1:111122223333:event-bus/outcomes',
      outcomeSource: 'acme.vpn',
      dryRun: true,
      terminateRetryBudgetMs: 60_000,
      ledgerTableName: 'arn:aws:dynamodb:us-east-1:111122223333:table/RevocationLedger',
      maxSessionAgeMs: 240 * 60_000,
      protectedIdentities: ['break-glass@example.com', 'Ops-Admin'],
      activeDirectoryDomains: ['CORP', 'corp.example.com'],
      pacing: { terminatePerSecond: 1.5, describePerSecond: 5 },
    });
  });

  it('runs without a ledger when a maximum session age is set', () => {
    // Prepare
    const { LEDGER_TABLE_NAME: _ledger, ...withoutLedger } = MINIMAL;

    // Act
    const config = loadSweeperConfig({ ...withoutLedger, MAX_SESSION_AGE_MINUTES: '60' });

    // Assess
    expect(config).not.toHaveProperty('ledgerTableName');
    expect(config.maxSessionAgeMs).toBe(3_600_000);
  });

  it('refuses an environment with neither a ledger nor a maximum age: there would be nothing to sweep', () => {
    // Prepare
    const { LEDGER_TABLE_NAME: _ledger, ...withoutLedger } = MINIMAL;

    // Act
    const message = configurationError(withoutLedger);

    // Assess
    expect(message).toContain(
      'MAX_SESSION_AGE_MINUTES: set LEDGER_TABLE_NAME, MAX_SESSION_AGE_MINUTES or both',
    );
  });

  it('selects endpoints by tag', () => {
    // Act
    const config = loadSweeperConfig({ ...MINIMAL, CLIENT_VPN_ENDPOINT_TAG: 'revoker=enabled' });

    // Assess
    expect(config.endpoints).toEqual({ kind: 'tag', key: 'revoker', value: 'enabled' });
  });

  it.each([
    [
      { MAX_SESSION_AGE_MINUTES: String(MAX_SESSION_AGE_MINUTES_LIMIT) },
      'MAX_SESSION_AGE_MINUTES: expected fewer than 480 minutes',
    ],
    [
      { MAX_SESSION_AGE_MINUTES: '0' },
      'MAX_SESSION_AGE_MINUTES: expected a positive whole number of minutes',
    ],
    [
      { MAX_SESSION_AGE_MINUTES: '90.5' },
      'MAX_SESSION_AGE_MINUTES: expected a positive whole number of minutes',
    ],
    [
      { MAX_SESSION_AGE_MINUTES: 'an hour' },
      'MAX_SESSION_AGE_MINUTES: expected a positive whole number of minutes',
    ],
    [{ CLIENT_VPN_REGIONS: '' }, 'CLIENT_VPN_REGIONS: expected at least one region'],
    [{ CLIENT_VPN_REGIONS: 'us-east-1,Mars' }, 'CLIENT_VPN_REGIONS.1: expected an AWS region'],
    [{ CLIENT_VPN_ENDPOINT_IDS: ENDPOINT }, 'CLIENT_VPN_ENDPOINT_IDS.0: expected region:cvpn-endpoint-<hex>'],
    [{ OUTCOME_EVENT_BUS: '' }, 'OUTCOME_EVENT_BUS: expected an event bus name or ARN'],
    [{ DRY_RUN: 'yes' }, 'DRY_RUN: expected "true" or "false"'],
    [
      { TERMINATE_RETRY_BUDGET_MS: '30s' },
      'TERMINATE_RETRY_BUDGET_MS: expected a whole number of milliseconds',
    ],
    [{ LEDGER_TABLE_NAME: '' }, 'LEDGER_TABLE_NAME: expected a DynamoDB table name or ARN'],
    [{ PROTECTED_IDENTITIES: 'ok,bad\u0007name' }, 'PROTECTED_IDENTITIES.1: expected no control characters'],
    [
      { ACTIVE_DIRECTORY_DOMAINS: 'CORP,corp\\jdoe' },
      'ACTIVE_DIRECTORY_DOMAINS.1: expected an Active Directory domain: a NetBIOS name (CORP) or a DNS name (corp.example.com)',
    ],
    [{ EC2_TERMINATE_CALLS_PER_SECOND: '0' }, 'EC2_TERMINATE_CALLS_PER_SECOND: expected a positive number'],
    [{ EC2_DESCRIBE_CALLS_PER_SECOND: 'fast' }, 'EC2_DESCRIBE_CALLS_PER_SECOND: expected a positive number'],
  ])('names the variable in the error for %j', (override, expected) => {
    // Act
    const message = configurationError({ ...MINIMAL, ...override });

    // Assess
    expect(message).toContain(expected);
  });

  it('refuses endpoint ids and a tag together', () => {
    // Act
    const message = configurationError({
      ...MINIMAL,
      CLIENT_VPN_ENDPOINT_IDS: `us-east-1:${ENDPOINT}`,
      CLIENT_VPN_ENDPOINT_TAG: 'revoker',
    });

    // Assess
    expect(message).toContain(
      'CLIENT_VPN_ENDPOINT_TAG: set CLIENT_VPN_ENDPOINT_IDS or CLIENT_VPN_ENDPOINT_TAG',
    );
  });

  it('refuses an endpoint in a region the sweeper does not cover', () => {
    // Act
    const message = configurationError({ ...MINIMAL, CLIENT_VPN_ENDPOINT_IDS: `eu-west-1:${ENDPOINT}` });

    // Assess
    expect(message).toBe(
      `CLIENT_VPN_ENDPOINT_IDS: ${ENDPOINT} is in eu-west-1, not one of CLIENT_VPN_REGIONS`,
    );
  });
});
