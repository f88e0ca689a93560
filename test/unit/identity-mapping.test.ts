import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../lambda/core/errors.ts';
import { identityMappingSchema, mapIdentity } from '../../lambda/core/identity-mapping.ts';

describe('mapIdentity', () => {
  it.each([
    ['no mapping: the IdP name as is', 'Jane.Doe@example.com', {}, 'Jane.Doe@example.com'],
    ['SAML NameID in lower case', 'Jane.Doe@Example.com', { lowercase: true }, 'jane.doe@example.com'],
    ['Active Directory: strip the email domain', 'jane.doe@example.com', { template: '{local}' }, 'jane.doe'],
    [
      'a different domain',
      'jane.doe@example.com',
      { template: '{local}@corp.example.net' },
      'jane.doe@corp.example.net',
    ],
    [
      'certificate common name with a prefix',
      'jane.doe@example.com',
      { template: 'vpn-{local}' },
      'vpn-jane.doe',
    ],
    ['add a domain to a bare login', 'jdoe', { template: '{identity}@example.com' }, 'jdoe@example.com'],
    [
      'the last @ separates the domain',
      'a@b@example.com',
      { template: '{local}|{domain}' },
      'a@b|example.com',
    ],
    [
      'template then lower case',
      'Jane.Doe@Example.com',
      { template: 'CORP-{local}', lowercase: true },
      'corp-jane.doe',
    ],
  ])('%s', (_case, identity, mapping, expected) => {
    // Act / Assess
    expect(mapIdentity(identity, mapping)).toBe(expected);
  });

  it('refuses a template needing a domain when the name has none', () => {
    // Act
    const map = () => mapIdentity('jdoe', { template: '{local}' });

    // Assess
    expect(map).toThrow(InvalidEventError);
    expect(map).toThrow(/identity: "jdoe" has no @domain/);
  });

  it('refuses a mapping that produces an unusable identity', () => {
    // Act / Assess
    expect(() => mapIdentity('@example.com', { template: '{local}' })).toThrow(
      /expected a non-empty identity/,
    );
    expect(() => mapIdentity('jane doe @example.com', { template: '{local}' })).toThrow(/whitespace/);
  });
});

describe('identityMappingSchema', () => {
  it('accepts the documented shape and rejects unknown placeholders and keys', () => {
    // Act / Assess
    expect(
      identityMappingSchema.safeParse({ field: 'alternateId', lowercase: true, template: '{local}' }).success,
    ).toBe(true);
    expect(identityMappingSchema.safeParse({ template: '{user}' }).error?.issues[0]?.message).toMatch(
      /placeholders/,
    );
    expect(identityMappingSchema.safeParse({ lowerCase: true }).success).toBe(false);
  });
});
