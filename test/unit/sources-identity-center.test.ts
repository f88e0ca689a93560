import { describe, expect, it } from 'vitest';
import type { EventBridgeEnvelope } from '../../lambda/core/envelope.ts';
import { ConfigurationError } from '../../lambda/core/errors.ts';
import { matchesEventPattern } from '../../lambda/core/event-pattern.ts';
import {
  classifyIdentityCenterEvent,
  IDENTITY_CENTER_EVENT_TYPES,
  IDENTITY_CENTER_REENABLE_EVENT_TYPES,
  type IdentityCenterOptions,
  identityCenter,
  identityCenterLiftEventTypes,
} from '../../sources/identity-center/events.ts';
import { changedExample, invalidEventFrom, loadExample } from '../support/examples.ts';

type Json = Record<string, unknown>;
type Event = EventBridgeEnvelope & { detail: Json & { requestParameters: Json } };

const STORE = 'd-9067a1b2c3';
const USER_ID = '94a8e4d8-e0b1-7052-3b5e-7c1f2a9d6e01';
const JANE = { kind: 'identity-store-user', identityStoreId: STORE, userId: USER_ID };

const load = (name: string) => loadExample<Event>(name);

const example = (name: string, change?: (event: Event) => void) => changedExample<Event>(name, change);

const ALL: IdentityCenterOptions = { eventTypes: IDENTITY_CENTER_EVENT_TYPES, identityStoreIds: [STORE] };

const accepts = (event: unknown, options: IdentityCenterOptions = ALL) =>
  matchesEventPattern(identityCenter.eventPattern(options), event);

/** The error toRequest throws; fails the test when it returns. */
const rejection = (event: Event, options: IdentityCenterOptions = ALL) =>
  invalidEventFrom(() => identityCenter.toRequest(event, options));

const acceptsLift = (event: unknown, options: IdentityCenterOptions = ALL) =>
  matchesEventPattern(identityCenter.liftEventPattern(options), event);

const liftRejection = (event: Event, options: IdentityCenterOptions = ALL) =>
  invalidEventFrom(() => identityCenter.toLiftRequest(event, options));

const WITHOUT_SCIM: IdentityCenterOptions = {
  eventTypes: ['console-disable-user', 'console-delete-user', 'identitystore-delete-user'],
  identityStoreIds: [STORE],
};

/** The SCIM re-activation example with its PatchUser operations replaced. */
const scimActivation = (operations: Json[]) =>
  example('idc-scim-patchuser-activate.lift.json', (e) => {
    e.detail.requestParameters.httpBody = { operations };
  });

describe('identityCenter.eventPattern', () => {
  it('matches CloudTrail calls on the default bus per origin, failed calls excluded', () => {
    // Prepare — every event type, one identity store

    // Act
    const pattern = identityCenter.eventPattern(ALL);

    // Assess
    expect(pattern).toEqual({
      source: ['aws.sso-directory', 'aws.identitystore', 'aws.identitystore-scim'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        errorCode: [{ exists: false }],
        $or: [
          {
            eventSource: ['sso-directory.amazonaws.com'],
            eventName: ['DisableUser', 'DeleteUser'],
            requestParameters: { identityStoreId: [STORE] },
          },
          {
            eventSource: ['identitystore.amazonaws.com'],
            eventName: ['DeleteUser'],
            requestParameters: { identityStoreId: [STORE] },
          },
          { eventSource: ['identitystore-scim.amazonaws.com'], eventName: ['DeleteUser'] },
          {
            eventSource: ['identitystore-scim.amazonaws.com'],
            eventName: ['PatchUser'],
            responseElements: { active: [false] },
          },
        ],
      },
    });
  });

  it('puts a single branch straight into detail (EventBridge needs two $or sub-patterns)', () => {
    // Prepare
    const options: IdentityCenterOptions = { eventTypes: ['console-disable-user'] };

    // Act
    const pattern = identityCenter.eventPattern(options);

    // Assess
    expect(pattern).toEqual({
      source: ['aws.sso-directory'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        errorCode: [{ exists: false }],
        eventSource: ['sso-directory.amazonaws.com'],
        eventName: ['DisableUser'],
      },
    });
  });

  it.each([
    ['no event types', { eventTypes: [] }, /at least one event type/],
    ['an unknown event type', { eventTypes: ['console-lock-user'] }, /unknown event types console-lock-user/],
    ['an inherited property name', { eventTypes: ['constructor'] }, /unknown event types constructor/],
    [
      'an identity field other than the looked-up userName',
      { eventTypes: ['console-disable-user'], identityMapping: { field: 'email' } },
      /identityMapping.field must be "userName"/,
    ],
  ])('refuses %s', (_, options, message) => {
    // Prepare — options above

    // Act
    const build = () => identityCenter.eventPattern(options as unknown as IdentityCenterOptions);

    // Assess
    expect(build).toThrow(ConfigurationError);
    expect(build).toThrow(message);
  });
});

describe('Identity Center lost-access examples', () => {
  it.each([
    [
      'idc-console-disableuser.json',
      'aws.sso-directory',
      'sso-directory:DisableUser',
      '2025-03-04T19:05:11Z',
    ],
    ['idc-console-deleteuser.json', 'aws.sso-directory', 'sso-directory:DeleteUser', '2025-03-04T19:12:40Z'],
    [
      'idc-identitystore-deleteuser.json',
      'aws.identitystore',
      'identitystore:DeleteUser',
      '2025-03-04T20:01:27Z',
    ],
    [
      'idc-scim-deleteuser.json',
      'aws.identitystore-scim',
      'identitystore-scim:DeleteUser',
      '2025-03-06T11:42:18Z',
    ],
    [
      'idc-scim-patchuser-deactivate.json',
      'aws.identitystore-scim',
      'identitystore-scim:PatchUser',
      '2025-03-06T11:37:52Z',
    ],
  ])('%s matches the rule and names the user by id', (name, source, eventType, eventTime) => {
    // Prepare
    const event = load(name);

    // Act
    const matched = accepts(event);
    const request = identityCenter.toRequest(event, ALL);

    // Assess
    expect(matched).toBe(true);
    expect(request).toEqual({
      action: 'revoke',
      requestId: event.id,
      trigger: { source, detailType: 'AWS API Call via CloudTrail', eventType, eventTime },
      identity: JANE,
      reason: expect.stringMatching(/^IAM Identity Center: user (disabled|deleted|deactivated)/),
      dryRun: false,
    });
  });

  it('says in the reason how the user lost access', () => {
    // Prepare
    const event = load('idc-scim-patchuser-deactivate.json');

    // Act
    const { reason } = identityCenter.toRequest(event, ALL);

    // Assess
    expect(reason).toBe(
      'IAM Identity Center: user deactivated by SCIM provisioning (identitystore-scim PatchUser)',
    );
  });

  it('accepts any identity store when identityStoreIds is not set', () => {
    // Prepare
    const options: IdentityCenterOptions = { eventTypes: ['console-disable-user'] };
    const event = example('idc-console-disableuser.json', (e) => {
      e.detail.requestParameters.identityStoreId = 'd-1111111111';
    });

    // Act
    const matched = accepts(event, options);
    const request = identityCenter.toRequest(event, options);

    // Assess
    expect(matched).toBe(true);
    expect(request.identity).toEqual({ ...JANE, identityStoreId: 'd-1111111111' });
  });

  it('matches a PatchUser whose path spells Active differently', () => {
    // Prepare
    const event = example('idc-scim-patchuser-deactivate.json', (e) => {
      e.detail.requestParameters.httpBody = {
        operations: [{ op: 'Replace', path: 'Active', value: 'HIDDEN' }],
      };
    });

    // Act
    const matched = accepts(event);
    const request = identityCenter.toRequest(event, ALL);

    // Assess
    expect(matched).toBe(true);
    expect(request.identity).toEqual(JANE);
  });
});

describe('Identity Center SCIM deactivations without an explicit path', () => {
  it.each([
    [
      'a path-less PatchUser, as Okta sends it',
      { operations: [{ op: 'replace', value: 'HIDDEN_DUE_TO_SECURITY_REASONS' }] },
    ],
    [
      'a PatchUser of another attribute that leaves the user inactive',
      { operations: [{ op: 'REPLACE', path: 'title', value: 'x' }] },
    ],
  ])('counts %s: the response proves the user is inactive', (_case, httpBody) => {
    // Prepare
    const event = example('idc-scim-patchuser-deactivate.json', (e) => {
      e.detail.requestParameters.httpBody = httpBody;
    });

    // Act
    const matched = accepts(event);

    // Assess
    expect(matched).toBe(true);
    expect(identityCenter.toRequest(event, ALL).identity).toMatchObject({ kind: 'identity-store-user' });
    expect(classifyIdentityCenterEvent(event)).toBe('lost-access');
  });
});

describe('Identity Center events the rule does not match', () => {
  it.each([
    ['a console EnableUser (re-enable)', load('idc-console-enableuser.lift.json')],
    ['a SCIM PatchUser setting active true (re-enable)', load('idc-scim-patchuser-activate.lift.json')],
    ['a failed DisableUser (errorCode AccessDenied)', load('idc-console-disableuser-failed.negative.json')],
    [
      'a SCIM PatchUser on active whose response does not show active',
      example('idc-scim-patchuser-deactivate.json', (e) => {
        e.detail.responseElements = null;
      }),
    ],
    [
      'a console CreateUser',
      example('idc-console-disableuser.json', (e) => {
        e.detail.eventName = 'CreateUser';
      }),
    ],
    [
      'an Identity Store UpdateUser',
      example('idc-identitystore-deleteuser.json', (e) => {
        e.detail.eventName = 'UpdateUser';
      }),
    ],
    [
      'a SCIM PutUser',
      example('idc-scim-deleteuser.json', (e) => {
        e.detail.eventName = 'PutUser';
      }),
    ],
    [
      'a DisableUser in another identity store',
      example('idc-console-disableuser.json', (e) => {
        e.detail.requestParameters.identityStoreId = 'd-1111111111';
      }),
    ],
    [
      'an Identity Store DeleteUser in another identity store',
      example('idc-identitystore-deleteuser.json', (e) => {
        e.detail.requestParameters.identityStoreId = 'd-1111111111';
      }),
    ],
    [
      'a forged custom source',
      example('idc-console-disableuser.json', (e) => {
        e.source = 'idc.fake';
      }),
    ],
    [
      'a partner source',
      example('idc-console-disableuser.json', (e) => {
        e.source = 'aws.partner/okta.com/example-org/vpn-kill-switch';
      }),
    ],
    [
      'another AWS source',
      example('idc-console-disableuser.json', (e) => {
        e.source = 'aws.sso';
      }),
    ],
    [
      'another detail-type',
      example('idc-console-disableuser.json', (e) => {
        e['detail-type'] = 'AWS Service Event via CloudTrail';
      }),
    ],
    [
      'an eventSource of another service',
      example('idc-console-disableuser.json', (e) => {
        e.detail.eventSource = 'iam.amazonaws.com';
      }),
    ],
  ])('%s', (_, event) => {
    // Prepare — event above

    // Act
    const matched = accepts(event);

    // Assess
    expect(matched).toBe(false);
  });

  it('does not match event types left out of the options', () => {
    // Prepare
    const options: IdentityCenterOptions = { eventTypes: ['console-disable-user', 'scim-deactivate-user'] };

    // Act
    const matched = [
      'idc-console-deleteuser.json',
      'idc-identitystore-deleteuser.json',
      'idc-scim-deleteuser.json',
    ]
      .map((name) => accepts(load(name), { ...options, identityStoreIds: [STORE] }))
      .concat(accepts(load('idc-console-disableuser.json'), options));

    // Assess
    expect(matched).toEqual([false, false, false, true]);
  });
});

describe('identityCenter.toRequest', () => {
  it('rejects a SCIM event when no identity store is configured, naming the option', () => {
    // Prepare
    const options: IdentityCenterOptions = { eventTypes: ['scim-delete-user'] };
    const event = load('idc-scim-deleteuser.json');

    // Act
    const matched = accepts(event, options);
    const error = rejection(event, options);

    // Assess
    expect(matched).toBe(true);
    expect(error.field).toBe('detail.requestParameters.tenantId');
    expect(error.message).toMatch(/configure exactly one identity store id \(identityStoreIds\)/);
  });

  it('rejects a SCIM event when several identity stores are configured (it cannot tell which)', () => {
    // Prepare
    const options: IdentityCenterOptions = { ...ALL, identityStoreIds: [STORE, 'd-1111111111'] };

    // Act
    const error = rejection(load('idc-scim-patchuser-deactivate.json'), options);

    // Assess
    expect(error.message).toMatch(/exactly one identity store id/);
  });

  it.each([
    ['a failed call', load('idc-console-disableuser-failed.negative.json'), 'detail.errorCode'],
    ['a re-enable', load('idc-console-enableuser.lift.json'), 'detail.eventName'],
    ['a SCIM re-activation', load('idc-scim-patchuser-activate.lift.json'), 'detail.responseElements.active'],
    [
      'a malformed user id',
      example('idc-console-disableuser.json', (e) => {
        e.detail.requestParameters.userId = 'jane.doe@example.com';
      }),
      'detail.requestParameters.userId',
    ],
    [
      'a missing identity store id',
      example('idc-console-deleteuser.json', (e) => {
        delete e.detail.requestParameters.identityStoreId;
      }),
      'detail.requestParameters.identityStoreId',
    ],
    [
      'a SCIM event without the user id',
      example('idc-scim-deleteuser.json', (e) => {
        delete e.detail.requestParameters.id;
      }),
      'detail.requestParameters.id',
    ],
    [
      'an identity store outside the options',
      example('idc-identitystore-deleteuser.json', (e) => {
        e.detail.requestParameters.identityStoreId = 'd-1111111111';
      }),
      'detail.requestParameters.identityStoreId',
    ],
    [
      'a missing eventTime',
      example('idc-console-disableuser.json', (e) => {
        delete e.detail.eventTime;
      }),
      'detail.eventTime',
    ],
  ])('rejects %s, naming the field', (_, event, field) => {
    // Prepare — event above

    // Act
    const error = rejection(event);

    // Assess
    expect(error.field).toBe(field);
  });
});

describe('classifyIdentityCenterEvent', () => {
  it.each([
    ['idc-console-disableuser.json', 'lost-access'],
    ['idc-console-deleteuser.json', 'lost-access'],
    ['idc-identitystore-deleteuser.json', 'lost-access'],
    ['idc-scim-deleteuser.json', 'lost-access'],
    ['idc-scim-patchuser-deactivate.json', 'lost-access'],
    ['idc-console-enableuser.lift.json', 're-enabled'],
    ['idc-scim-patchuser-activate.lift.json', 're-enabled'],
    ['idc-console-disableuser-failed.negative.json', undefined],
    ['cognito-adminenableuser.lift.json', undefined],
  ])('%s → %s', (name, expected) => {
    // Prepare
    const event = load(name);

    // Act
    const result = classifyIdentityCenterEvent(event);

    // Assess
    expect(result).toBe(expected);
  });

  it.each([
    [
      'a PatchUser of another attribute',
      example('idc-scim-patchuser-activate.lift.json', (e) => {
        e.detail.requestParameters.httpBody = { operations: [{ op: 'REPLACE', path: 'title', value: 'x' }] };
      }),
    ],
    [
      'an eventSource that does not belong to the source',
      example('idc-console-enableuser.lift.json', (e) => {
        e.detail.eventSource = 'identitystore.amazonaws.com';
      }),
    ],
    [
      'a forged source',
      example('idc-console-enableuser.lift.json', (e) => {
        e.source = 'idc.fake';
      }),
    ],
  ])('leaves %s unclassified', (_, event) => {
    // Prepare — event above

    // Act
    const result = classifyIdentityCenterEvent(event);

    // Assess
    expect(result).toBeUndefined();
  });
});

describe('identityCenter.liftEventPattern', () => {
  it('matches console EnableUser in the configured stores and SCIM PatchUsers that prove a re-activation', () => {
    // Prepare — every event type, one identity store

    // Act
    const pattern = identityCenter.liftEventPattern(ALL);

    // Assess
    expect(pattern).toEqual({
      source: ['aws.sso-directory', 'aws.identitystore-scim'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        errorCode: [{ exists: false }],
        $or: [
          {
            eventSource: ['sso-directory.amazonaws.com'],
            eventName: ['EnableUser'],
            requestParameters: { identityStoreId: [STORE] },
          },
          {
            eventSource: ['identitystore-scim.amazonaws.com'],
            eventName: ['PatchUser'],
            responseElements: { active: [true] },
            requestParameters: { httpBody: { operations: { path: [{ 'equals-ignore-case': 'active' }] } } },
          },
        ],
      },
    });
  });

  it('has only the console branch, merged into detail, when no SCIM type revokes', () => {
    // Prepare — WITHOUT_SCIM

    // Act
    const pattern = identityCenter.liftEventPattern(WITHOUT_SCIM);

    // Assess
    expect(identityCenterLiftEventTypes(WITHOUT_SCIM.eventTypes)).toEqual(['console-enable-user']);
    expect(pattern).toEqual({
      source: ['aws.sso-directory'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        errorCode: [{ exists: false }],
        eventSource: ['sso-directory.amazonaws.com'],
        eventName: ['EnableUser'],
        requestParameters: { identityStoreId: [STORE] },
      },
    });
  });

  it('refuses the options the revoke pattern refuses', () => {
    // Prepare
    const options = { eventTypes: ['console-lock-user'] } as unknown as IdentityCenterOptions;

    // Act
    const build = () => identityCenter.liftEventPattern(options);

    // Assess
    expect(build).toThrow(ConfigurationError);
  });
});

describe('Identity Center lift examples', () => {
  it.each([
    [
      'idc-console-enableuser.lift.json',
      'aws.sso-directory',
      'sso-directory:EnableUser',
      '2025-03-05T08:30:02Z',
      'IAM Identity Center: user enabled (sso-directory EnableUser)',
    ],
    [
      'idc-scim-patchuser-activate.lift.json',
      'aws.identitystore-scim',
      'identitystore-scim:PatchUser',
      '2025-03-07T09:15:30Z',
      'IAM Identity Center: user re-activated by SCIM provisioning (identitystore-scim PatchUser)',
    ],
  ])(
    '%s matches the lift pattern, not the revoke pattern, and names the user by id',
    (name, source, eventType, eventTime, reason) => {
      // Prepare
      const event = load(name);

      // Act
      const matched = [acceptsLift(event), accepts(event)];
      const request = identityCenter.toLiftRequest(event, ALL);

      // Assess
      expect(matched).toEqual([true, false]);
      expect(classifyIdentityCenterEvent(event)).toBe('re-enabled');
      expect(request).toEqual({
        action: 'lift',
        requestId: event.id,
        trigger: { source, detailType: 'AWS API Call via CloudTrail', eventType, eventTime },
        identity: JANE,
        reason,
        dryRun: false,
      });
    },
  );

  it('accepts an EnableUser in any identity store when identityStoreIds is not set', () => {
    // Prepare
    const options: IdentityCenterOptions = { eventTypes: ['console-disable-user'] };
    const event = example('idc-console-enableuser.lift.json', (e) => {
      e.detail.requestParameters.identityStoreId = 'd-1111111111';
    });

    // Act
    const matched = acceptsLift(event, options);
    const request = identityCenter.toLiftRequest(event, options);

    // Assess
    expect(matched).toBe(true);
    expect(request.identity).toEqual({ ...JANE, identityStoreId: 'd-1111111111' });
  });

  it('accepts a SCIM re-activation whose path spells Active differently, among other operations', () => {
    // Prepare
    const event = scimActivation([
      { op: 'Replace', path: 'title', value: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
      { op: 'Replace', path: 'Active', value: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
    ]);

    // Act
    const matched = acceptsLift(event);
    const request = identityCenter.toLiftRequest(event, ALL);

    // Assess
    expect(matched).toBe(true);
    expect(request.identity).toEqual(JANE);
  });
});

describe('Identity Center events the lift pattern does not match', () => {
  it.each([
    ['a failed DisableUser', load('idc-console-disableuser-failed.negative.json')],
    [
      'a failed EnableUser',
      example('idc-console-enableuser.lift.json', (e) => {
        e.detail.errorCode = 'AccessDenied';
      }),
    ],
    [
      'an EnableUser in another identity store',
      example('idc-console-enableuser.lift.json', (e) => {
        e.detail.requestParameters.identityStoreId = 'd-1111111111';
      }),
    ],
    [
      'a SCIM PatchUser of another attribute that leaves the user active (no proof of a re-activation)',
      scimActivation([{ op: 'REPLACE', path: 'title', value: 'HIDDEN_DUE_TO_SECURITY_REASONS' }]),
    ],
    [
      'a path-less SCIM PatchUser (values are hidden, so nothing proves it touched active)',
      scimActivation([{ op: 'replace', value: 'HIDDEN_DUE_TO_SECURITY_REASONS' }]),
    ],
    [
      'a SCIM PatchUser on active whose response does not show active',
      example('idc-scim-patchuser-activate.lift.json', (e) => {
        e.detail.responseElements = null;
      }),
    ],
    [
      'an EnableUser from a forged custom source',
      example('idc-console-enableuser.lift.json', (e) => {
        e.source = 'idc.fake';
      }),
    ],
    [
      'an EnableUser recorded by another service',
      example('idc-console-enableuser.lift.json', (e) => {
        e.detail.eventSource = 'identitystore.amazonaws.com';
      }),
    ],
    [
      'an Identity Store UpdateUser',
      example('idc-identitystore-deleteuser.json', (e) => {
        e.detail.eventName = 'UpdateUser';
      }),
    ],
  ])('%s', (_, event) => {
    // Prepare — event above

    // Act
    const matched = acceptsLift(event);

    // Assess
    expect(matched).toBe(false);
  });

  it.each([
    'idc-console-disableuser.json',
    'idc-console-deleteuser.json',
    'idc-identitystore-deleteuser.json',
    'idc-scim-deleteuser.json',
    'idc-scim-patchuser-deactivate.json',
  ])('the revoke example %s', (name) => {
    // Prepare
    const event = load(name);

    // Act
    const matched = acceptsLift(event);

    // Assess
    expect(matched).toBe(false);
  });

  it('a SCIM re-activation when no SCIM type revokes', () => {
    // Prepare
    const event = load('idc-scim-patchuser-activate.lift.json');

    // Act
    const matched = acceptsLift(event, WITHOUT_SCIM);
    const error = liftRejection(event, WITHOUT_SCIM);

    // Assess
    expect(matched).toBe(false);
    expect(error.field).toBe('detail.eventName');
  });
});

describe('identityCenter.toLiftRequest rejects, naming the field', () => {
  it.each([
    [
      'a failed EnableUser',
      example('idc-console-enableuser.lift.json', (e) => {
        e.detail.errorCode = 'AccessDenied';
      }),
      'detail.errorCode',
    ],
    ['a DisableUser', load('idc-console-disableuser.json'), 'detail.eventName'],
    ['a SCIM deactivation', load('idc-scim-patchuser-deactivate.json'), 'detail.responseElements.active'],
    [
      'a SCIM PatchUser of another attribute',
      scimActivation([{ op: 'REPLACE', path: 'title', value: 'x' }]),
      'detail.requestParameters.httpBody.operations',
    ],
    [
      'a malformed user id',
      example('idc-console-enableuser.lift.json', (e) => {
        e.detail.requestParameters.userId = 'jane.doe@example.com';
      }),
      'detail.requestParameters.userId',
    ],
    [
      'an identity store outside the options',
      example('idc-console-enableuser.lift.json', (e) => {
        e.detail.requestParameters.identityStoreId = 'd-1111111111';
      }),
      'detail.requestParameters.identityStoreId',
    ],
  ])('%s', (_, event, field) => {
    // Prepare — event above

    // Act
    const error = liftRejection(event);

    // Assess
    expect(error.field).toBe(field);
  });

  it('a SCIM re-activation when several identity stores are configured (it cannot tell which)', () => {
    // Prepare
    const options: IdentityCenterOptions = { ...ALL, identityStoreIds: [STORE, 'd-1111111111'] };

    // Act
    const error = liftRejection(load('idc-scim-patchuser-activate.lift.json'), options);

    // Assess
    expect(error.field).toBe('detail.requestParameters.tenantId');
  });

  it('keeps lost-access and re-enable types apart', () => {
    // Prepare
    const lost: readonly string[] = IDENTITY_CENTER_EVENT_TYPES;

    // Act
    const overlap = IDENTITY_CENTER_REENABLE_EVENT_TYPES.filter((type) => lost.includes(type));

    // Assess
    expect(overlap).toEqual([]);
  });
});
