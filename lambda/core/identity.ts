import * as z from 'zod';

/**
 * Client VPN reports SAML NameIDs and AD names in whatever case the user typed or the IdP sent,
 * so identities compare case-insensitively — but otherwise exactly: no trimming, no prefix matching.
 */
export const identityKey = (identity: string): string => identity.toLowerCase();

export const sameIdentity = (a: string | undefined, b: string): boolean =>
  a !== undefined && a !== '' && identityKey(a) === identityKey(b);

// Control characters never occur in a login and would corrupt logs and outcome events.
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting them is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** A user identity as it arrives in an event: a login, email, NameID or certificate common name. */
export const identitySchema = z
  .string({ error: 'expected a string' })
  .min(1, 'expected a non-empty identity')
  .max(256, 'expected at most 256 characters')
  .refine((value) => value.trim() === value, 'expected no leading or trailing whitespace')
  .refine((value) => !CONTROL_CHARACTERS.test(value), 'expected no control characters');
