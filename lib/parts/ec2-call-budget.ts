import { ENV } from '../../lambda/core/environment.ts';
import { ClientVpnRevokerPropsError } from '../props-validation.ts';

/** EC2 calls per second per region the product may use in total. */
export interface Ec2CallBudget {
  /**
   * TerminateClientVpnConnections calls per second (EC2 refills 5 per second), more than 0 and at most 5.
   * @default 4.75
   */
  readonly terminateCallsPerSecond?: number;
  /**
   * DescribeClientVpnConnections/Endpoints calls per second (EC2 refills 20 per second), more than 0, at most 20.
   * @default 15
   */
  readonly describeCallsPerSecond?: number;
}

/** The smallest per-environment share the functions accept (their environment holds two decimals). */
const MIN_CALLS_PER_SECOND_SHARE = 0.01;

/** The default budget: just under EC2's refill (5 Terminates, 20 Describes per second per account and region). */
export const DEFAULT_EC2_CALL_BUDGET: Required<Ec2CallBudget> = {
  terminateCallsPerSecond: 4.75,
  describeCallsPerSecond: 15,
};

/**
 * The session sweeper's part of the budget. It runs for seconds every few minutes and may take its time;
 * revocations are what must be fast, so the revoker environments share the rest.
 */
export const SWEEPER_BUDGET_SHARE = 0.05;

/** Calls per second one function environment paces itself to. */
export interface CallRates {
  readonly terminate: number;
  readonly describe: number;
}

/** Down to two decimals; the epsilon keeps binary float error (3 × 0.95 = 2.8499…) from costing a cent. */
export const roundDown = (value: number) => Math.floor(value * 100 + 1e-9) / 100;

/**
 * Splits the budget: the sweeper (when there is one) gets `SWEEPER_BUDGET_SHARE`, and each of the
 * `revokerEnvironments` concurrent revoker environments an equal part of the rest, rounded down to the two
 * decimals the functions read. Together they never exceed the budget.
 */
export function splitBudget(
  budget: Ec2CallBudget | undefined,
  revokerEnvironments: number,
  sweeper: boolean,
): { revoker: CallRates; sweeper: CallRates } {
  const terminateCallsPerSecond =
    budget?.terminateCallsPerSecond ?? DEFAULT_EC2_CALL_BUDGET.terminateCallsPerSecond;
  const describeCallsPerSecond =
    budget?.describeCallsPerSecond ?? DEFAULT_EC2_CALL_BUDGET.describeCallsPerSecond;
  const revokerPart = sweeper ? 1 - SWEEPER_BUDGET_SHARE : 1;
  const shares = (total: number) => ({
    revoker: roundDown((total * revokerPart) / revokerEnvironments),
    sweeper: roundDown(total * SWEEPER_BUDGET_SHARE),
  });
  const check = (prop: string, value: number, max: number) => {
    if (!(value > 0 && value <= max)) {
      throw new ClientVpnRevokerPropsError(
        `ec2CallBudget.${prop}`,
        `expected more than 0 and at most ${max} (EC2's refill per second), got ${value}`,
      );
    }
    const { revoker, sweeper: sweeperShare } = shares(value);
    const smallest = sweeper ? Math.min(revoker, sweeperShare) : revoker;
    if (smallest < MIN_CALLS_PER_SECOND_SHARE) {
      throw new ClientVpnRevokerPropsError(
        `ec2CallBudget.${prop}`,
        `${value} split over ${revokerEnvironments} concurrent revoker environments` +
          `${sweeper ? ' and the sweeper' : ''} leaves less than ${MIN_CALLS_PER_SECOND_SHARE} per second ` +
          'to one of them; raise it or lower maxConcurrency',
      );
    }
  };
  check('terminateCallsPerSecond', terminateCallsPerSecond, 5);
  check('describeCallsPerSecond', describeCallsPerSecond, 20);
  const terminate = shares(terminateCallsPerSecond);
  const describe = shares(describeCallsPerSecond);
  return {
    revoker: { terminate: terminate.revoker, describe: describe.revoker },
    sweeper: { terminate: terminate.sweeper, describe: describe.sweeper },
  };
}

/** The rates a function paces itself to, as its environment holds them (lambda/core/environment.ts). */
export const pacingEnvironment = (share: CallRates): Record<string, string> => ({
  [ENV.terminateCallsPerSecond]: String(share.terminate),
  [ENV.describeCallsPerSecond]: String(share.describe),
});
