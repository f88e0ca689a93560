import {
  DescribeClientVpnConnectionsCommand,
  DescribeClientVpnEndpointsCommand,
  EC2Client,
  EC2ServiceException,
  TerminateClientVpnConnectionsCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientVpnApiError } from '../../lambda/core/errors.ts';
import {
  CONNECTIONS_PAGE_SIZE,
  ec2ClientVpnApi,
  toClientVpnApiError,
} from '../../lambda/engine/adapters/ec2-client-vpn.ts';

const REGION = 'us-east-1';
const ENDPOINT = 'cvpn-endpoint-0a1b2c3d4e5f6a7b8';

const ec2 = mockClient(EC2Client);

function setup() {
  const createClient = vi.fn((region: string) => new EC2Client({ region }));
  const forRegion = ec2ClientVpnApi(createClient);
  return { createClient, forRegion, api: forRegion(REGION) };
}

/** An error shaped like the ones the SDK throws after reading an EC2 error response. */
const sdkError = (
  name: string,
  fault: 'client' | 'server',
  httpStatusCode: number,
  message = `${name} message`,
) => Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode } });

/** Calls `operation` expecting a ClientVpnApiError; returns it for assertions. */
async function apiError(operation: () => Promise<unknown>): Promise<ClientVpnApiError> {
  try {
    await operation();
  } catch (error) {
    if (error instanceof ClientVpnApiError) return error;
    throw error;
  }
  throw new Error('expected a ClientVpnApiError');
}

beforeEach(() => {
  ec2.reset();
});

describe('ec2ClientVpnApi — describeConnections', () => {
  it('asks for the largest page of the endpoint, without a filter or token', async () => {
    // Prepare
    ec2.on(DescribeClientVpnConnectionsCommand).resolves({ Connections: [] });
    const { api } = setup();

    // Act
    await api.describeConnections(ENDPOINT);

    // Assess
    const calls = ec2.commandCalls(DescribeClientVpnConnectionsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      ClientVpnEndpointId: ENDPOINT,
      MaxResults: 1000,
      NextToken: undefined,
    });
    expect(CONNECTIONS_PAGE_SIZE).toBe(1000);
  });

  it('sends the NextToken it is given', async () => {
    // Prepare
    ec2.on(DescribeClientVpnConnectionsCommand).resolves({ Connections: [] });
    const { api } = setup();

    // Act
    await api.describeConnections(ENDPOINT, { nextToken: 'page-2' });

    // Assess
    expect(ec2.commandCalls(DescribeClientVpnConnectionsCommand)[0]?.args[0].input).toMatchObject({
      ClientVpnEndpointId: ENDPOINT,
      MaxResults: 1000,
      NextToken: 'page-2',
    });
  });

  it('filters by connection-id when ids are given', async () => {
    // Prepare
    ec2.on(DescribeClientVpnConnectionsCommand).resolves({ Connections: [] });
    const { api } = setup();
    const ids = ['cvpn-connection-0f1e2d3c4b5a69788', 'cvpn-connection-0a9b8c7d6e5f43210'];

    // Act
    await api.describeConnections(ENDPOINT, { connectionIds: ids, nextToken: 't' });

    // Assess
    expect(ec2.commandCalls(DescribeClientVpnConnectionsCommand)[0]?.args[0].input).toEqual({
      ClientVpnEndpointId: ENDPOINT,
      Filters: [{ Name: 'connection-id', Values: ids }],
      MaxResults: 1000,
      NextToken: 't',
    });
  });

  it('maps each connection to a ConnectionSummary', async () => {
    // Prepare
    ec2.on(DescribeClientVpnConnectionsCommand).resolves({
      Connections: [
        {
          ClientVpnEndpointId: ENDPOINT,
          Timestamp: '2025-03-04 15:22:50',
          ConnectionId: 'cvpn-connection-0f1e2d3c4b5a69788',
          Username: 'Jane.Doe@example.com',
          ConnectionEstablishedTime: '2025-03-04 08:01:12',
          ClientIp: '10.100.0.34',
          CommonName: '',
          Status: { Code: 'active' },
          ConnectionEndTime: '-',
        },
        {
          ConnectionId: 'cvpn-connection-0123456789abcdef0',
          CommonName: 'laptop-42.vpn.example.com',
          ConnectionEstablishedTime: '2025-03-04 14:50:02',
          Status: { Code: 'terminated', Message: 'Terminated by the administrator' },
        },
      ],
      NextToken: 'page-2',
    });
    const { api } = setup();

    // Act
    const page = await api.describeConnections(ENDPOINT);

    // Assess
    expect(page).toEqual({
      items: [
        {
          connectionId: 'cvpn-connection-0f1e2d3c4b5a69788',
          username: 'Jane.Doe@example.com',
          commonName: '',
          status: 'active',
          statusMessage: undefined,
          establishedTime: '2025-03-04 08:01:12',
        },
        {
          connectionId: 'cvpn-connection-0123456789abcdef0',
          username: undefined,
          commonName: 'laptop-42.vpn.example.com',
          status: 'terminated',
          statusMessage: 'Terminated by the administrator',
          establishedTime: '2025-03-04 14:50:02',
        },
      ],
      nextToken: 'page-2',
    });
  });

  it('fills in a connection without id or status', async () => {
    // Prepare
    ec2.on(DescribeClientVpnConnectionsCommand).resolves({ Connections: [{ Username: 'jane' }] });
    const { api } = setup();

    // Act
    const page = await api.describeConnections(ENDPOINT);

    // Assess
    expect(page.items).toEqual([expect.objectContaining({ connectionId: '', status: 'unknown' })]);
  });

  it.each([
    ['an empty NextToken', { Connections: [], NextToken: '' }],
    ['no NextToken', { Connections: [] }],
    ['no Connections at all', {}],
  ])('returns an empty last page for %s', async (_, output) => {
    // Prepare
    ec2.on(DescribeClientVpnConnectionsCommand).resolves(output);
    const { api } = setup();

    // Act
    const page = await api.describeConnections(ENDPOINT);

    // Assess
    expect(page.items).toEqual([]);
    expect(page.nextToken).toBeUndefined();
  });
});

describe('ec2ClientVpnApi — describeEndpoints', () => {
  it('asks for the largest page and sends the NextToken', async () => {
    // Prepare
    ec2.on(DescribeClientVpnEndpointsCommand).resolves({ ClientVpnEndpoints: [] });
    const { api } = setup();

    // Act
    await api.describeEndpoints('page-2');

    // Assess
    expect(ec2.commandCalls(DescribeClientVpnEndpointsCommand)[0]?.args[0].input).toEqual({
      MaxResults: 1000,
      NextToken: 'page-2',
    });
  });

  it('maps endpoints with their tags as a record', async () => {
    // Prepare
    ec2.on(DescribeClientVpnEndpointsCommand).resolves({
      ClientVpnEndpoints: [
        {
          ClientVpnEndpointId: ENDPOINT,
          Status: { Code: 'available' },
          Tags: [
            { Key: 'revoker', Value: 'enabled' },
            { Key: 'Name', Value: 'corp-vpn' },
          ],
        },
        { ClientVpnEndpointId: 'cvpn-endpoint-0aaa0000000000002', Status: { Code: 'pending-associate' } },
        { Tags: [{ Key: 'empty' }] },
      ],
      NextToken: 'more',
    });
    const { api } = setup();

    // Act
    const page = await api.describeEndpoints();

    // Assess
    expect(page).toEqual({
      items: [
        { endpointId: ENDPOINT, status: 'available', tags: { revoker: 'enabled', Name: 'corp-vpn' } },
        { endpointId: 'cvpn-endpoint-0aaa0000000000002', status: 'pending-associate', tags: {} },
        { endpointId: '', status: 'unknown', tags: { empty: '' } },
      ],
      nextToken: 'more',
    });
  });

  it.each([
    ['an empty NextToken', { ClientVpnEndpoints: [], NextToken: '' }],
    ['no ClientVpnEndpoints', {}],
  ])('returns an empty last page for %s', async (_, output) => {
    // Prepare
    ec2.on(DescribeClientVpnEndpointsCommand).resolves(output);
    const { api } = setup();

    // Act
    const page = await api.describeEndpoints();

    // Assess
    expect(page).toEqual({ items: [], nextToken: undefined });
  });
});

describe('ec2ClientVpnApi — terminate', () => {
  it('terminates by username with Username and no ConnectionId', async () => {
    // Prepare
    ec2.on(TerminateClientVpnConnectionsCommand).resolves({ ConnectionStatuses: [] });
    const { api } = setup();

    // Act
    await api.terminate(ENDPOINT, { username: 'jane.doe@example.com' });

    // Assess
    const input = ec2.commandCalls(TerminateClientVpnConnectionsCommand)[0]?.args[0].input;
    expect(input).toEqual({ ClientVpnEndpointId: ENDPOINT, Username: 'jane.doe@example.com' });
    expect(input).not.toHaveProperty('ConnectionId');
  });

  it('terminates by id with ConnectionId and no Username', async () => {
    // Prepare
    ec2.on(TerminateClientVpnConnectionsCommand).resolves({ ConnectionStatuses: [] });
    const { api } = setup();

    // Act
    await api.terminate(ENDPOINT, { connectionId: 'cvpn-connection-0f1e2d3c4b5a69788' });

    // Assess
    const input = ec2.commandCalls(TerminateClientVpnConnectionsCommand)[0]?.args[0].input;
    expect(input).toEqual({
      ClientVpnEndpointId: ENDPOINT,
      ConnectionId: 'cvpn-connection-0f1e2d3c4b5a69788',
    });
    expect(input).not.toHaveProperty('Username');
  });

  it('maps every ConnectionStatuses entry', async () => {
    // Prepare
    ec2.on(TerminateClientVpnConnectionsCommand).resolves({
      ClientVpnEndpointId: ENDPOINT,
      Username: 'jane.doe@example.com',
      ConnectionStatuses: [
        {
          ConnectionId: 'cvpn-connection-0f1e2d3c4b5a69788',
          PreviousStatus: { Code: 'active' },
          CurrentStatus: { Code: 'terminating' },
        },
        {
          ConnectionId: 'cvpn-connection-0a9b8c7d6e5f43210',
          PreviousStatus: { Code: 'active' },
          CurrentStatus: { Code: 'failed-to-terminate', Message: 'Internal error' },
        },
        {},
      ],
    });
    const { api } = setup();

    // Act
    const statuses = await api.terminate(ENDPOINT, { username: 'jane.doe@example.com' });

    // Assess
    expect(statuses).toEqual([
      {
        connectionId: 'cvpn-connection-0f1e2d3c4b5a69788',
        previousStatus: 'active',
        currentStatus: 'terminating',
        message: undefined,
      },
      {
        connectionId: 'cvpn-connection-0a9b8c7d6e5f43210',
        previousStatus: 'active',
        currentStatus: 'failed-to-terminate',
        message: 'Internal error',
      },
      { connectionId: '', previousStatus: undefined, currentStatus: undefined, message: undefined },
    ]);
  });

  it('returns no statuses when EC2 sends none', async () => {
    // Prepare
    ec2.on(TerminateClientVpnConnectionsCommand).resolves({});
    const { api } = setup();

    // Act
    const statuses = await api.terminate(ENDPOINT, { username: 'jane.doe@example.com' });

    // Assess
    expect(statuses).toEqual([]);
  });
});

describe('ec2ClientVpnApi — clients', () => {
  it('creates one client per region, once, and reuses it', async () => {
    // Prepare
    ec2.on(DescribeClientVpnEndpointsCommand).resolves({});
    const createClient = vi.fn((region: string) => new EC2Client({ region }));
    const forRegion = ec2ClientVpnApi(createClient);

    // Act
    const first = forRegion('us-east-1');
    await first.describeEndpoints();
    const again = forRegion('us-east-1');
    await again.describeEndpoints();
    const other = forRegion('eu-west-1');
    await other.describeEndpoints();
    forRegion('eu-west-1');

    // Assess
    expect(createClient).toHaveBeenCalledTimes(2);
    expect(createClient.mock.calls).toEqual([
      ['us-east-1', undefined],
      ['eu-west-1', undefined],
    ]);
    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });

  it('sends each region’s calls through that region’s client', async () => {
    // Prepare
    ec2.on(DescribeClientVpnEndpointsCommand).resolves({});
    const createClient = vi.fn((region: string) => new EC2Client({ region }));
    const forRegion = ec2ClientVpnApi(createClient);

    // Act
    await forRegion('us-east-1').describeEndpoints();
    await forRegion('eu-west-1').describeEndpoints();
    await forRegion('us-east-1').describeEndpoints();

    // Assess
    const clients = createClient.mock.results.map((result) => result.value);
    const senders = ec2.commandCalls(DescribeClientVpnEndpointsCommand).map((call) => call.thisValue);
    expect(senders).toEqual([clients[0], clients[1], clients[0]]);
    expect(senders[0]).toBe(clients[0]);
    expect(senders[1]).toBe(clients[1]);
  });

  it('creates no client until a region is used', () => {
    // Prepare
    const createClient = vi.fn((region: string) => new EC2Client({ region }));

    // Act
    ec2ClientVpnApi(createClient);

    // Assess
    expect(createClient).not.toHaveBeenCalled();
  });
});

describe('ec2ClientVpnApi — errors', () => {
  it('turns a rejected describeConnections into a ClientVpnApiError with the EC2 code', async () => {
    // Prepare
    const error = sdkError('InvalidClientVpnEndpointId.NotFound', 'client', 400);
    ec2.on(DescribeClientVpnConnectionsCommand).rejects(error);
    const { api } = setup();

    // Act
    const thrown = await apiError(() => api.describeConnections(ENDPOINT));

    // Assess
    expect(thrown.code).toBe('InvalidClientVpnEndpointId.NotFound');
    expect(thrown.retryable).toBe(false);
    expect(thrown.cause).toBe(error);
  });

  it('turns a throttled describeEndpoints into a retryable error', async () => {
    // Prepare
    ec2.on(DescribeClientVpnEndpointsCommand).rejects(sdkError('RequestLimitExceeded', 'client', 503));
    const { api } = setup();

    // Act
    const thrown = await apiError(() => api.describeEndpoints());

    // Assess
    expect(thrown.code).toBe('RequestLimitExceeded');
    expect(thrown.retryable).toBe(true);
  });

  it('turns a failed terminate into a ClientVpnApiError', async () => {
    // Prepare
    ec2
      .on(TerminateClientVpnConnectionsCommand)
      .rejects(sdkError('InvalidClientVpnConnection.UserNotFound', 'client', 400));
    const { api } = setup();

    // Act
    const thrown = await apiError(() => api.terminate(ENDPOINT, { username: 'jane.doe@example.com' }));

    // Assess
    expect(thrown.code).toBe('InvalidClientVpnConnection.UserNotFound');
    expect(thrown.retryable).toBe(false);
  });
});

describe('toClientVpnApiError', () => {
  it.each([
    ['InvalidClientVpnEndpointId.NotFound', 'client', 400, false],
    ['InvalidClientVpnConnection.IdNotFound', 'client', 400, false],
    ['ClientVpnTerminateConnectionsLimitExceeded', 'client', 400, false],
    ['UnauthorizedOperation', 'client', 403, false],
    ['InvalidPaginationToken', 'client', 400, false],
    ['RequestLimitExceeded', 'client', 503, true],
    ['RequestLimitExceeded', 'client', 400, true],
    ['InternalError', 'server', 500, true],
    ['Unavailable', 'server', 503, true],
  ] as const)('keeps %s ($fault %s, HTTP %i) as the code; retryable %s', (name, fault, status, retryable) => {
    // Prepare
    const error = sdkError(name, fault, status);

    // Act
    const mapped = toClientVpnApiError(error);

    // Assess
    expect(mapped).toBeInstanceOf(ClientVpnApiError);
    expect(mapped.code).toBe(name);
    expect(mapped.retryable).toBe(retryable);
    expect(mapped.message).toBe(`${name} message`);
    expect(mapped.cause).toBe(error);
  });

  it('maps the SDK’s own EC2ServiceException', () => {
    // Prepare
    const error = new EC2ServiceException({
      name: 'InvalidClientVpnEndpointId.NotFound',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: "The Client VPN endpoint ID 'cvpn-endpoint-0a1b2c3d4e5f6a7b8' does not exist",
    });

    // Act
    const mapped = toClientVpnApiError(error);

    // Assess
    expect(mapped.code).toBe('InvalidClientVpnEndpointId.NotFound');
    expect(mapped.retryable).toBe(false);
    expect(mapped.message).toBe(
      "The Client VPN endpoint ID 'cvpn-endpoint-0a1b2c3d4e5f6a7b8' does not exist",
    );
  });

  it('treats an EC2ServiceException server fault as retryable', () => {
    // Prepare
    const error = new EC2ServiceException({
      name: 'InternalError',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
    });

    // Act
    const mapped = toClientVpnApiError(error);

    // Assess
    expect(mapped.code).toBe('InternalError');
    expect(mapped.retryable).toBe(true);
  });

  it('treats an error the SDK marked $retryable as retryable', () => {
    // Prepare
    const error = Object.assign(sdkError('SomeThrottle', 'client', 400), {
      $retryable: { throttling: true },
    });

    // Act
    const mapped = toClientVpnApiError(error);

    // Assess
    expect(mapped.retryable).toBe(true);
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'])(
    'treats a network error with code %s as retryable, keeping the code',
    (code) => {
      // Prepare
      const error = Object.assign(new Error('socket hang up'), { code });

      // Act
      const mapped = toClientVpnApiError(error);

      // Assess
      expect(mapped.code).toBe(code);
      expect(mapped.retryable).toBe(true);
      expect(mapped.message).toBe('socket hang up');
    },
  );

  it('treats an SDK TimeoutError as retryable', () => {
    // Prepare
    const error = Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' });

    // Act
    const mapped = toClientVpnApiError(error);

    // Assess
    expect(mapped.code).toBe('TimeoutError');
    expect(mapped.retryable).toBe(true);
  });

  it('maps a plain Error to UnexpectedError, not retryable', () => {
    // Prepare
    const error = new Error('boom');

    // Act
    const mapped = toClientVpnApiError(error);

    // Assess
    expect(mapped.code).toBe('UnexpectedError');
    expect(mapped.retryable).toBe(false);
    expect(mapped.message).toBe('boom');
    expect(mapped.cause).toBe(error);
  });

  it('maps a thrown string to UnexpectedError', () => {
    // Prepare
    const error = 'something odd';

    // Act
    const mapped = toClientVpnApiError(error);

    // Assess
    expect(mapped.code).toBe('UnexpectedError');
    expect(mapped.retryable).toBe(false);
    expect(mapped.message).toBe('something odd');
  });

  it('returns a ClientVpnApiError unchanged', () => {
    // Prepare
    const error = new ClientVpnApiError('RequestLimitExceeded', 'slow down', true);

    // Act
    const mapped = toClientVpnApiError(error);

    // Assess
    expect(mapped).toBe(error);
  });
});
