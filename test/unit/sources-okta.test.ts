import { describe, expect, it } from 'vitest';
import type { EventBridgeEnvelope } from '../../lambda/core/envelope.ts';
import { matchesEventPattern } from '../../lambda/core/event-pattern.ts';
import {
  classifyOktaEvent,
  OKTA_DETAIL_TYPE,
  OKTA_LOST_ACCESS_EVENT_TYPES,
  OKTA_REENABLE_EVENT_TYPES,
  type OktaOptions,
  okta,
  oktaLiftEventTypes,
} from '../../sources/okta/events.ts';
import { toRevocationRequest } from '../../sources/requests.ts';
import { changedExample, invalidEventFrom, loadExample } from '../support/examples.ts';

type Json = Record<string, unknown>;
type Event = EventBridgeEnvelope & { detail: Json };

const OKTA_SOURCE = 'aws.partner/okta.com/example-org/vpn-kill-switch';
const USER_ID = '00u3m90rxKjGQ0G6L1d6';
const ADMIN = 'it.admin@example.com';

const load = (name: string) => loadExample<Event>(name);

const example = (name: string, change?: (event: Event) => void) => changedExample<Event>(name, change);

const ALL: OktaOptions = { eventSourceNames: [OKTA_SOURCE], eventTypes: OKTA_LOST_ACCESS_EVENT_TYPES };
const withField = (field: string, options: OktaOptions = ALL): OktaOptions => ({
  ...options,
  identityMapping: { field },
});

const accepts = (event: unknown, options: OktaOptions = ALL) =>
  matchesEventPattern(okta.eventPattern(options), event);

const rejection = (event: Event, options: OktaOptions = ALL) =>
  invalidEventFrom(() => okta.toRequest(event, options));

const acceptsLift = (event: unknown, options: OktaOptions = ALL) =>
  matchesEventPattern(okta.liftEventPattern(options), event);

const liftRejection = (event: Event, options: OktaOptions = ALL) =>
  invalidEventFrom(() => okta.toLiftRequest(event, options));

const LIFT_EXAMPLES = [
  [
    'okta-user-activate.lift.json',
    'user.lifecycle.activate',
    '2025-03-10T13:02:19.650Z',
    'Activate Okta user',
  ],
  [
    'okta-user-unsuspend.lift.json',
    'user.lifecycle.unsuspend',
    '2025-03-09T10:20:44.208Z',
    'Unsuspend Okta user',
  ],
] as const;

const EXAMPLES = [
  ['okta-user-deactivate.json', 'user.lifecycle.deactivate', '2025-03-04T15:22:09.512Z'],
  ['okta-user-suspend.json', 'user.lifecycle.suspend', '2025-03-05T09:14:27.031Z'],
  ['okta-user-delete-initiated.json', 'user.lifecycle.delete.initiated', '2025-03-06T11:40:02.877Z'],
  ['okta-user-session-clear.json', 'user.session.clear', '2025-03-07T08:05:51.402Z'],
  ['okta-user-account-lock.json', 'user.account.lock', '2025-03-08T22:17:45.116Z'],
] as const;

describe('okta.eventPattern', () => {
  it('keeps the plain shape when no lock is selected', () => {
    // Prepare
    const options: OktaOptions = { ...ALL, eventTypes: ['user.lifecycle.deactivate', 'user.session.clear'] };

    // Act
    const pattern = okta.eventPattern(options);

    // Assess
    expect(pattern).toEqual({
      source: [OKTA_SOURCE],
      'detail-type': [OKTA_DETAIL_TYPE],
      detail: {
        eventType: ['user.lifecycle.deactivate', 'user.session.clear'],
        outcome: { result: ['SUCCESS'] },
      },
    });
  });

  it('matches a lock on its own $or branch, without the SUCCESS outcome', () => {
    // Prepare — every lost-access type

    // Act
    const pattern = okta.eventPattern(ALL);

    // Assess
    expect(pattern).toEqual({
      source: [OKTA_SOURCE],
      'detail-type': ['SystemLog'],
      detail: {
        $or: [
          {
            eventType: [
              'user.lifecycle.deactivate',
              'user.lifecycle.suspend',
              'user.lifecycle.delete.initiated',
              'user.session.clear',
            ],
            outcome: { result: ['SUCCESS'] },
          },
          { eventType: ['user.account.lock'] },
        ],
      },
    });
  });

  it('has no $or when only the lock is selected, and lists each type once', () => {
    // Prepare
    const options: OktaOptions = { ...ALL, eventTypes: ['user.account.lock', 'user.account.lock'] };

    // Act
    const pattern = okta.eventPattern(options);

    // Assess
    expect(pattern.detail).toEqual({ eventType: ['user.account.lock'] });
  });

  it('lists every configured partner source exactly', () => {
    // Prepare
    const options: OktaOptions = {
      ...ALL,
      eventSourceNames: [OKTA_SOURCE, 'aws.partner/okta.com/acme/other'],
    };

    // Act
    const pattern = okta.eventPattern(options);

    // Assess
    expect(pattern.source).toEqual([OKTA_SOURCE, 'aws.partner/okta.com/acme/other']);
  });
});

describe('Okta example events', () => {
  it.each(EXAMPLES)('%s matches the pattern and names Jane by her login', (name, eventType, published) => {
    // Prepare
    const event = load(name);

    // Act
    const matched = accepts(event);
    const request = okta.toRequest(event, ALL);

    // Assess
    expect(matched).toBe(true);
    expect(request).toMatchObject({
      action: 'revoke',
      requestId: event.id,
      trigger: { source: OKTA_SOURCE, detailType: 'SystemLog', eventType, eventTime: published },
      identity: 'jane.doe@example.com',
      dryRun: false,
    });
    expect(request.reason).toMatch(new RegExp(`^Okta ${eventType.replaceAll('.', '\\.')}: `));
  });

  it.each(EXAMPLES)('%s yields the Okta user id with identityMapping.field "id"', (name) => {
    // Prepare
    const event = load(name);

    // Act
    const request = okta.toRequest(event, withField('id'));

    // Assess
    expect(request.identity).toBe(USER_ID);
  });

  it.each(EXAMPLES)('%s is matched only when its type is selected', (name, eventType) => {
    // Prepare
    const others = OKTA_LOST_ACCESS_EVENT_TYPES.filter((type) => type !== eventType);
    const event = load(name);

    // Act
    const matched = accepts(event, { ...ALL, eventTypes: others });
    const error = rejection(event, { ...ALL, eventTypes: others });

    // Assess
    expect(matched).toBe(false);
    expect(error.field).toBe('detail.eventType');
  });

  it('reads a lock from actor, since its target is null', () => {
    // Prepare
    const event = load('okta-user-account-lock.json');

    // Act
    const request = okta.toRequest(event, ALL);

    // Assess
    expect(event.detail.target).toBeNull();
    expect(event.detail.outcome).toEqual({ result: 'FAILURE', reason: 'LOCKED_OUT' });
    expect(request.identity).toBe('jane.doe@example.com');
    expect(request.reason).toBe('Okta user.account.lock: Max sign in attempts exceeded');
  });

  it('passes a lock through the handler parser (index.ts)', () => {
    // Prepare
    const body = JSON.stringify(load('okta-user-account-lock.json'));

    // Act
    const request = toRevocationRequest(body, { okta: ALL });

    // Assess
    expect(request.identity).toBe('jane.doe@example.com');
    expect(request.trigger.eventType).toBe('user.account.lock');
  });

  it('never takes the admin (actor) of a deactivate as the identity', () => {
    // Prepare
    const event = load('okta-user-deactivate.json');

    // Act
    const request = okta.toRequest(event, ALL);

    // Assess
    expect((event.detail.actor as Json).alternateId).toBe(ADMIN);
    expect(request.identity).not.toBe(ADMIN);
  });
});

describe('events the Okta pattern does not match', () => {
  const setEventType = (eventType: string) => (event: Event) => {
    event.detail.eventType = eventType;
  };

  it.each<[string, Event]>([
    ...LIFT_EXAMPLES.map(([name]): [string, Event] => [`the lift example ${name}`, example(name)]),
    ...OKTA_REENABLE_EVENT_TYPES.map((type): [string, Event] => [
      `re-enable ${type}`,
      example('okta-user-deactivate.json', setEventType(type)),
    ]),
    [
      'user.lifecycle.delete.completed',
      example('okta-user-deactivate.json', setEventType('user.lifecycle.delete.completed')),
    ],
    [
      'user.account.lock.limit',
      example('okta-user-account-lock.json', setEventType('user.account.lock.limit')),
    ],
    ['user.session.start', example('okta-user-deactivate.json', setEventType('user.session.start'))],
    [
      'an eventType in another case',
      example('okta-user-deactivate.json', setEventType('User.Lifecycle.Deactivate')),
    ],
  ])('%s', (_, event) => {
    // Prepare — event above

    // Act
    const matched = accepts(event);

    // Assess
    expect(matched).toBe(false);
  });

  it.each(EXAMPLES.filter(([, type]) => type !== 'user.account.lock'))(
    '%s with outcome FAILURE, or without an outcome',
    (name) => {
      // Prepare
      const failed = example(name, (event) => {
        event.detail.outcome = { result: 'FAILURE', reason: 'INSUFFICIENT_PERMISSIONS' };
      });
      const noOutcome = example(name, (event) => {
        delete event.detail.outcome;
      });

      // Act
      const matched = [accepts(failed), accepts(noOutcome)];

      // Assess
      expect(matched).toEqual([false, false]);
    },
  );

  it.each([
    ['a lookalike partner domain', 'aws.partner/okta.com.evil/example-org/vpn-kill-switch'],
    ['another org', 'aws.partner/okta.com/other-org/vpn-kill-switch'],
    ['another stream of the org', 'aws.partner/okta.com/example-org/other-stream'],
    ['a longer name', `${OKTA_SOURCE}-2`],
    ['another case', OKTA_SOURCE.toUpperCase()],
    ['a custom source', 'okta.com'],
  ])('%s', (_, source) => {
    // Prepare
    const events = EXAMPLES.map(([name]) => example(name, (event) => Object.assign(event, { source })));

    // Act
    const matched = events.map((event) => accepts(event));

    // Assess
    expect(matched).toEqual(EXAMPLES.map(() => false));
  });

  it.each(['Okta Log Event', 'systemlog'])('detail-type "%s"', (detailType) => {
    // Prepare
    const events = EXAMPLES.map(([name]) =>
      example(name, (event) => Object.assign(event, { 'detail-type': detailType })),
    );

    // Act
    const matched = events.map((event) => accepts(event));

    // Assess
    expect(matched).toEqual(EXAMPLES.map(() => false));
  });
});

describe('okta.toRequest rejects, naming the field', () => {
  it.each([
    ['the activate example', example('okta-user-activate.lift.json')],
    [
      'a reactivate',
      example('okta-user-deactivate.json', (event) => {
        event.detail.eventType = 'user.lifecycle.reactivate';
      }),
    ],
  ])('%s (a re-enable event)', (_, event) => {
    // Prepare — event above

    // Act
    const error = rejection(event);

    // Assess
    expect(error.field).toBe('detail.eventType');
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['an app', { id: '0oa1', type: 'PublicClientApp', alternateId: 'VPN Portal' }],
  ])('a lock whose actor is %s', (_, actor) => {
    // Prepare
    const event = example('okta-user-account-lock.json', (e) => {
      e.detail.actor = actor;
    });

    // Act
    const error = rejection(event);

    // Assess
    expect(error.field).toBe('detail.actor');
    expect(error.message).toBe('detail.actor: expected type "User"');
  });

  it('a lock whose actor has no alternateId', () => {
    // Prepare
    const event = example('okta-user-account-lock.json', (e) => {
      delete (e.detail.actor as Json).alternateId;
    });

    // Act
    const error = rejection(event);

    // Assess
    expect(error.field).toBe('detail.actor.alternateId');
  });

  it('a lock with the id field but an empty actor id', () => {
    // Prepare
    const event = example('okta-user-account-lock.json', (e) => {
      (e.detail.actor as Json).id = '';
    });

    // Act
    const error = rejection(event, withField('id'));

    // Assess
    expect(error.field).toBe('detail.actor.id');
    expect(error.message).toContain('expected a non-empty identity');
  });

  it('a target without id when the id field is selected', () => {
    // Prepare
    const event = example('okta-user-suspend.json', (e) => {
      e.detail.target = [
        { type: 'AppInstance', id: '0oa1', alternateId: 'AWS Client VPN' },
        { type: 'User', alternateId: 'jane.doe@example.com' },
      ];
    });

    // Act
    const error = rejection(event, withField('id'));

    // Assess
    expect(error.field).toBe('detail.target.1.id');
  });

  it.each(['displayName', 'email', 'login', 'actor'])('identityMapping.field "%s"', (field) => {
    // Prepare
    const event = load('okta-user-deactivate.json');

    // Act
    const error = rejection(event, withField(field));

    // Assess
    expect(error.field).toBe('identityMapping.field');
    expect(error.message).toBe(
      `identityMapping.field: expected one of alternateId, id for Okta, got "${field}"`,
    );
  });
});

describe('classifyOktaEvent', () => {
  it.each<[string, 'lost-access' | 're-enabled' | undefined]>([
    ...OKTA_LOST_ACCESS_EVENT_TYPES.map((type) => [type, 'lost-access'] as [string, 'lost-access']),
    ...OKTA_REENABLE_EVENT_TYPES.map((type) => [type, 're-enabled'] as [string, 're-enabled']),
    ['user.session.start', undefined],
    ['user.lifecycle.delete.completed', undefined],
    ['', undefined],
  ])('%s → %s', (eventType, expected) => {
    // Prepare — eventType above

    // Act
    const kind = classifyOktaEvent(eventType);

    // Assess
    expect(kind).toBe(expected);
  });

  it('keeps lost-access and re-enable types apart', () => {
    // Prepare
    const lost: readonly string[] = OKTA_LOST_ACCESS_EVENT_TYPES;

    // Act
    const overlap = OKTA_REENABLE_EVENT_TYPES.filter((type) => lost.includes(type));

    // Assess
    expect(overlap).toEqual([]);
  });
});

describe('okta.liftEventPattern', () => {
  it("matches the administrators' re-enable types with outcome SUCCESS, without unlock by default", () => {
    // Prepare
    const options: OktaOptions = {
      ...ALL,
      eventTypes: ['user.lifecycle.deactivate', 'user.lifecycle.suspend'],
    };

    // Act
    const pattern = okta.liftEventPattern(options);

    // Assess
    expect(pattern).toEqual({
      source: [OKTA_SOURCE],
      'detail-type': [OKTA_DETAIL_TYPE],
      detail: {
        eventType: ['user.lifecycle.activate', 'user.lifecycle.reactivate', 'user.lifecycle.unsuspend'],
        outcome: { result: ['SUCCESS'] },
      },
    });
  });

  it('adds user.account.unlock only when user.account.lock revokes', () => {
    // Prepare — ALL selects the lock

    // Act
    const withLock = oktaLiftEventTypes(ALL.eventTypes);
    const withoutLock = oktaLiftEventTypes(['user.lifecycle.deactivate']);

    // Assess
    expect(withLock).toEqual([...OKTA_REENABLE_EVENT_TYPES]);
    expect(withoutLock).not.toContain('user.account.unlock');
  });

  it('lists every configured partner source exactly, as the revoke pattern does', () => {
    // Prepare
    const options: OktaOptions = {
      ...ALL,
      eventSourceNames: [OKTA_SOURCE, 'aws.partner/okta.com/acme/other'],
    };

    // Act
    const pattern = okta.liftEventPattern(options);

    // Assess
    expect(pattern.source).toEqual(okta.eventPattern(options).source);
  });
});

describe('Okta lift examples', () => {
  it.each(LIFT_EXAMPLES)(
    '%s matches the lift pattern, not the revoke pattern, and lifts Jane',
    (name, eventType, published, displayMessage) => {
      // Prepare
      const event = load(name);

      // Act
      const matched = [acceptsLift(event), accepts(event)];
      const request = okta.toLiftRequest(event, ALL);

      // Assess
      expect(matched).toEqual([true, false]);
      expect(request).toEqual({
        action: 'lift',
        requestId: event.id,
        trigger: { source: OKTA_SOURCE, detailType: 'SystemLog', eventType, eventTime: published },
        identity: 'jane.doe@example.com',
        reason: `Okta ${eventType}: ${displayMessage}`,
        dryRun: false,
      });
    },
  );

  it.each(LIFT_EXAMPLES)('%s yields the Okta user id with identityMapping.field "id"', (name) => {
    // Prepare
    const event = load(name);

    // Act
    const request = okta.toLiftRequest(event, withField('id'));

    // Assess
    expect(request.identity).toBe(USER_ID);
  });

  it.each(LIFT_EXAMPLES)('%s: the admin (actor) is never the identity', (name) => {
    // Prepare
    const event = load(name);

    // Act
    const request = okta.toLiftRequest(event, ALL);

    // Assess
    expect((event.detail.actor as Json).alternateId).toBe(ADMIN);
    expect(request.identity).not.toBe(ADMIN);
  });

  it.each(OKTA_REENABLE_EVENT_TYPES)('%s is a lift when selected', (eventType) => {
    // Prepare
    const event = example('okta-user-unsuspend.lift.json', (e) => {
      e.detail.eventType = eventType;
    });

    // Act
    const matched = acceptsLift(event);
    const request = okta.toLiftRequest(event, ALL);

    // Assess
    expect(matched).toBe(true);
    expect(request).toMatchObject({ action: 'lift', identity: 'jane.doe@example.com' });
    expect(request.trigger.eventType).toBe(eventType);
  });

  it('reads an unlock from target (the unlocked user), never from actor', () => {
    // Prepare
    const event = example('okta-user-unsuspend.lift.json', (e) => {
      e.detail.eventType = 'user.account.unlock';
      e.detail.actor = { id: '00u1adm1nABCDEFG1d7', type: 'User', alternateId: ADMIN };
    });

    // Act
    const request = okta.toLiftRequest(event, ALL);

    // Assess
    expect(request.identity).toBe('jane.doe@example.com');
  });
});

describe('events the Okta lift pattern does not match', () => {
  const DEFAULTS: OktaOptions = {
    ...ALL,
    eventTypes: ['user.lifecycle.deactivate', 'user.lifecycle.suspend'],
  };

  it('an unlock when locks do not revoke (an unlock can be self-service)', () => {
    // Prepare
    const event = example('okta-user-unsuspend.lift.json', (e) => {
      e.detail.eventType = 'user.account.unlock';
    });

    // Act
    const matched = acceptsLift(event, DEFAULTS);
    const error = liftRejection(event, DEFAULTS);

    // Assess
    expect(matched).toBe(false);
    expect(error.field).toBe('detail.eventType');
  });

  it.each<[string, Event]>([
    ...EXAMPLES.map(([name]): [string, Event] => [`the revoke example ${name}`, example(name)]),
    [
      'an unsuspend with outcome FAILURE',
      example('okta-user-unsuspend.lift.json', (e) => {
        e.detail.outcome = { result: 'FAILURE', reason: 'INSUFFICIENT_PERMISSIONS' };
      }),
    ],
    [
      'an activate without an outcome',
      example('okta-user-activate.lift.json', (e) => {
        delete e.detail.outcome;
      }),
    ],
    [
      'an eventType in another case',
      example('okta-user-activate.lift.json', (e) => {
        e.detail.eventType = 'User.Lifecycle.Activate';
      }),
    ],
    [
      'user.lifecycle.create',
      example('okta-user-activate.lift.json', (e) => {
        e.detail.eventType = 'user.lifecycle.create';
      }),
    ],
    [
      'another org',
      example('okta-user-unsuspend.lift.json', (e) => {
        e.source = 'aws.partner/okta.com/other-org/vpn-kill-switch';
      }),
    ],
    [
      'a lookalike partner domain',
      example('okta-user-unsuspend.lift.json', (e) => {
        e.source = 'aws.partner/okta.com.evil/example-org/vpn-kill-switch';
      }),
    ],
    [
      'detail-type "Okta Log Event"',
      example('okta-user-activate.lift.json', (e) => {
        e['detail-type'] = 'Okta Log Event';
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

describe('okta.toLiftRequest rejects, naming the field', () => {
  it.each(EXAMPLES)('the revoke example %s', (name) => {
    // Prepare
    const event = load(name);

    // Act
    const error = liftRejection(event);

    // Assess
    expect(error.field).toBe('detail.eventType');
    expect(error.message).toContain('expected one of user.lifecycle.activate');
  });

  it('an activate without a User target', () => {
    // Prepare
    const event = example('okta-user-activate.lift.json', (e) => {
      e.detail.target = [{ id: '0oa1', type: 'AppInstance', alternateId: 'AWS Client VPN' }];
    });

    // Act
    const error = liftRejection(event);

    // Assess
    expect(error.field).toBe('detail.target');
  });

  it('an unsuspend whose target has no alternateId', () => {
    // Prepare
    const event = example('okta-user-unsuspend.lift.json', (e) => {
      e.detail.target = [{ id: USER_ID, type: 'User' }];
    });

    // Act
    const error = liftRejection(event);

    // Assess
    expect(error.field).toBe('detail.target.0.alternateId');
  });

  it('an unknown identityMapping.field', () => {
    // Prepare
    const event = load('okta-user-activate.lift.json');

    // Act
    const error = liftRejection(event, withField('email'));

    // Assess
    expect(error.field).toBe('identityMapping.field');
  });
});
