import { describe, expect, it } from 'vitest';
import type { EventBridgeEnvelope } from '../../lambda/core/envelope.ts';
import { InvalidEventError } from '../../lambda/core/errors.ts';
import { matchesEventPattern } from '../../lambda/core/event-pattern.ts';
import {
  AUTH0_DETAIL_TYPE,
  AUTH0_LOST_ACCESS_EVENT_TYPES,
  type Auth0LostAccessEventType,
  type Auth0Options,
  auth0,
  auth0LiftEventTypes,
  classifyAuth0Event,
} from '../../sources/auth0/events.ts';
import { invalidEventFrom, loadExample } from '../support/examples.ts';

type Json = Record<string, unknown>;
type Data = Json & {
  details: Json & { request?: Json & { body?: Json }; response?: Json & { body?: Json } };
};
type Event = EventBridgeEnvelope & { detail: Json & { data: Data } };

const AUTH0_SOURCE = 'aws.partner/auth0.com/example-tenant-0f1e2d3c/auth0.logs';
const USER_ID = 'auth0|64f1c0de9a8b7c6d5e4f3a21';
const ADMIN_ID = 'auth0|5f0e1d2c3b4a596877665544';
const JANE = 'jane.doe@example.com';
const REQUEST_PATH = 'detail.data.details.request.path';

const load = (name: string) => loadExample<Event>(name);

/** A deep copy of an example event, with its `detail.data` changed by `change`. */
function example(name: string, change: (data: Data, event: Event) => void = () => {}): Event {
  const event = structuredClone(load(name));
  change(event.detail.data, event);
  return event;
}

const ALL: Auth0Options = { eventSourceNames: [AUTH0_SOURCE], eventTypes: AUTH0_LOST_ACCESS_EVENT_TYPES };
const withField = (field: string): Auth0Options => ({ ...ALL, identityMapping: { field } });

const accepts = (event: unknown, options: Auth0Options = ALL) =>
  matchesEventPattern(auth0.eventPattern(options), event);

const rejection = (event: Event, options: Auth0Options = ALL) =>
  invalidEventFrom(() => auth0.toRequest(event, options));

const acceptsLift = (event: unknown, options: Auth0Options = ALL) =>
  matchesEventPattern(auth0.liftEventPattern(options), event);

const liftRejection = (event: Event, options: Auth0Options = ALL) =>
  invalidEventFrom(() => auth0.toLiftRequest(event, options));

/** The brute-force block example turned into its release (`ublkdu`). */
const released = (change: (data: Data) => void = () => {}) =>
  example('auth0-limit-wc.json', (data) => {
    data.type = 'ublkdu';
    data.description = 'User block released';
    change(data);
  });

const requestOf = (data: Data) => data.details.request as Json & { body: Json };

/** [example, event type, trigger eventType, identity for user_name, user_id and email (undefined = rejected)]. */
const EXAMPLES: readonly (readonly [
  string,
  Auth0LostAccessEventType,
  string,
  string | undefined,
  string,
  string | undefined,
])[] = [
  ['auth0-sdu-user-deleted.json', 'user-deleted', 'sdu', JANE, USER_ID, JANE],
  ['auth0-sapi-user-blocked.json', 'user-blocked', 'sapi:PATCH blocked', JANE, USER_ID, JANE],
  ['auth0-sapi-user-deleted.json', 'user-deleted-by-api', 'sapi:DELETE', undefined, USER_ID, undefined],
  ['auth0-limit-wc.json', 'brute-force-blocked', 'limit_wc', JANE, USER_ID, JANE],
];

const USERS_CALL = (method: string, body?: Json) => ({
  type: ['sapi'],
  details: {
    request: {
      method: [{ 'equals-ignore-case': method }],
      path: [{ prefix: '/api/v2/users/' }],
      ...(body && { body }),
    },
  },
});

describe('auth0.eventPattern', () => {
  it('has one $or branch per kind under detail.data', () => {
    // Prepare — every lost-access type

    // Act
    const pattern = auth0.eventPattern(ALL);

    // Assess
    expect(pattern).toEqual({
      source: [AUTH0_SOURCE],
      'detail-type': [AUTH0_DETAIL_TYPE],
      detail: {
        data: {
          $or: [
            { type: ['sdu', 'limit_wc'] },
            USERS_CALL('delete'),
            USERS_CALL('patch', { blocked: [true] }),
          ],
        },
      },
    });
  });

  it.each([
    [['user-deleted'], { type: ['sdu'] }],
    [['brute-force-blocked'], { type: ['limit_wc'] }],
    [['user-deleted-by-api'], USERS_CALL('delete')],
    [['user-blocked'], USERS_CALL('patch', { blocked: [true] })],
    [
      ['user-blocked', 'user-deleted'],
      { $or: [{ type: ['sdu'] }, USERS_CALL('patch', { blocked: [true] })] },
    ],
  ] as const)('selects only %j', (eventTypes, data) => {
    // Prepare
    const options: Auth0Options = { ...ALL, eventTypes };

    // Act
    const pattern = auth0.eventPattern(options);

    // Assess
    expect(pattern.detail).toEqual({ data });
  });
});

describe('Auth0 example events', () => {
  it.each(EXAMPLES)('%s matches the pattern and becomes a request', (name, _, eventType, userName) => {
    // Prepare
    const event = load(name);
    const options = userName ? ALL : withField('user_id');

    // Act
    const matched = accepts(event);
    const request = auth0.toRequest(event, options);

    // Assess
    expect(matched).toBe(true);
    expect(request).toMatchObject({
      action: 'revoke',
      requestId: event.id,
      trigger: {
        source: AUTH0_SOURCE,
        detailType: 'Auth0 log',
        eventType,
        eventTime: event.detail.data.date,
      },
      dryRun: false,
    });
    expect(request.reason).toBe(`Auth0 ${eventType}: ${event.detail.data.description}`);
  });

  it.each(EXAMPLES)('%s: identityMapping.field user_name, user_id, email', (name, _, __, ...expected) => {
    // Prepare
    const event = load(name);

    // Act
    const identities = ['user_name', 'user_id', 'email'].map((field) => {
      try {
        return auth0.toRequest(event, withField(field)).identity;
      } catch (error) {
        if (error instanceof InvalidEventError) return undefined;
        throw error;
      }
    });

    // Assess
    expect(identities).toEqual(expected);
  });

  it('defaults to user_name', () => {
    // Prepare
    const event = load('auth0-sdu-user-deleted.json');

    // Act
    const request = auth0.toRequest(event, ALL);

    // Assess
    expect(request.identity).toBe(JANE);
  });

  it.each(EXAMPLES)('%s is matched only when its type is selected', (name, type) => {
    // Prepare
    const options: Auth0Options = {
      ...ALL,
      eventTypes: AUTH0_LOST_ACCESS_EVENT_TYPES.filter((other) => other !== type),
    };
    const event = load(name);

    // Act
    const matched = accepts(event, options);
    const error = rejection(event, { ...options, identityMapping: { field: 'user_id' } });

    // Assess
    expect(matched).toBe(false);
    expect(error.field).toBe('detail.data.type');
  });

  it.each(['auth0-sapi-user-blocked.json', 'auth0-sapi-user-deleted.json'])(
    '%s: the target comes from the path, never data.user_id (the admin)',
    (name) => {
      // Prepare
      const event = load(name);

      // Act
      const request = auth0.toRequest(event, withField('user_id'));

      // Assess
      expect(event.detail.data.user_id).toBe(ADMIN_ID);
      expect(request.identity).toBe(USER_ID);
    },
  );

  it('explains why a Management API delete has no user name', () => {
    // Prepare
    const event = load('auth0-sapi-user-deleted.json');

    // Act
    const error = rejection(event);

    // Assess
    expect(error.field).toBe('identityMapping.field');
    expect(error.message).toContain(`names the user only by id ("${USER_ID}")`);
    expect(error.message).toContain('set identityMapping.field to "user_id"');
  });
});

describe('events the Auth0 pattern does not match', () => {
  it.each<[string, Event]>([
    ['the unblock example', example('auth0-sapi-user-unblocked.lift.json')],
    [
      'ublkdu (brute-force block released)',
      example('auth0-limit-wc.json', (data) => {
        data.type = 'ublkdu';
      }),
    ],
    ...['fdu', 'du', 'limit_mu', 'scp', 's'].map((type): [string, Event] => [
      `type ${type}`,
      example('auth0-sdu-user-deleted.json', (data) => {
        data.type = type;
      }),
    ]),
    [
      'a PATCH without blocked',
      example('auth0-sapi-user-blocked.json', (data) => {
        requestOf(data).body = { app_metadata: { team: 'red' } };
      }),
    ],
    [
      'a PATCH with blocked "true" as a string',
      example('auth0-sapi-user-blocked.json', (data) => {
        requestOf(data).body = { blocked: 'true' };
      }),
    ],
    [
      'a POST creating a user',
      example('auth0-sapi-user-blocked.json', (data) => {
        Object.assign(requestOf(data), { method: 'post', path: '/api/v2/users' });
      }),
    ],
    [
      'a DELETE on /api/v2/users-by-email',
      example('auth0-sapi-user-deleted.json', (data) => {
        requestOf(data).path = '/api/v2/users-by-email';
      }),
    ],
    [
      'a DELETE on a client',
      example('auth0-sapi-user-deleted.json', (data) => {
        requestOf(data).path = '/api/v2/clients/OjVPkOH645QsMFPitAEmQOx2J7NcAYCZ';
      }),
    ],
    [
      'a failed API call (fapi)',
      example('auth0-sapi-user-deleted.json', (data) => {
        data.type = 'fapi';
      }),
    ],
    [
      'fields directly under detail (the aws-samples shape)',
      example('auth0-sdu-user-deleted.json', (data, event) => {
        Object.assign(event, { detail: { ...data } });
      }),
    ],
  ])('%s', (_, event) => {
    // Prepare — event above

    // Act
    const matched = accepts(event);

    // Assess
    expect(matched).toBe(false);
  });

  it.each([
    ['a lookalike partner domain', 'aws.partner/auth0.com.evil/example-tenant-0f1e2d3c/auth0.logs'],
    ['another tenant', 'aws.partner/auth0.com/other-tenant-9a8b7c6d/auth0.logs'],
    ['a longer name', `${AUTH0_SOURCE}.copy`],
    ['a custom source', 'auth0.logs'],
  ])('%s', (_, source) => {
    // Prepare
    const events = EXAMPLES.map(([name]) => example(name, (__, event) => Object.assign(event, { source })));

    // Act
    const matched = events.map((event) => accepts(event));

    // Assess
    expect(matched).toEqual(EXAMPLES.map(() => false));
  });

  it.each(['Auth0 Log', 'auth0 log', 'Auth0 Log Event'])('detail-type "%s"', (detailType) => {
    // Prepare
    const events = EXAMPLES.map(([name]) =>
      example(name, (_, event) => Object.assign(event, { 'detail-type': detailType })),
    );

    // Act
    const matched = events.map((event) => accepts(event));

    // Assess
    expect(matched).toEqual(EXAMPLES.map(() => false));
  });
});

describe('sub-resources of a user: matched by the prefix, rejected by the normaliser', () => {
  it.each([
    ['the roles example', example('auth0-sapi-roles-patch.negative.json')],
    [
      'a PATCH on an authentication method with blocked true',
      example('auth0-sapi-user-blocked.json', (data) => {
        requestOf(data).path = `/api/v2/users/auth0%7C64f1c0de9a8b7c6d5e4f3a21/authentication-methods/amid_1`;
      }),
    ],
    [
      'a trailing slash',
      example('auth0-sapi-user-deleted.json', (data) => {
        requestOf(data).path = '/api/v2/users/auth0%7C64f1c0de9a8b7c6d5e4f3a21/';
      }),
    ],
    [
      'no id',
      example('auth0-sapi-user-deleted.json', (data) => {
        requestOf(data).path = '/api/v2/users/';
      }),
    ],
  ])('%s', (_, event) => {
    // Prepare — event above

    // Act
    const matched = accepts(event);
    const error = rejection(event, withField('user_id'));

    // Assess
    expect(matched).toBe(true);
    expect(error.field).toBe(REQUEST_PATH);
    expect(error.message).toContain('(a user, not a sub-resource)');
  });
});

describe('auth0.toRequest', () => {
  it.each([
    ['URL-encoded', '/api/v2/users/auth0%7C64f1c0de9a8b7c6d5e4f3a21', USER_ID],
    ['not encoded', '/api/v2/users/auth0|64f1c0de9a8b7c6d5e4f3a21', USER_ID],
    [
      'a social id',
      '/api/v2/users/google-oauth2%7C109876543210987654321',
      'google-oauth2|109876543210987654321',
    ],
  ])('decodes a path that is %s', (_, path, expected) => {
    // Prepare
    const event = example('auth0-sapi-user-deleted.json', (data) => {
      requestOf(data).path = path;
    });

    // Act
    const request = auth0.toRequest(event, withField('user_id'));

    // Assess
    expect(request.identity).toBe(expected);
  });

  it('accepts the method in upper case, as the pattern does', () => {
    // Prepare
    const event = example('auth0-sapi-user-deleted.json', (data) => {
      requestOf(data).method = 'DELETE';
    });

    // Act
    const matched = accepts(event);
    const request = auth0.toRequest(event, withField('user_id'));

    // Assess
    expect(matched).toBe(true);
    expect(request.trigger.eventType).toBe('sapi:DELETE');
  });

  it('falls back to the username of a blocked user without email', () => {
    // Prepare
    const event = example('auth0-sapi-user-blocked.json', (data) => {
      data.details.response = {
        statusCode: 200,
        body: { user_id: USER_ID, username: 'jdoe', blocked: true },
      };
    });

    // Act
    const request = auth0.toRequest(event, ALL);
    const error = rejection(event, withField('email'));

    // Assess
    expect(request.identity).toBe('jdoe');
    expect(error.field).toBe('detail.data.details.response.body.email');
  });

  it.each([
    ['no response', undefined],
    ['an empty body', { statusCode: 200, body: {} }],
  ])('rejects a block with %s unless field is user_id', (_, response) => {
    // Prepare
    const event = example('auth0-sapi-user-blocked.json', (data) => {
      data.details.response = response;
    });

    // Act
    const error = rejection(event);
    const request = auth0.toRequest(event, withField('user_id'));

    // Assess
    expect(error.field).toBe('detail.data.details.response.body.email');
    expect(error.message).toContain('set identityMapping.field to "user_id"');
    expect(request.identity).toBe(USER_ID);
  });

  it('rejects a blocked user email that is not a usable identity', () => {
    // Prepare
    const event = example('auth0-sapi-user-blocked.json', (data) => {
      (data.details.response?.body as Json).email = ' jane.doe@example.com';
    });

    // Act
    const error = rejection(event);

    // Assess
    expect(error.field).toBe('detail.data.details.response.body.email');
    expect(error.message).toContain('expected no leading or trailing whitespace');
  });

  it.each([
    ['user_name', 'detail.data.user_name'],
    ['user_id', 'detail.data.user_id'],
    ['email', 'detail.data.user_name'],
  ])('rejects an sdu without user_name and user_id (field %s), naming %s', (field, expected) => {
    // Prepare
    const event = example('auth0-sdu-user-deleted.json', (data) => {
      delete data.user_name;
      delete data.user_id;
    });

    // Act
    const error = rejection(event, withField(field));

    // Assess
    expect(error.field).toBe(expected);
  });

  it('rejects a user_name that is not an email for field email, but takes it for user_name', () => {
    // Prepare
    const event = example('auth0-limit-wc.json', (data) => {
      data.user_name = 'jdoe';
    });

    // Act
    const error = rejection(event, withField('email'));
    const request = auth0.toRequest(event, ALL);

    // Assess
    expect(error.field).toBe('detail.data.user_name');
    expect(request.identity).toBe('jdoe');
  });

  it.each([
    [
      'a malformed escape in the path',
      example('auth0-sapi-user-deleted.json', (data) => {
        requestOf(data).path = '/api/v2/users/auth0%7';
      }),
      REQUEST_PATH,
    ],
    [
      'sapi without details.request',
      example('auth0-sapi-user-deleted.json', (data) => {
        data.details = {};
      }),
      'detail.data.details.request',
    ],
    [
      'a sapi PUT on a user',
      example('auth0-sapi-user-deleted.json', (data) => {
        requestOf(data).method = 'put';
      }),
      'detail.data.details.request',
    ],
    ['an unblock', example('auth0-sapi-user-unblocked.lift.json'), 'detail.data.type'],
    [
      'another type',
      example('auth0-sdu-user-deleted.json', (data) => {
        data.type = 'fdu';
      }),
      'detail.data.type',
    ],
    [
      'no date',
      example('auth0-sdu-user-deleted.json', (data) => {
        delete data.date;
      }),
      'detail.data.date',
    ],
    [
      'no log_id',
      example('auth0-sdu-user-deleted.json', (_, event) => {
        delete event.detail.log_id;
      }),
      'detail.log_id',
    ],
    [
      'no data',
      example('auth0-sdu-user-deleted.json', (_, event) => {
        delete (event.detail as Json).data;
      }),
      'detail.data',
    ],
  ])('rejects %s, naming the field', (_, event, field) => {
    // Prepare — event above

    // Act
    const error = rejection(event, withField('user_id'));

    // Assess
    expect(error.field).toBe(field);
  });

  it.each(['login', 'name', 'actor'])('rejects identityMapping.field "%s"', (field) => {
    // Prepare
    const event = load('auth0-sdu-user-deleted.json');

    // Act
    const error = rejection(event, withField(field));

    // Assess
    expect(error.field).toBe('identityMapping.field');
    expect(error.message).toBe(
      `identityMapping.field: expected one of user_name, user_id, email for Auth0, got "${field}"`,
    );
  });
});

describe('classifyAuth0Event', () => {
  it.each([
    ['auth0-sdu-user-deleted.json', 'lost-access'],
    ['auth0-sapi-user-blocked.json', 'lost-access'],
    ['auth0-sapi-user-deleted.json', 'lost-access'],
    ['auth0-limit-wc.json', 'lost-access'],
    ['auth0-sapi-user-unblocked.lift.json', 're-enabled'],
    ['auth0-sapi-roles-patch.negative.json', undefined],
  ])('%s → %s', (name, expected) => {
    // Prepare
    const { detail } = load(name);

    // Act
    const kind = classifyAuth0Event(detail);

    // Assess
    expect(kind).toBe(expected);
  });

  it.each([
    ['ublkdu', { data: { ...load('auth0-limit-wc.json').detail.data, type: 'ublkdu' } }, 're-enabled'],
    ['another type', { data: { ...load('auth0-limit-wc.json').detail.data, type: 'ss' } }, undefined],
    [
      'an Object.prototype key',
      { data: { ...load('auth0-limit-wc.json').detail.data, type: 'toString' } },
      undefined,
    ],
    ['fields under detail', load('auth0-sdu-user-deleted.json').detail.data, undefined],
    ['null', null, undefined],
    ['a string', 'sdu', undefined],
  ])('%s → %s', (_, detail, expected) => {
    // Prepare — detail above

    // Act
    const kind = classifyAuth0Event(detail);

    // Assess
    expect(kind).toBe(expected);
  });
});

describe('auth0.liftEventPattern', () => {
  it('matches unblocks, and brute-force releases when brute-force blocks revoke', () => {
    // Prepare — every lost-access type

    // Act
    const pattern = auth0.liftEventPattern(ALL);

    // Assess
    expect(pattern).toEqual({
      source: [AUTH0_SOURCE],
      'detail-type': [AUTH0_DETAIL_TYPE],
      detail: { data: { $or: [{ type: ['ublkdu'] }, USERS_CALL('patch', { blocked: [false] })] } },
    });
  });

  it('leaves out ublkdu when brute-force blocks do not revoke (the release can be self-service)', () => {
    // Prepare
    const options: Auth0Options = { ...ALL, eventTypes: ['user-blocked', 'user-deleted'] };

    // Act
    const pattern = auth0.liftEventPattern(options);

    // Assess
    expect(auth0LiftEventTypes(options.eventTypes)).toEqual(['user-unblocked']);
    expect(pattern.detail).toEqual({ data: USERS_CALL('patch', { blocked: [false] }) });
  });
});

describe('Auth0 lift examples', () => {
  it('auth0-sapi-user-unblocked.lift.json matches the lift pattern, not the revoke pattern, and lifts Jane', () => {
    // Prepare
    const event = load('auth0-sapi-user-unblocked.lift.json');

    // Act
    const matched = [acceptsLift(event), accepts(event)];
    const request = auth0.toLiftRequest(event, ALL);

    // Assess
    expect(matched).toEqual([true, false]);
    expect(request).toEqual({
      action: 'lift',
      requestId: event.id,
      trigger: {
        source: AUTH0_SOURCE,
        detailType: 'Auth0 log',
        eventType: 'sapi:PATCH unblocked',
        eventTime: '2025-03-05T10:15:02.442Z',
      },
      identity: JANE,
      reason: 'Auth0 sapi:PATCH unblocked: Update a user',
      dryRun: false,
    });
  });

  it.each([
    ['user_name', JANE],
    ['user_id', USER_ID],
    ['email', JANE],
  ])(
    'an unblock names the user of the path with field %s, never data.user_id (the admin)',
    (field, expected) => {
      // Prepare
      const event = load('auth0-sapi-user-unblocked.lift.json');

      // Act
      const request = auth0.toLiftRequest(event, withField(field));

      // Assess
      expect(event.detail.data.user_id).toBe(ADMIN_ID);
      expect(request.identity).toBe(expected);
    },
  );

  it('a brute-force release (ublkdu) lifts the user it names', () => {
    // Prepare
    const event = released();

    // Act
    const matched = acceptsLift(event);
    const request = auth0.toLiftRequest(event, ALL);

    // Assess
    expect(matched).toBe(true);
    expect(request).toMatchObject({
      action: 'lift',
      trigger: { eventType: 'ublkdu', eventTime: event.detail.data.date },
      identity: JANE,
      reason: 'Auth0 ublkdu: User block released',
    });
  });
});

describe('events the Auth0 lift pattern does not match', () => {
  it.each<[string, Event]>([
    ...EXAMPLES.map(([name]): [string, Event] => [`the revoke example ${name}`, example(name)]),
    [
      'an unblock with blocked "false" as a string',
      example('auth0-sapi-user-unblocked.lift.json', (data) => {
        requestOf(data).body = { blocked: 'false' };
      }),
    ],
    [
      'a PATCH without blocked',
      example('auth0-sapi-user-unblocked.lift.json', (data) => {
        requestOf(data).body = { name: 'Jane' };
      }),
    ],
    [
      'a failed API call (fapi)',
      example('auth0-sapi-user-unblocked.lift.json', (data) => {
        data.type = 'fapi';
      }),
    ],
    [
      'another tenant',
      example('auth0-sapi-user-unblocked.lift.json', (_, event) => {
        event.source = 'aws.partner/auth0.com/other-tenant-9a8b7c6d/auth0.logs';
      }),
    ],
    [
      'a lookalike partner domain',
      Object.assign(released(), { source: 'aws.partner/auth0.com.evil/example-tenant-0f1e2d3c/auth0.logs' }),
    ],
    [
      'another detail-type',
      example('auth0-sapi-user-unblocked.lift.json', (_, event) => {
        event['detail-type'] = 'Auth0 Log';
      }),
    ],
  ])('%s', (_, event) => {
    // Prepare — event above

    // Act
    const matched = acceptsLift(event);

    // Assess
    expect(matched).toBe(false);
  });

  it('ublkdu when brute-force blocks do not revoke; toLiftRequest names detail.data.type', () => {
    // Prepare
    const options: Auth0Options = { ...ALL, eventTypes: ['user-blocked'] };
    const event = released();

    // Act
    const matched = acceptsLift(event, options);
    const error = liftRejection(event, options);

    // Assess
    expect(matched).toBe(false);
    expect(error.field).toBe('detail.data.type');
    expect(error.message).toBe(
      'detail.data.type: ublkdu is a brute-force-unblocked event; expected one of user-unblocked',
    );
  });
});

describe('auth0.toLiftRequest rejects, naming the field', () => {
  it.each([
    [
      'an unblock of a sub-resource (matched by the path prefix)',
      example('auth0-sapi-user-unblocked.lift.json', (data) => {
        requestOf(data).path =
          '/api/v2/users/auth0%7C64f1c0de9a8b7c6d5e4f3a21/multifactor/actions/invalidate-remember-browser';
      }),
      REQUEST_PATH,
    ],
    ['a block', example('auth0-sapi-user-blocked.json'), 'detail.data.type'],
    ['a delete', example('auth0-sdu-user-deleted.json'), 'detail.data.type'],
    [
      'an unblock without the user in the response',
      example('auth0-sapi-user-unblocked.lift.json', (data) => {
        data.details.response = { statusCode: 200, body: {} };
      }),
      'detail.data.details.response.body.email',
    ],
    [
      'a ublkdu without user_name',
      released((data) => {
        delete data.user_name;
      }),
      'detail.data.user_name',
    ],
  ])('%s', (_, event, field) => {
    // Prepare — event above

    // Act
    const error = liftRejection(event);

    // Assess
    expect(error.field).toBe(field);
  });

  it('an unblock of a sub-resource is matched by the prefix, so the normaliser must refuse it', () => {
    // Prepare
    const event = example('auth0-sapi-user-unblocked.lift.json', (data) => {
      requestOf(data).path = '/api/v2/users/auth0%7C64f1c0de9a8b7c6d5e4f3a21/roles';
    });

    // Act
    const matched = acceptsLift(event);
    const error = liftRejection(event, withField('user_id'));

    // Assess
    expect(matched).toBe(true);
    expect(error.message).toContain('(a user, not a sub-resource)');
  });
});
