import { caseFold } from 'unicode-case-folding';
import * as z from 'zod';

/**
 * The canonical form of an identity, so that every spelling of one person compares equal: the revoker, the
 * sweeper, the connect handler, the ledger keys, the break-glass list and the CLI all match through it.
 *
 * - Unicode compatibility caseless matching (Unicode §3.13, D146: NFKD(toCasefold(NFKD(toCasefold(NFD(X)))))),
 *   composed again at the end, so fullwidth letters, ligatures (ﬁ), the Kelvin sign, ß/ẞ, final sigma and
 *   dotted İ fold as they should. Full case folding comes from `unicode-case-folding` (Unicode's
 *   CaseFolding.txt, statuses C and F, no Turkic T mappings): JavaScript has no case fold, and
 *   `toLowerCase()` or `toUpperCase().toLowerCase()` is not one (ẞ, ς, ϐ, ı fold differently).
 * - Surrounding white space trimmed (Client VPN passes the user's typing through).
 * - With Active Directory domains configured, `DOMAIN\user` and `user@domain` of a configured domain become
 *   `user`; any other domain is kept, so `OTHER\jdoe` stays a different person from `jdoe`.
 *
 * The folding table is ~25 kB and needed by every decision, so it is loaded statically.
 */
export type IdentityKey = (identity: string) => string;

/** Compatibility caseless form (no domain handling): NFKC of the twice-folded decomposition, trimmed. */
export function foldIdentity(identity: string): string {
  const once = caseFold(identity.normalize('NFD')).normalize('NFKD');
  return caseFold(once).normalize('NFKC').trim();
}

/** The canonical key for identities, stripping the configured Active Directory domains (see `IdentityKey`). */
export function identityKeyFor(activeDirectoryDomains: readonly string[] = []): IdentityKey {
  const domains = new Set(activeDirectoryDomains.map(foldIdentity));
  if (domains.size === 0) return foldIdentity;
  return (identity) => {
    let key = foldIdentity(identity);
    const backslash = key.indexOf('\\');
    if (backslash > 0 && backslash < key.length - 1 && domains.has(key.slice(0, backslash))) {
      key = key.slice(backslash + 1);
    }
    const at = key.lastIndexOf('@');
    if (at > 0 && at < key.length - 1 && domains.has(key.slice(at + 1))) key = key.slice(0, at);
    return key;
  };
}

/**
 * `key` remembering its answers, for one batch that compares the same names many times (each connection
 * against each requested person); folding is far costlier than a map lookup.
 */
export function rememberingKeys(key: IdentityKey): IdentityKey {
  const keys = new Map<string, string>();
  return (identity) => {
    let found = keys.get(identity);
    if (found === undefined) {
      found = key(identity);
      keys.set(identity, found);
    }
    return found;
  };
}

/** The key without any Active Directory domain: for places that have no domain settings (log hashing). */
export const identityKey: IdentityKey = foldIdentity;

/** True when `a` is a non-empty name with the same key as `b`. */
export const sameIdentity = (a: string | undefined, b: string, key: IdentityKey = identityKey): boolean =>
  a !== undefined && a !== '' && key(a) === key(b);

/** The distinct names among `names` (first spelling of each key kept, empty names dropped). */
export function distinctIdentities(names: readonly string[], key: IdentityKey): string[] {
  const byKey = new Map<string, string>();
  for (const name of names) if (name !== '' && !byKey.has(key(name))) byKey.set(key(name), name);
  return [...byKey.values()];
}

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

const DOMAIN_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const ACTIVE_DIRECTORY_DOMAIN = new RegExp(`^${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*$`);

/** An Active Directory domain as users type it before or after their name: `CORP` or `corp.example.com`. */
export const activeDirectoryDomainSchema = z
  .string({ error: 'expected a string' })
  .max(253, 'expected at most 253 characters')
  .regex(
    ACTIVE_DIRECTORY_DOMAIN,
    'expected an Active Directory domain: a NetBIOS name (CORP) or a DNS name (corp.example.com)',
  );
