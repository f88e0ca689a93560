import { afterEach, describe, expect, it, vi } from 'vitest';
import { DECISION_METRICS, DECISION_REASONS } from '../../contracts/metrics.ts';
import { loadConfig } from '../../lambda/connect-handler/config.ts';
import {
  type ClientConnectRequest,
  type ConnectDecision,
  DEFAULT_DENIED_MESSAGE,
  DEFAULT_LOOKUP_TIMEOUT_MS,
  type DecideDependencies,
  decideConnection,
  decisionForLogs,
  INVALID_REQUEST_MESSAGE,
  LEDGER_UNAVAILABLE_MESSAGE,
} from '../../lambda/connect-handler/decide.ts';
import { ConfigurationError } from '../../lambda/core/errors.ts';
import { type LedgerEntry, LedgerUnavailableError } from '../../lambda/core/ledger.ts';
import { HASHED_IDENTITY_PREFIX, identityForLogs } from '../../lambda/core/log-identity.ts';
import { protectedIdentities } from '../../lambda/core/protected-identities.ts';

const JANE = 'jane.doe@example.com';

/** A v2 request as Client VPN sends it for a SAML user. */
const request = (overrides: Partial<ClientConnectRequest> = {}): ClientConnectRequest => ({
  'connection-id': 'cvpn-connection-0123456789abcdef0',
  'endpoint-id': 'cvpn-endpoint-0aaa00000000000e1',
  'common-name': '',
  username: JANE,
  platform: 'macos',
  'platform-version': '15.1',
  'public-ip': '203.0.113.10',
  'client-openvpn-version': '2.6.12',
  groups: ['vpn-users'],
  'schema-version': 'v2',
  ...overrides,
});

const entry = (identity: string, overrides: Partial<LedgerEntry> = {}): LedgerEntry => ({
  identity,
  source: 'aws.partner/okta.com/example-org/vpn-kill-switch',
  reason: 'Okta user.lifecycle.deactivate',
  requestId: 'event-1',
  eventTime: '2026-11-22T09:59:59.000Z',
  state: 'revoked',
  recordedAt: '2026-11-22T10:00:00.000Z',
  expiresAt: '2026-12-22T10:00:00.000Z',
  ...overrides,
});

/** A ledger holding `revoked` identities, compared case-insensitively like the real one. */
const ledgerOf = (...revoked: string[]) =>
  vi.fn(async (identities: readonly string[]) => {
    const keys = new Set(identities.filter(Boolean).map((identity) => identity.toLowerCase()));
    return revoked.filter((identity) => keys.has(identity.toLowerCase())).map((identity) => entry(identity));
  });

const decider = (overrides: Partial<DecideDependencies> = {}) =>
  decideConnection({
    protectedIdentities: protectedIdentities(['BreakGlass@example.com']),
    findRevoked: ledgerOf(),
    onLedgerUnavailable: 'deny',
    ...overrides,
  });

const allowed = {
  allow: true,
  'error-msg-on-denied-connection': '',
  'posture-compliance-statuses': [],
  'schema-version': 'v2',
};
const denied = (message: string) => ({ ...allowed, allow: false, 'error-msg-on-denied-connection': message });

afterEach(() => {
  vi.useRealTimers();
});

describe('decideConnection', () => {
  it('allows an identity the ledger does not hold, after one lookup of username and common name', async () => {
    // Prepare
    const findRevoked = ledgerOf('someone.else@example.com');
    const decide = decider({ findRevoked });

    // Act
    const decision = await decide(request({ 'common-name': 'jane-laptop' }));

    // Assess
    expect(decision).toEqual({
      reason: 'not-revoked',
      response: allowed,
      connectionId: 'cvpn-connection-0123456789abcdef0',
      endpointId: 'cvpn-endpoint-0aaa00000000000e1',
      username: JANE,
      commonName: 'jane-laptop',
      revoked: [],
    });
    expect(findRevoked).toHaveBeenCalledExactlyOnceWith([JANE, 'jane-laptop']);
  });

  it.each([
    ['username', request({ username: 'Jane.Doe@Example.COM' })],
    ['common name (mutual authentication, no username)', request({ username: '', 'common-name': JANE })],
    [
      'common name next to another username',
      request({ username: 'jdoe', 'common-name': JANE.toUpperCase() }),
    ],
  ])('denies an identity revoked by its %s, with the configured message', async (_label, connect) => {
    // Prepare
    const decide = decider({ findRevoked: ledgerOf(JANE), deniedMessage: 'Access revoked. Call 555-0100.' });

    // Act
    const decision = await decide(connect);

    // Assess
    expect(decision.reason).toBe('revoked');
    expect(decision.response).toEqual(denied('Access revoked. Call 555-0100.'));
    expect(decision.revoked).toEqual([entry(JANE)]);
  });

  it('denies with a clear default message for the person', async () => {
    // Prepare
    const decide = decider({ findRevoked: ledgerOf(JANE) });

    // Act
    const decision = await decide(request());

    // Assess
    expect(decision.response).toEqual(denied(DEFAULT_DENIED_MESSAGE));
    expect(DEFAULT_DENIED_MESSAGE.length).toBeLessThanOrEqual(255);
    expect(LEDGER_UNAVAILABLE_MESSAGE.length).toBeLessThanOrEqual(255);
    expect(INVALID_REQUEST_MESSAGE.length).toBeLessThanOrEqual(255);
  });

  it('allows a break-glass identity by username or common name, in any case, without a lookup', async () => {
    // Prepare
    const findRevoked = ledgerOf('breakglass@example.com');
    const decide = decider({ findRevoked });

    // Act
    const byUsername = await decide(request({ username: 'BREAKGLASS@example.com' }));
    const byCommonName = await decide(request({ username: '', 'common-name': 'breakglass@EXAMPLE.com' }));

    // Assess
    expect([byUsername.reason, byCommonName.reason]).toEqual(['protected', 'protected']);
    expect(byUsername.response).toEqual(allowed);
    expect(findRevoked).not.toHaveBeenCalled();
  });

  it('denies a revoked username presented with a protected certificate: a protected name never shields it', async () => {
    // Prepare
    const findRevoked = ledgerOf(JANE);
    const decide = decider({ findRevoked });

    // Act
    const decision = await decide(request({ username: JANE, 'common-name': 'breakglass@example.com' }));
    const reversed = await decide(request({ username: 'BreakGlass@example.com', 'common-name': JANE }));

    // Assess
    expect(decision.reason).toBe('revoked');
    expect(decision.response).toEqual(denied(DEFAULT_DENIED_MESSAGE));
    expect(reversed.reason).toBe('revoked');
    // Only the names that are not protected are looked up.
    expect(findRevoked.mock.calls).toEqual([[[JANE]], [[JANE]]]);
  });

  it('allows a protected name beside one the ledger does not hold, and keeps break-glass when the ledger fails', async () => {
    // Prepare
    const decide = decider({ findRevoked: ledgerOf() });
    const ledgerDown = decider({
      findRevoked: () => Promise.reject(new LedgerUnavailableError('ProvisionedThroughputExceeded')),
    });

    // Act
    const beside = await decide(
      request({ username: 'breakglass@example.com', 'common-name': 'admin-laptop' }),
    );
    const duringOutage = await ledgerDown(
      request({ username: 'breakglass@example.com', 'common-name': 'admin-laptop' }),
    );
    const someoneDuringOutage = await ledgerDown(request({ 'common-name': 'admin-laptop' }));

    // Assess
    expect(beside.reason).toBe('protected');
    expect(duringOutage.reason).toBe('protected');
    expect(duringOutage.response).toEqual(allowed);
    expect(duringOutage.problem).toMatch(/ProvisionedThroughputExceeded/);
    expect(someoneDuringOutage.reason).toBe('ledger-unavailable-denied');
  });

  it.each([
    ['the ledger fails', () => Promise.reject(new LedgerUnavailableError('ProvisionedThroughputExceeded'))],
    [
      'the lookup throws synchronously',
      () => {
        throw new TypeError('bug');
      },
    ],
  ])('denies by default when %s', async (_label, findRevoked) => {
    // Prepare
    const decide = decider({ findRevoked });

    // Act
    const decision = await decide(request());

    // Assess
    expect(decision.reason).toBe('ledger-unavailable-denied');
    expect(decision.response).toEqual(denied(LEDGER_UNAVAILABLE_MESSAGE));
    expect(decision.problem).toMatch(/^(LedgerUnavailableError|TypeError): /);
  });

  it('allows when the ledger fails and the handler is configured to fail open', async () => {
    // Prepare
    const decide = decider({
      findRevoked: () => Promise.reject(new LedgerUnavailableError('connect ECONNREFUSED')),
      onLedgerUnavailable: 'allow',
    });

    // Act
    const decision = await decide(request());

    // Assess
    expect(decision).toMatchObject({
      reason: 'ledger-unavailable-allowed',
      response: allowed,
      problem: 'LedgerUnavailableError: connect ECONNREFUSED',
    });
  });

  it('gives up on a lookup that never answers after the default 5 s deadline', async () => {
    // Prepare
    vi.useFakeTimers();
    const decide = decider({ findRevoked: () => new Promise(() => {}) });

    // Act
    const pending = decide(request());
    await vi.advanceTimersByTimeAsync(DEFAULT_LOOKUP_TIMEOUT_MS - 1);
    const early = await Promise.race([pending, Promise.resolve('still waiting')]);
    await vi.advanceTimersByTimeAsync(1);
    const decision = await pending;

    // Assess
    expect(DEFAULT_LOOKUP_TIMEOUT_MS).toBe(5_000);
    expect(early).toBe('still waiting');
    expect(decision.reason).toBe('ledger-unavailable-denied');
    expect(decision.problem).toBe('LedgerUnavailableError: the ledger did not answer within 5000 ms');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('applies a configured deadline and the fail-open setting to a slow ledger', async () => {
    // Prepare
    const decide = decider({
      findRevoked: () => new Promise(() => {}),
      lookupTimeoutMs: 20,
      onLedgerUnavailable: 'allow',
    });

    // Act
    const decision = await decide(request());

    // Assess
    expect(decision.reason).toBe('ledger-unavailable-allowed');
  });

  it('clears its deadline when the ledger answers in time (no timer left behind)', async () => {
    // Prepare
    vi.useFakeTimers();
    const decide = decider({ findRevoked: ledgerOf(JANE) });

    // Act
    const decision = await decide(request());

    // Assess
    expect(decision.reason).toBe('revoked');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('accepts a request with only the identities, and unknown fields of a newer schema', async () => {
    // Prepare
    const decide = decider();

    // Act
    const decision = await decide({
      username: 'bob',
      'common-name': '',
      'schema-version': 'v3',
      posture: {},
    });

    // Assess
    expect(decision.reason).toBe('not-revoked');
  });

  it.each<[string, unknown, RegExp]>([
    ['not an object', 'jane', /^\(request\): /],
    ['null', null, /^\(request\): /],
    ['no username field', { 'common-name': JANE, 'connection-id': 'c-1' }, /^username: expected a string/],
    [
      'no identity at all',
      request({ username: '', 'common-name': '' }),
      /^username: expected a username or a common name/,
    ],
    ['a non-string username', { ...request(), username: 42 }, /^username: expected a string/],
    [
      'control characters',
      request({ username: 'jane\n{"admin":true}' }),
      /^username: expected no control characters/,
    ],
    [
      'an over-long common name',
      request({ 'common-name': 'x'.repeat(257) }),
      /^common-name: expected at most 256/,
    ],
    ['groups that are not strings', { ...request(), groups: [1] }, /^groups\.0: /],
  ])('denies a malformed request (%s) without a lookup or a crash', async (_label, input, problem) => {
    // Prepare
    const findRevoked = ledgerOf(JANE);
    const decide = decider({ findRevoked, onLedgerUnavailable: 'allow' });

    // Act
    const decision = await decide(input);

    // Assess
    expect(decision.reason).toBe('invalid-request');
    expect(decision.response).toEqual(denied(INVALID_REQUEST_MESSAGE));
    expect(decision.problem).toMatch(problem);
    expect(decision.username).toBeUndefined();
    expect(findRevoked).not.toHaveBeenCalled();
  });

  it('keeps the connection id of a malformed request for log correlation, when it is a plain string', async () => {
    // Prepare
    const decide = decider();

    // Act
    const readable = await decide({ 'connection-id': 'cvpn-connection-1', username: 7 });
    const unreadable = await decide({ 'connection-id': 'bad\u0000id', username: 7 });

    // Assess
    expect(readable.connectionId).toBe('cvpn-connection-1');
    expect(unreadable.connectionId).toBeUndefined();
  });

  it('has a metric name for every decision reason', () => {
    // Prepare
    const names = DECISION_REASONS.map((reason) => DECISION_METRICS[reason]);

    // Act
    const distinct = new Set(names);

    // Assess
    expect(distinct.size).toBe(DECISION_REASONS.length);
    for (const name of names) expect(name).toMatch(/^Connect[A-Za-z]+$/);
  });
});

describe('decisionForLogs', () => {
  const revokedDecision = async () =>
    decider({ findRevoked: ledgerOf(JANE) })(request({ 'common-name': 'Jane-Laptop' }));

  it('hashes every identity when a key is configured, keeping ids and the revoking event', async () => {
    // Prepare
    const decision: ConnectDecision = await revokedDecision();
    const forLogs = identityForLogs(new TextEncoder().encode('log-key'));

    // Act
    const attributes = decisionForLogs(decision, forLogs);

    // Assess
    const text = JSON.stringify(attributes);
    expect(text).not.toMatch(/jane/i);
    expect(text).not.toContain('Okta user.lifecycle.deactivate');
    expect(attributes).toMatchObject({
      decision: 'revoked',
      allow: false,
      connectionId: 'cvpn-connection-0123456789abcdef0',
      endpointId: 'cvpn-endpoint-0aaa00000000000e1',
      username: forLogs(JANE),
      commonName: forLogs('jane-laptop'),
      revokedBy: [
        {
          identity: forLogs(JANE),
          requestId: 'event-1',
          source: 'aws.partner/okta.com/example-org/vpn-kill-switch',
          eventTime: '2026-11-22T09:59:59.000Z',
        },
      ],
    });
    expect(attributes.username).toMatch(new RegExp(`^${HASHED_IDENTITY_PREFIX}[0-9a-f]{32}$`));
  });

  it('logs identities as they are without a key, and no identity at all for a malformed request', async () => {
    // Prepare
    const forLogs = identityForLogs(undefined);
    const invalid = await decider()({ username: 'x\u0007' });

    // Act
    const plain = decisionForLogs(await revokedDecision(), forLogs);
    const malformed = decisionForLogs(invalid, forLogs);

    // Assess
    expect(plain).toMatchObject({ username: JANE, commonName: 'Jane-Laptop' });
    expect(malformed).toMatchObject({ decision: 'invalid-request', username: null, commonName: null });
    expect(malformed.problem).toMatch(/control characters/);
  });
});

describe('loadConfig', () => {
  const base = { LEDGER_TABLE_NAME: 'ClientVpnRevoker-Ledger-1A2B3C' };

  it('applies the defaults: fail closed, default message, no protected identities, no hashing', () => {
    // Prepare
    const environment = { ...base };

    // Act
    const config = loadConfig(environment);

    // Assess
    expect(config).toEqual({
      ledgerTableName: base.LEDGER_TABLE_NAME,
      protectedIdentities: [],
      activeDirectoryDomains: [],
      onLedgerUnavailable: 'deny',
      deniedMessage: DEFAULT_DENIED_MESSAGE,
    });
  });

  it('reads every setting', () => {
    // Prepare
    const environment = {
      LEDGER_TABLE_NAME: 'arn:aws:dynamodb:us-east-1:111122223333:table/ledger',
      PROTECTED_IDENTITIES: ' breakglass@example.com , Admin-Cert ',
      ACTIVE_DIRECTORY_DOMAINS: 'CORP, corp.example.com',
      ON_LEDGER_UNAVAILABLE: 'allow',
      DENIED_CONNECTION_MESSAGE: 'Access revoked.',
      LOG_IDENTITY_HASH_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:log-key-AbCdEf',
    };

    // Act
    const config = loadConfig(environment);

    // Assess
    expect(config).toEqual({
      ledgerTableName: environment.LEDGER_TABLE_NAME,
      protectedIdentities: ['breakglass@example.com', 'Admin-Cert'],
      activeDirectoryDomains: ['CORP', 'corp.example.com'],
      onLedgerUnavailable: 'allow',
      deniedMessage: 'Access revoked.',
      logHashKeySecretArn: environment.LOG_IDENTITY_HASH_KEY_SECRET_ARN,
    });
  });

  it('treats empty optional settings as unset', () => {
    // Prepare
    const environment = { ...base, DENIED_CONNECTION_MESSAGE: '', LOG_IDENTITY_HASH_KEY_SECRET_ARN: '' };

    // Act
    const config = loadConfig(environment);

    // Assess
    expect(config.deniedMessage).toBe(DEFAULT_DENIED_MESSAGE);
    expect(config.logHashKeySecretArn).toBeUndefined();
  });

  it.each([
    ['no table', {}, /LEDGER_TABLE_NAME: expected the revocation ledger table name/],
    [
      'a bad table name',
      { LEDGER_TABLE_NAME: 'a b' },
      /LEDGER_TABLE_NAME: expected a DynamoDB table name or ARN/,
    ],
    [
      'an unknown behaviour',
      { ...base, ON_LEDGER_UNAVAILABLE: 'open' },
      /ON_LEDGER_UNAVAILABLE: expected "deny" or "allow"/,
    ],
    [
      'a message over 255 characters',
      { ...base, DENIED_CONNECTION_MESSAGE: 'x'.repeat(256) },
      /DENIED_CONNECTION_MESSAGE: expected at most 255/,
    ],
    [
      'a secret name instead of an ARN',
      { ...base, LOG_IDENTITY_HASH_KEY_SECRET_ARN: 'log-key' },
      /LOG_IDENTITY_HASH_KEY_SECRET_ARN: expected a Secrets Manager secret ARN/,
    ],
    [
      'a protected identity with control characters',
      { ...base, PROTECTED_IDENTITIES: 'ok,bad\u0001' },
      /PROTECTED_IDENTITIES\.1: expected no control characters/,
    ],
    [
      'an Active Directory domain with an @',
      { ...base, ACTIVE_DIRECTORY_DOMAINS: 'jdoe@corp.example.com' },
      /ACTIVE_DIRECTORY_DOMAINS\.0: expected an Active Directory domain: a NetBIOS name \(CORP\) or a DNS name/,
    ],
  ])('rejects %s, naming the variable', (_label, environment, message) => {
    // Prepare
    const load = () => loadConfig(environment);

    // Act / Assess
    expect(load).toThrow(ConfigurationError);
    expect(load).toThrow(message);
  });
});
