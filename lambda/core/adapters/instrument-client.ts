/**
 * How the functions observe their AWS calls, applied where the composition roots create SDK clients:
 *
 * - Every attempt EC2 refuses with `RequestLimitExceeded` is counted, the ones the SDK retries internally
 *   included: the counting middleware sits inside the client's retry loop, so it sees each attempt, where an
 *   error reaching the caller is only the last one. Each invocation emits its count as one metric.
 * - With tracing on (`POWERTOOLS_TRACE_ENABLED=true`, set by the construct's `tracing` prop), Powertools
 *   Tracer traces the handler and every instrumented client. The tracer and the X-Ray SDK under it are
 *   loaded by a dynamic `import()` only then: esbuild splits them into a chunk that a cold start without
 *   tracing never loads.
 */
import type { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { MiddlewareObj } from '@middy/core';
import type { FinalizeRequestMiddleware, MetadataBearer, RelativeMiddlewareOptions } from '@smithy/types';
import * as z from 'zod';
import { TRACE_ENABLED_ENV } from '../../../contracts/tracing.ts';
import { booleanSchema, parseEnvironment } from '../environment.ts';

/** EC2's answer (HTTP 503) when the account's token bucket for the action is empty. */
const EC2_THROTTLING_ERROR = 'RequestLimitExceeded';
const EC2_SERVICE_ID = 'EC2';
const COUNTING_MIDDLEWARE = 'countThrottledEc2Attempts';

/** What instrumenting needs of an AWS SDK v3 client. */
export interface SdkClient {
  readonly config: { readonly serviceId?: string };
  // `never`: every client's stack takes middleware typed for its own service's input and output.
  readonly middlewareStack: { addRelativeTo(middleware: never, options: RelativeMiddlewareOptions): void };
}

/** Instruments an SDK client where it is created and returns the same client. */
export type InstrumentClient = <Client extends SdkClient>(client: Client) => Client;

/** For adapters used without instrumentation. */
export const uninstrumented: InstrumentClient = (client) => client;

/** Where the count goes: Powertools Metrics. */
export interface CountMetrics {
  addMetric(name: string, unit: 'Count', value: number): void;
}

export interface Instrumentation {
  /**
   * Instruments an SDK client where it is created: an EC2 client's throttled attempts are counted and, with
   * tracing on, every client's calls become X-Ray subsegments. Returns the same client.
   */
  readonly instrumentClient: InstrumentClient;
  /** The tracer's middy middleware when tracing is on, none otherwise: first in the chain. */
  readonly tracing: ReturnType<typeof captureLambdaHandler>[];
  /**
   * A middy middleware that emits the invocation's count of throttled EC2 attempts as `metricName`. Use it
   * after `logMetrics`: middy runs `after`/`onError` in reverse order, so the flush then includes the count.
   */
  readonly ec2ThrottlingMetric: (metrics: CountMetrics, metricName: string) => MiddlewareObj;
}

const environmentSchema = z.object({ [TRACE_ENABLED_ENV]: booleanSchema.default(false) });

/** Reads whether tracing is on (once, at cold start) and loads the tracer only then. */
export async function loadInstrumentation(
  environment: NodeJS.ProcessEnv = process.env,
): Promise<Instrumentation> {
  const tracer = parseEnvironment(environmentSchema, environment)[TRACE_ENABLED_ENV]
    ? await loadTracer()
    : undefined;
  let throttledAttempts = 0;
  const countThrottled: FinalizeRequestMiddleware<object, MetadataBearer> = (next) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      if ((error as { name?: unknown } | undefined)?.name === EC2_THROTTLING_ERROR) throttledAttempts += 1;
      throw error;
    }
  };
  return {
    instrumentClient: (client) => {
      if (client.config.serviceId === EC2_SERVICE_ID) {
        // `override` keeps a client instrumented twice counting each attempt once.
        // The counter reads only the error, so it fits whatever input and output types the client has.
        client.middlewareStack.addRelativeTo(countThrottled as never, {
          name: COUNTING_MIDDLEWARE,
          relation: 'after',
          toMiddleware: 'retryMiddleware',
          override: true,
        });
      }
      return tracer ? tracer.captureClient(client) : client;
    },
    tracing: tracer ? [tracer.middleware] : [],
    ec2ThrottlingMetric: (metrics, metricName) => {
      // Returns nothing: middy takes a value returned by `after` for the response and stops the chain there.
      const emit = () => {
        metrics.addMetric(metricName, 'Count', throttledAttempts);
      };
      return {
        before: () => {
          throttledAttempts = 0;
        },
        after: emit,
        onError: emit,
      };
    },
  };
}

/** Powertools Tracer, configured by its POWERTOOLS_* variables (lib/function-support.ts sets them). */
async function loadTracer() {
  const [{ Tracer }, { captureLambdaHandler }] = await Promise.all([
    import('@aws-lambda-powertools/tracer'),
    import('@aws-lambda-powertools/tracer/middleware'),
  ]);
  const tracer = new Tracer();
  return {
    captureClient: <Client>(client: Client): Client => tracer.captureAWSv3Client(client),
    middleware: captureLambdaHandler(tracer),
  };
}
