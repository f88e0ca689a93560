import { type EC2Client, ModifyClientVpnEndpointCommand } from '@aws-sdk/client-ec2';
import { callEc2 } from '../../engine/adapters/ec2-client-vpn.ts';

/**
 * Sets an endpoint's client connect handler with ModifyClientVpnEndpoint (only ClientConnectOptions, so nothing
 * else of the endpoint changes and live sessions stay up). Failures are `ClientVpnApiError`s.
 */
export const ec2EnableConnectHandler =
  (client: EC2Client) =>
  async (endpointId: string, functionArn: string): Promise<void> => {
    await callEc2(() =>
      client.send(
        new ModifyClientVpnEndpointCommand({
          ClientVpnEndpointId: endpointId,
          ClientConnectOptions: { Enabled: true, LambdaFunctionArn: functionArn },
        }),
      ),
    );
  };
