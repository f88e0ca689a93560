import * as z from 'zod';
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
    [ENV.identityCenterStoreIds]: identityStoreIdsSchema,
    [ENV.identityStoreRegion]: regionSchema.optional(),
    [ENV.cognitoUserPoolIds]: userPoolIdsSchema,
    AWS_REGION: regionSchema.optional(),
  })
  .refine((env) => env[ENV.identityCenterStoreIds].length + env[ENV.cognitoUserPoolIds].length > 0, {
    message: `set ${ENV.identityCenterStoreIds}, ${ENV.cognitoUserPoolIds} or both: without either there is nothing to list`,
    path: [ENV.identityCenterStoreIds],
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
    identityStoreIds: env[ENV.identityCenterStoreIds],
    identityStoreRegion: env[ENV.identityStoreRegion] ?? env.AWS_REGION ?? 'us-east-1',
    userPoolIds: env[ENV.cognitoUserPoolIds],
  };
}
