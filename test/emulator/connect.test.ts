import {
  DescribeClientVpnConnectionsCommand,
  ModifyClientVpnEndpointCommand,
  TerminateClientVpnConnectionsCommand,
} from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CONNECT_HANDLER_FAILED_MESSAGE,
  type ConnectHandlerInvoker,
  type ConnectHandlerRequest,
} from '../../emulator/client-connect.ts';
import { type Emulator, startEmulator } from '../../emulator/server.ts';
import { ec2Client, useEmulator } from './helpers.ts';

const SAML = 'cvpn-endpoint-0a1b2c3d4e5f6a7b8';
const PLAIN = 'cvpn-endpoint-0b2c3d4e5f6a7b8c9';
const AD = 'cvpn-endpoint-0c3d4e5f6a7b8c9d0';
const HANDLER = 'arn:aws:lambda:us-east-1:111122223333:function:AWSClientVPN-connect-handler';

const allow = (statuses: string[] = []) => ({
  allow: true,
  'error-msg-on-denied-connection': '',
  'posture-compliance-statuses': statuses,
  'schema-version': 'v2',
});

/** An invoker that records its calls and answers with `answer`. */
const recording = (answer: (request: ConnectHandlerRequest) => unknown) => {
  const calls: { functionArn: string; request: ConnectHandlerRequest }[] = [];
  const invoker: ConnectHandlerInvoker = async (functionArn, request) => {
    calls.push({ functionArn, request });
    return answer(request);
  };
  return { invoker, calls };
};

describe('client connection attempts (emulator.connect)', () => {
  const emu = useEmulator({ connectHandlerTimeoutMs: 100 });

  beforeEach(() => {
    emu.seed({
      endpoints: [
        {
          id: SAML,
          region: 'us-east-1',
          authType: 'saml',
          clientConnectOptions: { enabled: true, lambdaFunctionArn: HANDLER },
          connections: [{ id: 'cvpn-connection-0aaaaaaaaaaaaaaa1', username: 'seeded@example.com' }],
        },
        { id: PLAIN, region: 'us-east-1', authType: 'certificate' },
        { id: AD, region: 'eu-west-1', authType: 'active-directory' },
        { id: 'cvpn-endpoint-pending', region: 'us-east-1', status: 'pending-associate' },
      ],
    });
  });

  it('allows every attempt when the endpoint has no handler; the connection is active like a seeded one', async () => {
    // Prepare
    const { invoker, calls } = recording(() => allow());
    emu.setConnectHandlerInvoker(invoker);

    // Act
    const result = await emu.connect({ endpointId: PLAIN, commonName: 'laptop-17' });

    // Assess
    expect(result).toEqual({
      allowed: true,
      connectionId: expect.stringMatching(/^cvpn-connection-0[0-9a-f]{16}$/),
      postureComplianceStatuses: [],
    });
    expect(calls).toEqual([]);
    expect(emu.connections({ endpointId: PLAIN })).toEqual([
      expect.objectContaining({
        connectionId: result.allowed ? result.connectionId : '',
        commonName: 'laptop-17',
        username: '',
        status: 'active',
        clientIp: expect.stringMatching(/^10\.\d+\.0\.2$/),
      }),
    ]);
  });

  it('sends the v2 request to the invoker with the function ARN', async () => {
    // Prepare
    const { invoker, calls } = recording(() => allow());
    emu.setConnectHandlerInvoker(invoker);

    // Act
    const result = await emu.connect({
      endpointId: SAML,
      username: 'jane.doe@example.com',
      publicIp: '198.51.100.7',
      platform: 'mac',
      platformVersion: '14.5',
      clientOpenVpnVersion: '2.6.8',
      groups: ['engineering', 'vpn-users'],
    });

    // Assess
    expect(result.allowed).toBe(true);
    expect(calls).toEqual([
      {
        functionArn: HANDLER,
        request: {
          'connection-id': result.allowed ? result.connectionId : '',
          'endpoint-id': SAML,
          'common-name': '',
          username: 'jane.doe@example.com',
          platform: 'mac',
          'platform-version': '14.5',
          'public-ip': '198.51.100.7',
          'client-openvpn-version': '2.6.8',
          groups: ['engineering', 'vpn-users'],
          'schema-version': 'v2',
        },
      },
    ]);
  });

  it('fills the request defaults (platform, versions, public IP, groups)', async () => {
    // Prepare
    const { invoker, calls } = recording(() => allow());
    emu.setConnectHandlerInvoker(invoker);

    // Act
    await emu.connect({ endpointId: SAML, username: 'jane.doe@example.com' });

    // Assess
    expect(calls[0]?.request).toMatchObject({
      platform: 'linux',
      'platform-version': '6.8.0',
      'client-openvpn-version': '2.6.12',
      'public-ip': expect.stringMatching(/^203\.0\.113\.\d+$/),
      groups: [],
    });
  });

  it('makes an allowed connection visible to DescribeClientVpnConnections, with its posture statuses, and terminable', async () => {
    // Prepare
    emu.setConnectHandlerInvoker(async () => allow(['compliant', 'disk-encrypted']));
    const result = await emu.connect({ endpointId: SAML, username: 'jane.doe@example.com' });
    const connectionId = result.allowed ? result.connectionId : '';
    const client = ec2Client(emu);

    // Act
    const described = await client.send(
      new DescribeClientVpnConnectionsCommand({
        ClientVpnEndpointId: SAML,
        Filters: [{ Name: 'username', Values: ['jane.doe@example.com'] }],
      }),
    );
    const terminated = await client.send(
      new TerminateClientVpnConnectionsCommand({
        ClientVpnEndpointId: SAML,
        Username: 'jane.doe@example.com',
      }),
    );

    // Assess
    expect(result).toEqual({
      allowed: true,
      connectionId,
      postureComplianceStatuses: ['compliant', 'disk-encrypted'],
    });
    expect(described.Connections).toEqual([
      expect.objectContaining({
        ConnectionId: connectionId,
        Username: 'jane.doe@example.com',
        Status: { Code: 'active' },
        ConnectionEndTime: '-',
        PostureComplianceStatuses: ['compliant', 'disk-encrypted'],
      }),
    ]);
    expect(terminated.ConnectionStatuses).toEqual([
      {
        ConnectionId: connectionId,
        PreviousStatus: { Code: 'active' },
        CurrentStatus: { Code: 'terminating' },
      },
    ]);
  });

  it('uses the given client IP and, on Active Directory endpoints, the username as common name', async () => {
    // Act
    const result = await emu.connect({
      endpointId: AD,
      region: 'eu-west-1',
      username: 'jdoe',
      clientIp: '10.99.0.50',
    });

    // Assess
    expect(result.allowed).toBe(true);
    expect(emu.connections({ endpointId: AD })).toEqual([
      expect.objectContaining({
        username: 'jdoe',
        commonName: 'jdoe',
        clientIp: '10.99.0.50',
        region: 'eu-west-1',
      }),
    ]);
  });

  it('denies with the handler message and reason client-connect-failed when the handler says no', async () => {
    // Prepare
    emu.setConnectHandlerInvoker(async () => ({
      allow: false,
      'error-msg-on-denied-connection': 'Your account is disabled.',
      'posture-compliance-statuses': [],
      'schema-version': 'v2',
    }));

    // Act
    const result = await emu.connect({ endpointId: SAML, username: 'jane.doe@example.com' });

    // Assess
    expect(result).toEqual({
      allowed: false,
      reason: 'client-connect-failed',
      message: 'Your account is disabled.',
    });
    expect(emu.connections({ username: 'jane.doe@example.com' })).toEqual([]);
  });

  it('denies with client-connect-handler-other-execution-error when the invoker throws', async () => {
    // Prepare
    emu.setConnectHandlerInvoker(() => {
      throw new Error('Runtime.ImportModuleError');
    });

    // Act
    const result = await emu.connect({ endpointId: SAML, username: 'jane.doe@example.com' });

    // Assess
    expect(result).toEqual({
      allowed: false,
      reason: 'client-connect-handler-other-execution-error',
      message: CONNECT_HANDLER_FAILED_MESSAGE,
    });
    expect(CONNECT_HANDLER_FAILED_MESSAGE).toBe(
      'Error establishing connection. Please contact your administrator.',
    );
    expect(emu.connectionAttempts().at(-1)?.detail).toBe('Error: Runtime.ImportModuleError');
  });

  it('denies with client-connect-handler-other-execution-error when the invoker rejects', async () => {
    // Prepare
    emu.setConnectHandlerInvoker(async () => Promise.reject(new TypeError('boom')));

    // Act
    const result = await emu.connect({ endpointId: SAML, username: 'jane.doe@example.com' });

    // Assess
    expect(result).toMatchObject({ allowed: false, reason: 'client-connect-handler-other-execution-error' });
  });

  it('denies with client-connect-handler-timed-out when the handler exceeds the timeout', async () => {
    // Prepare: the emulator's timeout is 100 ms here (connectHandlerTimeoutMs)
    emu.setConnectHandlerInvoker(() => new Promise(() => {}));
    const started = Date.now();

    // Act
    const result = await emu.connect({ endpointId: SAML, username: 'jane.doe@example.com' });

    // Assess
    expect(result).toEqual({
      allowed: false,
      reason: 'client-connect-handler-timed-out',
      message: CONNECT_HANDLER_FAILED_MESSAGE,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(emu.connectionAttempts().at(-1)).toMatchObject({ detail: 'no answer within 100 ms' });
  });

  it('ignores an answer that arrives after the timeout', async () => {
    // Prepare
    emu.setConnectHandlerInvoker(() => new Promise((resolve) => setTimeout(() => resolve(allow()), 200)));

    // Act
    const result = await emu.connect({ endpointId: SAML, username: 'late@example.com' });
    await new Promise((resolve) => setTimeout(resolve, 250));

    // Assess
    expect(result).toMatchObject({ allowed: false, reason: 'client-connect-handler-timed-out' });
    expect(emu.connections({ username: 'late@example.com' })).toEqual([]);
  });

  it.each([
    ['not an object', 'allow'],
    ['null', null],
    ['an array', [allow()]],
    ['allow missing', { ...allow(), allow: undefined }],
    ['allow as a string', { ...allow(), allow: 'true' }],
    ['no denial message', { ...allow(), 'error-msg-on-denied-connection': undefined }],
    [
      'a denial message over 255 characters',
      { ...allow(), 'error-msg-on-denied-connection': 'x'.repeat(256) },
    ],
    ['posture statuses missing', { ...allow(), 'posture-compliance-statuses': undefined }],
    ['11 posture statuses', allow(Array.from({ length: 11 }, (_, i) => `s${i}`))],
    ['a posture status that is not a string', { ...allow(), 'posture-compliance-statuses': [1] }],
    ['a posture status over 255 characters', allow(['y'.repeat(256)])],
    ['schema-version v1', { ...allow(), 'schema-version': 'v1' }],
    [
      'the v1 message name',
      {
        allow: true,
        'error-msg-on-failed-posture-compliance': '',
        'posture-compliance-statuses': [],
        'schema-version': 'v1',
      },
    ],
  ])('denies with client-connect-handler-invalid-response for %s', async (_, response) => {
    // Prepare
    emu.setConnectHandlerInvoker(async () => response);

    // Act
    const result = await emu.connect({ endpointId: SAML, username: 'jane.doe@example.com' });

    // Assess
    expect(result).toEqual({
      allowed: false,
      reason: 'client-connect-handler-invalid-response',
      message: CONNECT_HANDLER_FAILED_MESSAGE,
    });
    expect(emu.connections({ username: 'jane.doe@example.com' })).toEqual([]);
  });

  it('accepts the limits exactly: 255-character message, 10 statuses of 255 characters', async () => {
    // Prepare
    emu.setConnectHandlerInvoker(async () => ({
      ...allow(Array.from({ length: 10 }, () => 'z'.repeat(255))),
      'error-msg-on-denied-connection': 'm'.repeat(255),
    }));

    // Act
    const result = await emu.connect({ endpointId: SAML, username: 'jane.doe@example.com' });

    // Assess
    expect(result.allowed).toBe(true);
  });

  it('denies with client-connect-handler-service-error when no invoker is registered', async () => {
    // Act
    const result = await emu.connect({ endpointId: SAML, username: 'jane.doe@example.com' });

    // Assess
    expect(result).toEqual({
      allowed: false,
      reason: 'client-connect-handler-service-error',
      message: CONNECT_HANDLER_FAILED_MESSAGE,
    });
  });

  it('denies with endpoint-not-available on an endpoint that is not available', async () => {
    // Act
    const result = await emu.connect({ endpointId: 'cvpn-endpoint-pending' });

    // Assess
    expect(result).toEqual({
      allowed: false,
      reason: 'endpoint-not-available',
      message: CONNECT_HANDLER_FAILED_MESSAGE,
    });
  });

  it('throws for an unknown endpoint, an endpoint in another region and malformed input', async () => {
    // Act / Assess
    await expect(emu.connect({ endpointId: 'cvpn-endpoint-0nope' })).rejects.toThrow(
      "there is no Client VPN endpoint 'cvpn-endpoint-0nope'",
    );
    await expect(emu.connect({ endpointId: AD, region: 'us-east-1' })).rejects.toThrow('in us-east-1');
    await expect(emu.connect({ endpointId: PLAIN, clientIp: '10.0.0' })).rejects.toThrow(TypeError);
    await expect(
      emu.connect({ endpointId: PLAIN, groups: Array.from({ length: 201 }, () => 'g') }),
    ).rejects.toThrow(RangeError);
    expect(emu.connectionAttempts()).toEqual([]);
  });

  it('follows ModifyClientVpnEndpoint: after disabling the handler, attempts are allowed without calling it', async () => {
    // Prepare
    const { invoker, calls } = recording(() => ({ ...allow(), allow: false }));
    emu.setConnectHandlerInvoker(invoker);
    const denied = await emu.connect({ endpointId: SAML, username: 'jane.doe@example.com' });
    await ec2Client(emu).send(
      new ModifyClientVpnEndpointCommand({
        ClientVpnEndpointId: SAML,
        ClientConnectOptions: { Enabled: false },
      }),
    );

    // Act
    const allowed = await emu.connect({ endpointId: SAML, username: 'jane.doe@example.com' });

    // Assess
    expect(denied.allowed).toBe(false);
    expect(allowed.allowed).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('logs every attempt with its outcome, handler request and response', async () => {
    // Prepare
    let n = 0;
    emu.setConnectHandlerInvoker(async () =>
      n++ === 0 ? allow(['compliant']) : { ...allow(), allow: false },
    );

    // Act
    await emu.connect({ endpointId: SAML, username: 'a@example.com' });
    await emu.connect({ endpointId: SAML, username: 'b@example.com' });
    await emu.connect({ endpointId: PLAIN, commonName: 'c' });
    const attempts = emu.connectionAttempts();

    // Assess
    expect(
      attempts.map((a) => [a.seq, a.endpointId, a.username || a.commonName, a.allowed, a.reason]),
    ).toEqual([
      [1, SAML, 'a@example.com', true, undefined],
      [2, SAML, 'b@example.com', false, 'client-connect-failed'],
      [3, PLAIN, 'c', true, undefined],
    ]);
    expect(attempts[0]).toMatchObject({
      region: 'us-east-1',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      clientIp: expect.stringMatching(/^10\./),
      postureComplianceStatuses: ['compliant'],
      handler: {
        functionArn: HANDLER,
        request: { username: 'a@example.com', 'schema-version': 'v2' },
        response: allow(['compliant']),
        durationMs: expect.any(Number),
      },
    });
    expect(attempts[2]?.handler).toBeUndefined();
  });
});

describe('connection attempts: options and reset', () => {
  let emu: Emulator | undefined;

  afterEach(async () => {
    await emu?.stop();
    emu = undefined;
  });

  it('reset() clears the attempt log and goes back to the start invoker', async () => {
    // Prepare
    emu = await startEmulator({
      connectHandlerInvoker: async () => allow(['from-start-option']),
      seed: {
        endpoints: [
          {
            id: SAML,
            region: 'us-east-1',
            clientConnectOptions: { enabled: true, lambdaFunctionArn: HANDLER },
          },
        ],
      },
    });
    emu.setConnectHandlerInvoker(undefined);
    await emu.connect({ endpointId: SAML, username: 'a' });

    // Act
    emu.reset();
    const afterReset = emu.connectionAttempts();
    const result = await emu.connect({ endpointId: SAML, username: 'a' });

    // Assess
    expect(afterReset).toEqual([]);
    expect(result).toMatchObject({ allowed: true, postureComplianceStatuses: ['from-start-option'] });
  });

  it('refuses a non-positive connectHandlerTimeoutMs', async () => {
    // Act / Assess
    await expect(startEmulator({ connectHandlerTimeoutMs: 0 })).rejects.toThrow(RangeError);
  });
});
