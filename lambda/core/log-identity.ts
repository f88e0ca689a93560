import { createHmac } from 'node:crypto';
import { identityKey } from './identity.ts';

/** How identities appear in logs: as they are, or as a keyed hash that still correlates across lines. */
export type IdentityForLogs = (identity: string | null | undefined) => string | null;

export const HASHED_IDENTITY_PREFIX = 'hmac-sha256:';

/**
 * With a key, identities are logged as `hmac-sha256:<first 32 hex digits>` of their case-folded form: the
 * same person always hashes the same way (so log lines correlate), but names cannot be read from the logs
 * or recovered by hashing a list of known emails without the key. Without a key, names are logged as is.
 */
export function identityForLogs(key: Uint8Array | undefined): IdentityForLogs {
  if (!key) return (identity) => identity ?? null;
  return (identity) =>
    identity
      ? `${HASHED_IDENTITY_PREFIX}${createHmac('sha256', key).update(identityKey(identity)).digest('hex').slice(0, 32)}`
      : null;
}
