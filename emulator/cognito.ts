import { jsonError, jsonResponse, type RequestContext, ServiceError, type WireResponse } from './protocol.ts';
import type { CognitoUser, State } from './state.ts';

/**
 * Cognito user pools `ListUsers` and `AdminDeleteUser` (JSON 1.1, target
 * `AWSCognitoIdentityProviderService.<operation>`) over the seeded pools. A deleted user is gone for good
 * (ListUsers no longer finds it, by any filter). A pool answers only in the region its id starts with. Filters: `<attribute> = "<value>"` or
 * `<attribute> ^= "<prefix>"` (quotes inside the value escaped with `\`); attributes `username` (matched
 * case-insensitively), `email`, `sub`, `status` (`Enabled`/`Disabled`), `cognito:user_status` (`CONFIRMED`);
 * `phone_number`, `name`, `given_name`, `family_name` and `preferred_username` are valid but never seeded.
 */

export const COGNITO_TARGET_PREFIX = 'AWSCognitoIdentityProviderService';

const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const MAX_LIMIT = 60;

const invalidParameter = (message: string) => new ServiceError('InvalidParameterException', 400, message);
const validation = (field: string, value: unknown, constraint: string) =>
  invalidParameter(
    `1 validation error detected: Value ${value === undefined ? 'null' : `'${String(value)}'`} at '${field}' ` +
      `failed to satisfy constraint: ${constraint}`,
  );

type Attribute = (user: CognitoUser) => string | undefined;

const ATTRIBUTES: Readonly<Record<string, { value: Attribute; ignoreCase: boolean }>> = {
  username: { value: (user) => user.username, ignoreCase: true },
  email: { value: (user) => user.email, ignoreCase: false },
  sub: { value: (user) => user.sub, ignoreCase: false },
  status: { value: (user) => (user.enabled === false ? 'Disabled' : 'Enabled'), ignoreCase: false },
  'cognito:user_status': { value: () => 'CONFIRMED', ignoreCase: true },
  phone_number: { value: () => undefined, ignoreCase: false },
  name: { value: () => undefined, ignoreCase: false },
  given_name: { value: () => undefined, ignoreCase: false },
  family_name: { value: () => undefined, ignoreCase: false },
  preferred_username: { value: () => undefined, ignoreCase: false },
};

const FILTER = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/;

/** The test a `Filter` string stands for; throws InvalidParameterException for anything else. */
export function parseFilter(filter: string): (user: CognitoUser) => boolean {
  if (filter.trim() === '') return () => true;
  const match = FILTER.exec(filter);
  const attribute = match && ATTRIBUTES[match[1] as string];
  if (!match || !attribute) throw invalidParameter('Error while parsing filter.');
  const [, , operator, escaped = ''] = match;
  const fold = (text: string) => (attribute.ignoreCase ? text.toLowerCase() : text);
  const expected = fold(escaped.replace(/\\(.)/g, '$1'));
  return (user) => {
    const actual = attribute.value(user);
    if (actual === undefined) return false;
    return operator === '=' ? fold(actual) === expected : fold(actual).startsWith(expected);
  };
}

const seconds = (ms: number) => Math.floor(ms / 1000);

const userOutput = (user: CognitoUser, attributesToGet: readonly string[] | undefined) => {
  const attributes = [
    { Name: 'sub', Value: user.sub },
    ...(user.email === undefined
      ? []
      : [
          { Name: 'email', Value: user.email },
          { Name: 'email_verified', Value: 'true' },
        ]),
  ].filter((attribute) => attributesToGet === undefined || attributesToGet.includes(attribute.Name));
  return {
    Username: user.username,
    Attributes: attributes,
    UserCreateDate: seconds(user.createdAt),
    UserLastModifiedDate: seconds(user.createdAt),
    Enabled: user.enabled ?? true,
    UserStatus: 'CONFIRMED',
  };
};

const encodeToken = (userPoolId: string, filter: string, offset: number) =>
  Buffer.from(JSON.stringify([userPoolId, filter, offset])).toString('base64url');

function decodeToken(token: unknown, userPoolId: string, filter: string): number {
  if (token === undefined) return 0;
  try {
    const [pool, tokenFilter, offset] = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8'));
    if (pool === userPoolId && tokenFilter === filter && Number.isInteger(offset) && offset >= 0)
      return offset;
  } catch {
    // fall through
  }
  throw invalidParameter('Invalid pagination token.');
}

export const createCognito = (state: State) => {
  /** The users of the pool `userPoolId` names; it answers only in the region its id starts with. */
  const poolUsers = (userPoolId: unknown, ctx: RequestContext) => {
    if (userPoolId === undefined || userPoolId === null) {
      throw validation('userPoolId', undefined, 'Member must not be null');
    }
    if (typeof userPoolId !== 'string' || !USER_POOL_ID.test(userPoolId)) {
      throw validation(
        'userPoolId',
        userPoolId,
        'Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+',
      );
    }
    const users = userPoolId.startsWith(`${ctx.region}_`) ? state.cognitoUsers(userPoolId) : undefined;
    if (!users) {
      throw new ServiceError('ResourceNotFoundException', 400, `User pool ${userPoolId} does not exist.`);
    }
    return { poolId: userPoolId, users };
  };

  const listUsers = (input: Record<string, unknown>, ctx: RequestContext): WireResponse => {
    const { Limit: limit, Filter: filter = '', AttributesToGet: toGet } = input;
    const { poolId: userPoolId, users } = poolUsers(input.UserPoolId, ctx);
    if (
      limit !== undefined &&
      !(Number.isInteger(limit) && (limit as number) >= 0 && (limit as number) <= MAX_LIMIT)
    ) {
      throw validation('limit', limit, `Member must have value less than or equal to ${MAX_LIMIT}`);
    }
    if (typeof filter !== 'string' || filter.length > 256) {
      throw validation('filter', filter, 'Member must have length less than or equal to 256');
    }
    if (toGet !== undefined && !(Array.isArray(toGet) && toGet.every((name) => typeof name === 'string'))) {
      throw invalidParameter('AttributesToGet must be a list of attribute names.');
    }
    const matches = parseFilter(filter);
    const offset = decodeToken(input.PaginationToken, userPoolId, filter);
    const size = (limit as number | undefined) ?? MAX_LIMIT;
    const found = users.filter(matches);
    const page = found.slice(offset, offset + size);
    const next = offset + page.length;
    return jsonResponse(ctx.requestId, {
      Users: page.map((user) => userOutput(user, toGet as string[] | undefined)),
      ...(next < found.length &&
        page.length > 0 && { PaginationToken: encodeToken(userPoolId, filter, next) }),
    });
  };

  /** The username (case-insensitively, like a pool created with case-insensitive usernames) or the sub. */
  const adminDeleteUser = (input: Record<string, unknown>, ctx: RequestContext): WireResponse => {
    const { Username: username } = input;
    const { users } = poolUsers(input.UserPoolId, ctx);
    if (typeof username !== 'string' || username === '') {
      throw validation('username', undefined, 'Member must not be null');
    }
    const user = users.find(
      (candidate) =>
        candidate.username.toLowerCase() === username.toLowerCase() || candidate.sub === username,
    );
    if (!user || !state.deleteCognitoUser(user.userPoolId, user.username)) {
      throw new ServiceError('UserNotFoundException', 400, 'User does not exist.');
    }
    return jsonResponse(ctx.requestId, {});
  };

  return (operation: string, input: Record<string, unknown>, ctx: RequestContext): WireResponse => {
    try {
      if (operation === 'AdminDeleteUser') return adminDeleteUser(input, ctx);
      if (operation !== 'ListUsers') {
        throw new ServiceError('UnknownOperationException', 400, `Operation ${operation} is not supported.`);
      }
      return listUsers(input, ctx);
    } catch (e) {
      if (e instanceof ServiceError) return jsonError(ctx.requestId, e, 'message');
      throw e;
    }
  };
};
