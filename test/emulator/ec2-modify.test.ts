import {
  DescribeClientVpnEndpointsCommand,
  ModifyClientVpnEndpointCommand,
  type ModifyClientVpnEndpointCommandInput,
} from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidSeedError } from '../../emulator/seed.ts';
import { type Emulator, startEmulator } from '../../emulator/server.ts';
import { ec2Client, failure, rawEc2, useEmulator } from './helpers.ts';

const ENDPOINT = 'cvpn-endpoint-0a1b2c3d4e5f6a7b8';
const HANDLER = 'arn:aws:lambda:us-east-1:111122223333:function:AWSClientVPN-connect-handler';

describe('EC2 ModifyClientVpnEndpoint (client connect options)', () => {
  const emu = useEmulator();

  beforeEach(() => {
    emu.seed({
      endpoints: [
        { id: ENDPOINT, region: 'us-east-1', authType: 'saml' },
        { id: 'cvpn-endpoint-eu', region: 'eu-west-1' },
      ],
    });
  });

  const modify = (input: Partial<ModifyClientVpnEndpointCommandInput>, region = 'us-east-1') =>
    ec2Client(emu, region).send(
      new ModifyClientVpnEndpointCommand(input as ModifyClientVpnEndpointCommandInput),
    );

  const connectOptions = async (id = ENDPOINT, region = 'us-east-1') => {
    const result = await ec2Client(emu, region).send(
      new DescribeClientVpnEndpointsCommand({ ClientVpnEndpointIds: [id] }),
    );
    return result.ClientVpnEndpoints?.[0]?.ClientConnectOptions;
  };

  it('reports a disabled handler before any change', async () => {
    // Act
    const options = await connectOptions();

    // Assess
    expect(options).toEqual({ Enabled: false, Status: { Code: 'applied' } });
  });

  it('enables the handler; Describe then shows enabled, the ARN and status applied', async () => {
    // Act
    const result = await modify({
      ClientVpnEndpointId: ENDPOINT,
      ClientConnectOptions: { Enabled: true, LambdaFunctionArn: HANDLER },
    });
    const options = await connectOptions();

    // Assess
    expect(result.Return).toBe(true);
    expect(result.$metadata.httpStatusCode).toBe(200);
    expect(options).toEqual({ Enabled: true, LambdaFunctionArn: HANDLER, Status: { Code: 'applied' } });
    expect(emu.endpoints().find((e) => e.endpointId === ENDPOINT)?.clientConnectOptions).toEqual({
      enabled: true,
      lambdaFunctionArn: HANDLER,
    });
    expect(emu.calls().find((c) => c.action === 'ModifyClientVpnEndpoint')).toMatchObject({
      service: 'ec2',
      action: 'ModifyClientVpnEndpoint',
      status: 200,
      params: { 'ClientConnectOptions.Enabled': 'true', 'ClientConnectOptions.LambdaFunctionArn': HANDLER },
    });
  });

  it('answers the EC2 XML envelope with <return>true</return>', async () => {
    // Act
    const response = await rawEc2(
      emu,
      `Action=ModifyClientVpnEndpoint&Version=2016-11-15&ClientVpnEndpointId=${ENDPOINT}` +
        `&ClientConnectOptions.Enabled=true&ClientConnectOptions.LambdaFunctionArn=${encodeURIComponent(HANDLER)}`,
    );

    // Assess
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-amzn-requestid');
    expect(response.text).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<ModifyClientVpnEndpointResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">' +
        `<requestId>${requestId}</requestId><return>true</return></ModifyClientVpnEndpointResponse>`,
    );
  });

  it('accepts versions and aliases of the function', async () => {
    // Act
    await modify({
      ClientVpnEndpointId: ENDPOINT,
      ClientConnectOptions: { Enabled: true, LambdaFunctionArn: `${HANDLER}:live` },
    });
    const options = await connectOptions();

    // Assess
    expect(options?.LambdaFunctionArn).toBe(`${HANDLER}:live`);
  });

  it('disables the handler and keeps the function ARN; enabling again reuses it', async () => {
    // Prepare
    await modify({
      ClientVpnEndpointId: ENDPOINT,
      ClientConnectOptions: { Enabled: true, LambdaFunctionArn: HANDLER },
    });

    // Act
    await modify({ ClientVpnEndpointId: ENDPOINT, ClientConnectOptions: { Enabled: false } });
    const disabled = await connectOptions();
    await modify({ ClientVpnEndpointId: ENDPOINT, ClientConnectOptions: { Enabled: true } });
    const enabled = await connectOptions();

    // Assess
    expect(disabled).toEqual({ Enabled: false, LambdaFunctionArn: HANDLER, Status: { Code: 'applied' } });
    expect(enabled).toEqual({ Enabled: true, LambdaFunctionArn: HANDLER, Status: { Code: 'applied' } });
  });

  it('answers MissingParameter when enabling without any function ARN', async () => {
    // Act
    const error = await failure(
      modify({ ClientVpnEndpointId: ENDPOINT, ClientConnectOptions: { Enabled: true } }),
    );

    // Assess
    expect(error.name).toBe('MissingParameter');
    expect(error.message).toBe(
      'The request must contain the parameter ClientConnectOptions.LambdaFunctionArn',
    );
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(await connectOptions()).toEqual({ Enabled: false, Status: { Code: 'applied' } });
  });

  it('answers MissingParameter without ClientVpnEndpointId', async () => {
    // Act
    const error = await failure(modify({ ClientConnectOptions: { Enabled: false } }));

    // Assess
    expect(error.name).toBe('MissingParameter');
    expect(error.message).toBe('The request must contain the parameter ClientVpnEndpointId');
  });

  it.each([
    [
      'a name without the AWSClientVPN- prefix',
      'arn:aws:lambda:us-east-1:111122223333:function:connect-handler',
      "must start with 'AWSClientVPN-'",
    ],
    [
      'another region',
      'arn:aws:lambda:eu-west-1:111122223333:function:AWSClientVPN-h',
      "endpoint's Region us-east-1",
    ],
    [
      'another account',
      'arn:aws:lambda:us-east-1:444455556666:function:AWSClientVPN-h',
      'account 444455556666',
    ],
    [
      'not a Lambda function ARN',
      'arn:aws:iam::111122223333:role/AWSClientVPN-h',
      'not a Lambda function ARN',
    ],
    ['a bare function name', 'AWSClientVPN-h', 'not a Lambda function ARN'],
  ])('answers InvalidParameterValue for %s', async (_, arn, expected) => {
    // Act
    const error = await failure(
      modify({
        ClientVpnEndpointId: ENDPOINT,
        ClientConnectOptions: { Enabled: true, LambdaFunctionArn: arn },
      }),
    );

    // Assess
    expect(error.name).toBe('InvalidParameterValue');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain(`Invalid value '${arn}' for ClientConnectOptions.LambdaFunctionArn`);
    expect(error.message).toContain(expected);
    expect(await connectOptions()).toEqual({ Enabled: false, Status: { Code: 'applied' } });
  });

  it('checks the ARN against the region of the request (an eu-west-1 endpoint needs an eu-west-1 function)', async () => {
    // Act
    const ok = await modify(
      {
        ClientVpnEndpointId: 'cvpn-endpoint-eu',
        ClientConnectOptions: { Enabled: true, LambdaFunctionArn: HANDLER.replace('us-east-1', 'eu-west-1') },
      },
      'eu-west-1',
    );
    const error = await failure(
      modify(
        {
          ClientVpnEndpointId: 'cvpn-endpoint-eu',
          ClientConnectOptions: { Enabled: true, LambdaFunctionArn: HANDLER },
        },
        'eu-west-1',
      ),
    );

    // Assess
    expect(ok.Return).toBe(true);
    expect(error.name).toBe('InvalidParameterValue');
  });

  it('answers InvalidClientVpnEndpointId.NotFound for an unknown endpoint or one in another region', async () => {
    // Act
    const unknown = await failure(
      modify({ ClientVpnEndpointId: 'cvpn-endpoint-0nope', ClientConnectOptions: { Enabled: false } }),
    );
    const otherRegion = await failure(
      modify({ ClientVpnEndpointId: 'cvpn-endpoint-eu', ClientConnectOptions: { Enabled: false } }),
    );

    // Assess
    expect(unknown.name).toBe('InvalidClientVpnEndpointId.NotFound');
    expect(unknown.message).toBe("The Client VPN endpoint ID 'cvpn-endpoint-0nope' does not exist");
    expect(otherRegion.name).toBe('InvalidClientVpnEndpointId.NotFound');
  });

  it('answers DryRunOperation 412 and changes nothing', async () => {
    // Act
    const error = await failure(
      modify({
        ClientVpnEndpointId: ENDPOINT,
        ClientConnectOptions: { Enabled: true, LambdaFunctionArn: HANDLER },
        DryRun: true,
      }),
    );

    // Assess
    expect(error.name).toBe('DryRunOperation');
    expect(error.$metadata.httpStatusCode).toBe(412);
    expect(await connectOptions()).toEqual({ Enabled: false, Status: { Code: 'applied' } });
  });

  it('answers UnauthorizedOperation 403 when the fault denies it', async () => {
    // Prepare
    emu.faults.unauthorized({ action: 'ModifyClientVpnEndpoint' });

    // Act
    const error = await failure(
      modify({ ClientVpnEndpointId: ENDPOINT, ClientConnectOptions: { Enabled: false } }),
    );

    // Assess
    expect(error.name).toBe('UnauthorizedOperation');
    expect(error.message).toContain('ec2:ModifyClientVpnEndpoint');
  });

  it.each([
    ['Description', { Description: 'new' }],
    ['SessionTimeoutHours', { SessionTimeoutHours: 12 }],
    ['SplitTunnel', { SplitTunnel: true }],
    ['SecurityGroupId.1', { SecurityGroupIds: ['sg-1'] }],
    ['ConnectionLogOptions.Enabled', { ConnectionLogOptions: { Enabled: false } }],
  ])('refuses the parameter %s it does not emulate with UnsupportedOperation', async (name, input) => {
    // Act
    const error = await failure(modify({ ClientVpnEndpointId: ENDPOINT, ...input }));

    // Assess
    expect(error.name).toBe('UnsupportedOperation');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain(`parameter ${name};`);
  });

  it('refuses a parameter EC2 does not know with UnknownParameter', async () => {
    // Act
    const response = await rawEc2(
      emu,
      `Action=ModifyClientVpnEndpoint&Version=2016-11-15&ClientVpnEndpointId=${ENDPOINT}&ClientConnectOptions.Enabled=false&Colour=blue`,
    );

    // Assess
    expect(response.status).toBe(400);
    expect(response.text).toContain('<Code>UnknownParameter</Code>');
    expect(response.text).toContain('<Message>The parameter Colour is not recognized</Message>');
  });
});

describe('ModifyClientVpnEndpoint throttling and seeds', () => {
  let emu: Emulator | undefined;

  afterEach(async () => {
    await emu?.stop();
    emu = undefined;
  });

  it('draws from the mutating bucket (50 + 5/s)', async () => {
    // Prepare
    emu = await startEmulator({
      timeScale: 0.0001,
      seed: { endpoints: [{ id: ENDPOINT, region: 'us-east-1' }] },
    });
    emu.faults.enableThrottling();
    const client = ec2Client(emu);
    const outcomes: string[] = [];

    // Act
    for (let i = 0; i < 51; i++) {
      outcomes.push(
        await client
          .send(
            new ModifyClientVpnEndpointCommand({
              ClientVpnEndpointId: ENDPOINT,
              ClientConnectOptions: { Enabled: false },
            }),
          )
          .then(
            () => 'ok',
            (e: Error) => e.name,
          ),
      );
    }

    // Assess
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(50);
    expect(outcomes[50]).toBe('RequestLimitExceeded');
  });

  it('takes clientConnectOptions from the seed, and reset() restores them', async () => {
    // Prepare
    emu = await startEmulator({
      seed: {
        endpoints: [
          {
            id: ENDPOINT,
            region: 'us-east-1',
            clientConnectOptions: { enabled: true, lambdaFunctionArn: HANDLER },
          },
        ],
      },
    });
    await ec2Client(emu).send(
      new ModifyClientVpnEndpointCommand({
        ClientVpnEndpointId: ENDPOINT,
        ClientConnectOptions: { Enabled: false },
      }),
    );

    // Act
    emu.reset();
    const result = await ec2Client(emu).send(new DescribeClientVpnEndpointsCommand({}));

    // Assess
    expect(result.ClientVpnEndpoints?.[0]?.ClientConnectOptions).toEqual({
      Enabled: true,
      LambdaFunctionArn: HANDLER,
      Status: { Code: 'applied' },
    });
  });

  it.each([
    ['enabled without an ARN', { enabled: true }, 'lambdaFunctionArn is required when enabled is true'],
    [
      'a function in another region',
      { enabled: true, lambdaFunctionArn: HANDLER.replace('us-east-1', 'eu-west-1') },
      "endpoint's Region us-east-1",
    ],
    [
      'a name without the prefix',
      { enabled: false, lambdaFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:handler' },
      "must start with 'AWSClientVPN-'",
    ],
  ])('rejects a seed with %s', async (_, clientConnectOptions, expected) => {
    // Act
    const start = startEmulator({
      seed: { endpoints: [{ id: ENDPOINT, region: 'us-east-1', clientConnectOptions }] },
    });

    // Assess
    await expect(start).rejects.toThrow(InvalidSeedError);
    await expect(start).rejects.toThrow(expected);
  });
});
