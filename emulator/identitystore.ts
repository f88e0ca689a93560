import { jsonError, jsonResponse, type RequestContext, ServiceError, type WireResponse } from './protocol.ts';
import type { IdentityStoreUser, State } from './state.ts';

/** Identity Store `DescribeUser` (JSON 1.1, target `AWSIdentityStore.DescribeUser`) over the seeded users. */

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
    UserStatus: user.status ?? 'ENABLED',
  };
};

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

  return (operation: string, input: Record<string, unknown>, ctx: RequestContext): WireResponse => {
    try {
      if (operation !== 'DescribeUser') {
        throw new ServiceError('UnknownOperationException', 400, `Operation ${operation} is not supported.`);
      }
      return describeUser(input, ctx);
    } catch (e) {
      if (e instanceof ServiceError) return jsonError(ctx.requestId, e, 'Message');
      throw e;
    }
  };
};
