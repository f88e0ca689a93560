import {
  AdminDeleteUserCommand,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidSeedError } from '../../emulator/seed.ts';
import { type Emulator, startEmulator } from '../../emulator/server.ts';
import { cognitoClient, failure } from './helpers.ts';

const POOL = 'us-east-1_ExAmPlE12';
const JANE_SUB = 'f4b8c4d8-2071-70c3-8e5f-1a2b3c4d5e6f';

/**
 * A hand-made JSON 1.1 call, as `@aws-sdk/client-cognito-identity-provider` sends it (that client is not a
 * dependency yet; the wire format is the same as Identity Store's, which the SDK tests cover).
 */
async function cognitoCall(
  emu: Emulator,
  input: unknown,
  { region = 'us-east-1', action = 'ListUsers' } = {},
) {
  const response = await fetch(emu.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${action}`,
      authorization: `AWS4-HMAC-SHA256 Credential=AKID/20260101/${region}/cognito-idp/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(input),
  });
  return {
    status: response.status,
    errorType: response.headers.get('x-amzn-errortype'),
    body: (await response.json()) as Record<string, unknown> & {
      Users?: { Username: string; Attributes: { Name: string; Value: string }[]; [key: string]: unknown }[];
      PaginationToken?: string;
    },
  };
}

const usernames = (body: { Users?: { Username: string }[] }) => body.Users?.map((user) => user.Username);

describe('Cognito ListUsers', () => {
  let emu: Emulator;

  beforeAll(async () => {
    emu = await startEmulator({
      seed: {
        cognitoUserPools: [
          {
            userPoolId: POOL,
            users: [
              { username: 'jane.doe@example.com', sub: JANE_SUB, email: 'jane.doe@example.com' },
              {
                username: 'omar.haddad',
                sub: '0a1b2c3d-4e5f-7061-8a9b-0c1d2e3f4a5b',
                email: 'omar.haddad@example.com',
                enabled: false,
              },
              { username: 'jane.doe2', sub: '1b2c3d4e-5f60-7172-9bac-1d2e3f4a5b6c' },
              { username: 'quote"user', sub: '2c3d4e5f-6071-7283-acbd-2e3f4a5b6c7d' },
            ],
          },
          { userPoolId: 'eu-west-1_EuPoOl001', users: [] },
        ],
      },
    });
  });
  beforeEach(() => emu.reset());
  afterAll(async () => {
    await emu.stop();
  });

  it('finds a user by sub, as the revoker looks it up', async () => {
    // Prepare
    const input = { UserPoolId: POOL, Filter: `sub = "${JANE_SUB}"`, Limit: 1 };

    // Act
    const { status, body } = await cognitoCall(emu, input);

    // Assess
    expect(status).toBe(200);
    expect(body).toEqual({
      Users: [
        {
          Username: 'jane.doe@example.com',
          Attributes: [
            { Name: 'sub', Value: JANE_SUB },
            { Name: 'email', Value: 'jane.doe@example.com' },
            { Name: 'email_verified', Value: 'true' },
          ],
          UserCreateDate: expect.any(Number),
          UserLastModifiedDate: expect.any(Number),
          Enabled: true,
          UserStatus: 'CONFIRMED',
        },
      ],
    });
  });

  it('answers an empty list when no user has the sub (e.g. after AdminDeleteUser)', async () => {
    // Prepare
    const input = { UserPoolId: POOL, Filter: 'sub = "00000000-0000-0000-0000-000000000000"', Limit: 1 };

    // Act
    const { status, body } = await cognitoCall(emu, input);

    // Assess
    expect(status).toBe(200);
    expect(body).toEqual({ Users: [] });
  });

  it.each([
    ['username, case-insensitively', 'username = "JANE.DOE@example.com"', ['jane.doe@example.com']],
    ['email, exactly', 'email = "omar.haddad@example.com"', ['omar.haddad']],
    ['email, not by case', 'email = "Omar.Haddad@example.com"', []],
    ['a username prefix', 'username ^= "jane.doe"', ['jane.doe@example.com', 'jane.doe2']],
    ['disabled users', 'status = "Disabled"', ['omar.haddad']],
    ['an escaped quote', 'username = "quote\\"user"', ['quote"user']],
    ['an attribute no user has', 'phone_number = "+15555550100"', []],
    ['no filter', '', ['jane.doe@example.com', 'omar.haddad', 'jane.doe2', 'quote"user']],
  ])('filters by %s', async (_, filter, expected) => {
    // Prepare
    const input = { UserPoolId: POOL, Filter: filter };

    // Act
    const { body } = await cognitoCall(emu, input);

    // Assess
    expect(usernames(body)).toEqual(expected);
  });

  it('returns only the attributes asked for', async () => {
    // Prepare
    const input = { UserPoolId: POOL, Filter: `sub = "${JANE_SUB}"`, AttributesToGet: ['email'] };

    // Act
    const { body } = await cognitoCall(emu, input);

    // Assess
    expect(body.Users?.[0]?.Attributes).toEqual([{ Name: 'email', Value: 'jane.doe@example.com' }]);
  });

  it('pages with PaginationToken', async () => {
    // Prepare
    const pages: (string[] | undefined)[] = [];
    let token: string | undefined;

    // Act
    do {
      const { body } = await cognitoCall(emu, { UserPoolId: POOL, Limit: 3, PaginationToken: token });
      pages.push(usernames(body));
      token = body.PaginationToken;
    } while (token);

    // Assess
    expect(pages).toEqual([['jane.doe@example.com', 'omar.haddad', 'jane.doe2'], ['quote"user']]);
  });

  it.each([
    [
      'an unknown pool',
      { UserPoolId: 'us-east-1_NoSuchPool' },
      'us-east-1',
      'User pool us-east-1_NoSuchPool does not exist.',
    ],
    ['a pool of another region', { UserPoolId: 'eu-west-1_EuPoOl001' }, 'us-east-1', /does not exist/],
    ['a pool asked for in the wrong region', { UserPoolId: POOL }, 'eu-west-1', /does not exist/],
  ])('answers ResourceNotFoundException for %s', async (_, input, region, message) => {
    // Prepare — input above

    // Act
    const { status, errorType, body } = await cognitoCall(emu, input, { region });

    // Assess
    expect(status).toBe(400);
    expect(errorType).toBe('ResourceNotFoundException');
    expect(body.__type).toBe('ResourceNotFoundException');
    expect(body.message).toMatch(message);
  });

  it.each([
    ['an unquoted value', { UserPoolId: POOL, Filter: `sub = ${JANE_SUB}` }, /parsing filter/],
    ['an unsupported attribute', { UserPoolId: POOL, Filter: 'custom:department = "it"' }, /parsing filter/],
    ['an unsupported operator', { UserPoolId: POOL, Filter: 'sub != "x"' }, /parsing filter/],
    ['two conditions', { UserPoolId: POOL, Filter: 'sub = "a" and email = "b"' }, /parsing filter/],
    ['a Limit above 60', { UserPoolId: POOL, Limit: 61 }, /at 'limit'/],
    ['no UserPoolId', {}, /Value null at 'userPoolId'/],
    ['a malformed UserPoolId', { UserPoolId: 'ExAmPlE12' }, /regular expression pattern/],
    ['a foreign PaginationToken', { UserPoolId: POOL, PaginationToken: 'bm9wZQ' }, /pagination token/],
  ])('answers InvalidParameterException for %s', async (_, input, message) => {
    // Prepare — input above

    // Act
    const { status, errorType, body } = await cognitoCall(emu, input);

    // Assess
    expect(status).toBe(400);
    expect(errorType).toBe('InvalidParameterException');
    expect(body.message).toMatch(message);
  });

  it('answers UnknownOperationException for other Cognito actions', async () => {
    // Prepare
    const input = { UserPoolId: POOL, Username: 'jane.doe@example.com' };

    // Act
    const { status, errorType } = await cognitoCall(emu, input, { action: 'AdminGetUser' });

    // Assess
    expect(status).toBe(400);
    expect(errorType).toBe('UnknownOperationException');
  });

  it('logs the call as cognito-idp and points AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER here', async () => {
    // Prepare
    const input = { UserPoolId: POOL, Filter: `sub = "${JANE_SUB}"` };

    // Act
    await cognitoCall(emu, input);

    // Assess
    expect(emu.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER).toBe(emu.url);
    expect(emu.calls()).toMatchObject([
      { service: 'cognito-idp', action: 'ListUsers', region: 'us-east-1', status: 200, params: input },
    ]);
  });

  it('adds users to a known pool when seeded again, and reset() goes back to the start seed', async () => {
    // Prepare
    emu.seed({ cognitoUserPools: [{ userPoolId: POOL, users: [{ username: 'late.joiner', sub: 'x-1' }] }] });
    const before = await cognitoCall(emu, { UserPoolId: POOL, Filter: 'username = "late.joiner"' });

    // Act
    emu.reset();
    const after = await cognitoCall(emu, { UserPoolId: POOL, Filter: 'username = "late.joiner"' });

    // Assess
    expect(usernames(before.body)).toEqual(['late.joiner']);
    expect(usernames(after.body)).toEqual([]);
  });

  it('refuses a seed with a malformed user pool id', () => {
    // Prepare
    const seed = { cognitoUserPools: [{ userPoolId: 'ExAmPlE12', users: [] }] };

    // Act
    const load = () => emu.seed(seed);

    // Assess
    expect(load).toThrow(InvalidSeedError);
    expect(load).toThrow(/cognitoUserPools/);
  });
});

describe('Cognito AdminDeleteUser and unfiltered ListUsers through @aws-sdk/client-cognito-identity-provider', () => {
  const subs = Array.from(
    { length: 5 },
    (_, i) => `${String(i).padStart(8, '0')}-2071-70c3-8e5f-1a2b3c4d5e6f`,
  );
  let emu: Emulator;

  beforeAll(async () => {
    emu = await startEmulator({
      seed: {
        cognitoUserPools: [
          {
            userPoolId: POOL,
            users: subs.map((sub, i) => ({ username: `user-${i}`, sub, email: `user-${i}@example.com` })),
          },
        ],
      },
    });
  });
  beforeEach(() => emu.reset());
  afterAll(async () => {
    await emu.stop();
  });

  const listAll = async (client: CognitoIdentityProviderClient) => {
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListUsersCommand({ UserPoolId: POOL, Limit: 2, PaginationToken: token }),
      );
      pages.push((page.Users ?? []).map((user) => user.Username ?? ''));
      token = page.PaginationToken;
    } while (token);
    return pages;
  };

  it('lists every user without a filter, page by page', async () => {
    // Prepare
    const client = cognitoClient(emu);

    // Act
    const pages = await listAll(client);

    // Assess
    expect(pages).toEqual([['user-0', 'user-1'], ['user-2', 'user-3'], ['user-4']]);
  });

  it('deletes a user for good, by username in any case: ListUsers finds it neither listed nor by sub', async () => {
    // Prepare
    const client = cognitoClient(emu);

    // Act
    const answer = await client.send(new AdminDeleteUserCommand({ UserPoolId: POOL, Username: 'USER-0' }));
    const bySub = await client.send(new ListUsersCommand({ UserPoolId: POOL, Filter: `sub = "${subs[0]}"` }));
    const pages = await listAll(client);
    const again = await failure(
      client.send(new AdminDeleteUserCommand({ UserPoolId: POOL, Username: 'user-0' })),
    );
    const unknownPool = await failure(
      client.send(new AdminDeleteUserCommand({ UserPoolId: 'us-east-1_NoSuchPool', Username: 'user-1' })),
    );

    // Assess
    expect(answer.$metadata.httpStatusCode).toBe(200);
    expect(bySub.Users).toEqual([]);
    expect(pages.flat()).toEqual(['user-1', 'user-2', 'user-3', 'user-4']);
    expect(again.name).toBe('UserNotFoundException');
    expect(again.message).toBe('User does not exist.');
    expect(unknownPool.name).toBe('ResourceNotFoundException');
  });
});
