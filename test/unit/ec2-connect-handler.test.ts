import {
  DescribeClientVpnEndpointsCommand,
  EC2Client,
  ModifyClientVpnEndpointCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ClientVpnApiError } from '../../lambda/core/errors.ts';
import { ec2ClientVpnApi } from '../../lambda/engine/adapters/ec2-client-vpn.ts';
import { ec2EnableConnectHandler } from '../../lambda/sweeper/adapters/ec2-connect-handler.ts';

const REGION = 'us-east-1';
const ENDPOINT = 'cvpn-endpoint-0a1b2c3d4e5f6a7b8';
const HANDLER = 'arn:aws:lambda:us-east-1:111122223333:function:AWSClientVPN-revoker:live';

const ec2 = mockClient(EC2Client);

describe('EC2 adapters of the connect handler wiring', () => {
  beforeEach(() => ec2.reset());

  it("reads each endpoint's ClientConnectOptions, and leaves them out when EC2 does not send them", async () => {
    // Prepare
    ec2.on(DescribeClientVpnEndpointsCommand).resolves({
      ClientVpnEndpoints: [
        {
          ClientVpnEndpointId: ENDPOINT,
          Status: { Code: 'available' },
          ClientConnectOptions: { Enabled: true, LambdaFunctionArn: HANDLER, Status: { Code: 'applied' } },
        },
        { ClientVpnEndpointId: 'cvpn-endpoint-0b1b2c3d4e5f6a7b8', Status: { Code: 'available' } },
      ],
    });

    // Act
    const page = await ec2ClientVpnApi((region) => new EC2Client({ region }))(REGION).describeEndpoints();

    // Assess
    expect(page.items.map((endpoint) => endpoint.clientConnect)).toEqual([
      { enabled: true, lambdaFunctionArn: HANDLER },
      undefined,
    ]);
  });

  it('sets only ClientConnectOptions, enabled, naming the handler', async () => {
    // Prepare
    ec2.on(ModifyClientVpnEndpointCommand).resolves({ Return: true });

    // Act
    await ec2EnableConnectHandler(new EC2Client({ region: REGION }))(ENDPOINT, HANDLER);

    // Assess
    expect(ec2.commandCalls(ModifyClientVpnEndpointCommand).map((call) => call.args[0].input)).toEqual([
      { ClientVpnEndpointId: ENDPOINT, ClientConnectOptions: { Enabled: true, LambdaFunctionArn: HANDLER } },
    ]);
  });

  it('maps a refusal to a ClientVpnApiError with the EC2 code', async () => {
    // Prepare
    ec2
      .on(ModifyClientVpnEndpointCommand)
      .rejects(Object.assign(new Error('not allowed'), { name: 'UnauthorizedOperation', $fault: 'client' }));

    // Act
    const failure = ec2EnableConnectHandler(new EC2Client({ region: REGION }))(ENDPOINT, HANDLER);

    // Assess
    await expect(failure).rejects.toBeInstanceOf(ClientVpnApiError);
    await expect(failure).rejects.toMatchObject({ code: 'UnauthorizedOperation', retryable: false });
  });
});
