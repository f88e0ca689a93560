import {
  DescribeClientVpnConnectionsCommand,
  TerminateClientVpnConnectionsCommand,
} from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/server.ts';
import { RETENTION_MS } from '../../emulator/state.ts';
import { ec2Client, failure, useEmulator } from './helpers.ts';

const ENDPOINT = 'cvpn-endpoint-0a1b2c3d4e5f6a7b8';
const JANE_1 = 'cvpn-connection-0aaaaaaaaaaaaaaa1';
const JANE_2 = 'cvpn-connection-0aaaaaaaaaaaaaaa2';
const JANE_UPPER = 'cvpn-connection-0aaaaaaaaaaaaaaa3';
const GONE = 'cvpn-connection-0aaaaaaaaaaaaaaa4';

describe('TerminateClientVpnConnections through @aws-sdk/client-ec2', () => {
  const terminateDelayMs = 60_000;
  const emu = useEmulator({ terminateDelayMs });

  beforeEach(() => {
    emu.seed({
      endpoints: [
        {
          id: ENDPOINT,
          region: 'us-east-1',
          authType: 'saml',
          connections: [
            { id: JANE_1, username: 'jane.doe@example.com' },
            { id: JANE_2, username: 'jane.doe@example.com' },
            { id: JANE_UPPER, username: 'Jane.Doe@example.com' },
            { id: GONE, username: 'jane.doe@example.com', status: 'terminated' },
            ...Array.from({ length: 6 }, () => ({ username: 'six@example.com' })),
            ...Array.from({ length: 5 }, () => ({ username: 'five@example.com' })),
          ],
        },
        { id: 'cvpn-endpoint-other', region: 'us-east-1', connections: [{ username: 'other@example.com' }] },
      ],
    });
  });

  const statusOf = (connectionId: string) => emu.connections({ connectionId })[0]?.status;

  it('terminates one connection by id: active → terminating, then terminated after the delay', async () => {
    // Prepare
    const ec2 = ec2Client(emu);

    // Act
    const result = await ec2.send(
      new TerminateClientVpnConnectionsCommand({ ClientVpnEndpointId: ENDPOINT, ConnectionId: JANE_1 }),
    );
    const during = statusOf(JANE_1);
    emu.advanceTime(terminateDelayMs);
    const described = await ec2.send(
      new DescribeClientVpnConnectionsCommand({
        ClientVpnEndpointId: ENDPOINT,
        Filters: [{ Name: 'connection-id', Values: [JANE_1] }],
      }),
    );

    // Assess
    expect(result.$metadata.httpStatusCode).toBe(200);
    expect(result.ClientVpnEndpointId).toBe(ENDPOINT);
    expect(result.Username).toBeUndefined();
    expect(result.ConnectionStatuses).toEqual([
      { ConnectionId: JANE_1, PreviousStatus: { Code: 'active' }, CurrentStatus: { Code: 'terminating' } },
    ]);
    expect(during).toBe('terminating');
    const [row] = described.Connections ?? [];
    expect(row?.Status?.Code).toBe('terminated');
    expect(row?.ConnectionEndTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(row?.Timestamp).toBe(row?.ConnectionEndTime);
    expect(statusOf(JANE_2)).toBe('active');
  });

  it('terminates every active connection of a username (exact, case-sensitive) and echoes the username', async () => {
    // Prepare
    const ec2 = ec2Client(emu);

    // Act
    const result = await ec2.send(
      new TerminateClientVpnConnectionsCommand({
        ClientVpnEndpointId: ENDPOINT,
        Username: 'jane.doe@example.com',
      }),
    );

    // Assess
    expect(result.Username).toBe('jane.doe@example.com');
    expect(result.ConnectionStatuses?.map((s) => [s.ConnectionId, s.CurrentStatus?.Code])).toEqual([
      [JANE_1, 'terminating'],
      [JANE_2, 'terminating'],
    ]);
    expect(statusOf(JANE_UPPER)).toBe('active');
    expect(statusOf(GONE)).toBe('terminated');
  });

  it('terminates a user with exactly 5 active connections', async () => {
    // Prepare
    const ec2 = ec2Client(emu);

    // Act
    const result = await ec2.send(
      new TerminateClientVpnConnectionsCommand({
        ClientVpnEndpointId: ENDPOINT,
        Username: 'five@example.com',
      }),
    );

    // Assess
    expect(result.ConnectionStatuses).toHaveLength(5);
    expect(emu.connections({ username: 'five@example.com', status: 'active' })).toEqual([]);
  });

  it('refuses a username with 6 active connections (ClientVpnTerminateConnectionsLimitExceeded) and ends none', async () => {
    // Prepare
    const ec2 = ec2Client(emu);

    // Act
    const error = await failure(
      ec2.send(
        new TerminateClientVpnConnectionsCommand({
          ClientVpnEndpointId: ENDPOINT,
          Username: 'six@example.com',
        }),
      ),
    );

    // Assess
    expect(error.name).toBe('ClientVpnTerminateConnectionsLimitExceeded');
    expect(error.$fault).toBe('client');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(emu.connections({ username: 'six@example.com', status: 'active' })).toHaveLength(6);
  });

  it('answers InvalidClientVpnConnection.UserNotFound for a username without active connections', async () => {
    // Prepare
    const ec2 = ec2Client(emu);

    // Act
    const unknown = await failure(
      ec2.send(
        new TerminateClientVpnConnectionsCommand({
          ClientVpnEndpointId: ENDPOINT,
          Username: 'JANE.DOE@example.com',
        }),
      ),
    );
    const otherEndpoint = await failure(
      ec2.send(
        new TerminateClientVpnConnectionsCommand({
          ClientVpnEndpointId: ENDPOINT,
          Username: 'other@example.com',
        }),
      ),
    );

    // Assess
    expect(unknown.name).toBe('InvalidClientVpnConnection.UserNotFound');
    expect(unknown.$metadata.httpStatusCode).toBe(400);
    expect(otherEndpoint.name).toBe('InvalidClientVpnConnection.UserNotFound');
  });

  it('answers InvalidClientVpnConnection.IdNotFound for an id unknown on that endpoint', async () => {
    // Prepare
    const ec2 = ec2Client(emu);
    const [otherConnection] = emu.connections({ endpointId: 'cvpn-endpoint-other' });

    // Act
    const error = await failure(
      ec2.send(
        new TerminateClientVpnConnectionsCommand({
          ClientVpnEndpointId: ENDPOINT,
          ConnectionId: otherConnection?.connectionId,
        }),
      ),
    );

    // Assess
    expect(error.name).toBe('InvalidClientVpnConnection.IdNotFound');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('answers a repeat terminate of a terminated connection as configured', async () => {
    // Prepare
    const ec2 = ec2Client(emu);
    const repeat = () =>
      ec2.send(
        new TerminateClientVpnConnectionsCommand({ ClientVpnEndpointId: ENDPOINT, ConnectionId: GONE }),
      );

    // Act
    const byDefault = await repeat();
    emu.faults.repeatTerminate('empty');
    const empty = await repeat();
    emu.faults.repeatTerminate('id-not-found');
    const notFound = await failure(repeat());

    // Assess
    expect(byDefault.ConnectionStatuses).toEqual([
      { ConnectionId: GONE, PreviousStatus: { Code: 'terminated' }, CurrentStatus: { Code: 'terminated' } },
    ]);
    expect(empty.ConnectionStatuses).toEqual([]);
    expect(notFound.name).toBe('InvalidClientVpnConnection.IdNotFound');
  });

  it('answers a terminate of a still terminating connection with terminating → terminating', async () => {
    // Prepare
    const ec2 = ec2Client(emu);
    const terminate = () =>
      ec2.send(
        new TerminateClientVpnConnectionsCommand({ ClientVpnEndpointId: ENDPOINT, ConnectionId: JANE_1 }),
      );
    await terminate();

    // Act
    const again = await terminate();

    // Assess
    expect(again.ConnectionStatuses?.[0]).toMatchObject({
      PreviousStatus: { Code: 'terminating' },
      CurrentStatus: { Code: 'terminating' },
    });
  });

  it('injects failed-to-terminate for the first K attempts, then terminates', async () => {
    // Prepare
    const ec2 = ec2Client(emu);
    emu.faults.failToTerminate(JANE_1, { times: 2, message: 'Internal error, retry' });
    const terminate = () =>
      ec2.send(
        new TerminateClientVpnConnectionsCommand({ ClientVpnEndpointId: ENDPOINT, ConnectionId: JANE_1 }),
      );

    // Act
    const first = await terminate();
    const second = await terminate();
    const stillActive = statusOf(JANE_1);
    const third = await terminate();

    // Assess
    for (const failed of [first, second]) {
      expect(failed.$metadata.httpStatusCode).toBe(200);
      expect(failed.ConnectionStatuses).toEqual([
        {
          ConnectionId: JANE_1,
          PreviousStatus: { Code: 'active' },
          CurrentStatus: { Code: 'failed-to-terminate', Message: 'Internal error, retry' },
        },
      ]);
    }
    expect(stillActive).toBe('active');
    expect(third.ConnectionStatuses?.[0]?.CurrentStatus?.Code).toBe('terminating');
  });

  it('fails forever by default and per connection inside a Terminate by Username', async () => {
    // Prepare
    const ec2 = ec2Client(emu);
    emu.faults.failToTerminate([JANE_2]);
    const terminate = () =>
      ec2.send(
        new TerminateClientVpnConnectionsCommand({
          ClientVpnEndpointId: ENDPOINT,
          Username: 'jane.doe@example.com',
        }),
      );

    // Act
    const first = await terminate();
    const second = await terminate();

    // Assess
    expect(first.ConnectionStatuses?.map((s) => s.CurrentStatus?.Code)).toEqual([
      'terminating',
      'failed-to-terminate',
    ]);
    expect(second.ConnectionStatuses?.map((s) => [s.ConnectionId, s.CurrentStatus?.Code])).toEqual([
      [JANE_2, 'failed-to-terminate'],
    ]);
  });

  it('keeps terminated connections listed for 60 emulated minutes, then forgets them', async () => {
    // Prepare
    const ec2 = ec2Client(emu);
    await ec2.send(
      new TerminateClientVpnConnectionsCommand({ ClientVpnEndpointId: ENDPOINT, ConnectionId: JANE_1 }),
    );
    const listed = async () =>
      (
        await ec2.send(
          new DescribeClientVpnConnectionsCommand({
            ClientVpnEndpointId: ENDPOINT,
            Filters: [{ Name: 'connection-id', Values: [JANE_1] }],
          }),
        )
      ).Connections ?? [];

    // Act
    emu.advanceTime(terminateDelayMs + RETENTION_MS - 1_000);
    const beforeExpiry = await listed();
    emu.advanceTime(1_000);
    const afterExpiry = await listed();
    const terminateAgain = await failure(
      ec2.send(
        new TerminateClientVpnConnectionsCommand({ ClientVpnEndpointId: ENDPOINT, ConnectionId: JANE_1 }),
      ),
    );

    // Assess
    expect(beforeExpiry.map((c) => c.Status?.Code)).toEqual(['terminated']);
    expect(afterExpiry).toEqual([]);
    expect(terminateAgain.name).toBe('InvalidClientVpnConnection.IdNotFound');
  });
});

describe('terminate delay of 0 and timeScale', () => {
  it('shows terminated at the next read when terminateDelayMs is 0', async () => {
    // Prepare
    const emu = await startEmulator({
      terminateDelayMs: 0,
      seed: { endpoints: [{ id: 'cvpn-endpoint-1', region: 'us-east-1', connections: [{ username: 'a' }] }] },
    });
    const ec2 = ec2Client(emu);

    // Act
    const result = await ec2.send(
      new TerminateClientVpnConnectionsCommand({ ClientVpnEndpointId: 'cvpn-endpoint-1', Username: 'a' }),
    );
    const after = emu.connections();
    await emu.stop();

    // Assess
    expect(result.ConnectionStatuses?.[0]?.CurrentStatus?.Code).toBe('terminating');
    expect(after.map((c) => c.status)).toEqual(['terminated']);
  });

  it('shortens the terminate delay by the timeScale factor', async () => {
    // Prepare
    const emu = await startEmulator({
      terminateDelayMs: 2_000,
      timeScale: 100,
      seed: { endpoints: [{ id: 'cvpn-endpoint-1', region: 'us-east-1', connections: [{ username: 'a' }] }] },
    });
    const ec2 = ec2Client(emu);
    await ec2.send(
      new TerminateClientVpnConnectionsCommand({ ClientVpnEndpointId: 'cvpn-endpoint-1', Username: 'a' }),
    );

    // Act
    await new Promise((resolve) => setTimeout(resolve, 40));
    const after = emu.connections();
    await emu.stop();

    // Assess
    expect(after.map((c) => c.status)).toEqual(['terminated']);
  });
});
