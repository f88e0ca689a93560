import { type Emulator, type EmulatorOptions, type Seed, startEmulator } from '../emulator/index.ts';
import type { EventPattern } from '../lambda/core/event-pattern.ts';
import { matchesEventPattern } from '../lambda/core/event-pattern.ts';
import { readSynthesizedRevoker, type SynthesizedRevoker } from './cloud-assembly.ts';
import { LambdaHost } from './lambda-host.ts';
import { type DeliveryReport, LocalQueue } from './queue.ts';
import { CDK_OUT } from './synth.ts';

export const LOCAL_ACCOUNT = '111122223333';
export const LOCAL_REGION = 'us-east-1';

export interface RevokerOnEmulatorOptions {
  readonly seed?: Seed;
  readonly emulator?: Omit<EmulatorOptions, 'seed'>;
  /** Settings to change from the synthesized environment (e.g. a shorter retry budget). */
  readonly environment?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /** The `cdk synth` output directory to run. */
  readonly cdkOut?: string;
}

/**
 * The synthesized stack, run locally: EventBridge rule matching → SQS queue semantics → the bundled
 * function from cdk.out, with the SDK's standard AWS_ENDPOINT_URL_* variables pointing at the emulator.
 */
export class RevokerOnEmulator {
  private constructor(
    readonly emulator: Emulator,
    readonly stack: SynthesizedRevoker,
    readonly lambda: LambdaHost,
    readonly queue: LocalQueue,
  ) {}

  static async start(options: RevokerOnEmulatorOptions = {}): Promise<RevokerOnEmulator> {
    const emulator = await startEmulator({ ...options.emulator, seed: options.seed });
    const stack = readSynthesizedRevoker(options.cdkOut ?? CDK_OUT, {
      region: LOCAL_REGION,
      account: LOCAL_ACCOUNT,
    });
    const lambda = new LambdaHost({
      bundleFile: stack.bundleFile,
      exportName: stack.exportName,
      functionName: 'ClientVpnRevoker-Function',
      timeoutMs: options.timeoutMs ?? stack.timeoutMs,
      environment: {
        ...stack.environment,
        ...emulator.env,
        // What the Lambda runtime provides.
        AWS_REGION: LOCAL_REGION,
        AWS_DEFAULT_REGION: LOCAL_REGION,
        AWS_ACCESS_KEY_ID: 'AKIALOCALEMULATOR',
        AWS_SECRET_ACCESS_KEY: 'local-emulator-secret',
        AWS_LAMBDA_FUNCTION_NAME: 'ClientVpnRevoker-Function',
        ...options.environment,
      },
    });
    const queue = new LocalQueue({ maxReceiveCount: stack.maxReceiveCount, batchSize: stack.batchSize });
    return new RevokerOnEmulator(emulator, stack, lambda, queue);
  }

  /** The rules an event matches, on the bus it is put on, as EventBridge would decide. */
  matchingRules(event: unknown, eventBusName: string): { logicalId: string; pattern: EventPattern }[] {
    return this.stack.rules.filter(
      (rule) => rule.eventBusName === eventBusName && matchesEventPattern(rule.pattern, event),
    );
  }

  /** Routes events like EventBridge (only matching events reach the queue), then drains the queue. */
  async deliver(
    events: readonly { event: unknown; eventBusName: string }[],
  ): Promise<DeliveryReport & { unmatched: number }> {
    let unmatched = 0;
    for (const { event, eventBusName } of events) {
      if (this.matchingRules(event, eventBusName).length > 0) this.queue.send(event);
      else unmatched++;
    }
    const report = await this.queue.drain((batch) => this.lambda.invoke(batch));
    return { ...report, unmatched };
  }

  /** Puts a message straight on the queue, bypassing the rules (as anyone with sqs:SendMessage could). */
  async deliverRaw(bodies: readonly string[]): Promise<DeliveryReport> {
    for (const body of bodies) this.queue.send(body);
    return this.queue.drain((batch) => this.lambda.invoke(batch));
  }

  async stop(): Promise<void> {
    this.lambda.kill();
    await this.emulator.stop();
  }
}
