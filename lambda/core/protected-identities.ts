import { type IdentityKey, identityKey } from './identity.ts';

/**
 * The break-glass allow-list: identities whose connections are never terminated and never denied, so an
 * emergency administrator keeps a way in even when an identity provider (or a forged request) turns on them.
 * Compared like every identity: by canonical key (`IdentityKey`). A protected name shields only itself: a
 * revoked name presented beside it (e.g. a revoked username with a protected certificate) is still revoked.
 */
export interface ProtectedIdentities {
  /** True when any of the names (username, common name; empty or missing ignored) is protected. */
  has(...names: readonly (string | undefined)[]): boolean;
  readonly size: number;
}

export function protectedIdentities(
  identities: readonly string[],
  key: IdentityKey = identityKey,
): ProtectedIdentities {
  const keys = new Set(identities.map(key));
  return {
    has: (...names) => names.some((name) => !!name && keys.has(key(name))),
    size: keys.size,
  };
}
