import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { RevokerAlarms, type RevokerAlarmsProps } from './alarms.ts';
import { RevokerDashboard } from './dashboard.ts';

export interface ObservabilityProps extends RevokerAlarmsProps {
  /** Create the dashboard too. */
  readonly dashboard: boolean;
}

/**
 * The revoker's alarms (id `Alarms`) and, unless turned off, its dashboard (id `Dashboard`) showing them: the
 * construct ids the revoker has always given them, so their logical ids stay.
 */
export function addObservability(
  scope: Construct,
  props: ObservabilityProps,
): { readonly alarms: cloudwatch.Alarm[]; readonly dashboard?: cloudwatch.Dashboard } {
  const { dashboard: wanted, ...watched } = props;
  const { alarms } = new RevokerAlarms(scope, 'Alarms', watched);
  if (!wanted) return { alarms };
  const dashboard = new RevokerDashboard(scope, 'Dashboard', {
    function: props.function,
    queue: props.queue,
    deadLetterQueue: props.deadLetterQueue,
    rules: props.rules,
    alarms,
    ...(props.connectHandler && { connectHandler: props.connectHandler }),
    ...(props.sweeper && { sweeper: props.sweeper }),
  }).dashboard;
  return { alarms, dashboard };
}
