import * as z from 'zod';
import { listOf } from './environment.ts';

/** `IDENTITY_CENTER_STORE_IDS`: the identity stores the revoker accepts events of and the sync lists. */
export const identityStoreIdsSchema = listOf(
  z.string().regex(/^d-[0-9a-f]{10}$|^[-a-zA-Z0-9]{1,64}$/, 'expected an identity store id (d-…)'),
);

/** `COGNITO_USER_POOL_IDS`: the user pools the revoker accepts events of and the sync lists. */
export const userPoolIdsSchema = listOf(
  z.string().regex(/^[\w-]+_[0-9a-zA-Z]+$/, 'expected a user pool id (<region>_<id>)'),
);

/** Days as the environment gives them: a positive whole number; 90 when unset. */
export const retentionDaysSchema = z
  .string()
  .regex(/^[1-9]\d*$/, 'expected a positive whole number of days')
  .transform(Number)
  .default(90);

/** The user directory's table and how long a record outlives the last sight of its user. */
export interface UserDirectorySettings {
  readonly tableName: string;
  readonly retentionMs: number;
}

export const userDirectorySettings = (tableName: string, retentionDays: number): UserDirectorySettings => ({
  tableName,
  retentionMs: retentionDays * 86_400_000,
});
