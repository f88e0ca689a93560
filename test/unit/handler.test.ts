import {
  DescribeClientVpnConnectionsCommand,
  EC2Client,
  TerminateClientVpnConnectionsCommand,
} from '@aws-sdk/client-ec2';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { OKTA_SOURCE, oktaEvent, sqsEvent, sqsRecord } from '../support/events.ts';

const ENDPOINT = 'cvpn-endpoint-0aaa0000000000001';
const ec2 = mockClient(EC2Client);
const eventBridge = mockClient(EventBridgeClient);

const context = {
  functionName: 'revoker',
  awsRequestId: 'invocation-1',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

let handler: typeof import('../../lambda/revoker/handler.ts')['handler'];

beforeAll(async () => {
  vi.stubEnv('CLIENT_VPN_REGIONS', 'us-east-1');
  vi.stubEnv('CLIENT_VPN_ENDPOINT_IDS', `us-east-1:${ENDPOINT}`);
  vi.stubEnv('OUTCOME_EVENT_BUS', 'default');
  vi.stubEnv('OKTA_EVENT_SOURCES', OKTA_SOURCE);
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'ClientVpnRevoker');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'client-vpn-revoker');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  ({ handler } = await import('../../lambda/revoker/handler.ts'));
});

beforeEach(() => {
  ec2.reset();
  eventBridge.reset();
});

describe('handler', () => {
  it('wires config, EC2, EventBridge and the engine: an Okta deactivate ends the session and is reported', async () => {
    // Prepare
    ec2
      .on(DescribeClientVpnConnectionsCommand)
      .resolvesOnce({
        Connections: [
          {
            ConnectionId: 'cvpn-connection-0000000000000000a',
            Username: 'jane@example.com',
            Status: { Code: 'active' },
          },
        ],
      })
      .resolves({
        Connections: [
          {
            ConnectionId: 'cvpn-connection-0000000000000000a',
            Username: 'jane@example.com',
            Status: { Code: 'terminating' },
          },
        ],
      });
    ec2.on(TerminateClientVpnConnectionsCommand).resolves({
      ConnectionStatuses: [
        {
          ConnectionId: 'cvpn-connection-0000000000000000a',
          PreviousStatus: { Code: 'active' },
          CurrentStatus: { Code: 'terminating' },
        },
      ],
    });
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const event = oktaEvent('jane@example.com');

    // Act
    const response = await handler(sqsEvent(sqsRecord(event)), context);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(ec2.commandCalls(TerminateClientVpnConnectionsCommand)[0]?.args[0].input).toEqual({
      ClientVpnEndpointId: ENDPOINT,
      Username: 'jane@example.com',
    });
    const entry = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({
      EventBusName: 'default',
      Source: 'client-vpn-revoker',
      DetailType: 'Client VPN Revocation Outcome',
    });
    expect(JSON.parse(entry?.Detail ?? '{}')).toMatchObject({ requestId: event.id, status: 'revoked' });
  });

  it('reports the record as a batch item failure when the outcome bus refuses the entry', async () => {
    // Prepare
    ec2.on(DescribeClientVpnConnectionsCommand).resolves({ Connections: [] });
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }],
    });
    const record = sqsRecord(oktaEvent('nobody@example.com'));

    // Act
    const response = await handler(sqsEvent(record), context);

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(3);
  });
});
