import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EC2Client, ModifyClientVpnEndpointCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { LEDGER_PARTITION_KEY, LEDGER_TTL_ATTRIBUTE } from '../../contracts/tables.ts';
import type { Seed } from '../../emulator/index.ts';
import { RevokerOnEmulator } from '../../local/revoker-on-emulator.ts';
import { DEFAULT_RUNBOOK_EVENT_BUS, RUNBOOK_LIFT_DETAIL_TYPE } from '../../sources/runbook/events.ts';
import { OKTA_SOURCE, oktaEvent, runbookEvent } from '../support/events.ts';
import { publishedOutcomes, publishedSweeps } from '../support/published.ts';

// Revocation that sticks, end to end on the bundles from cdk.out: the revoker writes the ledger (a real
// DynamoDB-compatible server), the connect handler bundle answers the emulator's connection attempts, and the
// sweeper bundle runs as the schedule would.
const SAML = 'cvpn-endpoint-0aaa00000000000e1';
const CERT = 'cvpn-endpoint-0bbb00000000000e2';
const UNWIRED = 'cvpn-endpoint-0ccc00000000000e3';
const JANE = 'jane.doe@example.com';
const JOHN = 'john.roe@example.com';
const DAY_MS = 86_400_000;
const IN_SCOPE = { 'client-vpn-revoker': 'enabled' };
const FAST = { EC2_TERMINATE_CALLS_PER_SECOND: '1000', EC2_DESCRIBE_CALLS_PER_SECOND: '1000' };

const seed: Seed = {
  endpoints: [
    { id: SAML, region: 'us-east-1', tags: IN_SCOPE, authType: 'saml', connections: [{ username: JANE }] },
    {
      id: CERT,
      region: 'us-east-1',
      tags: IN_SCOPE,
      authType: 'certificate',
      connections: [{ commonName: JANE }],
    },
    { id: UNWIRED, region: 'us-east-1', tags: IN_SCOPE, authType: 'saml', connections: [{ username: JOHN }] },
  ],
};

let revoker: RevokerOnEmulator | undefined;
afterEach(async () => {
  await revoker?.stop();
  revoker = undefined;
});

/** Starts the stack on the emulator and wires the connect handler into SAML and CERT as the README says. */
async function start(environment: Record<string, string> = {}, extraSeed: Partial<Seed> = {}) {
  const r = await RevokerOnEmulator.start({
    seed: { ...seed, ...extraSeed },
    cdkOut: inject('cdkOut'),
    emulator: { terminateDelayMs: 10 },
    environment: { ...FAST, ...environment },
  });
  revoker = r;
  const ec2 = new EC2Client({
    region: 'us-east-1',
    endpoint: r.emulator.env.AWS_ENDPOINT_URL_EC2,
    credentials: { accessKeyId: 'AKIALOCAL', secretAccessKey: 'local' },
  });
  for (const endpointId of [SAML, CERT]) {
    await ec2.send(
      new ModifyClientVpnEndpointCommand({
        ClientVpnEndpointId: endpointId,
        ClientConnectOptions: { Enabled: true, LambdaFunctionArn: r.connectHandlerArn },
      }),
    );
  }
  return r;
}

const outcomes = (r: RevokerOnEmulator) => publishedOutcomes(r.emulator);
const sweeps = (r: RevokerOnEmulator) => publishedSweeps(r.emulator);
const live = (r: RevokerOnEmulator, name: string) =>
  r.emulator
    .connections()
    .filter(
      (c) =>
        (c.username.toLowerCase() === name || c.commonName.toLowerCase() === name) &&
        (c.status === 'active' || c.status === 'failed-to-terminate'),
    );
/** An Okta deactivation of Jane; Okta dates it by `detail.published`. */
const revokeJane = (r: RevokerOnEmulator, published = '2026-11-22T10:00:00.000Z') => {
  const event = oktaEvent(JANE);
  return r.deliver([
    { event: { ...event, detail: { ...event.detail, published } }, eventBusName: OKTA_SOURCE },
  ]);
};
const liftJane = (r: RevokerOnEmulator, time = '2026-11-22T11:00:00Z') =>
  r.deliver([
    {
      event: {
        ...runbookEvent({ username: JANE, reason: 'rehired' }, undefined, RUNBOOK_LIFT_DETAIL_TYPE),
        time,
      },
      eventBusName: DEFAULT_RUNBOOK_EVENT_BUS,
    },
  ]);

describe('revocation that sticks (ledger, connect handler, sweeper, undo)', () => {
  it('denies a revoked user reconnecting by SAML name or certificate, and lets everyone else in', async () => {
    // Prepare
    const r = await start();
    await revokeJane(r);

    // Act
    const saml = await r.emulator.connect({ endpointId: SAML, username: 'Jane.Doe@Example.com' });
    const cert = await r.emulator.connect({ endpointId: CERT, commonName: JANE });
    const john = await r.emulator.connect({ endpointId: SAML, username: JOHN });

    // Assess
    expect(outcomes(r)).toEqual([
      expect.objectContaining({ status: 'revoked', ledger: expect.objectContaining({ status: 'recorded' }) }),
    ]);
    expect(saml).toMatchObject({ allowed: false, message: expect.stringMatching(/revoked/i) });
    expect(cert).toMatchObject({ allowed: false });
    expect(john).toMatchObject({ allowed: true });
    expect(live(r, JANE)).toEqual([]);
    expect(live(r, JOHN)).toHaveLength(2);
  });

  it('orders a lift dated a year ahead as of its receipt: the disable after it still revokes and blocks', async () => {
    // Prepare: a runbook lift put with a Time a year ahead, which would outrank every later disable unbounded
    const r = await start();
    const aYearAhead = new Date(Date.now() + 365 * 86_400_000).toISOString();
    await liftJane(r, aYearAhead);

    // Act: the identity provider disables her right after
    await revokeJane(r, new Date(Date.now() + 30_000).toISOString());
    const reconnect = await r.emulator.connect({ endpointId: SAML, username: JANE });

    // Assess
    const [lift, revoke] = outcomes(r);
    expect(lift).toMatchObject({
      action: 'lift',
      trigger: { reportedEventTime: aYearAhead, eventTimeAdjustment: 'future' },
    });
    expect(Date.parse(lift?.trigger.eventTime ?? '')).toBeLessThan(Date.parse(aYearAhead));
    expect(revoke).toMatchObject({ action: 'revoke', status: 'revoked', ledger: { status: 'recorded' } });
    expect(reconnect).toMatchObject({ allowed: false });
    expect(live(r, JANE)).toEqual([]);
  });

  it('ends a session that slipped in on an endpoint without the handler at the next sweep', async () => {
    // Prepare: Jane is revoked, then reconnects through the endpoint nobody wired yet
    const r = await start();
    await revokeJane(r);
    const slipped = await r.emulator.connect({ endpointId: UNWIRED, username: JANE });
    expect(slipped.allowed).toBe(true);

    // Act
    const invocation = await r.sweep('sweep-1');

    // Assess
    expect(invocation.kind).toBe('result');
    expect(live(r, JANE)).toEqual([]);
    expect(live(r, JOHN)).toHaveLength(1);
    const [sweep] = sweeps(r);
    expect(sweep).toMatchObject({ sweepId: 'sweep-1', status: 'swept' });
    expect(sweep?.connections).toEqual([
      expect.objectContaining({ endpointId: UNWIRED, username: JANE, reason: 'revoked-identity' }),
    ]);
  });

  it('keeps a user revoked 31 days ago (an expiry written by an earlier version) denied and swept', async () => {
    // Prepare: the record as earlier versions wrote it, its 30-day expiry passed a day ago
    const r = await start();
    const dynamo = r.dynamo;
    if (!dynamo) throw new Error('the stack has a ledger');
    const revokedAt = Date.now() - 31 * DAY_MS;
    const expiredEpoch = Math.floor((revokedAt + 30 * DAY_MS) / 1000);
    await dynamo.client.send(
      new PutItemCommand({
        TableName: dynamo.tableName,
        Item: {
          [LEDGER_PARTITION_KEY]: { S: JANE },
          identity: { S: JANE },
          state: { S: 'revoked' },
          source: { S: OKTA_SOURCE },
          reason: { S: 'Okta user.lifecycle.deactivate' },
          requestId: { S: 'disable-31-days-ago' },
          eventTime: { S: new Date(revokedAt).toISOString() },
          eventTimeMs: { N: String(revokedAt) },
          recordedAt: { S: new Date(revokedAt).toISOString() },
          expiresAt: { S: new Date(expiredEpoch * 1000).toISOString() },
          [LEDGER_TTL_ATTRIBUTE]: { N: String(expiredEpoch) },
        },
      }),
    );

    // Act
    const attempt = await r.emulator.connect({ endpointId: SAML, username: JANE });
    await r.sweep('thirty-one-days-on');

    // Assess
    expect(attempt.allowed).toBe(false);
    expect(live(r, JANE)).toEqual([]);
    expect(sweeps(r)[0]).toMatchObject({ status: 'swept', ledger: { status: 'read', expiriesRemoved: 1 } });
    const stored = await dynamo.client.send(
      new GetItemCommand({ TableName: dynamo.tableName, Key: { [LEDGER_PARTITION_KEY]: { S: JANE } } }),
    );
    expect(stored.Item?.[LEDGER_TTL_ATTRIBUTE]).toBeUndefined();
  });

  it('records a revocation without an expiry: only a lift expires', async () => {
    // Prepare
    const r = await start();

    // Act
    await revokeJane(r);
    const revoked = outcomes(r)[0];
    await liftJane(r);

    // Assess
    expect(revoked?.ledger).toEqual({
      status: 'recorded',
      state: 'revoked',
      eventTime: '2026-11-22T10:00:00.000Z',
    });
    expect(outcomes(r)[1]?.ledger).toMatchObject({ state: 'lifted', expiresAt: expect.any(String) });
  });

  it('lets the user back in once the revocation is lifted', async () => {
    // Prepare
    const r = await start();
    await revokeJane(r);
    expect((await r.emulator.connect({ endpointId: SAML, username: JANE })).allowed).toBe(false);

    // Act
    await liftJane(r);
    const attempt = await r.emulator.connect({ endpointId: SAML, username: JANE });
    await r.sweep('after-lift');

    // Assess
    expect(outcomes(r).map((o) => [o.action, o.status])).toEqual([
      ['revoke', 'revoked'],
      ['lift', 'lifted'],
    ]);
    expect(attempt.allowed).toBe(true);
    expect(live(r, JANE)).toHaveLength(1);
    expect(sweeps(r)[0]?.status).toBe('clean');
  });

  it('does not cut off a user whose re-enable arrived before the older disable', async () => {
    // Prepare: disabled at 10:00, re-enabled at 11:00 — delivered the other way round
    const r = await start();
    await liftJane(r, '2026-11-22T11:00:00Z');

    // Act
    await revokeJane(r, '2026-11-22T10:00:00.000Z');
    const attempt = await r.emulator.connect({ endpointId: SAML, username: JANE });

    // Assess
    expect(outcomes(r).map((o) => [o.action, o.status, o.skipReason])).toEqual([
      ['lift', 'lifted', undefined],
      ['revoke', 'skipped', 'superseded'],
    ]);
    expect(live(r, JANE)).toHaveLength(3);
    expect(attempt.allowed).toBe(true);
  });

  it('keeps a user out when a stale re-enable arrives after a newer disable', async () => {
    // Prepare: re-enabled at 09:00, disabled at 10:00 — the enable is delivered last
    const r = await start();
    await revokeJane(r, '2026-11-22T10:00:00.000Z');

    // Act
    await liftJane(r, '2026-11-22T09:00:00Z');
    const attempt = await r.emulator.connect({ endpointId: SAML, username: JANE });

    // Assess
    expect(outcomes(r).map((o) => [o.action, o.status, o.skipReason])).toEqual([
      ['revoke', 'revoked', undefined],
      ['lift', 'skipped', 'superseded'],
    ]);
    expect(attempt.allowed).toBe(false);
  });

  it('denies by default when the ledger cannot be read at connect time', async () => {
    // Prepare
    const r = await start();
    await r.dynamo?.stop();

    // Act
    const attempt = await r.emulator.connect({ endpointId: SAML, username: JOHN });

    // Assess: nobody is told they were revoked; the attempt is denied (fail-closed)
    expect(attempt).toMatchObject({ allowed: false, reason: 'client-connect-failed' });
    expect(attempt.allowed === false && attempt.message).not.toMatch(/revoked/i);
  });

  it('never revokes a break-glass identity', async () => {
    // Prepare
    const r = await start({ PROTECTED_IDENTITIES: JANE });

    // Act
    await revokeJane(r);

    // Assess
    expect(outcomes(r)).toEqual([
      expect.objectContaining({ status: 'skipped', skipReason: 'protected-identity', identity: JANE }),
    ]);
    expect(live(r, JANE)).toHaveLength(2);
    expect(r.emulator.calls().filter((call) => call.action === 'TerminateClientVpnConnections')).toEqual([]);
  });

  it('ends sessions older than the maximum session age at a sweep, whoever holds them', async () => {
    // Prepare: a 60-minute maximum; John's session is 2 hours old, then a fresh one opens
    const r = await start({ MAX_SESSION_AGE_MINUTES: '60' });
    r.emulator.advanceTime(2 * 3_600_000);
    const fresh = await r.emulator.connect({ endpointId: SAML, username: JOHN });

    // Act
    await r.sweep('max-age');

    // Assess
    const [sweep] = sweeps(r);
    expect(sweep?.status).toBe('swept');
    expect(new Set(sweep?.connections.map((c) => c.reason))).toEqual(new Set(['max-session-age']));
    expect(sweep?.connections).toHaveLength(3);
    expect(live(r, JOHN).map((c) => c.connectionId)).toEqual([fresh.allowed && fresh.connectionId]);
  });

  it('logs a keyed hash of the identity, never the name, when a hash key secret is configured', async () => {
    // Prepare: the key lives in Secrets Manager, as the construct sets it up with hashIdentitiesInLogs
    const secretArn = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:log-hash-key-AbCdEf';
    const r = await start(
      { LOG_IDENTITY_HASH_KEY_SECRET_ARN: secretArn },
      { secrets: [{ arn: secretArn, value: 'k'.repeat(64) }] },
    );

    // Act
    await revokeJane(r);

    // Assess
    const logs = r.lambda.logs.join('\n');
    expect(outcomes(r)[0]?.status).toBe('revoked');
    expect(logs).toMatch(/"identity":"hmac-sha256:[0-9a-f]{32}"/);
    expect(logs.toLowerCase()).not.toContain('jane');
    expect(r.emulator.calls().some((call) => call.action === 'GetSecretValue')).toBe(true);
  });
});
