import { jsonError, jsonResponse, type RequestContext, ServiceError, type WireResponse } from './protocol.ts';
import type { Secret, State } from './state.ts';

/**
 * Secrets Manager `GetSecretValue` (JSON 1.1, target `secretsmanager.GetSecretValue`) over the seeded secrets.
 * A secret answers only in its region; `SecretId` may be the full ARN, the ARN without the 6-character suffix,
 * or the name. Each secret has one version, labelled `AWSCURRENT`.
 */

export const SECRETS_MANAGER_TARGET_PREFIX = 'secretsmanager';

const CURRENT = 'AWSCURRENT';

const validation = (field: string, constraint: string, value?: string) =>
  new ServiceError(
    'ValidationException',
    400,
    `1 validation error detected: Value ${value === undefined ? 'null' : `'${value}'`} at '${field}' failed to ` +
      `satisfy constraint: ${constraint}`,
  );

const notFound = (message: string) => new ServiceError('ResourceNotFoundException', 400, message);

const optionalString = (input: Record<string, unknown>, key: string, field: string): string | undefined => {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new ServiceError('SerializationException', 400, `${key} must be a string`);
  if (value === '') throw validation(field, 'Member must have length greater than or equal to 1', value);
  return value;
};

const output = (secret: Secret) => ({
  ARN: secret.arn,
  Name: secret.name,
  VersionId: secret.versionId,
  SecretString: secret.secretString,
  VersionStages: [CURRENT],
  // Epoch seconds with a fraction, as Secrets Manager writes timestamps.
  CreatedDate: secret.createdAt / 1000,
});

export const createSecretsManager = (state: State) => {
  const getSecretValue = (input: Record<string, unknown>, ctx: RequestContext): WireResponse => {
    const secretId = optionalString(input, 'SecretId', 'secretId');
    if (secretId === undefined) throw validation('secretId', 'Member must not be null');
    if (secretId.length > 2048)
      throw validation('secretId', 'Member must have length less than or equal to 2048', secretId);
    const versionId = optionalString(input, 'VersionId', 'versionId');
    const versionStage = optionalString(input, 'VersionStage', 'versionStage');
    const secret = state.findSecret(ctx.region, secretId);
    if (!secret) throw notFound("Secrets Manager can't find the specified secret.");
    if (versionId !== undefined && versionId !== secret.versionId) {
      throw notFound(`Secrets Manager can't find the specified secret value for VersionId: ${versionId}`);
    }
    if (versionStage !== undefined && versionStage !== CURRENT) {
      throw notFound(
        `Secrets Manager can't find the specified secret value for staging label: ${versionStage}`,
      );
    }
    return jsonResponse(ctx.requestId, output(secret));
  };

  return (operation: string, input: Record<string, unknown>, ctx: RequestContext): WireResponse => {
    try {
      if (operation !== 'GetSecretValue') {
        throw new ServiceError('UnknownOperationException', 400, `Operation ${operation} is not supported.`);
      }
      return getSecretValue(input, ctx);
    } catch (e) {
      if (e instanceof ServiceError) return jsonError(ctx.requestId, e, 'Message');
      throw e;
    }
  };
};
