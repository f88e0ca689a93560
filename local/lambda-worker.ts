/**
 * Hosts one bundled Lambda handler in its own Node process, the way the Lambda runtime does: the module
 * is imported once (cold start), then invoked per message from the parent with a Lambda-shaped context.
 * Run by local/lambda-host.ts; uses only erasable TypeScript so Node runs it without a loader.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';

interface InvokeMessage {
  readonly id: number;
  readonly event: unknown;
  readonly timeoutMs: number;
}

const [bundleFile, exportName = 'handler', functionName = 'local-function'] = process.argv.slice(2);
if (!bundleFile) throw new Error('usage: lambda-worker.ts <bundle file> [export] [function name]');

const loadStarted = performance.now();
const module = (await import(pathToFileURL(bundleFile).href)) as Record<string, unknown>;
const handler = module[exportName];
if (typeof handler !== 'function') throw new Error(`${bundleFile} exports no function "${exportName}"`);
process.send?.({ type: 'ready', initMs: performance.now() - loadStarted });

process.on('message', async (message: InvokeMessage) => {
  const deadline = Date.now() + message.timeoutMs;
  const context = {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:111122223333:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    const result = await (handler as (event: unknown, context: unknown) => Promise<unknown>)(
      message.event,
      context,
    );
    process.send?.({ type: 'result', id: message.id, result });
  } catch (error) {
    const { name, message: text, stack } = error instanceof Error ? error : new Error(String(error));
    process.send?.({ type: 'error', id: message.id, error: { name, message: text, stack } });
  }
});
