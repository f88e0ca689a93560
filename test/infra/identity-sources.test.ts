import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { auth0 } from '../../sources/auth0/events.ts';
import { COGNITO_LOST_ACCESS_EVENT_TYPES, cognito } from '../../sources/cognito/events.ts';
import { IDENTITY_CENTER_EVENT_TYPES, identityCenter } from '../../sources/identity-center/events.ts';
import { onelogin } from '../../sources/onelogin/events.ts';
import { RUNBOOK_LIFT_DETAIL_TYPE } from '../../sources/runbook/events.ts';
import { ACCOUNT, environmentOf, synthRevoker } from './synth.ts';

const AUTH0 = 'aws.partner/auth0.com/example-tenant-0f1e2d3c/auth0.logs';
const ONELOGIN = 'aws.partner/onelogin.com/US-123456/vpn-revoker';
const STORE = 'd-9067a1b2c3';
const POOL = 'us-east-1_ExAmPlE12';

describe('identity source rules, environment and permissions', () => {
  it('puts partner rules on their partner buses and CloudTrail rules on the default bus, with the source patterns', () => {
    // Act
    const { template, stack, revoker } = synthRevoker({
      auth0: { eventSourceNames: [AUTH0], identityMapping: { template: '{local}' } },
      onelogin: { eventSourceNames: [ONELOGIN] },
      identityCenter: { identityStoreIds: [STORE] },
      cognito: { userPoolIds: [POOL] },
      runbook: { enabled: false },
    });

    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: AUTH0,
      EventPattern: Match.exact(
        auth0.eventPattern({
          eventSourceNames: [AUTH0],
          eventTypes: ['user-deleted', 'user-blocked', 'user-deleted-by-api', 'brute-force-blocked'],
        }),
      ),
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: ONELOGIN,
      EventPattern: Match.exact(onelogin.eventPattern({ eventSourceNames: [ONELOGIN] })),
    });
    const defaultBusRules = Object.values(template.findResources('AWS::Events::Rule')).filter(
      (rule) => rule.Properties.EventBusName === undefined,
    );
    const identityCenterOptions = { eventTypes: IDENTITY_CENTER_EVENT_TYPES, identityStoreIds: [STORE] };
    const cognitoOptions = { userPoolIds: [POOL], eventTypes: COGNITO_LOST_ACCESS_EVENT_TYPES };
    // Each with its lift rule (re-enables), which the ledger makes meaningful.
    expect(defaultBusRules.map((rule) => rule.Properties.EventPattern)).toEqual([
      identityCenter.eventPattern(identityCenterOptions),
      identityCenter.liftEventPattern(identityCenterOptions),
      cognito.eventPattern(cognitoOptions),
      cognito.liftEventPattern(cognitoOptions),
    ]);
    expect(environmentOf(template, stack, revoker.function)).toMatchObject({
      AUTH0_EVENT_SOURCES: AUTH0,
      AUTH0_IDENTITY_MAPPING: '{"template":"{local}"}',
      ONELOGIN_EVENT_SOURCES: ONELOGIN,
      IDENTITY_CENTER_STORE_IDS: STORE,
      IDENTITY_STORE_REGION: 'eu-west-1',
      COGNITO_USER_POOL_IDS: POOL,
    });
  });

  it('grants the look-ups only on the configured identity store and user pool', () => {
    // Act
    const { template } = synthRevoker({
      identityCenter: { identityStoreIds: [STORE] },
      cognito: { userPoolIds: [POOL] },
    });

    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'identitystore:DescribeUser',
            Resource: [
              `arn:aws:identitystore::${ACCOUNT}:identitystore/${STORE}`,
              'arn:aws:identitystore:::user/*',
            ],
          }),
          Match.objectLike({
            Action: 'cognito-idp:ListUsers',
            Resource: `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/${POOL}`,
          }),
        ]),
      },
    });
  });

  it.each([
    [
      'an Auth0 source of another partner',
      { auth0: { eventSourceNames: ['aws.partner/okta.com/a/b'] } },
      /auth0\.eventSourceNames/,
    ],
    [
      'no OneLogin source',
      { onelogin: { eventSourceNames: [] } },
      /onelogin\.eventSourceNames: expected at least one/,
    ],
    [
      'SCIM types without one identity store',
      { identityCenter: { eventTypes: ['scim-delete-user'] } },
      /identityCenter\.eventTypes: SCIM event types need exactly one identityStoreIds entry/,
    ],
    [
      'a bad identity mapping',
      { okta: { eventSourceNames: ['aws.partner/okta.com/a/b'], identityMapping: { template: '{user}' } } },
      /okta\.identityMapping: .*placeholders/,
    ],
  ])('rejects %s, naming the prop', (_case, props, message) => {
    // Act / Assess
    expect(() => synthRevoker(props as never)).toThrow(message);
  });

  it('leaves SCIM event types out by default when no single identity store is configured', () => {
    // Act
    const { template, stack, revoker } = synthRevoker({ identityCenter: {}, runbook: { enabled: false } });

    // Assess
    expect(environmentOf(template, stack, revoker.function).IDENTITY_CENTER_EVENT_TYPES).toBe(
      'console-disable-user,console-delete-user,identitystore-delete-user',
    );
  });
});

describe('runbook trust boundary', () => {
  it('denies runbook PutEvents on its dedicated bus to every principal not allowed', () => {
    // Act
    const allowed = [
      'arn:aws:iam::111122223333:role/incident-response',
      'arn:aws:iam::111122223333:role/soar-*',
    ];
    const lifters = ['arn:aws:iam::111122223333:role/incident-commander'];
    const { template } = synthRevoker({
      runbook: { allowedPrincipalArns: allowed, liftAllowedPrincipalArns: lifters },
    });

    // Assess
    const [busId] = Object.keys(template.findResources('AWS::Events::EventBus'));
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: busId },
      EventPattern: { source: ['client-vpn-revoker.runbook'] },
    });
    const denials = Object.values(template.findResources('AWS::Events::EventBusPolicy')).map(
      (policy) => policy.Properties,
    );
    expect(denials).toHaveLength(2);
    for (const { EventBusName, StatementId, Statement } of denials) {
      expect(EventBusName).toEqual({ Ref: busId });
      expect(Statement).toMatchObject({
        Sid: StatementId,
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'events:PutEvents',
        Resource: { 'Fn::GetAtt': [busId, 'Arn'] },
      });
      expect(StatementId.length).toBeLessThanOrEqual(64);
    }
    // Requests: only the allowed principals (and the lifters); lifts: only the lifters.
    expect(denials.map(({ Statement }) => Statement.Condition)).toEqual([
      {
        StringEquals: { 'events:source': 'client-vpn-revoker.runbook' },
        ArnNotLike: { 'aws:PrincipalArn': [...allowed, ...lifters] },
      },
      {
        StringEquals: {
          'events:source': 'client-vpn-revoker.runbook',
          'events:detail-type': RUNBOOK_LIFT_DETAIL_TYPE,
        },
        ArnNotLike: { 'aws:PrincipalArn': lifters },
      },
    ]);
  });

  it('denies runbook lifts to everyone when no lifters are named', () => {
    // Act
    const { template } = synthRevoker();

    // Assess
    const [denial] = Object.values(template.findResources('AWS::Events::EventBusPolicy'));
    expect(Object.keys(template.findResources('AWS::Events::EventBusPolicy'))).toHaveLength(1);
    expect(denial?.Properties.Statement.Condition).toEqual({
      StringEquals: {
        'events:source': 'client-vpn-revoker.runbook',
        'events:detail-type': RUNBOOK_LIFT_DETAIL_TYPE,
      },
    });
  });

  it.each([
    [
      'allowedPrincipalArns of something that is not an IAM ARN',
      { allowedPrincipalArns: ['incident-response'] },
      /runbook\.allowedPrincipalArns: expected IAM role or user ARNs/,
    ],
    [
      'an empty allowedPrincipalArns',
      { allowedPrincipalArns: [] },
      /runbook\.allowedPrincipalArns: expected IAM role or user ARNs/,
    ],
    [
      'liftAllowedPrincipalArns of something that is not an IAM ARN',
      { liftAllowedPrincipalArns: ['arn:aws:s3:::bucket'] },
      /runbook\.liftAllowedPrincipalArns: expected IAM role or user ARNs/,
    ],
    [
      'eventBusName with a given bus',
      { eventBusName: 'mine', eventBus: { eventBusName: 'theirs', eventBusArn: 'arn' } },
      /runbook\.eventBusName: names the dedicated bus; not with eventBus/,
    ],
  ])('rejects %s', (_case, runbookProps, message) => {
    // Act / Assess
    expect(() => synthRevoker({ runbook: runbookProps as never })).toThrow(message);
  });
});
