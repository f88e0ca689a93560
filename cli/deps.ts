import type { AwsAccess } from './aws.ts';

/** What the commands need from the outside world; cli/main.ts wires the real ones. */
export interface CliDeps {
  /** Results: a table, or the one JSON document with `--json`. */
  readonly stdout: (text: string) => void;
  /** Progress, notes and errors. */
  readonly stderr: (text: string) => void;
  readonly aws: AwsAccess;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}
