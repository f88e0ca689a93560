import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type EventPattern,
  InvalidEventPatternError,
  matchesEventPattern,
} from '../../lambda/core/event-pattern.ts';

type Json = Record<string, unknown>;

const OKTA_SAMPLE = JSON.parse(
  readFileSync(new URL('../../examples/events/okta-user-deactivate.json', import.meta.url), 'utf8'),
) as Json;

/** A pattern EventBridge would reject, built past the type checker to prove the runtime guard. */
const untyped = (pattern: unknown) => pattern as EventPattern;

describe('matchesEventPattern', () => {
  describe('literal arrays', () => {
    it.each([
      ['the first value', 'a'],
      ['another value of the list', 'c'],
    ])('matches %s (values in an array OR together)', (_, source) => {
      // Prepare
      const pattern: EventPattern = { source: ['a', 'b', 'c'] };

      // Act
      const matched = matchesEventPattern(pattern, { source });

      // Assess
      expect(matched).toBe(true);
    });

    it('rejects a value not in the list', () => {
      // Prepare
      const pattern: EventPattern = { source: ['a', 'b'] };

      // Act
      const matched = matchesEventPattern(pattern, { source: 'z' });

      // Assess
      expect(matched).toBe(false);
    });

    it('compares strings exactly (case-sensitive)', () => {
      // Prepare
      const pattern: EventPattern = { source: ['SystemLog'] };

      // Act
      const matched = matchesEventPattern(pattern, { source: 'systemlog' });

      // Assess
      expect(matched).toBe(false);
    });

    it('matches booleans, numbers and null literals by identity', () => {
      // Prepare
      const pattern: EventPattern = { flag: [true], count: [3], nothing: [null] };

      // Act
      const matched = matchesEventPattern(pattern, { flag: true, count: 3, nothing: null });
      const wrongFlag = matchesEventPattern(pattern, { flag: false, count: 3, nothing: null });

      // Assess
      expect(matched).toBe(true);
      expect(wrongFlag).toBe(false);
    });

    it('does not let a null literal match a missing field', () => {
      // Prepare
      const pattern: EventPattern = { nothing: [null] };

      // Act
      const matched = matchesEventPattern(pattern, {});

      // Assess
      expect(matched).toBe(false);
    });

    it('ignores event fields the pattern does not mention', () => {
      // Prepare
      const pattern: EventPattern = { source: ['a'] };

      // Act
      const matched = matchesEventPattern(pattern, { source: 'a', other: 'x', more: { deep: 1 } });

      // Assess
      expect(matched).toBe(true);
    });

    it('matches any event with an empty pattern', () => {
      // Prepare
      const pattern: EventPattern = {};

      // Act
      const matched = matchesEventPattern(pattern, { anything: 1 });

      // Assess
      expect(matched).toBe(true);
    });
  });

  describe('nested objects', () => {
    const pattern: EventPattern = {
      source: ['okta'],
      detail: { eventType: ['user.lifecycle.deactivate'], outcome: { result: ['SUCCESS'] } },
    };

    it('matches when every key at every level matches (AND)', () => {
      // Prepare
      const event = {
        source: 'okta',
        detail: { eventType: 'user.lifecycle.deactivate', outcome: { result: 'SUCCESS', reason: null } },
      };

      // Act
      const matched = matchesEventPattern(pattern, event);

      // Assess
      expect(matched).toBe(true);
    });

    it.each([
      ['top-level key differs', { source: 'other', detail: { eventType: 'user.lifecycle.deactivate' } }],
      [
        'nested key differs',
        {
          source: 'okta',
          detail: { eventType: 'user.lifecycle.deactivate', outcome: { result: 'FAILURE' } },
        },
      ],
      ['nested object missing', { source: 'okta', detail: { eventType: 'user.lifecycle.deactivate' } }],
      ['parent missing', { source: 'okta' }],
      ['parent is a string', { source: 'okta', detail: 'user.lifecycle.deactivate' }],
      ['parent is null', { source: 'okta', detail: null }],
    ])('rejects the event when %s', (_, event) => {
      // Prepare — pattern above

      // Act
      const matched = matchesEventPattern(pattern, event);

      // Assess
      expect(matched).toBe(false);
    });
  });

  describe('prefix and suffix', () => {
    it('matches a string starting with the prefix', () => {
      // Prepare
      const pattern: EventPattern = { source: [{ prefix: 'aws.partner/okta.com/' }] };

      // Act
      const matched = matchesEventPattern(pattern, { source: 'aws.partner/okta.com/org/name' });
      const other = matchesEventPattern(pattern, { source: 'aws.partner/auth0.com/org/name' });

      // Assess
      expect(matched).toBe(true);
      expect(other).toBe(false);
    });

    it('matches a string ending with the suffix', () => {
      // Prepare
      const pattern: EventPattern = { file: [{ suffix: '.png' }] };

      // Act
      const matched = matchesEventPattern(pattern, { file: 'photo.png' });
      const other = matchesEventPattern(pattern, { file: 'photo.png.txt' });

      // Assess
      expect(matched).toBe(true);
      expect(other).toBe(false);
    });

    it('is case-sensitive', () => {
      // Prepare
      const pattern: EventPattern = { source: [{ prefix: 'aws.' }] };

      // Act
      const matched = matchesEventPattern(pattern, { source: 'AWS.ec2' });

      // Assess
      expect(matched).toBe(false);
    });

    it.each([
      ['a number', 123],
      ['a boolean', true],
      ['null', null],
      ['an object', { value: '12' }],
      ['missing', undefined],
    ])('never matches a value that is %s', (_, value) => {
      // Prepare
      const pattern: EventPattern = { id: [{ prefix: '1' }], end: [{ suffix: '' }] };

      // Act
      const matched = matchesEventPattern(pattern, { id: value, end: value });

      // Assess
      expect(matched).toBe(false);
    });
  });

  describe('equals-ignore-case', () => {
    it('matches the value in any case', () => {
      // Prepare
      const pattern: EventPattern = { method: [{ 'equals-ignore-case': 'DELETE' }] };

      // Act
      const matched = ['delete', 'Delete', 'DELETE'].map((method) =>
        matchesEventPattern(pattern, { method }),
      );

      // Assess
      expect(matched).toEqual([true, true, true]);
    });

    it('rejects other values and non-strings', () => {
      // Prepare
      const pattern: EventPattern = { method: [{ 'equals-ignore-case': 'delete' }] };

      // Act
      const other = matchesEventPattern(pattern, { method: 'deleted' });
      const nonString = matchesEventPattern(pattern, { method: 1 });

      // Assess
      expect(other).toBe(false);
      expect(nonString).toBe(false);
    });
  });

  describe('exists', () => {
    it('exists: true matches a present field, whatever its value', () => {
      // Prepare
      const pattern: EventPattern = { detail: { errorCode: [{ exists: true }] } };

      // Act
      const matched = [
        { errorCode: 'AccessDenied' },
        { errorCode: '' },
        { errorCode: 0 },
        { errorCode: false },
        { errorCode: null },
      ].map((detail) => matchesEventPattern(pattern, { detail }));

      // Assess
      expect(matched).toEqual([true, true, true, true, true]);
    });

    it('exists: true rejects a missing field', () => {
      // Prepare
      const pattern: EventPattern = { detail: { errorCode: [{ exists: true }] } };

      // Act
      const matched = matchesEventPattern(pattern, { detail: { eventName: 'DeleteUser' } });

      // Assess
      expect(matched).toBe(false);
    });

    it('exists: false matches a missing field and rejects a present one', () => {
      // Prepare
      const pattern: EventPattern = { detail: { errorCode: [{ exists: false }] } };

      // Act
      const missing = matchesEventPattern(pattern, { detail: { eventName: 'DeleteUser' } });
      const present = matchesEventPattern(pattern, { detail: { errorCode: 'AccessDenied' } });

      // Assess
      expect(missing).toBe(true);
      expect(present).toBe(false);
    });

    it('combines with other matchers of the same field (OR)', () => {
      // Prepare
      const pattern: EventPattern = { reason: [{ exists: false }, 'manual'] };

      // Act
      const missing = matchesEventPattern(pattern, {});
      const manual = matchesEventPattern(pattern, { reason: 'manual' });
      const other = matchesEventPattern(pattern, { reason: 'automatic' });

      // Assess
      expect([missing, manual, other]).toEqual([true, true, false]);
    });
  });

  describe('anything-but', () => {
    const pattern: EventPattern = { state: [{ 'anything-but': ['terminated', 'terminating'] }] };

    it('matches a value outside the list', () => {
      // Prepare — pattern above

      // Act
      const matched = matchesEventPattern(pattern, { state: 'active' });

      // Assess
      expect(matched).toBe(true);
    });

    it('rejects a value in the list', () => {
      // Prepare — pattern above

      // Act
      const matched = matchesEventPattern(pattern, { state: 'terminating' });

      // Assess
      expect(matched).toBe(false);
    });

    it('rejects a missing field', () => {
      // Prepare — pattern above

      // Act
      const matched = matchesEventPattern(pattern, {});

      // Assess
      expect(matched).toBe(false);
    });

    it('works on numbers and does not confuse a number with its string', () => {
      // Prepare
      const numeric: EventPattern = { code: [{ 'anything-but': [17] }] };

      // Act
      const listed = matchesEventPattern(numeric, { code: 17 });
      const asString = matchesEventPattern(numeric, { code: '17' });
      const other = matchesEventPattern(numeric, { code: 18 });

      // Assess
      expect([listed, asString, other]).toEqual([false, true, true]);
    });
  });

  describe('$or', () => {
    const pattern: EventPattern = {
      source: [{ prefix: 'aws.' }],
      detail: {
        $or: [
          { eventSource: ['sso-directory.amazonaws.com'], eventName: ['DisableUser', 'DeleteUser'] },
          { eventSource: ['identitystore.amazonaws.com'], eventName: ['DeleteUser'] },
        ],
      },
    };

    it.each([
      ['the first branch', { eventSource: 'sso-directory.amazonaws.com', eventName: 'DisableUser' }],
      ['the second branch', { eventSource: 'identitystore.amazonaws.com', eventName: 'DeleteUser' }],
    ])('matches an event satisfying %s', (_, detail) => {
      // Prepare — pattern above

      // Act
      const matched = matchesEventPattern(pattern, { source: 'aws.sso-directory', detail });

      // Assess
      expect(matched).toBe(true);
    });

    it('rejects an event mixing fields of two branches', () => {
      // Prepare — pattern above
      const detail = { eventSource: 'identitystore.amazonaws.com', eventName: 'DisableUser' };

      // Act
      const matched = matchesEventPattern(pattern, { source: 'aws.identitystore', detail });

      // Assess
      expect(matched).toBe(false);
    });

    it('still requires the keys beside $or (AND)', () => {
      // Prepare — pattern above
      const detail = { eventSource: 'identitystore.amazonaws.com', eventName: 'DeleteUser' };

      // Act
      const matched = matchesEventPattern(pattern, { source: 'custom.app', detail });

      // Assess
      expect(matched).toBe(false);
    });

    it('works at the top level', () => {
      // Prepare
      const topLevel: EventPattern = { $or: [{ source: ['a'] }, { 'detail-type': ['b'] }] };

      // Act
      const matched = [{ source: 'a' }, { 'detail-type': 'b' }, { source: 'b', 'detail-type': 'a' }].map(
        (event) => matchesEventPattern(topLevel, event),
      );

      // Assess
      expect(matched).toEqual([true, true, false]);
    });
  });

  describe('array-valued event fields', () => {
    it('matches when any element matches a literal', () => {
      // Prepare
      const pattern: EventPattern = { resources: ['arn:b'] };

      // Act
      const matched = matchesEventPattern(pattern, { resources: ['arn:a', 'arn:b'] });
      const none = matchesEventPattern(pattern, { resources: ['arn:a', 'arn:c'] });

      // Assess
      expect(matched).toBe(true);
      expect(none).toBe(false);
    });

    it('matches when any element matches a prefix', () => {
      // Prepare
      const pattern: EventPattern = { resources: [{ prefix: 'arn:aws:ec2:' }] };

      // Act
      const matched = matchesEventPattern(pattern, {
        resources: ['arn:aws:iam::1', 'arn:aws:ec2:us-east-1'],
      });

      // Assess
      expect(matched).toBe(true);
    });

    it('never matches a literal against an empty array', () => {
      // Prepare
      const pattern: EventPattern = { resources: ['arn:a'] };

      // Act
      const matched = matchesEventPattern(pattern, { resources: [] });

      // Assess
      expect(matched).toBe(false);
    });
  });

  describe('non-object events', () => {
    it.each([
      ['null', null],
      ['undefined', undefined],
      ['a string', '{"source":"a"}'],
      ['a number', 1],
      ['an array', [{ source: 'a' }]],
    ])('rejects %s', (_, event) => {
      // Prepare
      const pattern: EventPattern = { source: ['a'] };

      // Act
      const matched = matchesEventPattern(pattern, event);

      // Assess
      expect(matched).toBe(false);
    });

    it('rejects a non-object even for an empty pattern', () => {
      // Prepare
      const pattern: EventPattern = {};

      // Act
      const matched = matchesEventPattern(pattern, 'event');

      // Assess
      expect(matched).toBe(false);
    });
  });

  describe('missing fields and type mismatches', () => {
    it('rejects an event lacking a field the pattern names', () => {
      // Prepare
      const pattern: EventPattern = { source: ['a'], 'detail-type': ['b'] };

      // Act
      const matched = matchesEventPattern(pattern, { source: 'a' });

      // Assess
      expect(matched).toBe(false);
    });

    it('does not match a number against its string literal, nor the reverse', () => {
      // Prepare
      const numeric: EventPattern = { event_type_id: [17] };
      const textual: EventPattern = { event_type_id: ['17'] };

      // Act
      const numberVsString = matchesEventPattern(numeric, { event_type_id: '17' });
      const stringVsNumber = matchesEventPattern(textual, { event_type_id: 17 });

      // Assess
      expect(numberVsString).toBe(false);
      expect(stringVsNumber).toBe(false);
    });

    it('matches either spelling when both are listed', () => {
      // Prepare
      const pattern: EventPattern = { event_type_id: [17, '17'] };

      // Act
      const matched = [17, '17', 18, '18'].map((id) => matchesEventPattern(pattern, { event_type_id: id }));

      // Assess
      expect(matched).toEqual([true, true, false, false]);
    });

    it('does not match a boolean against the string "true"', () => {
      // Prepare
      const pattern: EventPattern = { blocked: [true] };

      // Act
      const matched = matchesEventPattern(pattern, { blocked: 'true' });

      // Assess
      expect(matched).toBe(false);
    });

    it('does not match a literal against an object value', () => {
      // Prepare
      const pattern: EventPattern = { detail: ['x'] };

      // Act
      const matched = matchesEventPattern(pattern, { detail: { x: 'x' } });

      // Assess
      expect(matched).toBe(false);
    });
  });

  describe('null and empty string', () => {
    it.each([
      ['null', null, true],
      ['the string "null"', 'null', false],
      ['an empty string', '', false],
      ['missing', undefined, false],
    ])('[null] against %s', (_, value, expected) => {
      // Prepare
      const pattern: EventPattern = { reason: [null] };

      // Act
      const matched = matchesEventPattern(pattern, { reason: value });

      // Assess
      expect(matched).toBe(expected);
    });

    it.each([
      ['an empty string', '', true],
      ['null', null, false],
      ['a space', ' ', false],
      ['missing', undefined, false],
    ])('[""] against %s', (_, value, expected) => {
      // Prepare
      const pattern: EventPattern = { lastName: [''] };

      // Act
      const matched = matchesEventPattern(pattern, { lastName: value });

      // Assess
      expect(matched).toBe(expected);
    });
  });

  describe('prefix and suffix with equals-ignore-case', () => {
    it.each([
      ['EventBridge', true],
      ['eventbridge', true],
      ['EVENTB', true],
      ['Event', false],
      ['xEventB', false],
    ])('prefix ignoring case against "%s"', (service, expected) => {
      // Prepare
      const pattern: EventPattern = { service: [{ prefix: { 'equals-ignore-case': 'eventB' } }] };

      // Act
      const matched = matchesEventPattern(pattern, { service });

      // Assess
      expect(matched).toBe(expected);
    });

    it.each([
      ['photo.png', true],
      ['PHOTO.PNG', true],
      ['photo.Png', true],
      ['photo.png.txt', false],
      ['png', false],
    ])('suffix ignoring case against "%s"', (file, expected) => {
      // Prepare
      const pattern: EventPattern = { file: [{ suffix: { 'equals-ignore-case': '.PNG' } }] };

      // Act
      const matched = matchesEventPattern(pattern, { file });

      // Assess
      expect(matched).toBe(expected);
    });

    it('never matches a non-string, whatever the case option', () => {
      // Prepare
      const pattern: EventPattern = { id: [{ prefix: { 'equals-ignore-case': '1' } }] };

      // Act
      const matched = [1, 12, true, null].map((id) => matchesEventPattern(pattern, { id }));

      // Assess
      expect(matched).toEqual([false, false, false, false]);
    });

    it('an empty prefix matches every string, including the empty one, and nothing else', () => {
      // Prepare
      const pattern: EventPattern = { name: [{ prefix: '' }] };

      // Act
      const matched = ['', 'x', 0, null].map((name) => matchesEventPattern(pattern, { name }));

      // Assess
      expect(matched).toEqual([true, true, false, false]);
    });
  });

  describe('wildcard', () => {
    it.each([
      ['Simple*Service', 'SimpleQueueService', true],
      ['Simple*Service', 'SimpleService', true],
      ['Simple*Service', 'SimpleQueueService2', false],
      ['Simple*Service', 'simpleQueueService', false],
      ['*/lib/*', '/usr/lib/node', true],
      ['*/lib/*', '/usr/libexec/node', false],
      ['a*b*c', 'a-b-b-c', true],
      ['a*b*c', 'acb', false],
      ['*', '', true],
      ['*', 'multi\nline', true],
      ['user.*.deactivate', 'user.lifecycle.deactivate', true],
      ['a.b', 'axb', false],
      ['(x)+[y]', '(x)+[y]', true],
      ['a\\*b', 'a*b', true],
      ['a\\*b', 'axxb', false],
      ['C:\\\\*', 'C:\\temp', true],
      ['C:\\\\*', 'C:temp', false],
    ])('"%s" against "%s" → %s', (wildcard, value, expected) => {
      // Prepare
      const pattern: EventPattern = { value: [{ wildcard }] };

      // Act
      const matched = matchesEventPattern(pattern, { value });

      // Assess
      expect(matched).toBe(expected);
    });

    it('only matches strings', () => {
      // Prepare
      const pattern: EventPattern = { value: [{ wildcard: '*' }] };

      // Act
      const matched = [12, true, null, { a: 'b' }, undefined].map((value) =>
        matchesEventPattern(pattern, { value }),
      );

      // Assess
      expect(matched).toEqual([false, false, false, false, false]);
    });

    it.each([
      ['consecutive wildcards', 'a**b', /"\*\*"/],
      ['an escape of another character', 'a\\b', /only escape/],
      ['a trailing backslash', 'ab\\', /only escape/],
    ])('rejects a pattern with %s', (_, wildcard, message) => {
      // Prepare
      const pattern: EventPattern = { value: [{ wildcard }] };

      // Act
      const evaluate = () => matchesEventPattern(pattern, { value: 'ab' });

      // Assess
      expect(evaluate).toThrow(message);
    });
  });

  describe('anything-but, further forms', () => {
    it.each([
      ['a single string', { 'anything-but': 'initializing' }, 'running', 'initializing'],
      ['a single number', { 'anything-but': 123 }, 124, 123],
      ['a list of numbers', { 'anything-but': [100, 200] }, 150, 200],
      ['a prefix', { 'anything-but': { prefix: 'us-' } }, 'eu-west-1', 'us-east-1'],
      ['a suffix', { 'anything-but': { suffix: '.png' } }, 'photo.jpg', 'photo.png'],
      [
        'a value ignoring case',
        { 'anything-but': { 'equals-ignore-case': 'Stopped' } },
        'running',
        'STOPPED',
      ],
      [
        'values ignoring case',
        { 'anything-but': { 'equals-ignore-case': ['stopped', 'overloaded'] } },
        'running',
        'Overloaded',
      ],
      ['a wildcard', { 'anything-but': { wildcard: '*/lib/*' } }, '/usr/bin/node', '/usr/lib/node'],
      ['wildcards', { 'anything-but': { wildcard: ['*.png', '*.gif'] } }, 'a.jpg', 'a.gif'],
    ] as const)('excludes %s', (_, matcher, kept, excluded) => {
      // Prepare
      const pattern: EventPattern = { value: [matcher] };

      // Act
      const keptMatches = matchesEventPattern(pattern, { value: kept });
      const excludedMatches = matchesEventPattern(pattern, { value: excluded });

      // Assess
      expect(keptMatches).toBe(true);
      expect(excludedMatches).toBe(false);
    });

    it.each([
      ['null', null, true],
      ['a boolean', true, true],
      ['a number (not a string with the prefix)', 5, true],
      ['an object (not a leaf)', { state: 'init' }, false],
      ['an empty array', [], false],
      ['missing', undefined, false],
    ])('anything-but prefix against %s', (_, value, expected) => {
      // Prepare
      const pattern: EventPattern = { state: [{ 'anything-but': { prefix: 'init' } }] };

      // Act
      const matched = matchesEventPattern(pattern, { state: value });

      // Assess
      expect(matched).toBe(expected);
    });

    it('matches an array when any element is not excluded', () => {
      // Prepare
      const pattern: EventPattern = { states: [{ 'anything-but': ['stopped'] }] };

      // Act
      const mixed = matchesEventPattern(pattern, { states: ['stopped', 'running'] });
      const allExcluded = matchesEventPattern(pattern, { states: ['stopped', 'stopped'] });

      // Assess
      expect(mixed).toBe(true);
      expect(allExcluded).toBe(false);
    });

    it.each([
      ['a mixed list', { 'anything-but': ['a', 1] }, /strings or numbers/],
      ['an empty list', { 'anything-but': [] }, /strings or numbers/],
      ['booleans', { 'anything-but': [true] }, /strings or numbers/],
      ['null', { 'anything-but': null }, /strings or numbers/],
      ['an unsupported condition', { 'anything-but': { numeric: ['>', 1] } }, /condition "numeric"/],
      ['a non-string condition', { 'anything-but': { prefix: 1 } }, /"prefix" needs a string/],
    ])('rejects %s', (_, matcher, message) => {
      // Prepare
      const pattern = untyped({ value: [matcher] });

      // Act
      const evaluate = () => matchesEventPattern(pattern, { value: 'x' });

      // Assess
      expect(evaluate).toThrow(message);
    });
  });

  describe('exists on leaf values', () => {
    it.each([
      ['a scalar', 'pending', true],
      ['null', null, true],
      ['an array with a scalar', ['initializing', 'running'], true],
      ['an object', { c1: 100 }, false],
      ['an empty array', [], false],
      ['an array of objects', [{ c1: 100 }], false],
      ['missing', undefined, false],
    ])('treats %s as existing: %s', (_, value, exists) => {
      // Prepare
      const present: EventPattern = { detail: { 'c-count': [{ exists: true }] } };
      const absent: EventPattern = { detail: { 'c-count': [{ exists: false }] } };
      const event = { detail: { 'c-count': value } };

      // Act
      const matchedPresent = matchesEventPattern(present, event);
      const matchedAbsent = matchesEventPattern(absent, event);

      // Assess
      expect(matchedPresent).toBe(exists);
      expect(matchedAbsent).toBe(!exists);
    });

    it.each([
      ['missing', {}],
      ['null', { detail: null }],
      ['a string', { detail: 'x' }],
    ])('exists: false matches when the parent object is %s, exists: true does not', (_, event) => {
      // Prepare
      const absent: EventPattern = { detail: { errorCode: [{ exists: false }] } };
      const present: EventPattern = { detail: { errorCode: [{ exists: true }] } };

      // Act
      const matchedAbsent = matchesEventPattern(absent, event);
      const matchedPresent = matchesEventPattern(present, event);

      // Assess
      expect(matchedAbsent).toBe(true);
      expect(matchedPresent).toBe(false);
    });

    it('combines with other keys (AND)', () => {
      // Prepare
      const pattern: EventPattern = { detail: { eventName: ['DeleteUser'], errorCode: [{ exists: false }] } };

      // Act
      const succeeded = matchesEventPattern(pattern, { detail: { eventName: 'DeleteUser' } });
      const failed = matchesEventPattern(pattern, {
        detail: { eventName: 'DeleteUser', errorCode: 'Denied' },
      });
      const other = matchesEventPattern(pattern, { detail: { eventName: 'CreateUser' } });

      // Assess
      expect([succeeded, failed, other]).toEqual([true, false, false]);
    });

    it('rejects a non-boolean operand', () => {
      // Prepare
      const pattern = untyped({ errorCode: [{ exists: 'false' }] });

      // Act
      const evaluate = () => matchesEventPattern(pattern, {});

      // Assess
      expect(evaluate).toThrow(/"exists" needs true or false/);
    });
  });

  describe('numeric', () => {
    it.each([
      [-1, false],
      [0, false],
      [0.000001, true],
      [3, true],
      [5, true],
      [5.5, false],
    ])('[">", 0, "<=", 5] against %s → %s', (value, expected) => {
      // Prepare
      const pattern: EventPattern = { count: [{ numeric: ['>', 0, '<=', 5] }] };

      // Act
      const matched = matchesEventPattern(pattern, { count: value });

      // Assess
      expect(matched).toBe(expected);
    });

    it.each([
      ['<', [9, 10], [true, false]],
      ['<=', [10, 11], [true, false]],
      ['>', [11, 10], [true, false]],
      ['>=', [10, 9], [true, false]],
      ['=', [10, 10.5], [true, false]],
    ] as const)('single bound %s 10', (operator, values, expected) => {
      // Prepare
      const pattern: EventPattern = { count: [{ numeric: [operator, 10] }] };

      // Act
      const matched = values.map((count) => matchesEventPattern(pattern, { count }));

      // Assess
      expect(matched).toEqual(expected);
    });

    it('compares by value: ["=", 3.0e2] matches 300 and 300.0 from JSON', () => {
      // Prepare
      const pattern: EventPattern = { limit: [{ numeric: ['=', 3.0e2] }] };

      // Act
      const matched = ['{"limit":300}', '{"limit":300.0}', '{"limit":3e2}', '{"limit":301}'].map((json) =>
        matchesEventPattern(pattern, JSON.parse(json)),
      );

      // Assess
      expect(matched).toEqual([true, true, true, false]);
    });

    it('supports a closed range with >= and <', () => {
      // Prepare
      const pattern: EventPattern = { count: [{ numeric: ['>=', 1, '<', 2] }] };

      // Act
      const matched = [0.99, 1, 1.99, 2].map((count) => matchesEventPattern(pattern, { count }));

      // Assess
      expect(matched).toEqual([false, true, true, false]);
    });

    it('only matches JSON numbers', () => {
      // Prepare
      const pattern: EventPattern = { count: [{ numeric: ['>', 0] }] };

      // Act
      const matched = ['3', true, null, [], undefined].map((count) =>
        matchesEventPattern(pattern, { count }),
      );

      // Assess
      expect(matched).toEqual([false, false, false, false, false]);
    });

    it('matches an array when any element is in range, and ORs with other matchers', () => {
      // Prepare
      const pattern: EventPattern = { scores: [{ numeric: ['>=', 90] }, 'n/a'] };

      // Act
      const matched = [[10, 95], [10, 20], ['n/a'], []].map((scores) =>
        matchesEventPattern(pattern, { scores }),
      );

      // Assess
      expect(matched).toEqual([true, false, true, false]);
    });

    it.each([
      ['an upper bound before a lower one', ['<', 10, '>', 0]],
      ['two lower bounds', ['>', 0, '>=', 1]],
      ['"=" in a range', ['=', 1, '<', 2]],
      ['a string bound', ['>', '0']],
      ['an unknown operator', ['!=', 1]],
      ['no terms', []],
      ['a dangling operator', ['>', 0, '<']],
      ['a non-array', 5],
    ])('rejects %s', (_, range) => {
      // Prepare
      const pattern = untyped({ count: [{ numeric: range }] });

      // Act
      const evaluate = () => matchesEventPattern(pattern, { count: 1 });

      // Assess
      expect(evaluate).toThrow(/"numeric" has an invalid range/);
    });
  });

  describe('cidr', () => {
    it.each([
      ['10.0.0.0', true],
      ['10.0.0.255', true],
      ['10.0.1.0', false],
      ['11.0.0.1', false],
      ['10.0.0', false],
      ['not-an-ip', false],
      ['::ffff:10.0.0.1', false],
    ])('10.0.0.0/24 against "%s"', (ip, expected) => {
      // Prepare
      const pattern: EventPattern = { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } };

      // Act
      const matched = matchesEventPattern(pattern, { detail: { sourceIPAddress: ip } });

      // Assess
      expect(matched).toBe(expected);
    });

    it('handles /32, /0 and IPv6 blocks', () => {
      // Prepare
      const host: EventPattern = { ip: [{ cidr: '198.51.100.20/32' }] };
      const any: EventPattern = { ip: [{ cidr: '0.0.0.0/0' }] };
      const v6: EventPattern = { ip: [{ cidr: '2001:db8::/32' }] };

      // Act
      const matched = [
        matchesEventPattern(host, { ip: '198.51.100.20' }),
        matchesEventPattern(host, { ip: '198.51.100.21' }),
        matchesEventPattern(any, { ip: '203.0.113.9' }),
        matchesEventPattern(v6, { ip: '2001:db8:1::7' }),
        matchesEventPattern(v6, { ip: '2001:db9::7' }),
        matchesEventPattern(v6, { ip: '10.0.0.1' }),
      ];

      // Assess
      expect(matched).toEqual([true, false, true, true, false, false]);
    });

    it('only matches strings, and any element of an array', () => {
      // Prepare
      const pattern: EventPattern = { ips: [{ cidr: '10.0.0.0/8' }] };

      // Act
      const matched = [10, null, ['192.0.2.1', '10.9.9.9'], ['192.0.2.1']].map((ips) =>
        matchesEventPattern(pattern, { ips }),
      );

      // Assess
      expect(matched).toEqual([false, false, true, false]);
    });

    it.each(['10.0.0.0', '10.0.0.0/33', '300.0.0.0/8', 'abc/8', '10.0.0.0/8/1', '10.0.0.0/x'])(
      'rejects the block "%s"',
      (cidr) => {
        // Prepare
        const pattern: EventPattern = { ip: [{ cidr }] };

        // Act
        const evaluate = () => matchesEventPattern(pattern, { ip: '10.0.0.1' });

        // Assess
        expect(evaluate).toThrow(/"cidr" needs a block/);
      },
    );
  });

  describe('$or at nested levels', () => {
    it('ORs sub-patterns two levels down', () => {
      // Prepare
      const pattern: EventPattern = {
        detail: {
          outcome: { $or: [{ result: ['SUCCESS'] }, { reason: [{ prefix: 'partial' }] }] },
        },
      };

      // Act
      const matched = [
        { result: 'SUCCESS' },
        { result: 'FAILURE', reason: 'partial update' },
        { result: 'FAILURE', reason: 'denied' },
      ].map((outcome) => matchesEventPattern(pattern, { detail: { outcome } }));

      // Assess
      expect(matched).toEqual([true, true, false]);
    });

    it('nests $or inside a $or branch', () => {
      // Prepare
      const pattern: EventPattern = {
        source: ['aws.cloudwatch'],
        $or: [
          { metricName: ['CPUUtilization'] },
          { namespace: ['AWS/EC2'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
        ],
      };

      // Act
      const matched = [
        { metricName: 'CPUUtilization' },
        { namespace: 'AWS/EC2', spaceId: 1000 },
        { namespace: 'AWS/EC2', metricId: 1 },
        { namespace: 'AWS/ES', metricId: 1234 },
      ].map((fields) => matchesEventPattern(pattern, { source: 'aws.cloudwatch', ...fields }));

      // Assess
      expect(matched).toEqual([true, true, false, false]);
    });

    it('requires every parallel $or (AND between levels)', () => {
      // Prepare
      const pattern: EventPattern = {
        $or: [{ source: ['a'] }, { account: ['1'] }],
        detail: { $or: [{ x: [1] }, { y: [2] }] },
      };

      // Act
      const both = matchesEventPattern(pattern, { source: 'a', detail: { y: 2 } });
      const onlyTop = matchesEventPattern(pattern, { source: 'a', detail: { z: 3 } });
      const onlyDetail = matchesEventPattern(pattern, { source: 'b', detail: { x: 1 } });

      // Assess
      expect([both, onlyTop, onlyDetail]).toEqual([true, false, false]);
    });

    it('evaluates a $or branch against each element of an array of objects', () => {
      // Prepare
      const pattern: EventPattern = {
        detail: { target: { $or: [{ type: ['User'] }, { alternateId: [{ suffix: '@example.com' }] }] } },
      };

      // Act
      const matched = matchesEventPattern(pattern, {
        detail: { target: [{ type: 'AppInstance' }, { type: 'Group', alternateId: 'ops@example.com' }] },
      });
      const none = matchesEventPattern(pattern, { detail: { target: [{ type: 'AppInstance' }] } });

      // Assess
      expect(matched).toBe(true);
      expect(none).toBe(false);
    });

    it.each([
      ['one sub-pattern', { $or: [{ a: ['x'] }] }, /at least two sub-patterns/],
      ['an object', { $or: { a: ['x'] } }, /at least two sub-patterns/],
      ['a matcher list', { $or: ['x', 'y'] }, /at least two sub-patterns/],
      ['an operator used as a field', { $or: [{ prefix: ['x'] }, { a: ['y'] }] }, /operator "prefix"/],
    ])('rejects $or with %s', (_, pattern, message) => {
      // Prepare — pattern from the table

      // Act
      const evaluate = () => matchesEventPattern(untyped(pattern), { a: 'x' });

      // Assess
      expect(evaluate).toThrow(message);
    });
  });

  describe('arrays of objects and nested arrays', () => {
    const employees = [
      { firstName: 'John', lastName: 'Doe' },
      { firstName: 'Anna', lastName: 'Smith' },
      { firstName: 'Peter', lastName: 'Jones' },
    ];

    it('matches a nested pattern against any element', () => {
      // Prepare
      const pattern: EventPattern = { employees: { firstName: ['Anna'], lastName: [{ prefix: 'Sm' }] } };

      // Act
      const matched = matchesEventPattern(pattern, { employees });

      // Assess
      expect(matched).toBe(true);
    });

    it('does not combine fields from different elements (array consistency)', () => {
      // Prepare
      const pattern: EventPattern = { employees: { firstName: ['Anna'], lastName: ['Jones'] } };

      // Act
      const matched = matchesEventPattern(pattern, { employees });

      // Assess
      expect(matched).toBe(false);
    });

    it('flattens arrays of arrays, for objects and for leaf values', () => {
      // Prepare
      const nested: EventPattern = { employees: { firstName: ['Peter'] } };
      const leaf: EventPattern = { tags: [{ wildcard: 'team-*' }] };

      // Act
      const matchedNested = matchesEventPattern(nested, { employees: [[employees[0]], [employees[2]]] });
      const matchedLeaf = matchesEventPattern(leaf, { tags: [['a'], ['b', ['team-x']]] });

      // Assess
      expect(matchedNested).toBe(true);
      expect(matchedLeaf).toBe(true);
    });

    it('judges exists: false per element of an array of objects', () => {
      // Prepare
      const pattern: EventPattern = { targets: { type: ['User'], detailEntry: [{ exists: false }] } };

      // Act
      const oneBare = matchesEventPattern(pattern, {
        targets: [{ type: 'User', detailEntry: 'x' }, { type: 'User' }],
      });
      const allCarry = matchesEventPattern(pattern, {
        targets: [{ type: 'User', detailEntry: 'x' }, { type: 'Group' }],
      });

      // Assess
      expect(oneBare).toBe(true);
      expect(allCarry).toBe(false);
    });
  });

  describe('invalid patterns', () => {
    it('makes an unsupported operator a type error and a runtime error naming it', () => {
      // Prepare
      // @ts-expect-error — "prefx" is not an operator
      const pattern: EventPattern = { source: [{ prefx: 'aws.' }] };

      // Act
      const evaluate = () => matchesEventPattern(pattern, { source: 'aws.ec2' });

      // Assess
      expect(evaluate).toThrow(InvalidEventPatternError);
      expect(evaluate).toThrow('unsupported event-pattern operator "prefx"');
    });

    it('makes a malformed numeric range a type error', () => {
      // Prepare
      // @ts-expect-error — an upper bound cannot come first
      const pattern: EventPattern = { count: [{ numeric: ['<', 10, '>', 0] }] };

      // Act
      const evaluate = () => matchesEventPattern(pattern, { count: 5 });

      // Assess
      expect(evaluate).toThrow(/"numeric" has an invalid range/);
    });

    it('throws even when the event lacks the field, so a typo never silently matches nothing', () => {
      // Prepare
      const pattern = untyped({ detail: { eventType: [{ 'equals-ignore-cas': 'x' }] } });

      // Act
      const evaluate = () => matchesEventPattern(pattern, { source: 'a' });

      // Assess
      expect(evaluate).toThrow('unsupported event-pattern operator "equals-ignore-cas"');
    });

    it.each([
      ['two operators in one matcher', { v: [{ prefix: 'a', suffix: 'b' }] }, /exactly one operator/],
      ['an empty matcher', { v: [{}] }, /exactly one operator/],
      ['an inherited name', { v: [{ toString: 'a' }] }, /operator "toString"/],
      [
        'an unknown prefix option',
        { v: [{ prefix: { 'ignore-case': 'a' } }] },
        /"prefix" option "ignore-case"/,
      ],
      ['a non-string prefix', { v: [{ prefix: 1 }] }, /"prefix" needs a string/],
      ['a value outside an array', { v: 'a' }, /field "v" needs an array/],
      ['a matcher outside an array', { v: { prefix: 'a' } }, /field "prefix" needs an array/],
      ['a nested array matcher', { v: [['a']] }, /unsupported matcher/],
    ])('rejects %s', (_, pattern, message) => {
      // Prepare — pattern from the table

      // Act
      const evaluate = () => matchesEventPattern(untyped(pattern), { v: 'a' });

      // Assess
      expect(evaluate).toThrow(message);
    });
  });

  describe('examples/events/okta-user-deactivate.json', () => {
    const pattern: EventPattern = {
      source: [{ prefix: 'aws.partner/okta.com/' }],
      'detail-type': ['SystemLog'],
      account: [{ 'anything-but': '000000000000' }],
      resources: [{ exists: false }],
      detail: {
        eventType: [{ wildcard: 'user.lifecycle.*' }],
        outcome: { result: ['SUCCESS'], reason: [null] },
        severity: [{ 'equals-ignore-case': 'info' }],
        device: [null],
        client: {
          zone: ['null'],
          ipAddress: [{ cidr: '198.51.100.0/24' }],
          geographicalContext: { geolocation: { lat: [{ numeric: ['>', 40, '<', 50] }] } },
        },
        securityContext: { isProxy: [false], asNumber: [{ numeric: ['=', 64496] }] },
        debugContext: { debugData: { threatSuspected: ['false'] } },
        request: { ipChain: { ip: [{ cidr: '198.51.100.0/24' }], version: ['V4'] } },
        target: { type: ['User'], alternateId: [{ suffix: { 'equals-ignore-case': '@EXAMPLE.COM' } }] },
        $or: [
          { displayMessage: [{ prefix: 'Deactivate' }] },
          { legacyEventType: [{ suffix: '_deactivated' }] },
        ],
      },
    };

    /** The sample with one change applied to a deep copy. */
    const sample = (change: (event: Json) => void = () => {}) => {
      const event = structuredClone(OKTA_SAMPLE);
      change(event);
      return event;
    };
    /** The object at `path` inside `json`. */
    const at = (json: Json, ...path: string[]) => path.reduce((parent, key) => parent[key] as Json, json);

    it('matches a pattern using every operator', () => {
      // Prepare — pattern above

      // Act
      const matched = matchesEventPattern(pattern, sample());

      // Assess
      expect(matched).toBe(true);
    });

    it.each<[string, (event: Json) => void]>([
      [
        'the source is another partner',
        (event) => {
          event.source = 'aws.partner/auth0.com/tenant/auth0.logs';
        },
      ],
      [
        'the event type is a session event',
        (event) => {
          at(event, 'detail').eventType = 'user.session.start';
        },
      ],
      [
        'the outcome failed',
        (event) => {
          at(event, 'detail', 'outcome').result = 'FAILURE';
        },
      ],
      [
        'the zone is a real null',
        (event) => {
          at(event, 'detail', 'client').zone = null;
        },
      ],
      [
        'the client IP is outside the block',
        (event) => {
          at(event, 'detail', 'client').ipAddress = '203.0.113.5';
        },
      ],
      [
        'the request came through a proxy',
        (event) => {
          at(event, 'detail', 'securityContext').isProxy = true;
        },
      ],
      [
        'the string "false" became a boolean',
        (event) => {
          at(event, 'detail', 'debugContext', 'debugData').threatSuspected = false;
        },
      ],
      [
        'the target is not a user',
        (event) => {
          at(event, 'detail').target = [{ type: 'AppInstance', alternateId: 'jane.doe@example.com' }];
        },
      ],
      [
        'the event lists resources',
        (event) => {
          event.resources = ['arn:aws:iam::111122223333:user/jane'];
        },
      ],
      [
        'neither $or branch holds',
        (event) => {
          Object.assign(at(event, 'detail'), {
            displayMessage: 'Suspend',
            legacyEventType: 'core.user.suspended',
          });
        },
      ],
    ])('does not match when %s', (_, change) => {
      // Prepare
      const event = sample(change);

      // Act
      const matched = matchesEventPattern(pattern, event);

      // Assess
      expect(matched).toBe(false);
    });
  });
});
