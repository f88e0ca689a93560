import { createServer, type Server, type Socket } from 'node:net';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_DENIED_MESSAGE, LEDGER_UNAVAILABLE_MESSAGE } from '../../lambda/connect-handler/decide.ts';
import { dynamoDbLedger } from '../../lambda/core/adapters/dynamodb-ledger.ts';
import type { LedgerChange, RevocationLedger } from '../../lambda/core/ledger.ts';
import { identityForLogs } from '../../lambda/core/log-identity.ts';
import { type LocalDynamo, startDynamo, useDynamo } from '../support/dynamodb.ts';

// The handler module as Lambda loads it: configured from the environment at import (cold start), its
// DynamoDB client pointed at dynalite through the SDK's standard AWS_ENDPOINT_URL_DYNAMODB.
type Handler = typeof import('../../lambda/connect-handler/handler.ts')['handler'];

const JANE = 'jane.doe@example.com';
const BREAK_GLASS = 'breakglass@example.com';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:vpn-log-hash-key-AbCdEf';

const context = {
  functionName: 'AWSClientVPN-ConnectHandler',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:AWSClientVPN-ConnectHandler',
  memoryLimitInMB: '256',
  awsRequestId: 'invocation-1',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

let connections = 0;
/** A v2 request as Client VPN sends it. */
const connect = (username: string, commonName = '') => ({
  'connection-id': `cvpn-connection-${(++connections).toString(16).padStart(17, '0')}`,
  'endpoint-id': 'cvpn-endpoint-0aaa00000000000e1',
  'common-name': commonName,
  username,
  platform: 'windows',
  'platform-version': '10.0.22631',
  'public-ip': '203.0.113.10',
  'client-openvpn-version': '2.6.12',
  groups: [],
  'schema-version': 'v2',
});

const allowed = {
  allow: true,
  'error-msg-on-denied-connection': '',
  'posture-compliance-statuses': [],
  'schema-version': 'v2',
};
const denied = (message: string) => ({ ...allowed, allow: false, 'error-msg-on-denied-connection': message });

let events = 0;
const change = (identity: string, eventTime = '2026-11-22T10:00:00.000Z'): LedgerChange => ({
  identity,
  source: 'aws.partner/okta.com/example-org/vpn-kill-switch',
  reason: 'Okta user.lifecycle.deactivate',
  requestId: `event-${++events}`,
  eventTime,
});

/** Imports a fresh copy of the handler module with this environment (a cold start). */
async function coldStart(environment: Record<string, string>): Promise<Handler> {
  vi.unstubAllEnvs();
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'client-vpn-revoker');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'ClientVpnRevoker');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
  for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);
  vi.resetModules();
  return (await import('../../lambda/connect-handler/handler.ts')).handler;
}

/** Lines the function writes (Powertools logs and EMF metrics, on stdout and stderr), captured, not printed. */
function captureOutput() {
  let lines: string[] = [];
  const capture = ((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  }) as typeof process.stdout.write;
  beforeAll(() => {
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  });
  beforeEach(() => {
    lines = [];
  });
  afterAll(() => {
    vi.mocked(process.stdout.write).mockRestore();
    vi.mocked(process.stderr.write).mockRestore();
    vi.unstubAllEnvs();
  });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    logs: () => records().filter((record) => record.message === 'Client connect decision'),
    metrics: () => records().filter((record) => '_aws' in record),
  };
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

describe('the connect handler against DynamoDB (dynalite)', () => {
  const dynamo = useDynamo();
  const output = captureOutput();
  let handler: Handler;
  let ledger: RevocationLedger;

  beforeAll(async () => {
    handler = await coldStart({
      ...dynamo.env,
      LEDGER_TABLE_NAME: dynamo.tableName,
      PROTECTED_IDENTITIES: `${BREAK_GLASS},ops-admin-cert`,
    });
    ledger = dynamoDbLedger(dynamo.client, {
      tableName: dynamo.tableName,
      retentionMs: 30 * 24 * 60 * 60 * 1000,
      now: Date.now,
    });
  });

  it('denies a revoked user by username, in any case, and allows everyone else', async () => {
    // Prepare
    await ledger.recordRevocation(change('Jane.Doe@Example.com'));

    // Act
    const exact = await handler(connect(JANE), context);
    const shouted = await handler(connect('JANE.DOE@EXAMPLE.COM'), context);
    const colleague = await handler(connect('john.roe@example.com'), context);
    const lookalike = await handler(connect('jane.doe@example.com.evil'), context);

    // Assess
    expect(exact).toEqual(denied(DEFAULT_DENIED_MESSAGE));
    expect(shouted).toEqual(denied(DEFAULT_DENIED_MESSAGE));
    expect(colleague).toEqual(allowed);
    expect(lookalike).toEqual(allowed);
  });

  it('denies a revoked certificate common name (mutual authentication, empty username)', async () => {
    // Prepare
    await ledger.recordRevocation(change('jane-laptop.vpn.example.com'));

    // Act
    const byCommonName = await handler(connect('', 'Jane-Laptop.VPN.example.com'), context);
    const besideAUsername = await handler(connect('jdoe', 'jane-laptop.vpn.example.com'), context);
    const otherCertificate = await handler(connect('', 'john-laptop.vpn.example.com'), context);

    // Assess
    expect(byCommonName).toEqual(denied(DEFAULT_DENIED_MESSAGE));
    expect(besideAUsername).toEqual(denied(DEFAULT_DENIED_MESSAGE));
    expect(otherCertificate).toEqual(allowed);
  });

  it('allows a break-glass identity even when the ledger says it is revoked', async () => {
    // Prepare
    await ledger.recordRevocation(change(BREAK_GLASS));
    await ledger.recordRevocation(change('ops-admin-cert'));

    // Act
    const byUsername = await handler(connect('BreakGlass@example.com'), context);
    const byCommonName = await handler(connect('', 'OPS-ADMIN-CERT'), context);

    // Assess
    expect(byUsername).toEqual(allowed);
    expect(byCommonName).toEqual(allowed);
    expect(output.logs().map((log) => log.decision)).toEqual(['protected', 'protected']);
  });

  it('lets the user back in once the revocation is lifted, and a late older disable does not lock them out', async () => {
    // Prepare
    await ledger.recordRevocation(change(JANE, '2026-11-22T10:00:00.000Z'));
    const whileRevoked = await handler(connect(JANE), context);

    // Act
    await ledger.recordLift(change(JANE, '2026-11-22T11:00:00.000Z'));
    const afterLift = await handler(connect(JANE), context);
    await ledger.recordRevocation(change(JANE, '2026-11-22T10:30:00.000Z'));
    const afterLateDisable = await handler(connect(JANE), context);

    // Assess
    expect(whileRevoked).toEqual(denied(DEFAULT_DENIED_MESSAGE));
    expect(afterLift).toEqual(allowed);
    expect(afterLateDisable).toEqual(allowed);
  });

  it('denies a malformed request instead of failing the invocation', async () => {
    // Prepare
    const malformed = { ...connect(JANE), username: ['jane'] };

    // Act
    const response = await handler(malformed, context);

    // Assess
    expect(response).toMatchObject({ allow: false, 'schema-version': 'v2' });
    expect(output.logs()).toMatchObject([
      { level: 'WARN', decision: 'invalid-request', problem: 'username: expected a string' },
    ]);
  });

  it('logs each decision with the connection id as correlation id, and emits a metric per decision', async () => {
    // Prepare
    await ledger.recordRevocation(change(JANE));
    const request = connect(JANE);

    // Act
    await handler(request, context);

    // Assess
    expect(output.logs()).toMatchObject([
      {
        level: 'WARN',
        correlation_id: request['connection-id'],
        decision: 'revoked',
        allow: false,
        endpointId: request['endpoint-id'],
        username: JANE,
        revokedBy: [{ identity: JANE, requestId: expect.stringMatching(/^event-\d+$/) }],
      },
    ]);
    const [emf] = output.metrics().filter((record) => 'ConnectDeniedRevoked' in record);
    expect(emf).toMatchObject({ ConnectDeniedRevoked: 1, service: 'client-vpn-revoker' });
    expect(emf?.ConnectDecisionLatency).toEqual(expect.any(Number));
  });

  it('answers ~200 warm invocations (latency printed, not asserted)', async () => {
    // Prepare
    await ledger.recordRevocation(change(JANE));
    await ledger.recordRevocation(change('jane-laptop.vpn.example.com'));
    const requests = [
      connect(JANE),
      connect('john.roe@example.com'),
      connect('', 'jane-laptop.vpn.example.com'),
      connect('mary.major@example.com', 'mary-laptop.vpn.example.com'),
    ];
    for (const request of requests) await handler(request, context); // warm the connection pool

    // Act
    const handlerMs: number[] = [];
    const answers: boolean[] = [];
    for (let i = 0; i < 200; i++) {
      const request = requests[i % requests.length];
      const started = performance.now();
      const response = await handler(request, context);
      handlerMs.push(performance.now() - started);
      answers.push(response.allow);
    }

    // Assess
    expect(answers.filter((allow) => allow)).toHaveLength(100);
    const decisionMs = output
      .logs()
      .slice(-200)
      .map((log) => log.latencyMs as number);
    const summary = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return `p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms`;
    };
    console.log(
      `connect handler over 200 warm invocations against dynalite — decision (lookup): ${summary(decisionMs)}; ` +
        `whole invocation (middy, logging, metrics): ${summary(handlerMs)}`,
    );
  });
});

describe('the connect handler with a log hash key', () => {
  const dynamo = useDynamo();
  const output = captureOutput();
  const mockSecretsManager = () => mockClient(SecretsManagerClient);
  let secretsManager: ReturnType<typeof mockSecretsManager>;
  let handler: Handler;

  beforeAll(async () => {
    secretsManager = mockSecretsManager();
    secretsManager.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: 'log-key' });
    handler = await coldStart({
      ...dynamo.env,
      LEDGER_TABLE_NAME: dynamo.tableName,
      LOG_IDENTITY_HASH_KEY_SECRET_ARN: SECRET_ARN,
    });
  });

  afterAll(() => {
    secretsManager.restore();
  });

  it('loads the key once at cold start and never logs a raw username or common name', async () => {
    // Prepare
    const ledger = dynamoDbLedger(dynamo.client, {
      tableName: dynamo.tableName,
      retentionMs: 60_000,
      now: Date.now,
    });
    await ledger.recordRevocation(change(JANE));
    const forLogs = identityForLogs(new TextEncoder().encode('log-key'));

    // Act
    const revoked = await handler(connect('Jane.Doe@example.com', 'jane-laptop.vpn.example.com'), context);
    const other = await handler(connect('john.roe@example.com'), context);

    // Assess
    expect(revoked.allow).toBe(false);
    expect(other.allow).toBe(true);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    const logs = output.logs();
    expect(JSON.stringify(logs)).not.toMatch(/jane|john/i);
    expect(logs).toMatchObject([
      { decision: 'revoked', username: forLogs(JANE), commonName: forLogs('jane-laptop.vpn.example.com') },
      { decision: 'not-revoked', username: forLogs('john.roe@example.com') },
    ]);
  });
});

describe.each([
  { setting: undefined, expected: denied(LEDGER_UNAVAILABLE_MESSAGE), decision: 'ledger-unavailable-denied' },
  { setting: 'allow', expected: allowed, decision: 'ledger-unavailable-allowed' },
])(
  'the connect handler when DynamoDB stops (ON_LEDGER_UNAVAILABLE=$setting)',
  ({ setting, expected, decision }) => {
    const output = captureOutput();
    let dynamo: LocalDynamo;
    let handler: Handler;

    beforeAll(async () => {
      dynamo = await startDynamo();
      handler = await coldStart({
        ...dynamo.env,
        LEDGER_TABLE_NAME: dynamo.tableName,
        ...(setting && { ON_LEDGER_UNAVAILABLE: setting }),
      });
    });

    afterAll(async () => {
      await dynamo.stop();
    });

    it(`answers ${expected.allow ? 'allow' : 'deny'} for everyone once the ledger cannot be reached`, async () => {
      // Prepare
      await dynamoDbLedger(dynamo.client, {
        tableName: dynamo.tableName,
        retentionMs: 60_000,
        now: Date.now,
      }).recordRevocation(change(JANE));
      const beforeOutage = [
        await handler(connect(JANE), context),
        await handler(connect('john.roe@example.com'), context),
      ];

      // Act
      await dynamo.stop();
      const revokedUser = await handler(connect(JANE), context);
      const otherUser = await handler(connect('john.roe@example.com'), context);

      // Assess
      expect(beforeOutage).toEqual([denied(DEFAULT_DENIED_MESSAGE), allowed]);
      expect(revokedUser).toEqual(expected);
      expect(otherUser).toEqual(expected);
      expect(output.logs().slice(-2)).toMatchObject([
        {
          level: 'ERROR',
          decision,
          problem: expect.stringMatching(/^LedgerUnavailableError: Could not read/),
        },
        { level: 'ERROR', decision },
      ]);
    });
  },
);

describe('the connect handler when DynamoDB accepts connections but never answers', () => {
  const output = captureOutput();
  const sockets = new Set<Socket>();
  let silent: Server;
  let handler: Handler;

  beforeAll(async () => {
    silent = createServer((socket) => {
      sockets.add(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    handler = await coldStart({
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIASILENT0000000000',
      AWS_SECRET_ACCESS_KEY: 'silent-secret',
      LEDGER_TABLE_NAME: 'revocation-ledger',
    });
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('gives up through the SDK request timeouts, before the 5 s decision deadline, and denies', async () => {
    // Prepare
    const request = connect(JANE);

    // Act
    const response = await handler(request, context);

    // Assess
    expect(response).toEqual(denied(LEDGER_UNAVAILABLE_MESSAGE));
    expect(output.logs()).toMatchObject([
      {
        decision: 'ledger-unavailable-denied',
        problem: expect.stringMatching(
          /^LedgerUnavailableError: Could not read the revocation ledger: TimeoutError/,
        ),
      },
    ]);
  });
});
