import { describe, expect, it } from 'vitest';
import type { EventBridgeEnvelope } from '../../lambda/core/envelope.ts';
import { ConfigurationError } from '../../lambda/core/errors.ts';
import { matchesEventPattern } from '../../lambda/core/event-pattern.ts';
import {
  COGNITO_LOST_ACCESS_EVENT_TYPES,
  COGNITO_REENABLE_EVENT_TYPES,
  type CognitoOptions,
  classifyCognitoEvent,
  cognito,
} from '../../sources/cognito/events.ts';
import { changedExample, invalidEventFrom, loadExample } from '../support/examples.ts';

type Json = Record<string, unknown>;
type Event = EventBridgeEnvelope & {
  detail: Json & { requestParameters: Json; additionalEventData?: Json | null };
};

const POOL = 'us-east-1_ExAmPlE12';
const SUB = 'f4b8c4d8-2071-70c3-8e5f-1a2b3c4d5e6f';

const load = (name: string) => loadExample<Event>(name);

const example = (name: string, change?: (event: Event) => void) => changedExample<Event>(name, change);

const OPTIONS: CognitoOptions = { userPoolIds: [POOL], eventTypes: COGNITO_LOST_ACCESS_EVENT_TYPES };

const accepts = (event: unknown, options: CognitoOptions = OPTIONS) =>
  matchesEventPattern(cognito.eventPattern(options), event);

const rejection = (event: Event, options: CognitoOptions = OPTIONS) =>
  invalidEventFrom(() => cognito.toRequest(event, options));

const acceptsLift = (event: unknown, options: CognitoOptions = OPTIONS) =>
  matchesEventPattern(cognito.liftEventPattern(options), event);

const liftRejection = (event: Event, options: CognitoOptions = OPTIONS) =>
  invalidEventFrom(() => cognito.toLiftRequest(event, options));

describe('cognito.eventPattern', () => {
  it('matches successful admin calls on the configured user pools', () => {
    // Prepare — all event types, one pool

    // Act
    const pattern = cognito.eventPattern(OPTIONS);

    // Assess
    expect(pattern).toEqual({
      source: ['aws.cognito-idp'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['cognito-idp.amazonaws.com'],
        eventName: ['AdminDisableUser', 'AdminDeleteUser', 'AdminUserGlobalSignOut'],
        errorCode: [{ exists: false }],
        requestParameters: { userPoolId: [POOL] },
      },
    });
  });

  it.each([
    ['no user pool', { ...OPTIONS, userPoolIds: [] }, /at least one user pool id/],
    [
      'a malformed user pool id',
      { ...OPTIONS, userPoolIds: ['ExAmPlE12'] },
      /invalid user pool ids ExAmPlE12/,
    ],
    ['no event types', { ...OPTIONS, eventTypes: [] }, /at least one event type/],
    [
      'a re-enable event type',
      { ...OPTIONS, eventTypes: ['AdminEnableUser'] },
      /unknown event types AdminEnableUser/,
    ],
    [
      'an unknown identity field',
      { ...OPTIONS, identityMapping: { field: 'email' } },
      /identityMapping.field must be username or sub, got "email"/,
    ],
  ])('refuses %s', (_, options, message) => {
    // Prepare — options above

    // Act
    const build = () => cognito.eventPattern(options as CognitoOptions);

    // Assess
    expect(build).toThrow(ConfigurationError);
    expect(build).toThrow(message);
  });
});

describe('Cognito lost-access examples', () => {
  it.each([
    ['cognito-admindisableuser.json', 'AdminDisableUser', '2025-03-04T20:10:05Z'],
    ['cognito-admindeleteuser.json', 'AdminDeleteUser', '2025-03-04T20:11:47Z'],
  ])('%s matches the rule and names the user', (name, eventName, eventTime) => {
    // Prepare
    const event = load(name);

    // Act
    const matched = accepts(event);
    const request = cognito.toRequest(event, OPTIONS);

    // Assess
    expect(matched).toBe(true);
    expect(request).toEqual({
      action: 'revoke',
      requestId: event.id,
      trigger: {
        source: 'aws.cognito-idp',
        detailType: 'AWS API Call via CloudTrail',
        eventType: `cognito-idp:${eventName}`,
        eventTime,
      },
      identity: 'jane.doe@example.com',
      reason: `Amazon Cognito ${eventName} in user pool ${POOL}`,
      dryRun: false,
    });
  });

  it('falls back to a look-up by sub when CloudTrail hides the username', () => {
    // Prepare
    const event = load('cognito-adminuserglobalsignout-hidden-username.json');

    // Act
    const matched = accepts(event);
    const request = cognito.toRequest(event, OPTIONS);

    // Assess
    expect(matched).toBe(true);
    expect(request.identity).toEqual({ kind: 'cognito-user', userPoolId: POOL, sub: SUB });
    expect(request.trigger.eventType).toBe('cognito-idp:AdminUserGlobalSignOut');
  });

  it.each([
    ['the documented spelling HIDDEN_FOR_SECURITY_REASONS', 'HIDDEN_FOR_SECURITY_REASONS'],
    ['a missing username', undefined],
    ['a null username', null],
  ])('also looks up by sub for %s', (_, username) => {
    // Prepare
    const event = example('cognito-admindisableuser.json', (e) => {
      e.detail.requestParameters.username = username;
    });

    // Act
    const request = cognito.toRequest(event, OPTIONS);

    // Assess
    expect(request.identity).toEqual({ kind: 'cognito-user', userPoolId: POOL, sub: SUB });
  });

  it('uses the sub as the identity when identityMapping.field is "sub"', () => {
    // Prepare
    const options: CognitoOptions = { ...OPTIONS, identityMapping: { field: 'sub' } };

    // Act
    const identities = [
      'cognito-admindisableuser.json',
      'cognito-adminuserglobalsignout-hidden-username.json',
    ].map((name) => cognito.toRequest(load(name), options).identity);

    // Assess
    expect(identities).toEqual([SUB, SUB]);
  });

  it('takes the username when identityMapping.field is "username"', () => {
    // Prepare
    const options: CognitoOptions = { ...OPTIONS, identityMapping: { field: 'username', lowercase: true } };

    // Act
    const request = cognito.toRequest(load('cognito-admindeleteuser.json'), options);

    // Assess
    expect(request.identity).toBe('jane.doe@example.com');
  });
});

describe('Cognito events the rule does not match', () => {
  it.each([
    ['AdminEnableUser (re-enable)', load('cognito-adminenableuser.lift.json')],
    [
      'a failed AdminDisableUser',
      example('cognito-admindisableuser.json', (e) => {
        e.detail.errorCode = 'UserNotFoundException';
        e.detail.errorMessage = 'User does not exist.';
      }),
    ],
    [
      'an event type left out of the options',
      example('cognito-admindisableuser.json', (e) => {
        e.detail.eventName = 'AdminResetUserPassword';
      }),
    ],
    [
      'another user pool',
      example('cognito-admindisableuser.json', (e) => {
        e.detail.requestParameters.userPoolId = 'us-east-1_AbCdEfGhI';
      }),
    ],
    [
      'a forged custom source',
      example('cognito-admindisableuser.json', (e) => {
        e.source = 'cognito.fake';
      }),
    ],
    [
      'a partner source',
      example('cognito-admindisableuser.json', (e) => {
        e.source = 'aws.partner/example.com/tenant/cognito';
      }),
    ],
    [
      'another detail-type',
      example('cognito-admindisableuser.json', (e) => {
        e['detail-type'] = 'AWS Service Event via CloudTrail';
      }),
    ],
    [
      'an eventSource of another service',
      example('cognito-admindisableuser.json', (e) => {
        e.detail.eventSource = 'cognito-identity.amazonaws.com';
      }),
    ],
  ])('%s', (_, event) => {
    // Prepare — event above

    // Act
    const matched = accepts(event);

    // Assess
    expect(matched).toBe(false);
  });

  it('matches only the configured event types', () => {
    // Prepare
    const options: CognitoOptions = { ...OPTIONS, eventTypes: ['AdminDisableUser'] };

    // Act
    const matched = [
      'cognito-admindisableuser.json',
      'cognito-admindeleteuser.json',
      'cognito-adminuserglobalsignout-hidden-username.json',
    ].map((name) => accepts(load(name), options));

    // Assess
    expect(matched).toEqual([true, false, false]);
  });
});

describe('cognito.toRequest', () => {
  it.each([
    [
      'a hidden username without a sub',
      example('cognito-adminuserglobalsignout-hidden-username.json', (e) => {
        delete e.detail.additionalEventData;
      }),
      'detail.additionalEventData.sub',
      /username is hidden by CloudTrail/,
    ],
    [
      'a sub that is not a UUID',
      example('cognito-adminuserglobalsignout-hidden-username.json', (e) => {
        e.detail.additionalEventData = { sub: 'jane' };
      }),
      'detail.additionalEventData.sub',
      /expected the user sub/,
    ],
    [
      'a username with control characters',
      example('cognito-admindisableuser.json', (e) => {
        e.detail.requestParameters.username = 'jane\u0000doe';
      }),
      'detail.requestParameters.username',
      /control characters/,
    ],
    [
      'a user pool outside the options',
      example('cognito-admindisableuser.json', (e) => {
        e.detail.requestParameters.userPoolId = 'us-east-1_AbCdEfGhI';
      }),
      'detail.requestParameters.userPoolId',
      /not one of the configured user pools/,
    ],
    [
      'a failed call',
      example('cognito-admindisableuser.json', (e) => {
        e.detail.errorCode = 'NotAuthorizedException';
      }),
      'detail.errorCode',
      /the call failed/,
    ],
    ['a re-enable', load('cognito-adminenableuser.lift.json'), 'detail.eventName', /not a configured/],
  ])('rejects %s, naming the field', (_, event, field, message) => {
    // Prepare — event above

    // Act
    const error = rejection(event);

    // Assess
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('rejects an event without a sub when the identity field is "sub"', () => {
    // Prepare
    const event = example('cognito-admindisableuser.json', (e) => {
      e.detail.additionalEventData = null;
    });

    // Act
    const error = rejection(event, { ...OPTIONS, identityMapping: { field: 'sub' } });

    // Assess
    expect(error.field).toBe('detail.additionalEventData.sub');
  });
});

describe('classifyCognitoEvent', () => {
  it.each([
    ['cognito-admindisableuser.json', 'lost-access'],
    ['cognito-admindeleteuser.json', 'lost-access'],
    ['cognito-adminuserglobalsignout-hidden-username.json', 'lost-access'],
    ['cognito-adminenableuser.lift.json', 're-enabled'],
    ['idc-console-enableuser.lift.json', undefined],
  ])('%s → %s', (name, expected) => {
    // Prepare
    const event = load(name);

    // Act
    const result = classifyCognitoEvent(event);

    // Assess
    expect(result).toBe(expected);
  });

  it.each([
    [
      'a failed AdminEnableUser',
      example('cognito-adminenableuser.lift.json', (e) => {
        e.detail.errorCode = 'UserNotFoundException';
      }),
    ],
    [
      'a forged source',
      example('cognito-adminenableuser.lift.json', (e) => {
        e.source = 'cognito.fake';
      }),
    ],
    [
      'another Cognito call',
      example('cognito-adminenableuser.lift.json', (e) => {
        e.detail.eventName = 'AdminGetUser';
      }),
    ],
  ])('leaves %s unclassified', (_, event) => {
    // Prepare — event above

    // Act
    const result = classifyCognitoEvent(event);

    // Assess
    expect(result).toBeUndefined();
  });
});

describe('cognito.liftEventPattern', () => {
  it('matches successful AdminEnableUser calls on the configured user pools', () => {
    // Prepare — one pool

    // Act
    const pattern = cognito.liftEventPattern(OPTIONS);

    // Assess
    expect(pattern).toEqual({
      source: ['aws.cognito-idp'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['cognito-idp.amazonaws.com'],
        eventName: ['AdminEnableUser'],
        errorCode: [{ exists: false }],
        requestParameters: { userPoolId: [POOL] },
      },
    });
  });

  it('refuses the options the revoke pattern refuses', () => {
    // Prepare
    const options: CognitoOptions = { ...OPTIONS, userPoolIds: [] };

    // Act
    const build = () => cognito.liftEventPattern(options);

    // Assess
    expect(build).toThrow(ConfigurationError);
  });
});

describe('Cognito lift examples', () => {
  it('cognito-adminenableuser.lift.json matches the lift pattern, not the revoke pattern, and lifts Jane', () => {
    // Prepare
    const event = load('cognito-adminenableuser.lift.json');

    // Act
    const matched = [acceptsLift(event), accepts(event)];
    const request = cognito.toLiftRequest(event, OPTIONS);

    // Assess
    expect(matched).toEqual([true, false]);
    expect(classifyCognitoEvent(event)).toBe('re-enabled');
    expect(request).toEqual({
      action: 'lift',
      requestId: event.id,
      trigger: {
        source: 'aws.cognito-idp',
        detailType: 'AWS API Call via CloudTrail',
        eventType: 'cognito-idp:AdminEnableUser',
        eventTime: '2025-03-05T08:45:12Z',
      },
      identity: 'jane.doe@example.com',
      reason: `Amazon Cognito AdminEnableUser in user pool ${POOL}`,
      dryRun: false,
    });
  });

  it('falls back to a look-up by sub when CloudTrail hides the username, as a revocation does', () => {
    // Prepare
    const event = example('cognito-adminenableuser.lift.json', (e) => {
      e.detail.requestParameters.username = 'HIDDEN_DUE_TO_SECURITY_REASONS';
    });

    // Act
    const request = cognito.toLiftRequest(event, OPTIONS);

    // Assess
    expect(request.identity).toEqual({ kind: 'cognito-user', userPoolId: POOL, sub: SUB });
  });

  it('uses the sub when identityMapping.field is "sub"', () => {
    // Prepare
    const options: CognitoOptions = { ...OPTIONS, identityMapping: { field: 'sub' } };

    // Act
    const request = cognito.toLiftRequest(load('cognito-adminenableuser.lift.json'), options);

    // Assess
    expect(request.identity).toBe(SUB);
  });

  it('matches AdminEnableUser whichever lost-access types are selected', () => {
    // Prepare
    const options: CognitoOptions = { ...OPTIONS, eventTypes: ['AdminDeleteUser'] };

    // Act
    const matched = acceptsLift(load('cognito-adminenableuser.lift.json'), options);

    // Assess
    expect(matched).toBe(true);
    expect(COGNITO_REENABLE_EVENT_TYPES).toEqual(['AdminEnableUser']);
  });
});

describe('Cognito events the lift pattern does not match', () => {
  it.each([
    ['the failed AdminEnableUser example', load('cognito-adminenableuser-failed.negative.json')],
    ['AdminDisableUser', load('cognito-admindisableuser.json')],
    ['AdminDeleteUser', load('cognito-admindeleteuser.json')],
    [
      'an AdminEnableUser in another user pool',
      example('cognito-adminenableuser.lift.json', (e) => {
        e.detail.requestParameters.userPoolId = 'us-east-1_AbCdEfGhI';
      }),
    ],
    [
      'an AdminEnableUser from a forged custom source',
      example('cognito-adminenableuser.lift.json', (e) => {
        e.source = 'cognito.fake';
      }),
    ],
    [
      'an AdminEnableUser recorded by another service',
      example('cognito-adminenableuser.lift.json', (e) => {
        e.detail.eventSource = 'cognito-identity.amazonaws.com';
      }),
    ],
    [
      'another admin call (AdminSetUserPassword)',
      example('cognito-adminenableuser.lift.json', (e) => {
        e.detail.eventName = 'AdminSetUserPassword';
      }),
    ],
  ])('%s', (_, event) => {
    // Prepare — event above

    // Act
    const matched = acceptsLift(event);

    // Assess
    expect(matched).toBe(false);
  });
});

describe('cognito.toLiftRequest rejects, naming the field', () => {
  it.each([
    [
      'the failed AdminEnableUser example',
      load('cognito-adminenableuser-failed.negative.json'),
      'detail.errorCode',
      /the call failed, so nothing was re-enabled/,
    ],
    [
      'an AdminDisableUser',
      load('cognito-admindisableuser.json'),
      'detail.eventName',
      /AdminDisableUser is not a configured Cognito re-enable event type/,
    ],
    [
      'a user pool outside the options',
      example('cognito-adminenableuser.lift.json', (e) => {
        e.detail.requestParameters.userPoolId = 'us-east-1_AbCdEfGhI';
      }),
      'detail.requestParameters.userPoolId',
      /not one of the configured user pools/,
    ],
    [
      'a hidden username without a sub',
      example('cognito-adminenableuser.lift.json', (e) => {
        e.detail.requestParameters.username = 'HIDDEN_DUE_TO_SECURITY_REASONS';
        e.detail.additionalEventData = null;
      }),
      'detail.additionalEventData.sub',
      /username is hidden by CloudTrail/,
    ],
  ])('%s', (_, event, field, message) => {
    // Prepare — event above

    // Act
    const error = liftRejection(event);

    // Assess
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });
});
