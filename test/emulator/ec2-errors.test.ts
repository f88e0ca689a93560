import {
  DescribeClientVpnConnectionsCommand,
  DescribeClientVpnEndpointsCommand,
  EC2Client,
  TerminateClientVpnConnectionsCommand,
} from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/server.ts';
import { credentials, ec2Client, failure, rawEc2, useEmulator } from './helpers.ts';

const ENDPOINT = 'cvpn-endpoint-0a1b2c3d4e5f6a7b8';
const SECOND = 'cvpn-endpoint-0b2c3d4e5f6a7b8c9';

describe('EC2 errors: codes, HTTP statuses, envelope', () => {
  const emu = useEmulator();

  beforeEach(() => {
    emu.seed({
      endpoints: [
        {
          id: ENDPOINT,
          region: 'us-east-1',
          connections: [{ id: 'cvpn-connection-0aaaaaaaaaaaaaaa1', username: 'a' }],
        },
        { id: SECOND, region: 'us-east-1', connections: [{ username: 'b' }] },
        { id: 'cvpn-endpoint-deleted', region: 'us-east-1', status: 'deleted' },
        { id: 'cvpn-endpoint-eu', region: 'eu-west-1', connections: [{ username: 'a' }] },
      ],
    });
  });

  const terminate = (input: {
    ClientVpnEndpointId?: string;
    ConnectionId?: string;
    Username?: string;
    DryRun?: boolean;
  }) =>
    ec2Client(emu).send(new TerminateClientVpnConnectionsCommand(input as { ClientVpnEndpointId: string }));
  const describeConnections = (input: {
    ClientVpnEndpointId?: string;
    MaxResults?: number;
    NextToken?: string;
  }) =>
    ec2Client(emu).send(new DescribeClientVpnConnectionsCommand(input as { ClientVpnEndpointId: string }));

  it.each([
    ['Terminate without ClientVpnEndpointId', () => terminate({ Username: 'a' })],
    ['Describe connections without ClientVpnEndpointId', () => describeConnections({})],
  ])('answers MissingParameter 400: %s', async (_, call) => {
    // Act
    const error = await failure(call());

    // Assess
    expect(error.name).toBe('MissingParameter');
    expect(error.message).toBe('The request must contain the parameter ClientVpnEndpointId');
    expect(error.$fault).toBe('client');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([1, 4, 1001])('answers InvalidParameterValue 400 for MaxResults %i', async (maxResults) => {
    // Act
    const error = await failure(
      describeConnections({ ClientVpnEndpointId: ENDPOINT, MaxResults: maxResults }),
    );

    // Assess
    expect(error.name).toBe('InvalidParameterValue');
    expect(error.message).toContain('between 5 and 1000');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('answers InvalidParameterValue 400 for malformed values', async () => {
    // Act
    const dryRun = await rawEc2(
      emu,
      `Action=TerminateClientVpnConnections&Version=2016-11-15&ClientVpnEndpointId=${ENDPOINT}&Username=a&DryRun=yes`,
    );
    const maxResults = await rawEc2(
      emu,
      `Action=DescribeClientVpnEndpoints&Version=2016-11-15&MaxResults=ten`,
    );

    // Assess
    for (const response of [dryRun, maxResults]) {
      expect(response.status).toBe(400);
      expect(response.text).toContain('<Code>InvalidParameterValue</Code>');
    }
  });

  it.each([
    ['both', { ConnectionId: 'cvpn-connection-0aaaaaaaaaaaaaaa1', Username: 'a' }],
    ['neither', {}],
  ])('answers InvalidParameterCombination 400 with %s of ConnectionId and Username', async (_, input) => {
    // Act
    const error = await failure(terminate({ ClientVpnEndpointId: ENDPOINT, ...input }));

    // Assess
    expect(error.name).toBe('InvalidParameterCombination');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('answers InvalidFilter 400 for filter names the operation does not know (names are case-sensitive)', async () => {
    // Prepare
    const ec2 = ec2Client(emu);

    // Act
    const status = await failure(
      ec2.send(
        new DescribeClientVpnConnectionsCommand({
          ClientVpnEndpointId: ENDPOINT,
          Filters: [{ Name: 'status', Values: ['active'] }],
        }),
      ),
    );
    const upperCase = await failure(
      ec2.send(
        new DescribeClientVpnConnectionsCommand({
          ClientVpnEndpointId: ENDPOINT,
          Filters: [{ Name: 'Username', Values: ['a'] }],
        }),
      ),
    );
    const tag = await failure(
      ec2.send(new DescribeClientVpnEndpointsCommand({ Filters: [{ Name: 'tag:Name', Values: ['x'] }] })),
    );

    // Assess
    for (const error of [status, upperCase, tag]) {
      expect(error.name).toBe('InvalidFilter');
      expect(error.$metadata.httpStatusCode).toBe(400);
    }
  });

  it('answers InvalidPaginationToken 400 for a garbled token or one from another query', async () => {
    // Prepare
    emu.seed({
      endpoints: [{ id: ENDPOINT, region: 'us-east-1', connections: Array.from({ length: 9 }, () => ({})) }],
    });
    const page = await describeConnections({ ClientVpnEndpointId: ENDPOINT, MaxResults: 5 });

    // Act
    const garbled = await failure(
      describeConnections({ ClientVpnEndpointId: ENDPOINT, NextToken: 'not-a-token' }),
    );
    const foreign = await failure(
      describeConnections({ ClientVpnEndpointId: SECOND, NextToken: page.NextToken }),
    );

    // Assess
    expect(page.NextToken).toEqual(expect.any(String));
    for (const error of [garbled, foreign]) {
      expect(error.name).toBe('InvalidPaginationToken');
      expect(error.$metadata.httpStatusCode).toBe(400);
    }
  });

  it.each([
    ['an unknown endpoint', 'cvpn-endpoint-0000000000000000f'],
    ['an endpoint with status deleted', 'cvpn-endpoint-deleted'],
    ['an endpoint of another region', 'cvpn-endpoint-eu'],
  ])('answers InvalidClientVpnEndpointId.NotFound 400 for %s', async (_, endpointId) => {
    // Act
    const describeError = await failure(describeConnections({ ClientVpnEndpointId: endpointId }));
    const terminateError = await failure(terminate({ ClientVpnEndpointId: endpointId, Username: 'a' }));
    const endpointsError = await failure(
      ec2Client(emu).send(new DescribeClientVpnEndpointsCommand({ ClientVpnEndpointIds: [endpointId] })),
    );

    // Assess
    for (const error of [describeError, terminateError, endpointsError]) {
      expect(error.name).toBe('InvalidClientVpnEndpointId.NotFound');
      expect(error.message).toBe(`The Client VPN endpoint ID '${endpointId}' does not exist`);
      expect(error.$metadata.httpStatusCode).toBe(400);
    }
  });

  it('removes an endpoint at runtime, immediately or after more calls', async () => {
    // Prepare
    emu.faults.removeEndpoint(SECOND, { afterCalls: 1, action: 'DescribeClientVpnConnections' });

    // Act
    const describedBeforeRemoval = await describeConnections({ ClientVpnEndpointId: SECOND });
    const terminateAfterRemoval = await failure(terminate({ ClientVpnEndpointId: SECOND, Username: 'b' }));
    emu.faults.removeEndpoint(ENDPOINT);
    const removedNow = await failure(describeConnections({ ClientVpnEndpointId: ENDPOINT }));

    // Assess
    expect(describedBeforeRemoval.Connections).toHaveLength(1);
    expect(terminateAfterRemoval.name).toBe('InvalidClientVpnEndpointId.NotFound');
    expect(removedNow.name).toBe('InvalidClientVpnEndpointId.NotFound');
    expect(emu.endpoints().map((e) => e.endpointId)).not.toContain(ENDPOINT);
  });

  it('answers UnauthorizedOperation 403 per region and action', async () => {
    // Prepare
    emu.faults.unauthorized({ region: 'us-east-1', action: 'TerminateClientVpnConnections' });

    // Act
    const denied = await failure(terminate({ ClientVpnEndpointId: ENDPOINT, Username: 'a' }));
    const describeStillAllowed = await describeConnections({ ClientVpnEndpointId: ENDPOINT });
    const otherRegionAllowed = await ec2Client(emu, 'eu-west-1').send(
      new TerminateClientVpnConnectionsCommand({ ClientVpnEndpointId: 'cvpn-endpoint-eu', Username: 'a' }),
    );

    // Assess
    expect(denied.name).toBe('UnauthorizedOperation');
    expect(denied.message).toContain('is not authorized to perform: ec2:TerminateClientVpnConnections');
    expect(denied.$fault).toBe('client');
    expect(denied.$metadata.httpStatusCode).toBe(403);
    expect(describeStillAllowed.Connections).toHaveLength(1);
    expect(otherRegionAllowed.ConnectionStatuses).toHaveLength(1);
  });

  it('answers UnauthorizedOperation 403 per endpoint', async () => {
    // Prepare
    emu.faults.unauthorized({ endpointId: SECOND });

    // Act
    const denied = await failure(terminate({ ClientVpnEndpointId: SECOND, Username: 'b' }));
    const allowed = await terminate({ ClientVpnEndpointId: ENDPOINT, Username: 'a' });

    // Assess
    expect(denied.name).toBe('UnauthorizedOperation');
    expect(denied.message).toContain(`client-vpn-endpoint/${SECOND}`);
    expect(allowed.ConnectionStatuses).toHaveLength(1);
  });

  it('answers DryRunOperation 412 when allowed and changes nothing; 403 when not allowed', async () => {
    // Prepare
    const input = { ClientVpnEndpointId: ENDPOINT, Username: 'a', DryRun: true };

    // Act
    const dryRun = await failure(terminate(input));
    const describeDryRun = await failure(
      ec2Client(emu).send(new DescribeClientVpnEndpointsCommand({ DryRun: true })),
    );
    emu.faults.unauthorized({ action: 'TerminateClientVpnConnections' });
    const deniedDryRun = await failure(terminate(input));

    // Assess
    expect(dryRun.name).toBe('DryRunOperation');
    expect(dryRun.message).toBe('Request would have succeeded, but DryRun flag is set.');
    expect(dryRun.$metadata.httpStatusCode).toBe(412);
    expect(describeDryRun.$metadata.httpStatusCode).toBe(412);
    expect(emu.connections({ username: 'a', region: 'us-east-1' })[0]?.status).toBe('active');
    expect(deniedDryRun.$metadata.httpStatusCode).toBe(403);
  });

  it('answers RequestLimitExceeded 503 for the next N calls of an action ("throttle storm")', async () => {
    // Prepare
    emu.faults.throttleNext('DescribeClientVpnConnections', 2);

    // Act
    const first = await failure(describeConnections({ ClientVpnEndpointId: ENDPOINT }));
    const second = await failure(describeConnections({ ClientVpnEndpointId: ENDPOINT }));
    const third = await describeConnections({ ClientVpnEndpointId: ENDPOINT });

    // Assess
    for (const error of [first, second]) {
      expect(error.name).toBe('RequestLimitExceeded');
      expect(error.message).toBe('Request limit exceeded.');
      expect(error.$fault).toBe('server');
      expect(error.$metadata.httpStatusCode).toBe(503);
    }
    expect(third.$metadata.httpStatusCode).toBe(200);
    expect(emu.callCounts()['us-east-1:DescribeClientVpnConnections']).toEqual({
      region: 'us-east-1',
      action: 'DescribeClientVpnConnections',
      calls: 3,
      errors: 2,
      throttled: 2,
    });
  });

  it('retries RequestLimitExceeded with the SDK’s standard retry strategy', async () => {
    // Prepare
    emu.faults.throttleNext('DescribeClientVpnEndpoints', 1);
    const ec2 = new EC2Client({ endpoint: emu.url, region: 'us-east-1', credentials, maxAttempts: 2 });

    // Act
    const result = await ec2.send(new DescribeClientVpnEndpointsCommand({}));

    // Assess
    expect(result.$metadata.attempts).toBe(2);
    expect(emu.callCounts()['us-east-1:DescribeClientVpnEndpoints']?.throttled).toBe(1);
  });

  it('answers InvalidAction 400 for unknown actions and MissingAction without one', async () => {
    // Act
    const unknown = await rawEc2(emu, 'Action=DescribeInstances&Version=2016-11-15');
    const missing = await rawEc2(emu, 'Version=2016-11-15');

    // Assess
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('<Code>InvalidAction</Code>');
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('<Code>MissingParameter</Code>');
  });

  it('writes the EC2 error envelope and headers', async () => {
    // Act
    const response = await rawEc2(emu, 'Action=DescribeClientVpnConnections&Version=2016-11-15');

    // Assess
    const requestId = response.headers.get('x-amzn-requestid');
    expect(response.headers.get('content-type')).toBe('text/xml;charset=UTF-8');
    expect(response.headers.get('server')).toBe('AmazonEC2');
    expect(response.text).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>MissingParameter</Code>' +
        '<Message>The request must contain the parameter ClientVpnEndpointId</Message></Error></Errors>' +
        `<RequestID>${requestId}</RequestID></Response>`,
    );
  });

  it('writes the success body with the header request id and lowercase <item>', async () => {
    // Act
    const response = await rawEc2(
      emu,
      `Action=DescribeClientVpnConnections&Version=2016-11-15&ClientVpnEndpointId=${ENDPOINT}`,
    );

    // Assess
    const requestId = response.headers.get('x-amzn-requestid');
    expect(response.status).toBe(200);
    expect(response.text).toMatch(
      new RegExp(
        '^<\\?xml version="1.0" encoding="UTF-8"\\?>\\n<DescribeClientVpnConnectionsResponse ' +
          `xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${requestId}</requestId>` +
          '<connections><item><clientVpnEndpointId>',
      ),
    );
    expect(response.text).not.toContain('<nextToken>');
  });

  it('injects reproducible random InternalError 500 / Unavailable 503 from the seeded PRNG', async () => {
    // Prepare
    const outcomes = async (target: Emulator) => {
      target.faults.randomErrors({ probability: 0.5, actions: ['DescribeClientVpnEndpoints'] });
      const ec2 = ec2Client(target);
      const seen: string[] = [];
      for (let i = 0; i < 20; i++) {
        try {
          await ec2.send(new DescribeClientVpnEndpointsCommand({}));
          seen.push('ok');
        } catch (e) {
          const error = e as { name: string; $metadata: { httpStatusCode?: number } };
          seen.push(`${error.name}/${error.$metadata.httpStatusCode}`);
        }
      }
      return seen;
    };
    const twin = await startEmulator({ randomSeed: 1 });

    // Act
    const mine = await outcomes(emu);
    const theirs = await outcomes(twin);
    await twin.stop();

    // Assess
    expect(mine).toEqual(theirs);
    expect(new Set(mine)).toEqual(new Set(['ok', 'InternalError/500', 'Unavailable/503']));
  });

  it('adds latency per action', async () => {
    // Prepare
    emu.faults.latency(120, 'DescribeClientVpnEndpoints');
    const ec2 = ec2Client(emu);

    // Act
    const slowStart = performance.now();
    await ec2.send(new DescribeClientVpnEndpointsCommand({}));
    const slow = performance.now() - slowStart;
    const fastStart = performance.now();
    await describeConnections({ ClientVpnEndpointId: ENDPOINT });
    const fast = performance.now() - fastStart;

    // Assess
    expect(slow).toBeGreaterThanOrEqual(115);
    expect(fast).toBeLessThan(100);
  });

  it('logs every call with action, region, params, status and error code', async () => {
    // Act
    await terminate({ ClientVpnEndpointId: ENDPOINT, Username: 'nobody' }).catch(() => undefined);

    // Assess
    expect(emu.calls()).toEqual([
      expect.objectContaining({
        service: 'ec2',
        action: 'TerminateClientVpnConnections',
        region: 'us-east-1',
        params: expect.objectContaining({ ClientVpnEndpointId: ENDPOINT, Username: 'nobody' }),
        status: 400,
        errorCode: 'InvalidClientVpnConnection.UserNotFound',
      }),
    ]);
  });
});
