import type { IdentityReference } from '../../sources/identity-source.ts';

/**
 * The user directory: what the configured identity stores and user pools said about each user while the user
 * existed, so that an event naming a deleted user only by id (Identity Store `DeleteUser`, a Cognito delete
 * with a hidden username) still names the person. Users are never removed from it by a listing: a user
 * missing from one is exactly the user it exists for.
 */

/** One user as a look-up or a listing saw it. */
export interface KnownUser {
  readonly user: IdentityReference;
  /** The name the revoker resolves the id to: the Identity Store `UserName`, the Cognito `Username`. */
  readonly userName: string;
  /** The user's e-mail addresses (Identity Store `Emails`, the Cognito `email` attribute). */
  readonly emails: readonly string[];
  /** Identity Store `ExternalIds` as `<issuer>|<id>` (what SCIM provisioning set); none for Cognito. */
  readonly externalIds: readonly string[];
  /** Other names the user signs in or is known by (the Cognito `preferred_username`); absent when none. */
  readonly otherNames?: readonly string[];
}

/** A directory record: the user and when it was last seen existing. */
export interface DirectoryEntry extends KnownUser {
  readonly lastSeenAt: string;
}

export interface UserDirectory {
  /** Records users seen existing (a listing's page); a later record of the same user replaces the earlier. */
  rememberAll(users: readonly KnownUser[]): Promise<void>;
  /** Records one user seen existing (a successful look-up). */
  remember(user: KnownUser): Promise<void>;
  /** What the directory last knew of the user; `undefined` when it never saw it. */
  find(user: IdentityReference): Promise<DirectoryEntry | undefined>;
}

/** The directory key of a user: unique per store or pool, ids are never reused. */
export const directoryKey = (user: IdentityReference): string =>
  user.kind === 'identity-store-user'
    ? `identity-store/${user.identityStoreId}/${user.userId}`
    : `cognito/${user.userPoolId}/${user.sub}`;

/** The directory could not be read or written; whoever needed it retries later. */
export class UserDirectoryUnavailableError extends Error {
  override readonly name = 'UserDirectoryUnavailableError';
}
