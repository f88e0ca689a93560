import { type Invocation, LambdaHost, type LambdaHostOptions } from './lambda-host.ts';

/**
 * A function's execution environments, as Lambda scales them: each environment (a LambdaHost, one process)
 * runs one invocation at a time. An invocation goes to an idle warm environment, else to a new one (a cold
 * start) while fewer than `maxEnvironments` exist, else waits for the next environment to become free.
 */
export class LambdaPool {
  /** Every environment started so far, in order of creation. */
  readonly environments: LambdaHost[] = [];
  readonly #idle: LambdaHost[] = [];
  readonly #waiting: ((host: LambdaHost) => void)[] = [];
  #inFlight = 0;
  #peakInFlight = 0;

  constructor(
    private readonly options: LambdaHostOptions,
    readonly maxEnvironments: number,
  ) {
    if (!(Number.isInteger(maxEnvironments) && maxEnvironments >= 1)) {
      throw new RangeError(`maxEnvironments must be a whole number of at least 1, got ${maxEnvironments}`);
    }
  }

  async invoke(event: unknown): Promise<Invocation> {
    const host = await this.#acquire();
    this.#peakInFlight = Math.max(this.#peakInFlight, ++this.#inFlight);
    try {
      return await host.invoke(event);
    } finally {
      this.#inFlight--;
      this.#release(host);
    }
  }

  /** Init duration of the first environment's latest cold start (0 before the first invocation). */
  get initMs(): number {
    return this.environments[0]?.initMs ?? 0;
  }

  get coldStarts(): number {
    return this.environments.reduce((sum, host) => sum + host.coldStarts, 0);
  }

  /** Most invocations that ran at the same time. */
  get peakConcurrency(): number {
    return this.#peakInFlight;
  }

  /** Every environment's output, environment by environment. */
  get logs(): string[] {
    return this.environments.flatMap((host) => host.logs);
  }

  /** Ends every execution environment; the next invocation cold-starts again. */
  kill(): void {
    for (const host of this.environments) host.kill();
  }

  #acquire(): Promise<LambdaHost> {
    // The most recently used warm environment first, as Lambda prefers warm environments.
    const idle = this.#idle.pop();
    if (idle) return Promise.resolve(idle);
    if (this.environments.length < this.maxEnvironments) {
      const host = new LambdaHost(this.options);
      this.environments.push(host);
      return Promise.resolve(host);
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(host: LambdaHost): void {
    const next = this.#waiting.shift();
    if (next) next(host);
    else this.#idle.push(host);
  }
}
