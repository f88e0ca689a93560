import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LambdaHostOptions {
  readonly bundleFile: string;
  readonly exportName?: string;
  readonly functionName?: string;
  /** The function's environment, as the template sets it. */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

export type Invocation =
  | { readonly kind: 'result'; readonly result: unknown; readonly durationMs: number }
  | { readonly kind: 'error'; readonly error: { name: string; message: string }; readonly durationMs: number }
  | { readonly kind: 'timeout'; readonly durationMs: number };

const WORKER = fileURLToPath(new URL('./lambda-worker.ts', import.meta.url));

/**
 * A warm Lambda execution environment for a bundle: a child process that loaded the handler once.
 * An invocation past the timeout kills the environment, as Lambda does; the next one starts a new one.
 */
export class LambdaHost {
  readonly logs: string[] = [];
  private worker?: Promise<ChildProcess>;
  private nextId = 0;
  /** Init duration of the latest cold start. */
  initMs = 0;
  /** Cold starts so far: the first invocation, and the first after each timeout. */
  coldStarts = 0;

  constructor(private readonly options: LambdaHostOptions) {}

  async invoke(event: unknown): Promise<Invocation> {
    this.worker ??= this.start();
    const worker = await this.worker;
    const id = this.nextId++;
    const started = performance.now();
    return new Promise<Invocation>((resolve) => {
      const timer = setTimeout(() => {
        worker.off('message', onMessage);
        this.kill();
        resolve({ kind: 'timeout', durationMs: performance.now() - started });
      }, this.options.timeoutMs);
      const onMessage = (message: { type: string; id?: number; result?: unknown; error?: Invocation }) => {
        if (message.id !== id) return;
        clearTimeout(timer);
        worker.off('message', onMessage);
        const durationMs = performance.now() - started;
        resolve(
          message.type === 'result'
            ? { kind: 'result', result: message.result, durationMs }
            : { kind: 'error', error: message.error as never, durationMs },
        );
      };
      worker.on('message', onMessage);
      worker.send({ id, event, timeoutMs: this.options.timeoutMs });
    });
  }

  /** Ends the execution environment. */
  kill(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.then((child) => child.kill('SIGKILL'));
  }

  private start(): Promise<ChildProcess> {
    this.coldStarts++;
    const { bundleFile, exportName = 'handler', functionName = 'local-function', environment } = this.options;
    const child = fork(WORKER, [bundleFile, exportName, functionName], {
      // Only the function's own environment (plus PATH for Node itself), as in Lambda.
      env: { PATH: process.env.PATH ?? '', ...environment },
      execArgv: ['--enable-source-maps'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const collect = (chunk: Buffer) => this.logs.push(...chunk.toString().split('\n').filter(Boolean));
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    return new Promise((resolve, reject) => {
      child.once('message', (message: { type: string; initMs: number }) => {
        this.initMs = message.initMs;
        resolve(child);
      });
      child.once('exit', (code) =>
        reject(
          new Error(`Lambda bundle failed to start (exit ${code}):\n${this.logs.slice(-20).join('\n')}`),
        ),
      );
    });
  }
}
