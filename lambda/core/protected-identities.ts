import { identityKey } from './identity.ts';

/**
 * The break-glass allow-list: identities whose connections are never terminated and never denied, so an
 * emergency administrator keeps a way in even when an identity provider (or a forged request) turns on them.
 * Compared like every identity: case-insensitively, otherwise exactly.
 */
export interface ProtectedIdentities {
  /** True when any of the names (username, common name; empty or missing ignored) is protected. */
  has(...names: readonly (string | undefined)[]): boolean;
  readonly size: number;
}

export function protectedIdentities(identities: readonly string[]): ProtectedIdentities {
  const keys = new Set(identities.map(identityKey));
  return {
    has: (...names) => names.some((name) => !!name && keys.has(identityKey(name))),
    size: keys.size,
  };
}
