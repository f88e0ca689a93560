import * as z from 'zod';
import { COGNITO_ENV } from '../../sources/cognito/source.ts';
import { IDENTITY_CENTER_ENV } from '../../sources/identity-center/source.ts';
import { ENV, parseEnvironment, regionSchema } from '../core/environment.ts';
import {
  identityStoreIdsSchema,
  retentionDaysSchema,
  type UserDirectorySettings,
  userDirectorySettings,
  userPoolIdsSchema,
} from '../core/user-directory-config.ts';

const envSchema = z
  .object({
    [ENV.userDirectoryTableName]: z.string().min(3, 'expected a DynamoDB table name or ARN'),
    [ENV.userDirectoryRetentionDays]: retentionDaysSchema,
    [IDENTITY_CENTER_ENV.storeIds]: identityStoreIdsSchema,
    [ENV.identityStoreRegion]: regionSchema.optional(),
    [COGNITO_ENV.userPoolIds]: userPoolIdsSchema,
    AWS_REGION: regionSchema.optional(),
  })
  .refine((env) => env[IDENTITY_CENTER_ENV.storeIds].length + env[COGNITO_ENV.userPoolIds].length > 0, {
    message: `set ${IDENTITY_CENTER_ENV.storeIds}, ${COGNITO_ENV.userPoolIds} or both: without either there is nothing to list`,
    path: [IDENTITY_CENTER_ENV.storeIds],
  });

export interface DirectorySyncConfig {
  readonly userDirectory: UserDirectorySettings;
  readonly identityStoreIds: readonly string[];
  /** IAM Identity Center's home region, where its identity stores answer. */
  readonly identityStoreRegion: string;
  readonly userPoolIds: readonly string[];
}

/** Reads and validates the environment once, at cold start; the error names every bad variable. */
export function loadDirectorySyncConfig(environment: NodeJS.ProcessEnv = process.env): DirectorySyncConfig {
  const env = parseEnvironment(envSchema, environment);
  return {
    userDirectory: userDirectorySettings(
      env[ENV.userDirectoryTableName],
      env[ENV.userDirectoryRetentionDays],
    ),
    identityStoreIds: env[IDENTITY_CENTER_ENV.storeIds],
    identityStoreRegion: env[ENV.identityStoreRegion] ?? env.AWS_REGION ?? 'us-east-1',
    userPoolIds: env[COGNITO_ENV.userPoolIds],
  };
}
