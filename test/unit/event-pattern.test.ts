import { describe, expect, it } from 'vitest';
import { type EventPattern, matchesEventPattern } from '../../lambda/core/event-pattern.ts';

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
});
