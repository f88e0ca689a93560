import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { addClientVpnRevokerStacks } from '../../lib/app.ts';
import { parseContext } from '../../lib/config.ts';
import { deployCommands, parseDeploy } from '../support/deploy-commands.ts';
import { cdkJsonContext } from './synth.ts';

/**
 * Deployed stacks must update in place: the templates of the documented configurations, synthesized by
 * today's code, are kept in test/fixtures/templates/ and every later synth must produce them again. Only what
 * a code change legitimately moves is masked: asset hashes (they follow the bundled code) and the hash a
 * Lambda version's logical id carries.
 */
const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
const cdkJson = JSON.parse(readFileSync(`${REPOSITORY}cdk.json`, 'utf8')) as {
  context: Record<string, unknown>;
};
const exampleContext = Object.fromEntries(
  Object.entries(cdkJson.context).filter(([key]) => !key.startsWith('@aws-cdk') && key !== 'cli-telemetry'),
);
const REVOKER_ROLE = 'arn:aws:iam::111122223333:role/ClientVpnRevoker-RevokerRole';

/**
 * The configurations users deploy: cdk.json as shipped, every `npx cdk deploy` command of the README and
 * docs/ (named after its file and place), each option family, and all of it at once.
 */
const DOCUMENTED_COMMANDS = Object.fromEntries(
  deployCommands().map(({ file, command }, index) => [
    `${file
      .replace(/^docs\//, '')
      .replace(/\.md$/, '')
      .toLowerCase()}-command-${index + 1}`,
    parseDeploy(command).context,
  ]),
);
const CONFIGURATIONS: Record<string, Record<string, unknown>> = {
  ...DOCUMENTED_COMMANDS,
  'cdk-json-example': exampleContext,
  minimal: {},
  'every-source': {
    oktaEventSources: 'aws.partner/okta.com/example-org/vpn-kill-switch',
    oktaEventTypes: 'user.lifecycle.deactivate,user.account.lock',
    oktaIdentityMapping: '{"template":"{local}@corp.example.com","lowercase":true}',
    auth0EventSources: 'aws.partner/auth0.com/example-tenant-1234/auth0.logs',
    oneloginEventSources: 'aws.partner/onelogin.com/us-1234/vpn',
    oneloginIdentityMapping: '{"field":"user_id"}',
    identityCenterEnabled: 'true',
    identityCenterStoreIds: 'd-1234567890',
    cognitoUserPoolIds: 'eu-west-1_AbCdEf123',
    runbookAllowedPrincipalArns: 'arn:aws:iam::111122223333:role/IncidentResponder',
    runbookLiftAllowedPrincipalArns: 'arn:aws:iam::111122223333:role/AccessAdmin',
    runbookIdentityMapping: '{"lowercase":true}',
  },
  'hardened-operations': {
    endpoints: 'eu-west-1:cvpn-endpoint-0123456789abcdef0,us-east-1:cvpn-endpoint-0fedcba9876543210',
    protectedIdentities: 'breakglass-admin',
    activeDirectoryDomains: 'CORP,corp.example.com',
    hashIdentitiesInLogs: 'true',
    tracingEnabled: 'true',
    alarmTopicArn: 'arn:aws:sns:eu-west-1:111122223333:security-alerts',
    connectHandlerProvisionedConcurrency: '2',
    connectHandlerEndpointIds: 'cvpn-endpoint-0123456789abcdef0',
    connectHandlerEndpointWiring: 'report',
    onLedgerUnavailable: 'allow',
    deniedMessage: 'Access revoked: call the service desk',
    maxSessionAgeMinutes: '120',
    ledgerRetentionDays: '90',
    maxEventTimeSkewSeconds: '30',
    ec2TerminateCallsPerSecond: '3',
    runbookEventBusName: 'security-automation',
    outcomeEventBusName: 'arn:aws:events:eu-west-1:111122223333:event-bus/security-outcomes',
  },
  'no-ledger': { ledgerEnabled: 'false', maxSessionAgeMinutes: '240', dashboardEnabled: 'false' },
  'organization-revoker': {
    endpointTag: 'client-vpn-revoker=enabled',
    regions: 'us-east-1,eu-west-1',
    memberAccountIds: '444455556666,777788889999',
    memberAccountRoleName: 'ClientVpnRevokerMember',
  },
  'organization-member': {
    memberRoleTrustedRoleArns: `${REVOKER_ROLE},arn:aws:iam::111122223333:role/ClientVpnRevoker-SweeperRole`,
    endpointTag: 'client-vpn-revoker=enabled',
  },
};

/** Asset hashes and version hashes follow the code; everything else must stay as it was. */
function normalized(template: unknown): unknown {
  return JSON.parse(
    JSON.stringify(template)
      .replace(/\b[0-9a-f]{64}\b/g, '<asset-hash>')
      .replace(/(CurrentVersion)[0-9A-F]{8}[0-9a-f]{32}/g, '$1<code-hash>'),
  );
}

/** The same value with every object's keys in one order, so only what CloudFormation reads is compared. */
function keysSorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keysSorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => [key, keysSorted(item)]),
  );
}

function templatesOf(context: Record<string, unknown>): Record<string, unknown> {
  const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
  addClientVpnRevokerStacks(app, parseContext(context), { account: '111122223333', region: 'eu-west-1' });
  const assembly = app.synth();
  return Object.fromEntries(
    app.node.children
      .filter((child): child is Stack => Stack.isStack(child))
      .map((stack) => [stack.stackName, normalized(assembly.getStackByName(stack.stackName).template)]),
  );
}

describe('synthesized templates of the documented configurations', () => {
  it('include every documented deploy command', () => {
    expect(Object.keys(DOCUMENTED_COMMANDS).length).toBeGreaterThanOrEqual(6);
  });

  it.each(Object.keys(CONFIGURATIONS))('%s: unchanged since the baseline', (name) => {
    // Prepare
    const baseline = JSON.parse(readFileSync(`${REPOSITORY}test/fixtures/templates/${name}.json`, 'utf8'));

    // Act
    const templates = templatesOf(CONFIGURATIONS[name] as Record<string, unknown>);

    // Assess: the order of an object's keys means nothing to CloudFormation; the order of a list does.
    expect(keysSorted(templates)).toStrictEqual(keysSorted(baseline));
  });

  it('keep the logical ids of the stateful resources', () => {
    // Prepare: the ledger, both queues, the user directory and the log hash key are data a redeploy must keep.
    const stateful = ['AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::SecretsManager::Secret'];
    const ids = (templates: Record<string, unknown>) =>
      Object.entries(templates).flatMap(([stack, template]) =>
        Object.entries((template as { Resources: Record<string, { Type: string }> }).Resources)
          .filter(([, resource]) => stateful.includes(resource.Type))
          .map(([id, resource]) => `${stack}/${resource.Type}/${id}`),
      );

    // Act
    const everySource = ids(templatesOf(CONFIGURATIONS['every-source'] as Record<string, unknown>));
    const hardened = ids(templatesOf(CONFIGURATIONS['hardened-operations'] as Record<string, unknown>));

    // Assess
    expect([...everySource, ...hardened].sort()).toEqual([
      'ClientVpnRevoker/AWS::DynamoDB::Table/RevokerLedgerTable65ABF9E7',
      'ClientVpnRevoker/AWS::DynamoDB::Table/RevokerLedgerTable65ABF9E7',
      'ClientVpnRevoker/AWS::DynamoDB::Table/RevokerUserDirectoryTable3FC98D23',
      'ClientVpnRevoker/AWS::SQS::Queue/RevokerDeadLetterQueueB352BF54',
      'ClientVpnRevoker/AWS::SQS::Queue/RevokerDeadLetterQueueB352BF54',
      'ClientVpnRevoker/AWS::SQS::Queue/RevokerQueue535E0594',
      'ClientVpnRevoker/AWS::SQS::Queue/RevokerQueue535E0594',
      'ClientVpnRevoker/AWS::SQS::Queue/RevokerRunbookMisroutedRequestsCBA0B935',
      'ClientVpnRevoker/AWS::SQS::Queue/RevokerRunbookMisroutedRequestsCBA0B935',
      'ClientVpnRevoker/AWS::SecretsManager::Secret/RevokerLogHashKeyDE332B9B',
    ]);
  });
});
