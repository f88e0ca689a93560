import { readSynthesizedRevoker, type SynthesizedRevoker } from '../local/cloud-assembly.ts';
import { oktaEventFor } from '../local/example-events.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../local/revoker-on-emulator.ts';
import { CDK_OUT } from '../local/synth.ts';

/** The revoker as `cdk synth` left it in `cdkOut`: bundle, environment, queue settings. */
export const synthesizedRevoker = (cdkOut = CDK_OUT): SynthesizedRevoker =>
  readSynthesizedRevoker(cdkOut, { region: LOCAL_REGION, account: LOCAL_ACCOUNT });

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.round((p / 100) * (sorted.length - 1))))] ??
    Number.NaN
  );
}

export const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

/** A small seeded PRNG, so estates and arrivals are the same on every run. */
export { mulberry32 as prng } from '../emulator/random.ts';

/** The example Okta "deactivate user" event for `login`, with fresh ids, on the stack's Okta bus. */
export function oktaDeactivation(stack: SynthesizedRevoker, login: string) {
  const eventBusName = stack.environment.OKTA_EVENT_SOURCES?.split(',')[0];
  if (!eventBusName)
    throw new Error('The synthesized stack has no Okta event source (cdk.json oktaEventSources)');
  const event = oktaEventFor(login, { source: eventBusName });
  return { event, eventBusName };
}
