import {
  type ClientVpnConnection,
  DescribeClientVpnConnectionsCommand,
  DescribeClientVpnEndpointsCommand,
  type EC2Client,
  TerminateClientVpnConnectionsCommand,
} from '@aws-sdk/client-ec2';
import { ClientVpnApiError } from '../../core/errors.ts';
import {
  type ClientVpnApi,
  type ClientVpnApiForRegion,
  type ConnectionSummary,
  onePerRegionAndAccount,
} from '../ports.ts';

/** DescribeClientVpnConnections' largest page: fewest calls against the non-mutating bucket. */
export const CONNECTIONS_PAGE_SIZE = 1000;
const ENDPOINTS_PAGE_SIZE = 1000;

const NETWORK_ERRORS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'TimeoutError',
]);

/** Maps any SDK failure to a `ClientVpnApiError` with the EC2 code and whether retrying may help. */
export function toClientVpnApiError(error: unknown): ClientVpnApiError {
  if (error instanceof ClientVpnApiError) return error;
  const sdkError = error as {
    name?: string;
    code?: string;
    message?: string;
    $fault?: string;
    $retryable?: unknown;
  };
  const code =
    sdkError.name && sdkError.name !== 'Error' ? sdkError.name : (sdkError.code ?? 'UnexpectedError');
  const retryable =
    !!sdkError.$retryable ||
    sdkError.$fault === 'server' ||
    code === 'RequestLimitExceeded' ||
    NETWORK_ERRORS.has(code) ||
    NETWORK_ERRORS.has(sdkError.code ?? '');
  return new ClientVpnApiError(code, sdkError.message ?? String(error), retryable, { cause: error });
}

/** Runs one EC2 call, any failure mapped to a `ClientVpnApiError`. */
export async function callEc2<Result>(operation: () => Promise<Result>): Promise<Result> {
  try {
    return await operation();
  } catch (error) {
    throw toClientVpnApiError(error);
  }
}

const toConnectionSummary = (connection: ClientVpnConnection): ConnectionSummary => ({
  connectionId: connection.ConnectionId ?? '',
  username: connection.Username,
  commonName: connection.CommonName,
  status: connection.Status?.Code ?? 'unknown',
  statusMessage: connection.Status?.Message,
  establishedTime: connection.ConnectionEstablishedTime,
});

/**
 * One EC2 client per region and account, created on first use and reused so the SDK's retry state carries
 * over. `createClient` gets the account when member accounts are searched, to sign with its role.
 */
export function ec2ClientVpnApi(
  createClient: (region: string, accountId?: string) => EC2Client,
): ClientVpnApiForRegion {
  return onePerRegionAndAccount((region, accountId) => clientVpnApi(createClient(region, accountId)));
}

function clientVpnApi(client: EC2Client): ClientVpnApi {
  return {
    describeEndpoints: (nextToken) =>
      callEc2(async () => {
        const page = await client.send(
          new DescribeClientVpnEndpointsCommand({ MaxResults: ENDPOINTS_PAGE_SIZE, NextToken: nextToken }),
        );
        return {
          items: (page.ClientVpnEndpoints ?? []).map((endpoint) => ({
            endpointId: endpoint.ClientVpnEndpointId ?? '',
            status: endpoint.Status?.Code ?? 'unknown',
            tags: Object.fromEntries((endpoint.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? ''])),
            ...(endpoint.ClientConnectOptions && {
              clientConnect: {
                enabled: endpoint.ClientConnectOptions.Enabled === true,
                ...(endpoint.ClientConnectOptions.LambdaFunctionArn && {
                  lambdaFunctionArn: endpoint.ClientConnectOptions.LambdaFunctionArn,
                }),
              },
            }),
          })),
          nextToken: page.NextToken || undefined,
        };
      }),

    describeConnections: (endpointId, options = {}) =>
      callEc2(async () => {
        const { connectionIds, nextToken } = options;
        const page = await client.send(
          new DescribeClientVpnConnectionsCommand({
            ClientVpnEndpointId: endpointId,
            ...(connectionIds && { Filters: [{ Name: 'connection-id', Values: [...connectionIds] }] }),
            MaxResults: CONNECTIONS_PAGE_SIZE,
            NextToken: nextToken,
          }),
        );
        return {
          items: (page.Connections ?? []).map(toConnectionSummary),
          nextToken: page.NextToken || undefined,
        };
      }),

    terminate: (endpointId, target) =>
      callEc2(async () => {
        const reply = await client.send(
          new TerminateClientVpnConnectionsCommand({
            ClientVpnEndpointId: endpointId,
            ...('username' in target ? { Username: target.username } : { ConnectionId: target.connectionId }),
          }),
        );
        return (reply.ConnectionStatuses ?? []).map((status) => ({
          connectionId: status.ConnectionId ?? '',
          previousStatus: status.PreviousStatus?.Code,
          currentStatus: status.CurrentStatus?.Code,
          message: status.CurrentStatus?.Message,
        }));
      }),
  };
}
