import * as z from 'zod';
import { SWEEPER_METRICS } from '../../contracts/metrics.ts';
import {
  INCOMPLETE_SWEEP_STATUSES,
  type SweepOutcomeDetail,
  sweepOutcomeDetailSchema,
} from '../core/sweep-outcome.ts';
import type { PublishSweepOutcomes } from '../engine/adapters/eventbridge-outcomes.ts';
import type { SweepSessions } from './sweep.ts';

export interface SweepLogger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

export interface SweepMetrics {
  addMetric(name: string, unit: 'Count', value: number): void;
}

export interface ScheduledSweepDependencies {
  readonly sweep: SweepSessions;
  readonly publish: PublishSweepOutcomes;
  readonly logger: SweepLogger;
  readonly metrics: SweepMetrics;
}

/** What the invocation returns: the outcome without per-connection details. */
export type SweepSummary = Pick<SweepOutcomeDetail, 'sweepId' | 'status' | 'dryRun' | 'message' | 'counts'>;

/** The sweep's outcome could not be published: the invocation fails so that Lambda runs it again. */
export class SweepOutcomeNotPublishedError extends Error {
  override readonly name = 'SweepOutcomeNotPublishedError';
}

/**
 * Whatever the schedule sends is accepted. An id in it (`sweepId`, e.g. from the Scheduler's
 * `<aws.scheduler.execution-id>`, or an EventBridge event's `id`) names the sweep; otherwise the invocation's
 * request id, which Lambda keeps across the retries of an asynchronous invocation.
 */
const triggerSchema = z.object({
  sweepId: z.string().min(1).max(256).optional(),
  id: z.string().min(1).max(256).optional(),
});

export function sweepIdOf(event: unknown, requestId: string): string {
  const trigger = triggerSchema.safeParse(event);
  return (trigger.success && (trigger.data.sweepId ?? trigger.data.id)) || requestId;
}

/**
 * One scheduled sweep: run it, publish its outcome, report. A sweep that could not end everything is
 * published as `partial`/`failed` and returns normally (the next sweep retries); an outcome that could not
 * be published fails the invocation, so a sweep is never silently lost.
 */
export const scheduledSweep =
  (deps: ScheduledSweepDependencies) =>
  async (run: { readonly sweepId: string; readonly deadline: number }): Promise<SweepSummary> => {
    // The outcome is a public contract: an outcome breaking its schema is a bug and must not go out.
    const outcome = sweepOutcomeDetailSchema.parse(await deps.sweep(run));
    const [result] = await deps.publish([outcome]);
    const summary: SweepSummary = {
      sweepId: outcome.sweepId,
      status: outcome.status,
      dryRun: outcome.dryRun,
      ...(outcome.message && { message: outcome.message }),
      counts: outcome.counts,
    };
    recordMetrics(deps.metrics, outcome, !!result?.published);
    // Errors name endpoints and AWS error codes, never identities.
    const log = {
      ...summary,
      errors: outcome.errors,
      ledger: outcome.ledger,
      ...(outcome.connectHandler && { connectHandler: outcome.connectHandler }),
    };
    if (!result?.published) {
      const error = result?.published === false ? result.error : 'no result';
      deps.logger.error('Sweep outcome could not be published; the invocation fails to be retried', {
        ...log,
        error,
      });
      throw new SweepOutcomeNotPublishedError(`Sweep ${outcome.sweepId}: outcome not published (${error})`);
    }
    if (INCOMPLETE_SWEEP_STATUSES.includes(outcome.status)) {
      deps.logger.warn('Sweep incomplete; the next scheduled sweep retries', log);
    } else {
      deps.logger.info('Sweep outcome published', log);
    }
    return summary;
  };

export type ScheduledSweep = ReturnType<typeof scheduledSweep>;

function recordMetrics(metrics: SweepMetrics, outcome: SweepOutcomeDetail, published: boolean) {
  metrics.addMetric(SWEEPER_METRICS.outcome(outcome.status), 'Count', 1);
  metrics.addMetric(SWEEPER_METRICS.connectionsFound, 'Count', outcome.counts.connectionsFound);
  metrics.addMetric(SWEEPER_METRICS.connectionsTerminated, 'Count', outcome.counts.connectionsTerminated);
  metrics.addMetric(SWEEPER_METRICS.connectionsRemaining, 'Count', outcome.counts.connectionsRemaining);
  metrics.addMetric(SWEEPER_METRICS.connectionsProtected, 'Count', outcome.counts.connectionsProtected);
  if (!published) metrics.addMetric(SWEEPER_METRICS.outcomePublishFailed, 'Count', 1);
  if (outcome.connectHandler) {
    // Out-of-reach endpoints are not counted: no handler of this stack can guard them.
    metrics.addMetric(SWEEPER_METRICS.endpointsNotGuarded, 'Count', outcome.connectHandler.unguarded.length);
    metrics.addMetric(SWEEPER_METRICS.endpointsWired, 'Count', outcome.connectHandler.wired.length);
  }
}
