import { OUTCOME_DETAIL_TYPE, SWEEP_OUTCOME_DETAIL_TYPE } from '../../contracts/events.ts';
import type { Emulator } from '../../emulator/index.ts';
import { type OutcomeDetail, outcomeDetailSchema } from '../../lambda/core/outcome.ts';
import { type SweepOutcomeDetail, sweepOutcomeDetailSchema } from '../../lambda/core/sweep-outcome.ts';

/** The revocation outcomes put on the emulator's buses, in order, each checked against its schema. */
export const publishedOutcomes = (emulator: Pick<Emulator, 'publishedEvents'>): OutcomeDetail[] =>
  emulator
    .publishedEvents()
    .filter((event) => event.detailType === OUTCOME_DETAIL_TYPE)
    .map((event) => outcomeDetailSchema.parse(event.detail));

/** The sweep outcomes put on the emulator's buses, in order, each checked against its schema. */
export const publishedSweeps = (emulator: Pick<Emulator, 'publishedEvents'>): SweepOutcomeDetail[] =>
  emulator
    .publishedEvents()
    .filter((event) => event.detailType === SWEEP_OUTCOME_DETAIL_TYPE)
    .map((event) => sweepOutcomeDetailSchema.parse(event.detail));
