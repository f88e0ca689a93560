import { USER_DIRECTORY_PARTITION_KEY } from '../contracts/tables.ts';
import { type Emulator, type EmulatorOptions, type Seed, startEmulator } from '../emulator/index.ts';
import {
  DEFAULT_DESCRIBE_CALLS_PER_SECOND,
  DEFAULT_TERMINATE_CALLS_PER_SECOND,
  ENV,
} from '../lambda/core/environment.ts';
import type { EventPattern } from '../lambda/core/event-pattern.ts';
import { matchesEventPattern } from '../lambda/core/event-pattern.ts';
import {
  readSynthesizedRevoker,
  type SynthesizedFunction,
  type SynthesizedRevoker,
} from './cloud-assembly.ts';
import { type LocalDynamo, startDynamo } from './dynamodb.ts';
import { type Invocation, LambdaHost } from './lambda-host.ts';
import { LambdaPool } from './lambda-pool.ts';
import { type DeliveryReport, type DrainOptions, LocalQueue } from './queue.ts';
import { CDK_OUT } from './synth.ts';

export const LOCAL_ACCOUNT = '111122223333';
export const LOCAL_REGION = 'us-east-1';

export interface RevokerOnEmulatorOptions {
  readonly seed?: Seed;
  readonly emulator?: Omit<EmulatorOptions, 'seed'>;
  /**
   * Settings to change from the synthesized environment (e.g. a shorter retry budget). They win over the
   * pacing rates scaled for `emulator.timeScale`.
   */
  readonly environment?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /** The `cdk synth` output directory to run. */
  readonly cdkOut?: string;
}

/**
 * The synthesized stack, run locally: EventBridge rule matching → SQS queue semantics → the bundled
 * function from cdk.out, with the SDK's standard AWS_ENDPOINT_URL_* variables pointing at the emulator.
 * The event source mapping's settings come from the template: batch size, batching window (in emulated
 * time) and MaximumConcurrency, each concurrent invocation running in an execution environment of its own.
 *
 * With `emulator.timeScale`, EC2's buckets refill per emulated second while the function paces its calls per
 * wall-clock second: its rates (as synthesized, else the defaults) are multiplied by the time scale, so that it
 * takes the same share of each bucket as in AWS. Its other timers (timeout, retry budget, SDK backoff) are not
 * scaled: they only get more generous.
 */
export class RevokerOnEmulator {
  private constructor(
    readonly emulator: Emulator,
    readonly stack: SynthesizedRevoker,
    /** The function's execution environments (at most the mapping's MaximumConcurrency). */
    readonly lambda: LambdaPool,
    readonly queue: LocalQueue,
    /** The revocation ledger's table on a local DynamoDB-compatible server, when the stack has a ledger. */
    readonly dynamo: LocalDynamo | undefined,
    /** The client connect handler, plugged into the emulator's connection attempts. */
    readonly connectHandler: LambdaHost | undefined,
    /** The session sweeper, run by `sweep()` as the schedule would. */
    readonly sweeper: LambdaHost | undefined,
    /** The user directory sync, run by `syncUserDirectory()` as the schedule would. */
    readonly directorySync: LambdaHost | undefined,
  ) {}

  static async start(options: RevokerOnEmulatorOptions = {}): Promise<RevokerOnEmulator> {
    const stack = readSynthesizedRevoker(options.cdkOut ?? CDK_OUT, {
      region: LOCAL_REGION,
      account: LOCAL_ACCOUNT,
    });
    let connectHandler: LambdaHost | undefined;
    const handlerName = stack.connectHandler?.functionName;
    const handlerArn =
      handlerName && `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${handlerName}`;
    const emulator = await startEmulator({
      ...options.emulator,
      seed: options.seed,
      // Client VPN invokes the function the endpoint names; only this stack's handler exists here.
      connectHandlerInvoker: async (functionArn, request) => {
        if (!connectHandler || (functionArn !== handlerArn && !functionArn.startsWith(`${handlerArn}:`))) {
          throw new Error(
            `No function ${functionArn} (the stack's connect handler is ${handlerArn ?? 'absent'})`,
          );
        }
        const invocation = await connectHandler.invoke(request);
        if (invocation.kind !== 'result') throw new Error(`Connect handler invocation: ${invocation.kind}`);
        return invocation.result;
      },
    });
    const timeScale = options.emulator?.timeScale ?? 1;
    // An unresolved table name is its logical id, a valid table name: the local server creates it.
    const tableName = stack.environment[ENV.ledgerTableName];
    const directoryTable = stack.environment[ENV.userDirectoryTableName];
    const dynamo =
      tableName || directoryTable
        ? await startDynamo({
            ...(tableName && { tableName }),
            ...(directoryTable && {
              otherTables: [{ tableName: directoryTable, partitionKey: USER_DIRECTORY_PARTITION_KEY }],
            }),
          })
        : undefined;
    const runtime = (functionName: string) => ({
      ...emulator.env,
      ...(dynamo && { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint }),
      // What the Lambda runtime provides.
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: 'AKIALOCALEMULATOR',
      AWS_SECRET_ACCESS_KEY: 'local-emulator-secret',
      AWS_LAMBDA_FUNCTION_NAME: functionName,
    });
    const lambda = new LambdaPool(
      {
        bundleFile: stack.bundleFile,
        exportName: stack.exportName,
        functionName: 'ClientVpnRevoker-Function',
        timeoutMs: options.timeoutMs ?? stack.timeoutMs,
        environment: {
          ...stack.environment,
          ...scaledPacing(stack.environment, timeScale),
          ...runtime('ClientVpnRevoker-Function'),
          ...options.environment,
        },
      },
      stack.maxConcurrency,
    );
    const host = (fn: SynthesizedFunction | undefined, name: string, extra: Record<string, string> = {}) =>
      fn &&
      new LambdaHost({
        bundleFile: fn.bundleFile,
        exportName: fn.exportName,
        functionName: fn.functionName ?? name,
        timeoutMs: fn.timeoutMs,
        environment: { ...fn.environment, ...extra, ...runtime(fn.functionName ?? name) },
      });
    connectHandler = host(stack.connectHandler, 'ClientVpnRevoker-ConnectHandler');
    const sweeper = host(stack.sweeper, 'ClientVpnRevoker-Sweeper', {
      ...(stack.sweeper && scaledPacing(stack.sweeper.environment, timeScale)),
      ...options.environment,
    });
    const directorySync = host(stack.directorySync, 'ClientVpnRevoker-DirectorySync');
    const queue = new LocalQueue({
      maxReceiveCount: stack.maxReceiveCount,
      batchSize: stack.batchSize,
      maxConcurrency: stack.maxConcurrency,
      // The window is a duration: it passes as fast as the emulator's clock.
      batchingWindowMs: stack.batchingWindowMs / timeScale,
      queueArn: `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:ClientVpnRevoker-Queue`,
      // Visibility too; what the function sets with ChangeMessageVisibility reaches the queue through the emulator.
      visibilityTimeoutMs: stack.visibilityTimeoutMs / timeScale,
      visibilityMsOf: (receiptHandle) => {
        const seconds = emulator.sqs.visibilityOf(receiptHandle);
        return seconds === undefined ? undefined : (seconds * 1000) / timeScale;
      },
      onTimeSkipped: (ms) => emulator.advanceTime(ms * timeScale),
    });
    return new RevokerOnEmulator(
      emulator,
      stack,
      lambda,
      queue,
      dynamo,
      connectHandler,
      sweeper,
      directorySync,
    );
  }

  /** The ARN endpoints must name in ClientConnectOptions to use the stack's connect handler. */
  get connectHandlerArn(): string | undefined {
    const name = this.stack.connectHandler?.functionName;
    return name && `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
  }

  /** One scheduled sweep, invoked as EventBridge Scheduler does (asynchronously, with the schedule's input). */
  sweep(sweepId = `local-sweep-${Date.now()}`): Promise<Invocation> {
    if (!this.sweeper) throw new Error('The synthesized stack has no session sweeper');
    return this.sweeper.invoke({ sweepId });
  }

  /** One scheduled user directory sync, invoked as EventBridge Scheduler does. */
  syncUserDirectory(): Promise<Invocation> {
    if (!this.directorySync) throw new Error('The synthesized stack has no user directory sync');
    return this.directorySync.invoke({});
  }

  /** The rules an event matches, on the bus it is put on, as EventBridge would decide. */
  matchingRules(event: unknown, eventBusName: string): { logicalId: string; pattern: EventPattern }[] {
    return this.stack.rules.filter(
      (rule) => rule.eventBusName === eventBusName && matchesEventPattern(rule.pattern, event),
    );
  }

  /** Puts an event on a bus: if a rule matches it, it goes to the queue. Returns whether one matched. */
  putEvent(event: unknown, eventBusName: string): boolean {
    if (this.matchingRules(event, eventBusName).length === 0) return false;
    this.queue.send(event);
    return true;
  }

  /**
   * Runs the event source mapping until the queue is empty: batches go to the function's execution
   * environments, up to MaximumConcurrency at a time. With `until`, messages may keep arriving (e.g. from
   * `putEvent`) until that producer settles.
   */
  drain(options: DrainOptions = {}): Promise<DeliveryReport> {
    return this.queue.drain((batch) => this.lambda.invoke(batch), options);
  }

  /** Routes events like EventBridge (only matching events reach the queue), then drains the queue. */
  async deliver(
    events: readonly { event: unknown; eventBusName: string }[],
  ): Promise<DeliveryReport & { unmatched: number }> {
    let unmatched = 0;
    for (const { event, eventBusName } of events) {
      if (!this.putEvent(event, eventBusName)) unmatched++;
    }
    const report = await this.drain();
    return { ...report, unmatched };
  }

  /** Puts a message straight on the queue, bypassing the rules (as anyone with sqs:SendMessage could). */
  async deliverRaw(bodies: readonly string[]): Promise<DeliveryReport> {
    for (const body of bodies) this.queue.send(body);
    return this.drain();
  }

  async stop(): Promise<void> {
    this.lambda.kill();
    this.connectHandler?.kill();
    this.sweeper?.kill();
    this.directorySync?.kill();
    await this.emulator.stop();
    await this.dynamo?.stop();
  }
}

/** The function's EC2 pacing rates, per wall-clock second, for an emulator running `timeScale` times faster. */
export function scaledPacing(
  environment: Readonly<Record<string, string | undefined>>,
  timeScale: number,
): Record<string, string> {
  if (timeScale === 1) return {};
  const scaled = (name: string, fallback: number) =>
    String(Number(environment[name] ?? fallback) * timeScale);
  return {
    [ENV.terminateCallsPerSecond]: scaled(ENV.terminateCallsPerSecond, DEFAULT_TERMINATE_CALLS_PER_SECOND),
    [ENV.describeCallsPerSecond]: scaled(ENV.describeCallsPerSecond, DEFAULT_DESCRIBE_CALLS_PER_SECOND),
  };
}
