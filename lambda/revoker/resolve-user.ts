import { type IdentityReference, type UserNames, usableNames } from '../../sources/identity-source.ts';
import type { KnownUser, UserDirectory } from '../core/user-directory.ts';
import type { BatchLogger, LookUpUserName } from './batch-dependencies.ts';

/** The identity provider's own look-up: the user as it exists now, `undefined` when it does not (any more). */
export type LookUpUser = (user: IdentityReference) => Promise<KnownUser | undefined>;

export interface ResolveUserNameDependencies {
  readonly lookUp: LookUpUser;
  /** Where users were recorded while they existed; absent = no fallback (the name is then unresolved). */
  readonly directory?: UserDirectory;
  readonly logger: Pick<BatchLogger, 'info' | 'warn'>;
}

/**
 * The names behind an id-only event, in this order: the identity provider's look-up (and the user it finds is
 * recorded in the directory, for a delete that may follow); when the user no longer exists, the directory's
 * record of it; only then `undefined` (unresolved). A failing look-up or directory read throws: the request is
 * retried. A failing record of a found user does not: the name is known, and the sync records it too.
 */
export function resolveUserName(deps: ResolveUserNameDependencies): LookUpUserName {
  return async (reference) => {
    const found = await deps.lookUp(reference);
    if (found) {
      await deps.directory?.remember(found).catch((error: unknown) => {
        deps.logger.warn('The user could not be recorded in the user directory', {
          user: reference,
          error: error instanceof Error ? error.message : String(error),
        });
      });
      return namesOfUser(found);
    }
    const known = await deps.directory?.find(reference);
    if (known) {
      deps.logger.info('The user no longer exists; named from the user directory', {
        user: reference,
        lastSeenAt: known.lastSeenAt,
      });
    }
    return known && namesOfUser(known);
  };
}

/**
 * The name to revoke and, as aliases, the user's e-mail addresses (SAML NameIDs are often the e-mail) and other
 * names (a Cognito `preferred_username`).
 */
const namesOfUser = (user: KnownUser): UserNames => ({
  userName: user.userName,
  aliases: usableNames([...user.emails, ...(user.otherNames ?? [])]).filter((name) => name !== user.userName),
});
