import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  RUNBOOK_DETAIL_TYPE,
  RUNBOOK_LIFT_DETAIL_TYPE,
  type RunbookDetail,
} from '../../sources/runbook/events.ts';
import type { CliDeps } from '../deps.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { json } from '../format.ts';
import type { Command } from '../options.ts';

type RequestCommand = Extract<Command, { name: 'request' | 'lift' }>;

/** What `request --json` and `lift --json` print. */
export interface RequestReport {
  readonly eventId: string | null;
  readonly accepted: boolean;
  readonly region: string;
  readonly eventBusName: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: RunbookDetail;
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * The audited path: puts the runbook event the stack's rule routes to the revoker, which records the
 * revocation (or lift) in the ledger, ends the sessions and publishes the outcome event. The event id is
 * the outcome's `requestId`.
 */
export async function putRunbookEvent(command: RequestCommand, deps: CliDeps): Promise<ExitCode> {
  const region = command.region ?? (await deps.aws.defaultRegion());
  const credentials = await deps.aws.credentials(region);
  const detail: RunbookDetail = {
    username: command.identity,
    reason: command.reason,
    dryRun: command.dryRun,
  };
  const detailType = command.name === 'lift' ? RUNBOOK_LIFT_DETAIL_TYPE : RUNBOOK_DETAIL_TYPE;
  const base = { region, eventBusName: command.eventBus, source: command.source, detailType, detail };

  let report: RequestReport;
  try {
    const reply = await deps.aws.eventBridge(region, credentials).send(
      new PutEventsCommand({
        Entries: [
          {
            Source: command.source,
            DetailType: detailType,
            EventBusName: command.eventBus,
            Detail: JSON.stringify(detail),
          },
        ],
      }),
    );
    // A 200 proves nothing: the entry says whether the event was accepted.
    const entry = reply.Entries?.[0];
    report =
      !reply.FailedEntryCount && entry?.EventId
        ? { eventId: entry.EventId, accepted: true, ...base }
        : {
            eventId: null,
            accepted: false,
            ...base,
            error: {
              code: entry?.ErrorCode ?? 'UnknownError',
              message: entry?.ErrorMessage ?? 'EventBridge did not accept the event',
            },
          };
  } catch (error) {
    const { name, message } =
      error instanceof Error ? error : { name: 'UnexpectedError', message: String(error) };
    report = { eventId: null, accepted: false, ...base, error: { code: name, message } };
  }

  const what = command.name === 'lift' ? 'Lift' : 'Revocation';
  if (command.json) deps.stdout(json(report));
  if (!report.accepted) {
    deps.stderr(
      `${command.name}: PutEvents refused the event on bus ${command.eventBus} in ${region}: ` +
        `${report.error?.code}: ${report.error?.message}\n`,
    );
    return EXIT.failed;
  }
  if (!command.json) {
    deps.stdout(
      `${what} of ${command.identity}${command.dryRun ? ' (dry run)' : ''} requested: event ${report.eventId}\n`,
    );
  }
  deps.stderr(
    `Put on bus ${command.eventBus} in ${region} with source ${command.source}. The revoker's ` +
      `'Client VPN Revocation Outcome' event with requestId ${report.eventId} reports what happened.\n`,
  );
  return EXIT.done;
}
