import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  activeDirectoryDomainSchema,
  distinctIdentities,
  foldIdentity,
  identityKey,
  identityKeyFor,
  rememberingKeys,
  sameIdentity,
} from '../../lambda/core/identity.ts';
import { protectedIdentities } from '../../lambda/core/protected-identities.ts';

const withDomains = identityKeyFor(['CORP', 'corp.example.com']);

describe('the canonical identity key', () => {
  it.each([
    ['ß folds to ss', 'Straße', 'strasse'],
    ['capital ẞ folds to ss', 'STRAẞE', 'strasse'],
    ['the ﬁ ligature is fi', 'ﬁnance@example.com', 'finance@example.com'],
    ['the Kelvin sign is k', '\u212Aate', 'kate'],
    ['fullwidth letters are ASCII', 'ＪＤｏｅ', 'jdoe'],
    ['mathematical bold letters are ASCII', '𝐣𝐝𝐨𝐞', 'jdoe'],
    ['the long s is s', 'ro\u017Fe', 'rose'],
    ['final sigma folds like sigma', 'ΣΊΣΥΦΟΣ', 'σίσυφοσ'],
    ['surrounding white space is trimmed', ' \u3000jdoe\u00a0 ', 'jdoe'],
    ['a composed and a decomposed é are one', 'Jos\u0065\u0301', 'jos\u00e9'],
  ])('%s', (_label, spelling, key) => {
    expect(identityKey(spelling)).toBe(key);
  });

  it('is full case folding, not toUpperCase().toLowerCase(): dotless ı and ϐ keep their identity', () => {
    // ı upper-cases to I, so the round trip would make it i; case folding keeps it apart from i.
    expect('ı'.toUpperCase().toLowerCase()).toBe('i');
    expect(identityKey('ıvan')).not.toBe(identityKey('ivan'));
    expect(identityKey('ϐeta')).toBe(identityKey('βeta'));
    expect(identityKey('İvan')).toBe('i\u0307van');
  });

  it('strips the configured Active Directory domains, NetBIOS and DNS, in any case or width', () => {
    for (const spelling of [
      'jdoe',
      'CORP\\jdoe',
      'corp\\JDoe',
      'jdoe@corp.example.com',
      'JDOE@CORP.EXAMPLE.COM',
    ]) {
      expect(withDomains(spelling)).toBe('jdoe');
    }
    expect(withDomains('ＣＯＲＰ\\ｊｄｏｅ')).toBe('jdoe');
  });

  it('never strips a domain that is not configured, nor a suffix that only contains one', () => {
    expect(withDomains('OTHER\\jdoe')).toBe('other\\jdoe');
    expect(withDomains('jdoe@example.com')).toBe('jdoe@example.com');
    expect(withDomains('jdoe@corp.example.com.evil')).toBe('jdoe@corp.example.com.evil');
    expect(withDomains('jdoe@sub.corp.example.com')).toBe('jdoe@sub.corp.example.com');
    expect(withDomains('CORP\\')).toBe('corp\\');
    expect(withDomains('@corp.example.com')).toBe('@corp.example.com');
    expect(identityKey('CORP\\jdoe')).toBe('corp\\jdoe');
  });

  it('keeps different people apart', () => {
    expect(sameIdentity('bob', 'bobby', withDomains)).toBe(false);
    expect(sameIdentity('bob@example.com.evil', 'bob@example.com')).toBe(false);
    expect(sameIdentity('b ob', 'bob')).toBe(false);
    expect(sameIdentity('', '')).toBe(false);
    expect(sameIdentity('BOB', 'bob')).toBe(true);
  });

  it('equals the lower-cased name for every ASCII name (the ledger keys written before stay valid)', () => {
    const ascii = fc
      .string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)) })
      .filter((name) => name.trim() === name);
    fc.assert(
      fc.property(ascii, (name) => {
        expect(identityKey(name)).toBe(name.toLowerCase());
        expect(identityKeyFor([])(name)).toBe(name.toLowerCase());
      }),
      { numRuns: 2_000, seed: 20261207 },
    );
  });

  it('is idempotent: a key is its own key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (name) => {
        expect(foldIdentity(foldIdentity(name))).toBe(foldIdentity(name));
      }),
      { numRuns: 2_000, seed: 20261207 },
    );
  });

  it('keeps one spelling per person, the first, and drops empty names', () => {
    expect(distinctIdentities(['Jane', 'JANE', '', 'CORP\\jane', 'jd'], withDomains)).toEqual(['Jane', 'jd']);
  });
});

describe('the break-glass list', () => {
  it('protects every spelling of a listed name, and only that name', () => {
    const list = protectedIdentities(['breakglass'], withDomains);
    expect(list.has('ＢＲＥＡＫＧＬＡＳＳ')).toBe(true);
    expect(list.has('CORP\\BreakGlass')).toBe(true);
    expect(list.has('OTHER\\breakglass', 'breakglass2', '')).toBe(false);
  });
});

describe('activeDirectoryDomainSchema', () => {
  it.each(['CORP', 'corp.example.com', 'EU-CORP', 'a'])('accepts %s', (domain) => {
    expect(activeDirectoryDomainSchema.safeParse(domain).success).toBe(true);
  });

  it.each(['', 'CORP\\', 'jdoe@corp', 'corp..example.com', '.corp', 'corp example', '-corp'])(
    'rejects %j with a message saying what a domain is',
    (domain) => {
      const result = activeDirectoryDomainSchema.safeParse(domain);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/expected an Active Directory domain: a NetBIOS name/);
    },
  );
});

describe('rememberingKeys', () => {
  it('answers like the key it wraps and computes each name once', () => {
    // Prepare
    const calls: string[] = [];
    const remembering = rememberingKeys((name) => {
      calls.push(name);
      return withDomains(name);
    });

    // Act
    const keys = ['CORP\\Jane', 'CORP\\Jane', 'jane@corp.example.com', 'CORP\\Jane'].map(remembering);

    // Assess
    expect(keys).toEqual(['jane', 'jane', 'jane', 'jane']);
    expect(calls).toEqual(['CORP\\Jane', 'jane@corp.example.com']);
  });
});
