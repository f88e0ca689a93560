import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeClientVpnConnectionsCommand,
  type DescribeClientVpnConnectionsCommandInput,
  EC2Client,
  TerminateClientVpnConnectionsCommand,
} from '@aws-sdk/client-ec2';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sweepOutcomeDetailSchema } from '../../lambda/core/sweep-outcome.ts';

const ENDPOINT = 'cvpn-endpoint-0aaa0000000000001';
const ec2 = mockClient(EC2Client);
const dynamodb = mockClient(DynamoDBClient);
const eventBridge = mockClient(EventBridgeClient);

const context = {
  functionName: 'sweeper',
  awsRequestId: 'invocation-1',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

/** EC2's connectionEstablishedTime for `minutesAgo` minutes before now. */
const establishedAgo = (minutesAgo: number) =>
  new Date(Date.now() - minutesAgo * 60_000).toISOString().slice(0, 19).replace('T', ' ');

const connection = (id: string, username: string, minutesAgo: number, status = 'active') => ({
  ConnectionId: `cvpn-connection-0000000000000000${id}`,
  Username: username,
  CommonName: '',
  ConnectionEstablishedTime: establishedAgo(minutesAgo),
  Status: { Code: status },
});

let handler: typeof import('../../lambda/sweeper/handler.ts')['handler'];

beforeAll(async () => {
  vi.stubEnv('CLIENT_VPN_REGIONS', 'us-east-1');
  vi.stubEnv('CLIENT_VPN_ENDPOINT_IDS', `us-east-1:${ENDPOINT}`);
  vi.stubEnv('OUTCOME_EVENT_BUS', 'default');
  vi.stubEnv('LEDGER_TABLE_NAME', 'RevocationLedger');
  vi.stubEnv('MAX_SESSION_AGE_MINUTES', '60');
  vi.stubEnv('PROTECTED_IDENTITIES', 'break-glass@example.com');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'ClientVpnRevoker');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'client-vpn-revoker');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  ({ handler } = await import('../../lambda/sweeper/handler.ts'));
});

beforeEach(() => {
  ec2.reset();
  dynamodb.reset();
  eventBridge.reset();
  dynamodb.on(ScanCommand).resolves({
    Items: [
      {
        identityKey: { S: 'jane@example.com' },
        identity: { S: 'jane@example.com' },
        state: { S: 'revoked' },
        source: { S: 'aws.partner/okta.com/example-org/vpn-kill-switch' },
        reason: { S: 'Okta user.lifecycle.deactivate' },
        requestId: { S: 'request-1' },
        eventTime: { S: '2026-11-22T09:00:00Z' },
        eventTimeMs: { N: String(Date.parse('2026-11-22T09:00:00Z')) },
        recordedAt: { S: new Date().toISOString() },
        expiresAt: { S: new Date(Date.now() + 86_400_000).toISOString() },
        expiresAtEpoch: { N: String(Math.ceil((Date.now() + 86_400_000) / 1000)) },
      },
    ],
  });
});

describe('sweeper handler', () => {
  it('wires config, DynamoDB, EC2 and EventBridge: revoked and old sessions end, the outcome is published', async () => {
    // Prepare
    const listed = [
      connection('a', 'jane@example.com', 5),
      connection('b', 'alice@example.com', 90),
      connection('c', 'alice@example.com', 10),
      connection('d', 'break-glass@example.com', 300),
    ];
    ec2
      .on(DescribeClientVpnConnectionsCommand)
      .callsFake((input: DescribeClientVpnConnectionsCommandInput) => {
        const ids = input.Filters?.find((filter) => filter.Name === 'connection-id')?.Values;
        if (!ids) return { Connections: listed };
        return {
          Connections: listed
            .filter((item) => ids.includes(item.ConnectionId))
            .map((item) => ({ ...item, Status: { Code: 'terminating' } })),
        };
      });
    ec2.on(TerminateClientVpnConnectionsCommand).callsFake((input) => ({
      ConnectionStatuses: [
        {
          ConnectionId: input.ConnectionId ?? listed[0]?.ConnectionId,
          PreviousStatus: { Code: 'active' },
          CurrentStatus: { Code: 'terminating' },
        },
      ],
    }));
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });

    // Act
    const summary = await handler({ sweepId: 'execution-1' }, context);

    // Assess
    expect(summary).toMatchObject({
      sweepId: 'execution-1',
      status: 'swept',
      counts: {
        revokedIdentities: 1,
        connectionsFound: 2,
        connectionsTerminated: 2,
        connectionsProtected: 1,
      },
    });
    const terminates = ec2
      .commandCalls(TerminateClientVpnConnectionsCommand)
      .map((call) => call.args[0].input);
    expect(terminates).toHaveLength(2);
    expect(terminates).toEqual(
      expect.arrayContaining([
        { ClientVpnEndpointId: ENDPOINT, Username: 'jane@example.com' },
        { ClientVpnEndpointId: ENDPOINT, ConnectionId: 'cvpn-connection-0000000000000000b' },
      ]),
    );
    expect(dynamodb.commandCalls(ScanCommand)[0]?.args[0].input.TableName).toBe('RevocationLedger');
    const entry = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({
      EventBusName: 'default',
      Source: 'client-vpn-revoker',
      DetailType: 'Client VPN Session Sweep Outcome',
    });
    const detail = sweepOutcomeDetailSchema.parse(JSON.parse(entry?.Detail ?? '{}'));
    expect(detail.connections.map((item) => [item.connectionId.slice(-1), item.reason])).toEqual([
      ['a', 'revoked-identity'],
      ['b', 'max-session-age'],
    ]);
  });

  it('fails the invocation when the outcome cannot be published, and names the sweep by its request id', async () => {
    // Prepare
    ec2.on(DescribeClientVpnConnectionsCommand).resolves({ Connections: [] });
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }],
    });

    // Act
    const invocation = handler({ sweep: 'scheduled' }, context);

    // Assess
    await expect(invocation).rejects.toThrow('Sweep invocation-1: outcome not published (InternalFailure');
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(3);
  });
});
