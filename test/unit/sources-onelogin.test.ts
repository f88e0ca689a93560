import { describe, expect, it } from 'vitest';
import type { EventBridgeEnvelope } from '../../lambda/core/envelope.ts';
import { matchesEventPattern } from '../../lambda/core/event-pattern.ts';
import {
  ONELOGIN_LOST_ACCESS_EVENT_TYPE_IDS,
  type OneLoginOptions,
  onelogin,
} from '../../sources/onelogin/events.ts';
import { liftRules, toRevocationRequest } from '../../sources/requests.ts';
import { invalidEventFrom, loadExample } from '../support/examples.ts';

type Json = Record<string, unknown>;
type Event = EventBridgeEnvelope & { detail: Json };

const ONELOGIN_SOURCE = 'aws.partner/onelogin.com/US-123456/vpn-revoker';

const load = (name: string) => loadExample<Event>(name);

/** A deep copy of the suspended example with `detail` changed by `change`. */
function suspended(change: (detail: Json, event: Event) => void = () => {}): Event {
  const event = structuredClone(load('onelogin-user-suspended.json'));
  change(event.detail, event);
  return event;
}

const OPTIONS: OneLoginOptions = { eventSourceNames: [ONELOGIN_SOURCE] };
const withField = (field: string): OneLoginOptions => ({ ...OPTIONS, identityMapping: { field } });

const accepts = (event: unknown, options: OneLoginOptions = OPTIONS) =>
  matchesEventPattern(onelogin.eventPattern(options), event);

const rejection = (event: Event, options: OneLoginOptions = OPTIONS) =>
  invalidEventFrom(() => onelogin.toRequest(event, options));

const IDS = [17, 531, 532, 551, 553];

describe('onelogin.eventPattern', () => {
  it('matches the exact sources and the lost-access ids as numbers or strings, not the detail-type', () => {
    // Prepare — one source

    // Act
    const pattern = onelogin.eventPattern(OPTIONS);

    // Assess
    expect(pattern).toEqual({
      source: [ONELOGIN_SOURCE],
      detail: { event_type_id: [17, 531, 532, 551, 553, '17', '531', '532', '551', '553'] },
    });
    expect(Object.keys(ONELOGIN_LOST_ACCESS_EVENT_TYPE_IDS).map(Number)).toEqual(IDS);
  });
});

describe('OneLogin example events', () => {
  it.each([
    ['onelogin-user-suspended.json', '551', '2025-03-04T18:02:43.511Z', 'user suspended via API'],
    ['onelogin-user-deleted.json', '17', '2025-03-05T09:41:06.204Z', 'user deleted'],
  ])('%s matches the pattern and names the user by user_name', (name, eventType, eventTime, meaning) => {
    // Prepare
    const event = load(name);

    // Act
    const matched = accepts(event);
    const request = onelogin.toRequest(event, OPTIONS);

    // Assess
    expect(matched).toBe(true);
    expect(request).toEqual({
      action: 'revoke',
      requestId: event.id,
      trigger: { source: ONELOGIN_SOURCE, detailType: 'OneLogin Event', eventType, eventTime },
      identity: 'Jane Doe',
      reason: `OneLogin event_type_id ${eventType}: ${meaning}`,
      dryRun: false,
    });
  });

  it.each(['onelogin-user-suspended.json', 'onelogin-user-deleted.json'])(
    '%s yields the OneLogin user id with identityMapping.field "user_id"',
    (name) => {
      // Prepare
      const event = load(name);

      // Act
      const request = onelogin.toRequest(event, withField('user_id'));

      // Assess
      expect(request.identity).toBe('98765432');
    },
  );

  it.each([...IDS, ...IDS.map(String)])('event_type_id %j matches and is accepted', (id) => {
    // Prepare
    const event = suspended((detail) => {
      detail.event_type_id = id;
    });

    // Act
    const matched = accepts(event);
    const request = onelogin.toRequest(event, OPTIONS);

    // Assess
    expect(matched).toBe(true);
    expect(request.trigger.eventType).toBe(String(id));
  });

  it('ignores the detail-type, which OneLogin does not document', () => {
    // Prepare
    const event = suspended((_, e) => {
      e['detail-type'] = 'Something Else';
    });

    // Act
    const matched = accepts(event);

    // Assess
    expect(matched).toBe(true);
  });

  it('never takes the admin (actor_user_name) as the identity', () => {
    // Prepare
    const event = load('onelogin-user-suspended.json');

    // Act
    const request = onelogin.toRequest(event, OPTIONS);

    // Assess
    expect(event.detail.actor_user_name).toBe('IT Admin');
    expect(request.identity).not.toBe('IT Admin');
  });
});

describe('events the OneLogin pattern does not match', () => {
  it.each([
    ['another event_type_id', 552],
    ['event_type_id 18', 18],
    ['a string with a leading zero', '017'],
    ['a longer string', '5510'],
    ['null', null],
  ])('%s', (_, id) => {
    // Prepare
    const event = suspended((detail) => {
      detail.event_type_id = id;
    });

    // Act
    const matched = accepts(event);

    // Assess
    expect(matched).toBe(false);
  });

  it('an event without event_type_id', () => {
    // Prepare
    const event = suspended((detail) => {
      delete detail.event_type_id;
    });

    // Act
    const matched = accepts(event);

    // Assess
    expect(matched).toBe(false);
  });

  it.each([
    ['a lookalike partner domain', 'aws.partner/onelogin.com.evil/US-123456/vpn-revoker'],
    ['another account', 'aws.partner/onelogin.com/US-654321/vpn-revoker'],
    ['another region', 'aws.partner/onelogin.com/EU-123456/vpn-revoker'],
    ['a longer name', `${ONELOGIN_SOURCE}-evil`],
    ['the sample placeholder id', 'aws.partner/onelogin.com/US-123456/a1b2c3d4e5'],
    ['a custom source', 'onelogin.com'],
  ])('%s', (_, source) => {
    // Prepare
    const event = suspended((__, e) => {
      e.source = source;
    });

    // Act
    const matched = accepts(event);

    // Assess
    expect(matched).toBe(false);
  });
});

describe('onelogin.toRequest', () => {
  it('accepts a user_id sent as a string', () => {
    // Prepare
    const event = suspended((detail) => {
      detail.user_id = '98765432';
    });

    // Act
    const request = onelogin.toRequest(event, withField('user_id'));

    // Assess
    expect(request.identity).toBe('98765432');
  });

  it('takes the envelope time when created_at is missing', () => {
    // Prepare
    const event = suspended((detail) => {
      delete detail.created_at;
    });

    // Act
    const request = onelogin.toRequest(event, OPTIONS);

    // Assess
    expect(request.trigger.eventTime).toBe(event.time);
  });

  it.each([
    ['event_type_id outside the list', { event_type_id: 552 }, OPTIONS, 'detail.event_type_id'],
    ['event_type_id a fraction', { event_type_id: 551.5 }, OPTIONS, 'detail.event_type_id'],
    ['created_at not ISO 8601', { created_at: '03/04/2025 18:02' }, OPTIONS, 'detail.created_at'],
    ['user_name missing', { user_name: undefined }, OPTIONS, 'detail.user_name'],
    ['user_name null', { user_name: null }, OPTIONS, 'detail.user_name'],
    ['user_name empty', { user_name: '' }, OPTIONS, 'detail.user_name'],
    ['user_id null', { user_id: null }, withField('user_id'), 'detail.user_id'],
    ['user_id negative', { user_id: -1 }, withField('user_id'), 'detail.user_id'],
    ['user_id not digits', { user_id: 'jane' }, withField('user_id'), 'detail.user_id'],
  ])('rejects %s, naming the field', (_, change, options, field) => {
    // Prepare
    const event = suspended((detail) => {
      for (const [key, value] of Object.entries(change)) {
        if (value === undefined) delete detail[key];
        else detail[key] = value;
      }
    });

    // Act
    const error = rejection(event, options);

    // Assess
    expect(error.field).toBe(field);
  });

  it.each(['email', 'login', 'actor_user_name'])('rejects identityMapping.field "%s"', (field) => {
    // Prepare
    const event = load('onelogin-user-suspended.json');

    // Act
    const error = rejection(event, withField(field));

    // Assess
    expect(error.field).toBe('identityMapping.field');
    expect(error.message).toBe(
      `identityMapping.field: expected one of user_name, user_id for OneLogin, got "${field}"`,
    );
  });
});

describe('OneLogin lifts', () => {
  it('has none: its re-enable event_type_ids are unknown', () => {
    // Prepare — the source as exported

    // Act
    const { liftEventPattern, toLiftRequest } = onelogin;

    // Assess
    expect(liftEventPattern).toBeUndefined();
    expect(toLiftRequest).toBeUndefined();
  });

  it('gets no lift rule, and its events are not lifts, even with lifts on', () => {
    // Prepare
    const config = { onelogin: OPTIONS, lift: true };
    const event = load('onelogin-user-suspended.json');

    // Act
    const rules = liftRules(config);
    const request = toRevocationRequest(JSON.stringify(event), config);

    // Assess
    expect(rules).toEqual([]);
    expect(request.action).toBe('revoke');
  });

  it('rejects an event with an unknown event_type_id even with lifts on', () => {
    // Prepare
    const event = suspended((detail) => {
      detail.event_type_id = 552;
    });

    // Act
    const error = invalidEventFrom(() =>
      toRevocationRequest(JSON.stringify(event), { onelogin: OPTIONS, lift: true }),
    );

    // Assess
    expect(error.field).toBe('event');
    expect(error.message).toMatch(/no enabled identity source accepts/);
  });
});
