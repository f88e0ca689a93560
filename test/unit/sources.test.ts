import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../lambda/core/errors.ts';
import { matchesEventPattern } from '../../lambda/core/event-pattern.ts';
import { auth0 } from '../../sources/auth0/events.ts';
import { cognito } from '../../sources/cognito/events.ts';
import { identityCenter } from '../../sources/identity-center/events.ts';
import { OKTA_DETAIL_TYPE, type OktaOptions, okta } from '../../sources/okta/events.ts';
import { liftRules, type SourcesConfig, toRevocationRequest } from '../../sources/requests.ts';
import {
  DEFAULT_RUNBOOK_SOURCE,
  RUNBOOK_DETAIL_TYPE,
  RUNBOOK_LIFT_DETAIL_TYPE,
  type RunbookOptions,
  runbook,
} from '../../sources/runbook/events.ts';
import {
  deliveredExample,
  EXAMPLE_FILES,
  EXAMPLE_SOURCES,
  exampleKind,
  LIFT_EXAMPLES,
  NEGATIVE_EXAMPLES,
  REVOKE_EXAMPLES,
} from '../support/examples.ts';

type Json = Record<string, unknown>;
type Event = Json & { detail: Json };

const OKTA_SOURCE = 'aws.partner/okta.com/example-org/vpn-kill-switch';
const OKTA_SAMPLE = JSON.parse(
  readFileSync(new URL('../../examples/events/okta-user-deactivate.json', import.meta.url), 'utf8'),
) as Event;

const oktaOptions: OktaOptions = {
  eventSourceNames: [OKTA_SOURCE],
  eventTypes: ['user.lifecycle.deactivate', 'user.lifecycle.suspend'],
};
const runbookOptions: RunbookOptions = { source: DEFAULT_RUNBOOK_SOURCE, liftsAllowed: true };
const CONFIG: SourcesConfig = { okta: oktaOptions, runbook: runbookOptions };

/** The sample Okta deactivate event with changes applied to a deep copy of its `detail`. */
function oktaEvent(changeDetail: (detail: Json) => void = () => {}, envelope: Json = {}): Event {
  const event = { ...structuredClone(OKTA_SAMPLE), ...envelope };
  changeDetail(event.detail);
  return event;
}

const withAlternateId = (alternateId: unknown) =>
  oktaEvent((detail) => {
    detail.target = [{ id: '00u3m90rxKjGQ0G6L1d6', type: 'User', alternateId, displayName: 'Jane Doe' }];
  });

function runbookEvent(detail: Json, envelope: Json = {}): Event {
  return {
    version: '0',
    id: '6a7e8f9a-0b1c-4d2e-8f30-415263748596',
    'detail-type': RUNBOOK_DETAIL_TYPE,
    source: DEFAULT_RUNBOOK_SOURCE,
    account: '111122223333',
    time: '2026-11-22T10:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail,
    ...envelope,
  };
}

const parse = (event: unknown, config: SourcesConfig = CONFIG) =>
  toRevocationRequest(typeof event === 'string' ? event : JSON.stringify(event), config);

/** Runs the parser expecting it to reject the event; returns the error for assertions. */
function rejection(event: unknown, config: SourcesConfig = CONFIG): InvalidEventError {
  try {
    parse(event, config);
  } catch (error) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  }
  throw new Error('expected the event to be rejected');
}

describe('toRevocationRequest — Okta', () => {
  it('turns the sample deactivate event into a request for the target user', () => {
    // Prepare
    const event = oktaEvent();

    // Act
    const request = parse(event);

    // Assess
    expect(request).toEqual({
      action: 'revoke',
      requestId: '0f4a6b8e-2c1d-4f7e-9a3b-5d6c7e8f9a01',
      trigger: {
        source: OKTA_SOURCE,
        detailType: 'SystemLog',
        eventType: 'user.lifecycle.deactivate',
        eventTime: '2025-03-04T15:22:09.512Z',
      },
      identity: 'jane.doe@example.com',
      reason: 'Okta user.lifecycle.deactivate: Deactivate Okta User',
      dryRun: false,
    });
  });

  it('accepts a suspend event', () => {
    // Prepare
    const event = oktaEvent((detail) => {
      detail.eventType = 'user.lifecycle.suspend';
      detail.displayMessage = 'Suspend Okta user';
    });

    // Act
    const request = parse(event);

    // Assess
    expect(request.identity).toBe('jane.doe@example.com');
    expect(request.trigger.eventType).toBe('user.lifecycle.suspend');
    expect(request.reason).toBe('Okta user.lifecycle.suspend: Suspend Okta user');
  });

  it('keeps the reason short when Okta sends no displayMessage', () => {
    // Prepare
    const event = oktaEvent((detail) => {
      detail.displayMessage = null;
    });

    // Act
    const request = parse(event);

    // Assess
    expect(request.reason).toBe('Okta user.lifecycle.deactivate');
  });

  it('takes the User entry of target even when it is not the first', () => {
    // Prepare
    const event = oktaEvent((detail) => {
      detail.target = [
        { id: '0oa1', type: 'AppInstance', alternateId: 'AWS Client VPN' },
        { id: '00u3', type: 'User', alternateId: 'john.roe@example.com' },
      ];
    });

    // Act
    const request = parse(event);

    // Assess
    expect(request.identity).toBe('john.roe@example.com');
  });

  it('never takes the admin (actor) as the identity', () => {
    // Prepare
    const event = oktaEvent((detail) => {
      detail.target = [{ id: '0oa1', type: 'AppInstance', alternateId: 'AWS Client VPN' }];
    });

    // Act
    const error = rejection(event);

    // Assess
    expect(error.field).toBe('detail.target');
    expect(error.message).toBe('detail.target: expected an entry with type "User"');
    expect(error.message).not.toContain('it.admin@example.com');
  });

  describe('events no enabled source accepts', () => {
    it.each([
      [
        'an eventType that is not configured',
        oktaEvent((detail) => {
          detail.eventType = 'user.lifecycle.delete.initiated';
        }),
      ],
      [
        'a re-enable eventType',
        oktaEvent((detail) => {
          detail.eventType = 'user.lifecycle.activate';
        }),
      ],
      [
        'outcome FAILURE',
        oktaEvent((detail) => {
          detail.outcome = { result: 'FAILURE', reason: 'INSUFFICIENT_PERMISSIONS' };
        }),
      ],
      [
        'no outcome',
        oktaEvent((detail) => {
          delete detail.outcome;
        }),
      ],
      ['detail-type "Okta Log Event"', oktaEvent(undefined, { 'detail-type': 'Okta Log Event' })],
      ['a source outside the configured list', oktaEvent(undefined, { source: 'aws.partner/okta.com/x/y' })],
      ['a custom (non-partner) source', oktaEvent(undefined, { source: 'okta.com' })],
    ])('rejects %s', (_, event) => {
      // Prepare — event above

      // Act
      const error = rejection(event);

      // Assess
      expect(error.field).toBe('event');
      expect(error.message).toMatch(/no enabled identity source accepts/);
    });

    it('names the source and detail-type it refused', () => {
      // Prepare
      const event = oktaEvent(undefined, { 'detail-type': 'Okta Log Event' });

      // Act
      const error = rejection(event);

      // Assess
      expect(error.message).toBe(
        `event: no enabled identity source accepts source "${OKTA_SOURCE}" with detail-type "Okta Log Event"`,
      );
    });

    it('rejects suspend when only deactivate is configured', () => {
      // Prepare
      const config: SourcesConfig = {
        okta: { eventSourceNames: [OKTA_SOURCE], eventTypes: ['user.lifecycle.deactivate'] },
        runbook: runbookOptions,
      };
      const event = oktaEvent((detail) => {
        detail.eventType = 'user.lifecycle.suspend';
      });

      // Act
      const error = rejection(event, config);

      // Assess
      expect(error.message).toMatch(/no enabled identity source accepts/);
    });

    it('rejects every Okta event when Okta is disabled', () => {
      // Prepare
      const config: SourcesConfig = { runbook: runbookOptions };

      // Act
      const error = rejection(oktaEvent(), config);

      // Assess
      expect(error.message).toMatch(/no enabled identity source accepts/);
    });

    it('rejects every event when no source is enabled', () => {
      // Prepare
      const config: SourcesConfig = {};

      // Act
      const error = rejection(oktaEvent(), config);

      // Assess
      expect(error.message).toMatch(/no enabled identity source accepts/);
    });
  });

  describe('events that match the rule but name no usable user', () => {
    it.each([
      [
        'target missing',
        (detail: Json) => {
          delete detail.target;
        },
      ],
      [
        'target null',
        (detail: Json) => {
          detail.target = null;
        },
      ],
      [
        'target empty',
        (detail: Json) => {
          detail.target = [];
        },
      ],
      [
        'target not an array',
        (detail: Json) => {
          detail.target = { type: 'User', alternateId: 'jane.doe@example.com' };
        },
      ],
      [
        'no User entry in target',
        (detail: Json) => {
          detail.target = [{ type: 'AppUser', alternateId: 'jane.doe@example.com' }];
        },
      ],
    ])('rejects %s, naming detail.target', (_, change) => {
      // Prepare
      const event = oktaEvent(change);

      // Act
      const error = rejection(event);

      // Assess
      expect(error.field).toBe('detail.target');
      expect(error.message).toMatch(/^detail\.target: /);
    });

    it.each([
      ['missing', undefined, 'expected nonoptional'],
      ['null', null, 'expected a string'],
      ['empty', '', 'expected a non-empty identity'],
      ['a number', 42, 'expected a string'],
      ['an object', { login: 'jane.doe@example.com' }, 'expected a string'],
      ['whitespace-padded', ' jane.doe@example.com ', 'expected no leading or trailing whitespace'],
      ['with a trailing newline', 'jane.doe@example.com\n', 'expected no leading or trailing whitespace'],
      ['with a control character', 'jane\u0000doe@example.com', 'expected no control characters'],
      ['with an escape character', 'jane\u001b[31mdoe@example.com', 'expected no control characters'],
      ['with DEL', 'jane.doe@example.com\u007f', 'expected no control characters'],
      ['longer than 256 characters', `${'a'.repeat(245)}@example.com`, 'expected at most 256 characters'],
    ])('rejects an alternateId that is %s, naming the field', (_, alternateId, message) => {
      // Prepare
      const event = withAlternateId(alternateId);

      // Act
      const error = rejection(event);

      // Assess
      expect(error.field).toBe('detail.target.0.alternateId');
      expect(error.message).toMatch(/^detail\.target\.0\.alternateId: /);
      expect(error.message).toContain(message);
    });

    it('names the index of the User entry in the field', () => {
      // Prepare
      const event = oktaEvent((detail) => {
        detail.target = [
          { type: 'AppInstance', alternateId: 'AWS Client VPN' },
          { type: 'User', alternateId: '' },
        ];
      });

      // Act
      const error = rejection(event);

      // Assess
      expect(error.field).toBe('detail.target.1.alternateId');
    });

    it('accepts an alternateId of exactly 256 characters', () => {
      // Prepare
      const alternateId = `${'a'.repeat(244)}@example.com`;
      const event = withAlternateId(alternateId);

      // Act
      const request = parse(event);

      // Assess
      expect(alternateId).toHaveLength(256);
      expect(request.identity).toBe(alternateId);
    });

    it('keeps the identity as Okta sent it (case is compared later)', () => {
      // Prepare
      const event = withAlternateId('Jane.Doe@Example.com');

      // Act
      const request = parse(event);

      // Assess
      expect(request.identity).toBe('Jane.Doe@Example.com');
    });

    it.each([
      ['uuid', 'detail.uuid'],
      ['published', 'detail.published'],
    ])('rejects an event without detail.%s', (key, field) => {
      // Prepare
      const event = oktaEvent((detail) => {
        delete detail[key];
      });

      // Act
      const error = rejection(event);

      // Assess
      expect(error.field).toBe(field);
    });

    it('rejects a published time that is not ISO 8601', () => {
      // Prepare
      const event = oktaEvent((detail) => {
        detail.published = 'Tue, 04 Mar 2025 15:22:09 GMT';
      });

      // Act
      const error = rejection(event);

      // Assess
      expect(error.field).toBe('detail.published');
    });
  });
});

describe("toRevocationRequest — the person's other names", () => {
  it('carries runbook aliases beside the username, distinct, and names a bad alias', () => {
    // Prepare
    const event = runbookEvent({
      username: 'jdoe',
      aliases: ['jane.doe@example.com', 'jdoe', 'CORP\\jdoe', 'jane.doe@example.com'],
      reason: 'IR-42',
    });
    const bad = runbookEvent({ username: 'jdoe', aliases: ['ok', ' padded'], reason: 'IR-42' });

    // Act
    const request = parse(event);
    const error = rejection(bad);

    // Assess
    expect(request).toMatchObject({ identity: 'jdoe', aliases: ['jane.doe@example.com', 'CORP\\jdoe'] });
    expect(error.field).toBe('detail.aliases.1');
    expect(error.message).toBe('detail.aliases.1: expected no leading or trailing whitespace');
  });

  it('carries the Okta login as an alias when the Okta user id is the identity, mapped alike', () => {
    // Prepare
    const config: SourcesConfig = {
      okta: { ...oktaOptions, identityMapping: { field: 'id', template: 'vpn-{identity}' } },
    };

    // Act
    const request = parse(withAlternateId('jane.doe@example.com'), config);
    const byLogin = parse(withAlternateId('jane.doe@example.com'));

    // Assess
    expect(request).toMatchObject({
      identity: 'vpn-00u3m90rxKjGQ0G6L1d6',
      aliases: ['vpn-jane.doe@example.com'],
    });
    expect(byLogin).not.toHaveProperty('aliases');
  });

  it("leaves out an alias the mapping cannot apply to: only the identity's mapping must succeed", () => {
    // Prepare
    const config: SourcesConfig = {
      runbook: { ...runbookOptions, identityMapping: { template: '{local}' } },
    };
    const event = runbookEvent({
      username: 'jane.doe@example.com',
      aliases: ['jdoe', 'jd@corp.example.com'],
      reason: 'x',
    });

    // Act
    const request = parse(event, config);

    // Assess
    expect(request).toMatchObject({ identity: 'jane.doe', aliases: ['jd'] });
  });

  it("carries the Auth0 Management API response's username beside its e-mail", () => {
    // Prepare
    const event = structuredClone(deliveredExample('auth0-sapi-user-blocked.json'));
    const data = event.detail.data as { details: { response: { body: Json } } };
    data.details.response.body.username = 'jdoe';

    // Act
    const request = toRevocationRequest(JSON.stringify(event), EXAMPLE_SOURCES);

    // Assess
    expect(request).toMatchObject({ identity: 'jane.doe@example.com', aliases: ['jdoe'] });
  });
});

describe('toRevocationRequest — runbook', () => {
  it('turns a valid request into a revocation request carrying dryRun', () => {
    // Prepare
    const event = runbookEvent({ username: 'jane.doe@example.com', reason: 'Laptop stolen', dryRun: true });

    // Act
    const request = parse(event);

    // Assess
    expect(request).toEqual({
      action: 'revoke',
      requestId: '6a7e8f9a-0b1c-4d2e-8f30-415263748596',
      trigger: {
        source: DEFAULT_RUNBOOK_SOURCE,
        detailType: RUNBOOK_DETAIL_TYPE,
        eventType: RUNBOOK_DETAIL_TYPE,
        eventTime: '2026-11-22T10:00:00Z',
      },
      identity: 'jane.doe@example.com',
      reason: 'Laptop stolen',
      dryRun: true,
    });
  });

  it('defaults dryRun to false and trims the reason', () => {
    // Prepare
    const event = runbookEvent({ username: 'jane.doe@example.com', reason: '  Laptop stolen  ' });

    // Act
    const request = parse(event);

    // Assess
    expect(request.dryRun).toBe(false);
    expect(request.reason).toBe('Laptop stolen');
  });

  it('accepts the source the deployer configured', () => {
    // Prepare
    const config: SourcesConfig = { runbook: { source: 'soar.acme' } };
    const event = runbookEvent(
      { username: 'jane.doe@example.com', reason: 'IR-42' },
      { source: 'soar.acme' },
    );

    // Act
    const request = parse(event, config);

    // Assess
    expect(request.trigger.source).toBe('soar.acme');
  });

  it.each([
    ['username missing', { reason: 'IR-42' }, 'detail.username', 'expected a string'],
    ['reason missing', { username: 'jane.doe@example.com' }, 'detail.reason', 'expected a string'],
    ['username a number', { username: 7, reason: 'IR-42' }, 'detail.username', 'expected a string'],
    ['username empty', { username: '', reason: 'IR-42' }, 'detail.username', 'expected a non-empty identity'],
    [
      'username padded',
      { username: 'jane.doe@example.com ', reason: 'IR-42' },
      'detail.username',
      'expected no leading or trailing whitespace',
    ],
    [
      'reason blank',
      { username: 'jane.doe@example.com', reason: '   ' },
      'detail.reason',
      'expected a non-empty reason',
    ],
    [
      'reason a number',
      { username: 'jane.doe@example.com', reason: 42 },
      'detail.reason',
      'expected a string',
    ],
    [
      'dryRun a string',
      { username: 'jane.doe@example.com', reason: 'IR-42', dryRun: 'true' },
      'detail.dryRun',
      'expected true or false',
    ],
  ])('rejects %s, naming the field', (_, detail, field, message) => {
    // Prepare
    const event = runbookEvent(detail);

    // Act
    const error = rejection(event);

    // Assess
    expect(error.field).toBe(field);
    expect(error.message).toBe(`${field}: ${message}`);
  });

  it('rejects a reason longer than 1024 characters', () => {
    // Prepare
    const event = runbookEvent({ username: 'jane.doe@example.com', reason: 'x'.repeat(1025) });

    // Act
    const error = rejection(event);

    // Assess
    expect(error.field).toBe('detail.reason');
  });

  it('rejects a misspelt key instead of ignoring it (dryrun must not become a real revocation)', () => {
    // Prepare
    const event = runbookEvent({ username: 'jane.doe@example.com', reason: 'IR-42', dryrun: true });

    // Act
    const error = rejection(event);

    // Assess
    expect(error.field).toBe('detail');
    expect(error.message).toMatch(/^detail: /);
    expect(error.message).toContain('dryrun');
  });

  it.each([
    ['an unconfigured source', { source: 'attacker.app' }],
    ['the default source when another is configured', {}],
    ['the right source with another detail-type', { 'detail-type': 'Client VPN Revocation' }],
  ])('rejects a request from %s', (_, envelope) => {
    // Prepare
    const config: SourcesConfig = { runbook: { source: 'soar.acme' } };
    const event = runbookEvent({ username: 'jane.doe@example.com', reason: 'IR-42' }, envelope);

    // Act
    const error = rejection(event, config);

    // Assess
    expect(error.message).toMatch(/no enabled identity source accepts/);
  });

  it('refuses a runbook lift unless lifts are authorized, naming detail-type', () => {
    // Prepare: a lift put by someone allowed to request revocations, on a stack that names no lifters
    const config: SourcesConfig = { runbook: { source: DEFAULT_RUNBOOK_SOURCE }, lift: true };
    const event = runbookEvent(
      { username: 'jane.doe@example.com', reason: 'IR-42 closed' },
      {
        'detail-type': RUNBOOK_LIFT_DETAIL_TYPE,
      },
    );

    // Act
    const error = rejection(event, config);

    // Assess
    expect(error.field).toBe('detail-type');
    expect(error.message).toMatch(/runbook lifts are not authorized: name the principals who may lift/);
  });

  it('rejects a runbook request when the runbook source is disabled', () => {
    // Prepare
    const config: SourcesConfig = { okta: oktaOptions };
    const event = runbookEvent({ username: 'jane.doe@example.com', reason: 'IR-42' });

    // Act
    const error = rejection(event, config);

    // Assess
    expect(error.message).toMatch(/no enabled identity source accepts/);
  });
});

describe('toRevocationRequest — envelope', () => {
  it('rejects a body that is not JSON, naming body', () => {
    // Prepare
    const body = '{"source": "aws.partner/okta.com/';

    // Act
    const error = rejection(body);

    // Assess
    expect(error.field).toBe('body');
    expect(error.message).toMatch(/^body: /);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it.each(['id', 'detail', 'source', 'detail-type', 'time'])(
    'rejects an event without %s, naming event.<field>',
    (key) => {
      // Prepare
      const event: Json = oktaEvent();
      delete event[key];

      // Act
      const error = rejection(event);

      // Assess
      expect(error.field).toBe(`event.${key}`);
      expect(error.message).toMatch(new RegExp(`^event\\.${key}: `));
    },
  );

  it.each([
    ['id empty', { id: '' }, 'event.id'],
    ['detail null', { detail: null }, 'event.detail'],
    ['detail a string', { detail: 'user.lifecycle.deactivate' }, 'event.detail'],
    ['detail an array', { detail: [] }, 'event.detail'],
  ])('rejects an event with %s', (_, envelope, field) => {
    // Prepare
    const event = oktaEvent(undefined, envelope);

    // Act
    const error = rejection(event);

    // Assess
    expect(error.field).toBe(field);
  });

  it.each([
    ['null', 'null'],
    ['an array', '[]'],
    ['a string', '"event"'],
  ])('rejects a body that is JSON %s, naming event', (_, body) => {
    // Prepare — body above

    // Act
    const error = rejection(body);

    // Assess
    expect(error.field).toBe('event');
  });
});

describe('event patterns agree with the normalisers', () => {
  const oktaPattern = okta.eventPattern(oktaOptions);
  const runbookPattern = runbook.eventPattern(runbookOptions);

  it('the Okta pattern is what the rule needs', () => {
    // Prepare — pattern above

    // Act
    const pattern = oktaPattern;

    // Assess
    expect(pattern).toEqual({
      source: [OKTA_SOURCE],
      'detail-type': [OKTA_DETAIL_TYPE],
      detail: {
        eventType: ['user.lifecycle.deactivate', 'user.lifecycle.suspend'],
        outcome: { result: ['SUCCESS'] },
      },
    });
  });

  it.each([
    ['deactivate', oktaEvent()],
    [
      'suspend',
      oktaEvent((detail) => {
        detail.eventType = 'user.lifecycle.suspend';
      }),
    ],
  ])('the Okta pattern matches a valid %s event, which the normaliser accepts', (_, event) => {
    // Prepare — event above

    // Act
    const matched = matchesEventPattern(oktaPattern, event);
    const request = parse(event);

    // Assess
    expect(matched).toBe(true);
    expect(request.identity).toBe('jane.doe@example.com');
  });

  it.each([
    [
      'an unconfigured eventType',
      oktaEvent((detail) => {
        detail.eventType = 'user.session.clear';
      }),
    ],
    [
      'outcome FAILURE',
      oktaEvent((detail) => {
        detail.outcome = { result: 'FAILURE', reason: null };
      }),
    ],
    ['detail-type "Okta Log Event"', oktaEvent(undefined, { 'detail-type': 'Okta Log Event' })],
    ['another source', oktaEvent(undefined, { source: 'aws.partner/okta.com/other-org/stream' })],
    ['a runbook request', runbookEvent({ username: 'jane.doe@example.com', reason: 'IR-42' })],
  ])('the Okta pattern does not match %s', (_, event) => {
    // Prepare — event above

    // Act
    const matched = matchesEventPattern(oktaPattern, event);

    // Assess
    expect(matched).toBe(false);
  });

  it('the runbook pattern matches a valid request, which the normaliser accepts', () => {
    // Prepare
    const event = runbookEvent({ username: 'jane.doe@example.com', reason: 'IR-42', dryRun: false });

    // Act
    const matched = matchesEventPattern(runbookPattern, event);
    const request = parse(event);

    // Assess
    expect(runbookPattern).toEqual({
      source: [DEFAULT_RUNBOOK_SOURCE],
      'detail-type': [RUNBOOK_DETAIL_TYPE],
    });
    expect(matched).toBe(true);
    expect(request.identity).toBe('jane.doe@example.com');
  });

  it.each([
    ['another source', runbookEvent({ username: 'u', reason: 'r' }, { source: 'attacker.app' })],
    ['another detail-type', runbookEvent({ username: 'u', reason: 'r' }, { 'detail-type': 'SystemLog' })],
    ['an Okta event', oktaEvent()],
  ])('the runbook pattern does not match %s', (_, event) => {
    // Prepare — event above

    // Act
    const matched = matchesEventPattern(runbookPattern, event);

    // Assess
    expect(matched).toBe(false);
  });
});

describe('examples/events/runbook-request.json', () => {
  it('is a PutEvents entry list whose detail the runbook source accepts', () => {
    // Prepare
    const entries = JSON.parse(
      readFileSync(new URL('../../examples/events/runbook-request.json', import.meta.url), 'utf8'),
    ) as { Source: string; DetailType: string; Detail: string }[];
    const [entry] = entries;

    // Act
    const request = toRevocationRequest(
      JSON.stringify({
        version: '0',
        id: 'example',
        'detail-type': entry?.DetailType,
        source: entry?.Source,
        account: '111122223333',
        time: '2026-11-22T10:00:00Z',
        region: 'us-east-1',
        resources: [],
        detail: JSON.parse(entry?.Detail ?? '{}'),
      }),
      { runbook: { source: DEFAULT_RUNBOOK_SOURCE } },
    );

    // Assess
    expect(entries).toHaveLength(1);
    expect(request).toMatchObject({ identity: 'jane.doe@example.com', dryRun: false });
  });
});

const WITH_LIFTS: SourcesConfig = { ...EXAMPLE_SOURCES, lift: true };
const JANE = 'jane.doe@example.com';
const JANE_IN_THE_STORE = {
  kind: 'identity-store-user',
  identityStoreId: 'd-9067a1b2c3',
  userId: '94a8e4d8-e0b1-7052-3b5e-7c1f2a9d6e01',
};
const AUTH0_SOURCE = 'aws.partner/auth0.com/example-tenant-0f1e2d3c/auth0.logs';
const CLOUDTRAIL = 'AWS API Call via CloudTrail';

/** Each lift example: the source of its lift rule, its trigger, the identity and the reason it lifts. */
const LIFTS: Readonly<
  Record<
    string,
    readonly [rule: string, trigger: Json, identity: string | typeof JANE_IN_THE_STORE, reason: string]
  >
> = {
  'auth0-sapi-user-unblocked.lift.json': [
    'auth0',
    {
      source: AUTH0_SOURCE,
      detailType: 'Auth0 log',
      eventType: 'sapi:PATCH unblocked',
      eventTime: '2025-03-05T10:15:02.442Z',
    },
    JANE,
    'Auth0 sapi:PATCH unblocked: Update a user',
  ],
  'cognito-adminenableuser.lift.json': [
    'cognito',
    {
      source: 'aws.cognito-idp',
      detailType: CLOUDTRAIL,
      eventType: 'cognito-idp:AdminEnableUser',
      eventTime: '2025-03-05T08:45:12Z',
    },
    JANE,
    'Amazon Cognito AdminEnableUser in user pool us-east-1_ExAmPlE12',
  ],
  'idc-console-enableuser.lift.json': [
    'identity-center',
    {
      source: 'aws.sso-directory',
      detailType: CLOUDTRAIL,
      eventType: 'sso-directory:EnableUser',
      eventTime: '2025-03-05T08:30:02Z',
    },
    JANE_IN_THE_STORE,
    'IAM Identity Center: user enabled (sso-directory EnableUser)',
  ],
  'idc-scim-patchuser-activate.lift.json': [
    'identity-center',
    {
      source: 'aws.identitystore-scim',
      detailType: CLOUDTRAIL,
      eventType: 'identitystore-scim:PatchUser',
      eventTime: '2025-03-07T09:15:30Z',
    },
    JANE_IN_THE_STORE,
    'IAM Identity Center: user re-activated by SCIM provisioning (identitystore-scim PatchUser)',
  ],
  'okta-user-activate.lift.json': [
    'okta',
    {
      source: OKTA_SOURCE,
      detailType: OKTA_DETAIL_TYPE,
      eventType: 'user.lifecycle.activate',
      eventTime: '2025-03-10T13:02:19.650Z',
    },
    JANE,
    'Okta user.lifecycle.activate: Activate Okta user',
  ],
  'okta-user-unsuspend.lift.json': [
    'okta',
    {
      source: OKTA_SOURCE,
      detailType: OKTA_DETAIL_TYPE,
      eventType: 'user.lifecycle.unsuspend',
      eventTime: '2025-03-09T10:20:44.208Z',
    },
    JANE,
    'Okta user.lifecycle.unsuspend: Unsuspend Okta user',
  ],
  'runbook-lift-request.json': [
    'runbook',
    {
      source: DEFAULT_RUNBOOK_SOURCE,
      detailType: RUNBOOK_LIFT_DETAIL_TYPE,
      eventType: RUNBOOK_LIFT_DETAIL_TYPE,
      eventTime: '2026-11-22T10:00:00Z',
    },
    JANE,
    'IR-2041: laptop recovered and reimaged',
  ],
};

const parseExample = (name: string, config: SourcesConfig) =>
  toRevocationRequest(JSON.stringify(deliveredExample(name)), config);

describe('examples/events: revoke, lift and negative examples', () => {
  it('every example has a kind its name says, and the lift examples are exactly those listed here', () => {
    // Prepare — the files in examples/events/

    // Act
    const kinds = [REVOKE_EXAMPLES, LIFT_EXAMPLES, NEGATIVE_EXAMPLES].map((names) => names.length);

    // Assess
    expect(kinds.reduce((a, b) => a + b)).toBe(EXAMPLE_FILES.length);
    expect(LIFT_EXAMPLES).toEqual(Object.keys(LIFTS).sort());
    expect(NEGATIVE_EXAMPLES.length).toBeGreaterThan(0);
    expect(exampleKind('okta-user-activate.lift.json')).toBe('lift');
    expect(exampleKind('runbook-lift-request.json')).toBe('lift');
    expect(exampleKind('auth0-sapi-roles-patch.negative.json')).toBe('negative');
    expect(exampleKind('okta-user-deactivate.json')).toBe('revoke');
  });

  it('every lift rule has an example, and each lift example matches one lift rule and no revoke rule', () => {
    // Prepare
    const rules = liftRules(WITH_LIFTS);
    const revokeRules = [okta.eventPattern(EXAMPLE_SOURCES.okta), runbook.eventPattern(runbookOptions)];

    // Act
    const matchedBy = LIFT_EXAMPLES.map((name) => {
      const event = deliveredExample(name);
      return rules.filter(({ pattern }) => matchesEventPattern(pattern, event)).map(({ source }) => source);
    });
    const revoked = LIFT_EXAMPLES.filter((name) =>
      revokeRules.some((pattern) => matchesEventPattern(pattern, deliveredExample(name))),
    );

    // Assess
    expect(matchedBy).toEqual(LIFT_EXAMPLES.map((name) => [LIFTS[name]?.[0]]));
    expect(new Set(matchedBy.flat())).toEqual(new Set(rules.map(({ source }) => source)));
    expect(revoked).toEqual([]);
  });
});

describe('toRevocationRequest — lifts', () => {
  it.each(Object.entries(LIFTS))('%s becomes a lift request when lifts are on', (name, expected) => {
    // Prepare
    const [, trigger, identity, reason] = expected;
    const event = deliveredExample(name);

    // Act
    const request = parseExample(name, WITH_LIFTS);

    // Assess
    expect(request).toEqual({
      action: 'lift',
      requestId: event.id,
      trigger,
      identity,
      reason,
      dryRun: false,
      ...(typeof identity === 'string' ? {} : { identityMapping: undefined }),
    });
  });

  it.each(LIFT_EXAMPLES)('%s is rejected when lifts are off, saying why', (name) => {
    // Prepare
    const event = deliveredExample(name);

    // Act
    const errors = [EXAMPLE_SOURCES, { ...EXAMPLE_SOURCES, lift: false }].map((config) =>
      rejection(event, config),
    );

    // Assess
    for (const error of errors) {
      expect(error.field).toBe('event');
      expect(error.message).toBe(
        `event: no enabled identity source accepts source "${event.source}" with detail-type ` +
          `"${event['detail-type']}" (a re-enable event: lifts are accepted only with a revocation ledger)`,
      );
    }
  });

  it.each(REVOKE_EXAMPLES)('%s stays a revocation request whether lifts are on or off', (name) => {
    // Prepare — Auth0's API delete names the user only by id
    const auth0ById = {
      ...EXAMPLE_SOURCES.auth0,
      identityMapping: { field: 'user_id' },
    } as SourcesConfig['auth0'];
    const configs: SourcesConfig[] = [
      { ...EXAMPLE_SOURCES, auth0: auth0ById },
      { ...WITH_LIFTS, auth0: auth0ById },
    ];

    // Act
    const actions = configs.map((config) => parseExample(name, config).action);

    // Assess
    expect(actions).toEqual(['revoke', 'revoke']);
  });

  it.each(NEGATIVE_EXAMPLES)('%s is rejected whether lifts are on or off', (name) => {
    // Prepare
    const event = deliveredExample(name);

    // Act
    const errors = [EXAMPLE_SOURCES, WITH_LIFTS].map((config) => rejection(event, config));

    // Assess
    expect(errors.map((error) => error instanceof InvalidEventError)).toEqual([true, true]);
  });

  it("maps a lifted identity with the source's identityMapping, as a revocation", () => {
    // Prepare
    const config: SourcesConfig = {
      okta: { ...oktaOptions, identityMapping: { template: '{local}.vpn.example.com' } },
      lift: true,
    };

    // Act
    const request = parseExample('okta-user-unsuspend.lift.json', config);

    // Assess
    expect(request).toMatchObject({ action: 'lift', identity: 'jane.doe.vpn.example.com' });
  });

  it('carries the identityMapping of a looked-up lift, as a revocation', () => {
    // Prepare
    const identityMapping = { template: '{local}' };
    const config: SourcesConfig = {
      identityCenter: { ...EXAMPLE_SOURCES.identityCenter, identityMapping },
      lift: true,
    };

    // Act
    const request = parseExample('idc-console-enableuser.lift.json', config);

    // Assess
    expect(request).toMatchObject({ action: 'lift', identity: JANE_IN_THE_STORE, identityMapping });
  });

  describe('lookalikes of lift events are rejected with lifts on', () => {
    const changed = (name: string, change: (event: Event) => void) => {
      const event = deliveredExample(name) as unknown as Event;
      change(event);
      return event;
    };

    it.each<[string, Event, SourcesConfig]>([
      [
        'an Okta activate from another org',
        changed('okta-user-activate.lift.json', (e) => {
          e.source = 'aws.partner/okta.com/other-org/vpn-kill-switch';
        }),
        WITH_LIFTS,
      ],
      [
        'an Okta unsuspend that failed',
        changed('okta-user-unsuspend.lift.json', (e) => {
          e.detail.outcome = { result: 'FAILURE', reason: 'INSUFFICIENT_PERMISSIONS' };
        }),
        WITH_LIFTS,
      ],
      [
        'an Okta unsuspend when Okta is disabled',
        deliveredExample('okta-user-unsuspend.lift.json') as unknown as Event,
        { runbook: runbookOptions, lift: true },
      ],
      [
        'an Auth0 unblock from another tenant',
        changed('auth0-sapi-user-unblocked.lift.json', (e) => {
          e.source = 'aws.partner/auth0.com/other-tenant-9a8b7c6d/auth0.logs';
        }),
        WITH_LIFTS,
      ],
      [
        'a failed Cognito AdminEnableUser',
        deliveredExample('cognito-adminenableuser-failed.negative.json') as unknown as Event,
        WITH_LIFTS,
      ],
      [
        'a failed Identity Center EnableUser',
        changed('idc-console-enableuser.lift.json', (e) => {
          e.detail.errorCode = 'AccessDenied';
        }),
        WITH_LIFTS,
      ],
      [
        'an Identity Center EnableUser in another identity store',
        changed('idc-console-enableuser.lift.json', (e) => {
          (e.detail.requestParameters as Json).identityStoreId = 'd-1111111111';
        }),
        WITH_LIFTS,
      ],
      [
        'a SCIM PatchUser that does not prove a re-activation',
        changed('idc-scim-patchuser-activate.lift.json', (e) => {
          (e.detail.requestParameters as Json).httpBody = {
            operations: [{ op: 'REPLACE', path: 'title', value: 'HIDDEN_DUE_TO_SECURITY_REASONS' }],
          };
        }),
        WITH_LIFTS,
      ],
      [
        'a runbook lift from an unconfigured source',
        runbookEvent(
          { username: JANE, reason: 'IR-42' },
          { source: 'attacker.app', 'detail-type': RUNBOOK_LIFT_DETAIL_TYPE },
        ),
        WITH_LIFTS,
      ],
      [
        'a runbook lift whose detail-type differs in case',
        runbookEvent({ username: JANE, reason: 'IR-42' }, { 'detail-type': 'Client VPN Revocation lifted' }),
        WITH_LIFTS,
      ],
    ])('%s', (_, event, config) => {
      // Prepare — event above

      // Act
      const error = rejection(event, config);

      // Assess
      expect(error.field).toBe('event');
      expect(error.message).toMatch(/^event: no enabled identity source accepts /);
    });
  });

  it.each([
    ['a misspelt key', { username: JANE, reason: 'IR-42', dryrun: true }, 'detail'],
    ['no reason', { username: JANE }, 'detail.reason'],
    ['a padded username', { username: ` ${JANE}`, reason: 'IR-42' }, 'detail.username'],
  ])('rejects a runbook lift with %s, naming the field, as a revocation request', (_, detail, field) => {
    // Prepare
    const event = runbookEvent(detail, { 'detail-type': RUNBOOK_LIFT_DETAIL_TYPE });

    // Act
    const error = rejection(event, WITH_LIFTS);

    // Assess
    expect(error.field).toBe(field);
  });

  it("carries a runbook lift's dryRun", () => {
    // Prepare
    const event = runbookEvent(
      { username: JANE, reason: 'IR-42', dryRun: true },
      { 'detail-type': RUNBOOK_LIFT_DETAIL_TYPE },
    );

    // Act
    const request = parse(event, WITH_LIFTS);

    // Assess
    expect(request).toMatchObject({ action: 'lift', dryRun: true, identity: JANE });
  });
});

describe('liftRules', () => {
  it('gives the lift pattern of every enabled source that has one, in source order', () => {
    // Prepare — every source enabled

    // Act
    const rules = liftRules(WITH_LIFTS);

    // Assess
    expect(rules).toEqual([
      // The registry's order (sources/registry.ts), which is also the order of the rules.
      { source: 'okta', pattern: okta.liftEventPattern(EXAMPLE_SOURCES.okta) },
      { source: 'runbook', pattern: runbook.liftEventPattern(runbookOptions) },
      {
        source: 'identity-center',
        pattern: identityCenter.liftEventPattern(EXAMPLE_SOURCES.identityCenter),
      },
      { source: 'cognito', pattern: cognito.liftEventPattern(EXAMPLE_SOURCES.cognito) },
      { source: 'auth0', pattern: auth0.liftEventPattern(EXAMPLE_SOURCES.auth0) },
    ]);
  });

  it('does not depend on the lift flag (the construct decides whether to create them)', () => {
    // Prepare — the same sources with and without lifts

    // Act
    const rules = [liftRules(EXAMPLE_SOURCES), liftRules(WITH_LIFTS)];

    // Assess
    expect(rules[0]).toEqual(rules[1]);
  });

  it('has nothing for disabled sources', () => {
    // Prepare
    const config: SourcesConfig = { lift: true };

    // Act
    const rules = liftRules(config);

    // Assess
    expect(rules).toEqual([]);
  });
});

describe('examples/events/runbook-lift-request.json', () => {
  it('is a PutEvents entry list whose detail the runbook source accepts as a lift', () => {
    // Prepare
    const entries = JSON.parse(
      readFileSync(new URL('../../examples/events/runbook-lift-request.json', import.meta.url), 'utf8'),
    ) as { Source: string; DetailType: string }[];

    // Act
    const request = parseExample('runbook-lift-request.json', { runbook: runbookOptions, lift: true });

    // Assess
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      Source: DEFAULT_RUNBOOK_SOURCE,
      DetailType: RUNBOOK_LIFT_DETAIL_TYPE,
    });
    expect(request).toMatchObject({ action: 'lift', identity: JANE, dryRun: false });
  });
});
