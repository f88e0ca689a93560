import { jsonError, jsonResponse, type RequestContext, ServiceError, type WireResponse } from './protocol.ts';
import type { IdentityStoreUser, State } from './state.ts';

/**
 * Identity Store `DescribeUser`, `ListUsers` (paginated by an opaque `NextToken`, `MaxResults` 1 to 100) and
 * `DeleteUser` (the user is gone for good: DescribeUser then answers ResourceNotFoundException), JSON 1.1
 * with target `AWSIdentityStore.<operation>`, over the seeded users.
 */

const MAX_RESULTS = 100;

const notNull = (field: string) =>
  new ServiceError(
    'ValidationException',
    400,
    `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
  );

/** HTTP 400 as the API Reference lists it (the Smithy model's `httpError` says 404; JSON 1.1 clients ignore it). */
const notFound = (resourceType: 'USER' | 'IDENTITY_STORE', resourceId: string, requestId: string) =>
  new ServiceError('ResourceNotFoundException', 400, `${resourceType} not found.`, {
    ResourceType: resourceType,
    ResourceId: resourceId,
    RequestId: requestId,
  });

const describeUserOutput = (user: IdentityStoreUser) => {
  const [given = user.userName, family = ''] = (user.displayName ?? user.userName).split(' ');
  const givenName = user.givenName ?? given;
  const familyName = user.familyName ?? family;
  return {
    IdentityStoreId: user.identityStoreId,
    UserId: user.userId,
    UserName: user.userName,
    DisplayName: user.displayName ?? `${givenName} ${familyName}`.trim(),
    Name: { Formatted: `${givenName} ${familyName}`.trim(), GivenName: givenName, FamilyName: familyName },
    Emails: (user.emails ?? []).map((value, i) => ({ Value: value, Type: 'work', Primary: i === 0 })),
    ...(user.externalIds && {
      ExternalIds: user.externalIds.map(({ issuer, id }) => ({ Issuer: issuer, Id: id })),
    }),
    UserStatus: user.status ?? 'ENABLED',
  };
};

const validation = (message: string) => new ServiceError('ValidationException', 400, message);

const encodeToken = (storeId: string, offset: number) =>
  Buffer.from(JSON.stringify([storeId, offset])).toString('base64url');

function decodeToken(token: unknown, storeId: string): number {
  if (token === undefined) return 0;
  try {
    const [store, offset] = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8'));
    if (store === storeId && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through
  }
  throw validation('The NextToken is invalid.');
}

export const createIdentityStore = (state: State) => {
  const describeUser = (input: Record<string, unknown>, ctx: RequestContext): WireResponse => {
    const { IdentityStoreId: storeId, UserId: userId } = input;
    if (typeof storeId !== 'string' || storeId === '') throw notNull('identityStoreId');
    if (typeof userId !== 'string' || userId === '') throw notNull('userId');
    if (!state.hasIdentityStore(storeId)) throw notFound('IDENTITY_STORE', storeId, ctx.requestId);
    const user = state.user(storeId, userId);
    if (!user) throw notFound('USER', userId, ctx.requestId);
    return jsonResponse(ctx.requestId, describeUserOutput(user));
  };

  const storeOf = (input: Record<string, unknown>, ctx: RequestContext) => {
    const { IdentityStoreId: storeId } = input;
    if (typeof storeId !== 'string' || storeId === '') throw notNull('identityStoreId');
    const users = state.identityStoreUsers(storeId);
    if (!users) throw notFound('IDENTITY_STORE', storeId, ctx.requestId);
    return { storeId, users };
  };

  const listUsers = (input: Record<string, unknown>, ctx: RequestContext): WireResponse => {
    const { storeId, users } = storeOf(input, ctx);
    const { MaxResults: maxResults } = input;
    if (
      maxResults !== undefined &&
      !(Number.isInteger(maxResults) && (maxResults as number) >= 1 && (maxResults as number) <= MAX_RESULTS)
    ) {
      throw validation(
        `1 validation error detected: Value '${String(maxResults)}' at 'maxResults' failed to satisfy ` +
          `constraint: Member must have value between 1 and ${MAX_RESULTS}`,
      );
    }
    const offset = decodeToken(input.NextToken, storeId);
    const page = users.slice(offset, offset + ((maxResults as number | undefined) ?? MAX_RESULTS));
    const next = offset + page.length;
    return jsonResponse(ctx.requestId, {
      Users: page.map(describeUserOutput),
      ...(next < users.length && { NextToken: encodeToken(storeId, next) }),
    });
  };

  const deleteUser = (input: Record<string, unknown>, ctx: RequestContext): WireResponse => {
    const { storeId } = storeOf(input, ctx);
    const { UserId: userId } = input;
    if (typeof userId !== 'string' || userId === '') throw notNull('userId');
    if (!state.deleteUser(storeId, userId)) throw notFound('USER', userId, ctx.requestId);
    return jsonResponse(ctx.requestId, {});
  };

  const operations: Readonly<Record<string, typeof describeUser>> = {
    DescribeUser: describeUser,
    ListUsers: listUsers,
    DeleteUser: deleteUser,
  };

  return (operation: string, input: Record<string, unknown>, ctx: RequestContext): WireResponse => {
    try {
      const run = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
      if (!run) {
        throw new ServiceError('UnknownOperationException', 400, `Operation ${operation} is not supported.`);
      }
      return run(input, ctx);
    } catch (e) {
      if (e instanceof ServiceError) return jsonError(ctx.requestId, e, 'Message');
      throw e;
    }
  };
};
