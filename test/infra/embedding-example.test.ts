import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import {
  OUTCOME_SOURCE,
  SecurityOperationsStack,
  type SecurityOperationsStackProps,
} from '../../examples/cdk-app/security-operations-stack.ts';
import { ENV } from '../../lambda/core/environment.ts';
import * as library from '../../lib/index.ts';
import { RUNBOOK_DETAIL_TYPE } from '../../sources/runbook/events.ts';
import { RUNBOOK_ENV } from '../../sources/runbook/source.ts';
import { ACCOUNT, environmentOf, flatten, logicalId, testApp } from './synth.ts';

const TOPIC = `arn:aws:sns:eu-west-1:${ACCOUNT}:secops-on-call`;
const BUS_ARN = `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/security-events`;
const PROPS: SecurityOperationsStackProps = {
  env: { account: ACCOUNT, region: 'eu-west-1' },
  securityEventBusName: 'security-events',
  onCallTopicArn: TOPIC,
  oktaEventSourceName: 'aws.partner/okta.com/acme/client-vpn-revoker',
  vpnEndpoints: [
    { endpointId: 'cvpn-endpoint-0123456789abcdef0' },
    { region: 'us-east-1', endpointId: 'cvpn-endpoint-0fedcba9876543210' },
  ],
  breakGlassIdentities: ['breakglass-admin'],
};

function synthExample() {
  const app = testApp();
  const stack = new SecurityOperationsStack(app, 'SecurityOperations', PROPS);
  return { app, stack, template: Template.fromStack(stack) };
}

describe('examples/cdk-app: the construct embedded in an existing stack', () => {
  it('imports the construct from the package name, which resolves to lib/index.ts', async () => {
    // Act
    const byName = await import('client-vpn-revoker');

    // Assess
    expect(byName.ClientVpnRevoker).toBe(library.ClientVpnRevoker);
    expect(byName.ClientVpnRevokerStack).toBe(library.ClientVpnRevokerStack);
  });

  it("creates the construct's queues, functions, ledger, schedule, alarms and dashboard in the stack", () => {
    // Act
    const { stack, template } = synthExample();

    // Assess
    // The construct's queue, dead-letter queue and holding queue of runbook requests put on the default bus,
    // beside the stack's own queue of undelivered pages.
    template.resourceCountIs('AWS::SQS::Queue', 4);
    for (const queue of [stack.revoker.queue, stack.revoker.deadLetterQueue]) {
      expect(template.toJSON().Resources).toHaveProperty(logicalId(stack, queue));
    }
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    expect(stack.revoker.connectHandler).toBeDefined();
    expect(stack.revoker.sweeper).toBeDefined();
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(10 minutes)' });
    // Only the endpoint in the stack's region is wired to the connect handler.
    template.resourceCountIs('Custom::AWS', 1);
    expect(JSON.stringify(Object.values(template.findResources('Custom::AWS'))[0])).toContain(
      'cvpn-endpoint-0123456789abcdef0',
    );
  });

  it("uses the stack's existing bus for runbook requests and outcomes, and its topic for every alarm", () => {
    // Act
    const { stack, template } = synthExample();

    // Assess
    expect(environmentOf(template, stack, stack.revoker.function)).toMatchObject({
      [ENV.outcomeEventBus]: BUS_ARN,
      [ENV.outcomeSource]: OUTCOME_SOURCE,
      [RUNBOOK_ENV.source]: 'acme.incident-response',
      [ENV.protectedIdentities]: 'breakglass-admin',
      [ENV.endpointIds]:
        'eu-west-1:cvpn-endpoint-0123456789abcdef0,us-east-1:cvpn-endpoint-0fedcba9876543210',
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: 'security-events',
      EventPattern: { source: ['acme.incident-response'], 'detail-type': [RUNBOOK_DETAIL_TYPE] },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: 'aws.partner/okta.com/acme/client-vpn-revoker',
    });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBe(stack.revoker.alarms.length);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([TOPIC]);
  });

  it("keeps the stack's own resources beside the construct: outcomes of incomplete revocations page on-call", () => {
    // Act
    const { template } = synthExample();

    // Assess
    const rules = Object.values(template.findResources('AWS::Events::Rule')).map(
      (rule) =>
        flatten(rule.Properties) as { EventPattern: { source?: string[] }; Targets: { Arn: string }[] },
    );
    expect(rules.filter((rule) => rule.EventPattern.source?.includes(OUTCOME_SOURCE))).toEqual([
      expect.objectContaining({
        EventBusName: 'security-events',
        EventPattern: {
          source: [OUTCOME_SOURCE],
          'detail-type': ['Client VPN Revocation Outcome'],
          detail: { status: ['partial', 'failed'], delivery: { willRetry: [false] } },
        },
        Targets: [expect.objectContaining({ Arn: TOPIC })],
      }),
    ]);
  });

  it('passes cdk-nag (AwsSolutions and Serverless) with no unacknowledged finding', () => {
    // Prepare: a fresh app (one already synthesized would return its cached assembly, unchecked)
    const app = testApp();
    new SecurityOperationsStack(app, 'SecurityOperations', PROPS);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));

    // Act
    const assembly = app.synth();

    // Assess
    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; violations: { ruleName: string; severity: string }[] }[];
    };
    expect(
      report.pluginReports.flatMap((plugin) =>
        plugin.violations.map((v) => `${v.severity} ${plugin.pluginName} ${v.ruleName}`),
      ),
    ).toEqual([]);
  });
});
