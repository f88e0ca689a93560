import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { ClientVpnRevokerStack } from '../../lib/client-vpn-revoker-stack.ts';
import { parseContext } from '../../lib/config.ts';
import { testApp } from './synth.ts';

interface ValidationReport {
  pluginReports: { pluginName: string; violations: { ruleName: string; severity: string }[] }[];
}

const OKTA = { oktaEventSources: 'aws.partner/okta.com/acme/revoker,aws.partner/okta.com/acme/other' };

/** Synthesizes the app as bin/ does, with both packs; returns the unacknowledged findings. */
function nagFindings(context: Record<string, unknown>, env?: { account: string; region: string }): string[] {
  const app = testApp();
  new ClientVpnRevokerStack(app, 'ClientVpnRevoker', { config: parseContext(context), env });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  // Error findings make synth throw with the report, so the failure shows what to fix.
  const assembly = app.synth();
  // Warnings do not fail synth; the report lists them (acknowledged findings are left out).
  const report: ValidationReport = JSON.parse(
    readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'),
  );
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.map((v) => `${v.severity} ${plugin.pluginName} ${v.ruleName}`),
  );
}

describe('cdk-nag (AwsSolutions + Serverless)', () => {
  it.each([
    ['explicit endpoints', { endpoints: 'eu-west-1:cvpn-endpoint-0123456789abcdef0', ...OKTA }],
    ['endpoint tag', { endpointTag: 'team=secops', regions: 'eu-west-1,us-east-1', ...OKTA }],
    ['all endpoints', { ...OKTA }],
    [
      'everything on (wired connect handler with provisioned concurrency, hashing, maximum age, break-glass)',
      {
        endpoints: 'eu-west-1:cvpn-endpoint-0123456789abcdef0,eu-west-1:cvpn-endpoint-0fedcba9876543210',
        connectHandlerEndpointIds: 'cvpn-endpoint-0123456789abcdef0,cvpn-endpoint-0fedcba9876543210',
        connectHandlerProvisionedConcurrency: '2',
        hashIdentitiesInLogs: 'true',
        maxSessionAgeMinutes: '240',
        protectedIdentities: 'breakglass-admin',
        ...OKTA,
      },
    ],
    [
      'everything on, all endpoints and a given hashing key',
      {
        connectHandlerEndpointIds: 'cvpn-endpoint-0123456789abcdef0',
        hashIdentitiesInLogs: 'true',
        logHashKeySecretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:vpn/log-hash-key-AbCdEf',
        sessionCleanupIntervalMinutes: '1',
        ...OKTA,
      },
    ],
    [
      'the ledger off (sweeps by maximum age only)',
      { ledgerEnabled: 'false', maxSessionAgeMinutes: '60', ...OKTA },
    ],
    ['the ledger off (no sweeper)', { ledgerEnabled: 'false', endpointTag: 'team=secops', ...OKTA }],
  ])('reports no unacknowledged error or warning with %s', (_mode, context) => {
    // Act
    const agnostic = nagFindings(context);
    const pinned = nagFindings(context, { account: '111122223333', region: 'eu-west-1' });

    // Assess
    expect(agnostic).toEqual([]);
    expect(pinned).toEqual([]);
  });
});
