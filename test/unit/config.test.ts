import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DESCRIBE_CALLS_PER_SECOND,
  DEFAULT_OUTCOME_SOURCE,
  DEFAULT_TERMINATE_CALLS_PER_SECOND,
  DEFAULT_TERMINATE_RETRY_BUDGET_MS,
} from '../../lambda/core/environment.ts';
import { ConfigurationError } from '../../lambda/core/errors.ts';
import { loadConfig } from '../../lambda/revoker/config.ts';

const ENDPOINT = 'cvpn-endpoint-0123456789abcdef0';
const OKTA_SOURCE = 'aws.partner/okta.com/example-org/vpn-kill-switch';
const MINIMAL = { CLIENT_VPN_REGIONS: 'us-east-1', OUTCOME_EVENT_BUS: 'revocation-outcomes' };

/** Loads the config expecting a ConfigurationError; returns it for assertions. */
function configurationError(env: NodeJS.ProcessEnv): ConfigurationError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('loadConfig', () => {
  it('applies the defaults to a minimal environment', () => {
    // Prepare
    const env = { ...MINIMAL };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config).toEqual({
      regions: ['us-east-1'],
      endpoints: { kind: 'all' },
      outcomeEventBus: 'revocation-outcomes',
      outcomeSource: DEFAULT_OUTCOME_SOURCE,
      dryRun: false,
      terminateRetryBudgetMs: DEFAULT_TERMINATE_RETRY_BUDGET_MS,
      maxReceiveCount: 5,
      maxEventTimeSkewMs: 60_000,
      pacing: {
        terminatePerSecond: DEFAULT_TERMINATE_CALLS_PER_SECOND,
        describePerSecond: DEFAULT_DESCRIBE_CALLS_PER_SECOND,
      },
      sources: { lift: false },
      protectedIdentities: [],
      activeDirectoryDomains: [],
      identityStoreRegion: 'us-east-1',
    });
    expect(config.outcomeSource).toBe('client-vpn-revoker');
    expect(config.terminateRetryBudgetMs).toBe(30_000);
    expect(config.sources.okta).toBeUndefined();
  });

  it('reads every variable when set', () => {
    // Prepare
    const env = {
      CLIENT_VPN_REGIONS: ' us-east-1 , eu-west-1 ',
      CLIENT_VPN_ENDPOINT_IDS: `us-east-1:${ENDPOINT},eu-west-1:cvpn-endpoint-0aaa0000`,
      OUTCOME_EVENT_BUS: 'arn:aws:events:us-east-1:111122223333:event-bus/outcomes',
      OUTCOME_EVENT_SOURCE: 'acme.vpn',
      DRY_RUN: 'true',
      TERMINATE_RETRY_BUDGET_MS: '600000',
      MAX_RECEIVE_COUNT: '3',
      MAX_EVENT_TIME_SKEW_SECONDS: '120',
      EC2_TERMINATE_CALLS_PER_SECOND: '1.5',
      EC2_DESCRIBE_CALLS_PER_SECOND: '10',
      OKTA_EVENT_SOURCES: `${OKTA_SOURCE},aws.partner/okta.com/example-org/second`,
      OKTA_EVENT_TYPES: 'user.lifecycle.suspend',
      RUNBOOK_EVENT_SOURCE: 'soar.acme',
      RUNBOOK_LIFTS_ALLOWED: 'true',
      IDENTITY_STORE_REGION: 'eu-central-1',
      PROTECTED_IDENTITIES: 'breakglass-admin, Emergency.Admin@example.com',
      ACTIVE_DIRECTORY_DOMAINS: 'CORP, corp.example.com',
      LOG_IDENTITY_HASH_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:log-key-AbCdEf',
      LEDGER_TABLE_NAME: 'revocation-ledger',
      LEDGER_RETENTION_DAYS: '90',
    };

    // Act
    const config = loadConfig(env);

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
      terminateRetryBudgetMs: 600_000,
      maxReceiveCount: 3,
      maxEventTimeSkewMs: 120_000,
      pacing: { terminatePerSecond: 1.5, describePerSecond: 10 },
      sources: {
        lift: true,
        okta: {
          eventSourceNames: [OKTA_SOURCE, 'aws.partner/okta.com/example-org/second'],
          eventTypes: ['user.lifecycle.suspend'],
        },
        runbook: { source: 'soar.acme', liftsAllowed: true },
      },
      protectedIdentities: ['breakglass-admin', 'Emergency.Admin@example.com'],
      activeDirectoryDomains: ['CORP', 'corp.example.com'],
      logHashKeySecretArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:log-key-AbCdEf',
      ledger: { tableName: 'revocation-ledger', retentionMs: 90 * 86_400_000 },
      identityStoreRegion: 'eu-central-1',
    });
  });

  it('selects endpoints by id', () => {
    // Prepare
    const env = { ...MINIMAL, CLIENT_VPN_ENDPOINT_IDS: `us-east-1:${ENDPOINT}` };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.endpoints).toEqual({
      kind: 'ids',
      endpoints: [{ region: 'us-east-1', endpointId: ENDPOINT }],
    });
  });

  it('treats an empty endpoint id list as all endpoints', () => {
    // Prepare
    const env = { ...MINIMAL, CLIENT_VPN_ENDPOINT_IDS: '' };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.endpoints).toEqual({ kind: 'all' });
  });

  it('selects endpoints by tag key and value', () => {
    // Prepare
    const env = { ...MINIMAL, CLIENT_VPN_ENDPOINT_TAG: 'revoker=enabled' };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.endpoints).toEqual({ kind: 'tag', key: 'revoker', value: 'enabled' });
  });

  it('selects endpoints by tag key alone', () => {
    // Prepare
    const env = { ...MINIMAL, CLIENT_VPN_ENDPOINT_TAG: 'revoker' };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.endpoints).toEqual({ kind: 'tag', key: 'revoker' });
  });

  it('splits the tag at the first = only', () => {
    // Prepare
    const env = { ...MINIMAL, CLIENT_VPN_ENDPOINT_TAG: 'team=vpn=prod' };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.endpoints).toEqual({ kind: 'tag', key: 'team', value: 'vpn=prod' });
  });

  it('enables Okta with every administrator lost-access event type by default (lock is opt-in)', () => {
    // Prepare
    const env = { ...MINIMAL, OKTA_EVENT_SOURCES: OKTA_SOURCE };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.sources.okta).toEqual({
      eventSourceNames: [OKTA_SOURCE],
      eventTypes: [
        'user.lifecycle.deactivate',
        'user.lifecycle.suspend',
        'user.lifecycle.delete.initiated',
        'user.session.clear',
      ],
    });
  });

  it('reads DRY_RUN=false', () => {
    // Prepare
    const env = { ...MINIMAL, DRY_RUN: 'false' };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.dryRun).toBe(false);
  });

  it('rejects both endpoint ids and a tag, naming CLIENT_VPN_ENDPOINT_TAG', () => {
    // Prepare
    const env = {
      ...MINIMAL,
      CLIENT_VPN_ENDPOINT_IDS: `us-east-1:${ENDPOINT}`,
      CLIENT_VPN_ENDPOINT_TAG: 'revoker=enabled',
    };

    // Act
    const error = configurationError(env);

    // Assess
    expect(error.message).toContain(
      'CLIENT_VPN_ENDPOINT_TAG: set CLIENT_VPN_ENDPOINT_IDS or CLIENT_VPN_ENDPOINT_TAG',
    );
  });

  it('rejects an endpoint in a region that is not listed', () => {
    // Prepare
    const env = { ...MINIMAL, CLIENT_VPN_ENDPOINT_IDS: `eu-west-1:${ENDPOINT}` };

    // Act
    const error = configurationError(env);

    // Assess
    expect(error.message).toBe(
      `CLIENT_VPN_ENDPOINT_IDS: ${ENDPOINT} is in eu-west-1, not one of CLIENT_VPN_REGIONS`,
    );
  });

  it.each([
    ['CLIENT_VPN_REGIONS missing', { OUTCOME_EVENT_BUS: 'bus' }, 'CLIENT_VPN_REGIONS'],
    ['CLIENT_VPN_REGIONS empty', { ...MINIMAL, CLIENT_VPN_REGIONS: ' , ' }, 'CLIENT_VPN_REGIONS'],
    ['a region in capitals', { ...MINIMAL, CLIENT_VPN_REGIONS: 'US-EAST-1' }, 'CLIENT_VPN_REGIONS.0'],
    [
      'a region without number',
      { ...MINIMAL, CLIENT_VPN_REGIONS: 'us-east-1,eu-west' },
      'CLIENT_VPN_REGIONS.1',
    ],
    ['an availability zone', { ...MINIMAL, CLIENT_VPN_REGIONS: 'us-east-1a' }, 'CLIENT_VPN_REGIONS.0'],
    [
      'an endpoint id without region',
      { ...MINIMAL, CLIENT_VPN_ENDPOINT_IDS: ENDPOINT },
      'CLIENT_VPN_ENDPOINT_IDS.0',
    ],
    [
      'an endpoint id that is not hex',
      { ...MINIMAL, CLIENT_VPN_ENDPOINT_IDS: 'us-east-1:cvpn-endpoint-XYZ0000000' },
      'CLIENT_VPN_ENDPOINT_IDS.0',
    ],
    [
      'an endpoint id too short',
      { ...MINIMAL, CLIENT_VPN_ENDPOINT_IDS: 'us-east-1:cvpn-endpoint-0123' },
      'CLIENT_VPN_ENDPOINT_IDS.0',
    ],
    [
      'a VPC id as endpoint',
      { ...MINIMAL, CLIENT_VPN_ENDPOINT_IDS: 'us-east-1:vpc-0123456789abcdef0' },
      'CLIENT_VPN_ENDPOINT_IDS.0',
    ],
    [
      'an endpoint ref with a bad region',
      { ...MINIMAL, CLIENT_VPN_ENDPOINT_IDS: `useast1:${ENDPOINT}` },
      'CLIENT_VPN_ENDPOINT_IDS.0',
    ],
    ['an empty tag', { ...MINIMAL, CLIENT_VPN_ENDPOINT_TAG: '' }, 'CLIENT_VPN_ENDPOINT_TAG'],
    ['DRY_RUN=yes', { ...MINIMAL, DRY_RUN: 'yes' }, 'DRY_RUN'],
    ['DRY_RUN=TRUE', { ...MINIMAL, DRY_RUN: 'TRUE' }, 'DRY_RUN'],
    ['DRY_RUN=1', { ...MINIMAL, DRY_RUN: '1' }, 'DRY_RUN'],
    [
      'a non-numeric budget',
      { ...MINIMAL, TERMINATE_RETRY_BUDGET_MS: 'thirty seconds' },
      'TERMINATE_RETRY_BUDGET_MS',
    ],
    ['a fractional budget', { ...MINIMAL, TERMINATE_RETRY_BUDGET_MS: '1.5' }, 'TERMINATE_RETRY_BUDGET_MS'],
    ['a negative budget', { ...MINIMAL, TERMINATE_RETRY_BUDGET_MS: '-1' }, 'TERMINATE_RETRY_BUDGET_MS'],
    [
      'a budget over 600000',
      { ...MINIMAL, TERMINATE_RETRY_BUDGET_MS: '600001' },
      'TERMINATE_RETRY_BUDGET_MS',
    ],
    ['MAX_RECEIVE_COUNT=0', { ...MINIMAL, MAX_RECEIVE_COUNT: '0' }, 'MAX_RECEIVE_COUNT'],
    ['OUTCOME_EVENT_BUS missing', { CLIENT_VPN_REGIONS: 'us-east-1' }, 'OUTCOME_EVENT_BUS'],
    ['OUTCOME_EVENT_BUS empty', { ...MINIMAL, OUTCOME_EVENT_BUS: '' }, 'OUTCOME_EVENT_BUS'],
    ['OUTCOME_EVENT_SOURCE empty', { ...MINIMAL, OUTCOME_EVENT_SOURCE: '' }, 'OUTCOME_EVENT_SOURCE'],
    [
      'an Okta source that is not a partner source',
      { ...MINIMAL, OKTA_EVENT_SOURCES: 'okta.com/example-org/vpn' },
      'OKTA_EVENT_SOURCES.0',
    ],
    [
      'an Okta source of another partner',
      { ...MINIMAL, OKTA_EVENT_SOURCES: `${OKTA_SOURCE},aws.partner/auth0.com/tenant/auth0.logs` },
      'OKTA_EVENT_SOURCES.1',
    ],
    [
      'an unknown Okta event type',
      { ...MINIMAL, OKTA_EVENT_SOURCES: OKTA_SOURCE, OKTA_EVENT_TYPES: 'user.lifecycle.activate' },
      'OKTA_EVENT_TYPES.0',
    ],
    [
      'a misspelt Okta event type',
      {
        ...MINIMAL,
        OKTA_EVENT_SOURCES: OKTA_SOURCE,
        OKTA_EVENT_TYPES: 'user.lifecycle.deactivate,user.lifecycle.suspended',
      },
      'OKTA_EVENT_TYPES.1',
    ],
    ['OKTA_EVENT_TYPES of only commas', { ...MINIMAL, OKTA_EVENT_TYPES: ',' }, 'OKTA_EVENT_TYPES'],
    ['RUNBOOK_EVENT_SOURCE empty', { ...MINIMAL, RUNBOOK_EVENT_SOURCE: '' }, 'RUNBOOK_EVENT_SOURCE'],
    [
      'a negative event time skew',
      { ...MINIMAL, MAX_EVENT_TIME_SKEW_SECONDS: '-5' },
      'MAX_EVENT_TIME_SKEW_SECONDS',
    ],
    [
      'an event time skew over an hour',
      { ...MINIMAL, MAX_EVENT_TIME_SKEW_SECONDS: '3601' },
      'MAX_EVENT_TIME_SKEW_SECONDS',
    ],
  ])('rejects %s, naming the variable', (_, env, variable) => {
    // Prepare — env above

    // Act
    const error = configurationError(env);

    // Assess
    expect(error.name).toBe('ConfigurationError');
    expect(error.message).toMatch(/^Invalid configuration — /);
    expect(error.message).toContain(`${variable}: `);
  });

  it('names every bad variable in one error', () => {
    // Prepare
    const env = { CLIENT_VPN_REGIONS: 'mars-1', DRY_RUN: 'yes', TERMINATE_RETRY_BUDGET_MS: 'x' };

    // Act
    const error = configurationError(env);

    // Assess
    expect(error.message).toContain('CLIENT_VPN_REGIONS.0: expected an AWS region such as us-east-1');
    expect(error.message).toContain('OUTCOME_EVENT_BUS: ');
    expect(error.message).toContain('DRY_RUN: expected "true" or "false"');
    expect(error.message).toContain('TERMINATE_RETRY_BUDGET_MS: ');
  });

  it('explains the expected endpoint format', () => {
    // Prepare
    const env = { ...MINIMAL, CLIENT_VPN_ENDPOINT_IDS: ENDPOINT };

    // Act
    const error = configurationError(env);

    // Assess
    expect(error.message).toContain(
      `CLIENT_VPN_ENDPOINT_IDS.0: expected region:cvpn-endpoint-<hex>, got "${ENDPOINT}"`,
    );
  });

  it('explains the budget limit', () => {
    // Prepare
    const env = { ...MINIMAL, TERMINATE_RETRY_BUDGET_MS: '900000' };

    // Act
    const error = configurationError(env);

    // Assess
    expect(error.message).toContain('TERMINATE_RETRY_BUDGET_MS: expected at most 600000 (10 minutes)');
  });
});

describe('loadConfig rejects values that look almost right', () => {
  it.each([
    ['an empty retry budget', { TERMINATE_RETRY_BUDGET_MS: '' }, 'TERMINATE_RETRY_BUDGET_MS'],
    ['a hexadecimal retry budget', { TERMINATE_RETRY_BUDGET_MS: '0x10' }, 'TERMINATE_RETRY_BUDGET_MS'],
    [
      'an endpoint ref with a trailing segment',
      { CLIENT_VPN_ENDPOINT_IDS: `us-east-1:${ENDPOINT}:junk` },
      'CLIENT_VPN_ENDPOINT_IDS',
    ],
    ['a tag with an empty key', { CLIENT_VPN_ENDPOINT_TAG: '=prod' }, 'CLIENT_VPN_ENDPOINT_TAG'],
    ['a zero receive count', { MAX_RECEIVE_COUNT: '0' }, 'MAX_RECEIVE_COUNT'],
  ])('%s', (_case, env, variable) => {
    // Act
    const error = configurationError({ ...MINIMAL, ...env });

    // Assess
    expect(error.message).toContain(variable);
  });
});

describe('loadConfig EC2 pacing', () => {
  it("defaults to this environment's share of the account budget", () => {
    // Prepare
    const env = { ...MINIMAL };

    // Act
    const { pacing } = loadConfig(env);

    // Assess: 2 environments × (2.25 Terminates, 7.12 Describes) plus the sweeper's 5 % stay below EC2's 5/s
    // and 20/s refill
    expect(pacing).toEqual({ terminatePerSecond: 2.25, describePerSecond: 7.12 });
  });

  it.each([
    ['whole numbers', '4', '15', { terminatePerSecond: 4, describePerSecond: 15 }],
    ['fractions', '0.5', '.25', { terminatePerSecond: 0.5, describePerSecond: 0.25 }],
    ['a trailing point', '3.', '20.0', { terminatePerSecond: 3, describePerSecond: 20 }],
    [
      'rates above the refill (time-scaled tests)',
      '100',
      '375',
      { terminatePerSecond: 100, describePerSecond: 375 },
    ],
  ])('reads %s', (_case, terminate, describe, expected) => {
    // Prepare
    const env = {
      ...MINIMAL,
      EC2_TERMINATE_CALLS_PER_SECOND: terminate,
      EC2_DESCRIBE_CALLS_PER_SECOND: describe,
    };

    // Act
    const { pacing } = loadConfig(env);

    // Assess
    expect(pacing).toEqual(expected);
  });

  it.each(
    ['EC2_TERMINATE_CALLS_PER_SECOND', 'EC2_DESCRIBE_CALLS_PER_SECOND'].flatMap((variable) =>
      ['0', '0.0', '-1', '', ' ', 'two', '1e3', '0x10', 'Infinity', 'NaN', '1,5', '2/s'].map((value) => [
        variable,
        value,
      ]),
    ),
  )('rejects %s=%j, naming the variable', (variable, value) => {
    // Prepare
    const env = { ...MINIMAL, [variable]: value };

    // Act
    const error = configurationError(env);

    // Assess
    expect(error.message).toContain(
      `${variable}: expected a positive number of calls per second, such as 2 or 0.5`,
    );
  });

  it('names both rate variables in one error', () => {
    // Prepare
    const env = { ...MINIMAL, EC2_TERMINATE_CALLS_PER_SECOND: '0', EC2_DESCRIBE_CALLS_PER_SECOND: 'fast' };

    // Act
    const error = configurationError(env);

    // Assess
    expect(error.message).toContain('EC2_TERMINATE_CALLS_PER_SECOND: ');
    expect(error.message).toContain('EC2_DESCRIBE_CALLS_PER_SECOND: ');
  });
});

describe('loadConfig identity mappings', () => {
  it('reads a source identity mapping from JSON', () => {
    // Prepare
    const env = {
      ...MINIMAL,
      OKTA_EVENT_SOURCES: OKTA_SOURCE,
      OKTA_IDENTITY_MAPPING: '{"template":"{local}","lowercase":true}',
      RUNBOOK_EVENT_SOURCE: 'soar.acme',
      RUNBOOK_IDENTITY_MAPPING: '{"lowercase":true}',
    };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.sources.okta?.identityMapping).toEqual({ template: '{local}', lowercase: true });
    expect(config.sources.runbook?.identityMapping).toEqual({ lowercase: true });
  });

  it.each([
    ['not JSON', '{template: {local}}', /expected JSON/],
    ['an unknown placeholder', '{"template":"{user}"}', /placeholders/],
    ['an unknown key', '{"lowerCase":true}', /OKTA_IDENTITY_MAPPING/],
  ])('names the variable for %s', (_case, value, message) => {
    // Act
    const error = configurationError({
      ...MINIMAL,
      OKTA_EVENT_SOURCES: OKTA_SOURCE,
      OKTA_IDENTITY_MAPPING: value,
    });

    // Assess
    expect(error.message).toContain('OKTA_IDENTITY_MAPPING');
    expect(error.message).toMatch(message);
  });
});

describe('loadConfig: member accounts', () => {
  const ROLE = (account: string) => `arn:aws:iam::${account}:role/ClientVpnRevokerMember`;

  it('searches the own account with its own credentials, then each member through its role', () => {
    // Prepare
    const env = {
      ...MINIMAL,
      OWN_ACCOUNT_ID: '111122223333',
      MEMBER_ACCOUNT_ROLE_ARNS: `${ROLE('222233334444')}, arn:aws-us-gov:iam::333344445555:role/path/Revoker`,
    };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.accounts).toEqual([
      { accountId: '111122223333' },
      { accountId: '222233334444', roleArn: ROLE('222233334444') },
      { accountId: '333344445555', roleArn: 'arn:aws-us-gov:iam::333344445555:role/path/Revoker' },
    ]);
  });

  it('leaves the own account out when SCAN_OWN_ACCOUNT is false, and needs no own account id then', () => {
    // Prepare
    const env = { ...MINIMAL, SCAN_OWN_ACCOUNT: 'false', MEMBER_ACCOUNT_ROLE_ARNS: ROLE('222233334444') };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.accounts).toEqual([{ accountId: '222233334444', roleArn: ROLE('222233334444') }]);
  });

  it('names no accounts without member accounts', () => {
    expect(loadConfig({ ...MINIMAL, OWN_ACCOUNT_ID: '111122223333' }).accounts).toBeUndefined();
  });

  it.each([
    [
      'a role ARN that is not one',
      { OWN_ACCOUNT_ID: '111122223333', MEMBER_ACCOUNT_ROLE_ARNS: 'arn:aws:iam::2222:role/x' },
      'MEMBER_ACCOUNT_ROLE_ARNS.0: expected an IAM role ARN',
    ],
    [
      'a user ARN',
      { OWN_ACCOUNT_ID: '111122223333', MEMBER_ACCOUNT_ROLE_ARNS: 'arn:aws:iam::222233334444:user/x' },
      'MEMBER_ACCOUNT_ROLE_ARNS.0: expected an IAM role ARN',
    ],
    [
      'no own account id',
      { MEMBER_ACCOUNT_ROLE_ARNS: ROLE('222233334444') },
      'OWN_ACCOUNT_ID: required with MEMBER_ACCOUNT_ROLE_ARNS unless SCAN_OWN_ACCOUNT is false',
    ],
    [
      'a malformed own account id',
      { OWN_ACCOUNT_ID: '1111', MEMBER_ACCOUNT_ROLE_ARNS: ROLE('222233334444') },
      'OWN_ACCOUNT_ID: expected a 12-digit account id',
    ],
    [
      'an account listed twice',
      {
        OWN_ACCOUNT_ID: '111122223333',
        MEMBER_ACCOUNT_ROLE_ARNS: `${ROLE('222233334444')},arn:aws:iam::222233334444:role/Other`,
      },
      'MEMBER_ACCOUNT_ROLE_ARNS: account 222233334444 is listed twice',
    ],
    [
      'a role in the own account',
      { OWN_ACCOUNT_ID: '111122223333', MEMBER_ACCOUNT_ROLE_ARNS: ROLE('111122223333') },
      'account 111122223333 is listed twice (or is the function',
    ],
    [
      'no account at all',
      { SCAN_OWN_ACCOUNT: 'false' },
      'SCAN_OWN_ACCOUNT: false leaves no account to search',
    ],
    [
      'endpoint ids with member accounts',
      {
        OWN_ACCOUNT_ID: '111122223333',
        MEMBER_ACCOUNT_ROLE_ARNS: ROLE('222233334444'),
        CLIENT_VPN_ENDPOINT_IDS: `us-east-1:${ENDPOINT}`,
      },
      "CLIENT_VPN_ENDPOINT_IDS names endpoints of the function's own account",
    ],
  ])('rejects %s, naming the variable', (_case, overrides, message) => {
    expect(configurationError({ ...MINIMAL, ...overrides }).message).toContain(message);
  });
});
