import { Readable } from 'node:stream';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeClientVpnConnectionsCommand,
  DescribeClientVpnEndpointsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import middy from '@middy/core';
import type { RetryStrategyV2, RetryToken } from '@smithy/types';
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index.ts';
import { loadInstrumentation } from '../../lambda/core/adapters/instrument-client.ts';
import { ConfigurationError } from '../../lambda/core/errors.ts';

const credentials = { accessKeyId: 'AKIAINSTRUMENTTEST00', secretAccessKey: 'instrument-test-secret' };
const METRIC = 'Ec2Throttled';

/** The SDK's retry loop without its backoff: up to `maxAttempts` attempts, each retryable error retried at once. */
const immediateRetries = (maxAttempts: number): RetryStrategyV2 => {
  const token = (retries: number): RetryToken => ({ getRetryCount: () => retries, getRetryDelay: () => 0 });
  return {
    acquireInitialRetryToken: async () => token(0),
    refreshRetryTokenForRetry: async (previous, info) => {
      if (info.errorType === 'CLIENT_ERROR' || previous.getRetryCount() + 1 >= maxAttempts) {
        throw new Error('no retry left');
      }
      return token(previous.getRetryCount() + 1);
    },
    recordSuccess: () => {},
  };
};

/** An invocation as the handlers run it: the count's middleware around `work`, metrics recorded. */
async function setup(environment: NodeJS.ProcessEnv = {}) {
  const instrumentation = await loadInstrumentation(environment);
  const emitted: [string, string, number][] = [];
  const metrics = {
    addMetric: (name: string, unit: 'Count', value: number) => emitted.push([name, unit, value]),
  };
  const invoke = (work: () => Promise<unknown>) =>
    middy<unknown, string, Error, Context>()
      .use(instrumentation.ec2ThrottlingMetric(metrics, METRIC))
      .handler(async () => {
        await work();
        return 'handler response';
      })({}, {} as Context);
  return { instrumentation, emitted, invoke };
}

describe('loadInstrumentation: throttled EC2 attempts', () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await startEmulator({});
  });
  afterEach(async () => {
    await emu.stop();
  });

  const ec2 = (maxAttempts: number) =>
    new EC2Client({
      endpoint: emu.url,
      region: 'us-east-1',
      credentials,
      retryStrategy: immediateRetries(maxAttempts),
    });
  const describeEndpoints = (client: EC2Client) => () =>
    client.send(new DescribeClientVpnEndpointsCommand({}));

  it('counts each attempt EC2 throttled, the ones the SDK retried included, once per invocation', async () => {
    // Prepare
    const { instrumentation, emitted, invoke } = await setup();
    const client = instrumentation.instrumentClient(ec2(5));
    emu.faults.throttleNext('DescribeClientVpnEndpoints', 2);

    // Act
    const first = await invoke(describeEndpoints(client));
    const second = await invoke(describeEndpoints(client));

    // Assess: the call succeeded on its third attempt, so the caller saw no error at all
    expect(emu.callCounts()['us-east-1:DescribeClientVpnEndpoints']).toMatchObject({
      calls: 4,
      throttled: 2,
    });
    expect([first, second]).toEqual(['handler response', 'handler response']);
    expect(emitted).toEqual([
      [METRIC, 'Count', 2],
      [METRIC, 'Count', 0],
    ]);
  });

  it('emits the count of an invocation that fails once the retries run out', async () => {
    // Prepare
    const { instrumentation, emitted, invoke } = await setup();
    const client = instrumentation.instrumentClient(ec2(3));
    emu.faults.throttleNext('DescribeClientVpnEndpoints', 3);

    // Act
    const invocation = invoke(describeEndpoints(client));

    // Assess
    await expect(invocation).rejects.toMatchObject({ name: 'RequestLimitExceeded' });
    expect(emitted).toEqual([[METRIC, 'Count', 3]]);
  });

  it('counts neither other errors, nor an uninstrumented client, nor an attempt twice when instrumented twice', async () => {
    // Prepare
    const { instrumentation, emitted, invoke } = await setup();
    const twice = instrumentation.instrumentClient(instrumentation.instrumentClient(ec2(5)));
    const plain = ec2(5);

    // Act: one throttled attempt each
    await invoke(async () => {
      emu.faults.throttleNext('DescribeClientVpnEndpoints', 1);
      await describeEndpoints(twice)();
      emu.faults.throttleNext('DescribeClientVpnEndpoints', 1);
      await describeEndpoints(plain)();
      await twice
        .send(
          new DescribeClientVpnConnectionsCommand({ ClientVpnEndpointId: 'cvpn-endpoint-0000000000000dead' }),
        )
        .catch((error: Error) => expect(error.name).toBe('InvalidClientVpnEndpointId.NotFound'));
    });

    // Assess
    expect(emu.callCounts()['us-east-1:DescribeClientVpnEndpoints']).toMatchObject({ throttled: 2 });
    expect(emitted).toEqual([[METRIC, 'Count', 1]]);
  });

  it("does not count another service's RequestLimitExceeded (DynamoDB's account throughput limit)", async () => {
    // Prepare: DynamoDB answers every attempt with its own RequestLimitExceeded
    let attempts = 0;
    const { instrumentation, emitted, invoke } = await setup();
    const dynamoDb = instrumentation.instrumentClient(
      new DynamoDBClient({
        region: 'us-east-1',
        credentials,
        retryStrategy: immediateRetries(3),
        requestHandler: {
          handle: async () => {
            attempts++;
            const body = JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#RequestLimitExceeded' });
            return {
              response: {
                statusCode: 400,
                headers: { 'content-type': 'application/x-amz-json-1.0' },
                body: Readable.from([Buffer.from(body)]),
              },
            };
          },
        },
      }),
    );

    // Act
    const invocation = invoke(() => dynamoDb.send(new ScanCommand({ TableName: 'ledger' })));

    // Assess
    await expect(invocation).rejects.toMatchObject({ name: 'RequestLimitExceeded' });
    expect(attempts).toBe(3);
    expect(emitted).toEqual([[METRIC, 'Count', 0]]);
  });
});

describe('loadInstrumentation: tracing', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });
  const xRayMiddleware = (client: EC2Client) =>
    client.middlewareStack.identify().filter((entry) => entry.startsWith('XRaySDKInstrumentation'));

  it.each([
    ['unset', {}],
    ['"false"', { POWERTOOLS_TRACE_ENABLED: 'false' }],
  ])(
    'is off when POWERTOOLS_TRACE_ENABLED is %s: no tracer middleware, clients not captured',
    async (_, env) => {
      // Act
      const { instrumentation } = await setup(env);
      const client = instrumentation.instrumentClient(new EC2Client({ region: 'us-east-1', credentials }));

      // Assess
      expect(instrumentation.tracing).toEqual([]);
      expect(xRayMiddleware(client)).toEqual([]);
    },
  );

  it('is on with POWERTOOLS_TRACE_ENABLED=true: the handler middleware, and every client captured', async () => {
    // Prepare: the tracer only traces inside Lambda; the global HTTP capture is left out of this process
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs24.x');
    vi.stubEnv('POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS', 'false');

    // Act
    const { instrumentation } = await setup({ POWERTOOLS_TRACE_ENABLED: 'true' });
    const client = instrumentation.instrumentClient(new EC2Client({ region: 'us-east-1', credentials }));

    // Assess
    expect(instrumentation.tracing).toEqual([
      expect.objectContaining({ before: expect.any(Function), after: expect.any(Function) }),
    ]);
    expect(xRayMiddleware(client)).toHaveLength(1);
    // …besides the count, which sits inside the retry loop.
    expect(client.middlewareStack.identify()).toContainEqual(
      expect.stringMatching(/^countThrottledEc2Attempts/),
    );
  });

  it('rejects a value other than true or false, naming the variable', async () => {
    // Act
    const load = loadInstrumentation({ POWERTOOLS_TRACE_ENABLED: 'yes' });

    // Assess
    await expect(load).rejects.toThrow(ConfigurationError);
    await expect(load).rejects.toThrow('POWERTOOLS_TRACE_ENABLED: expected "true" or "false"');
  });
});
