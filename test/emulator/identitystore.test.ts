import {
  DeleteUserCommand,
  DescribeUserCommand,
  ListUsersCommand,
  type ListUsersCommandOutput,
} from '@aws-sdk/client-identitystore';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/server.ts';
import { failure, identityStoreClient } from './helpers.ts';

const STORE = 'd-1234567890';
const JANE = 'f4a8e4d8-e0b1-7052-3b5e-7c1f2a9d6e01';

describe('Identity Store DescribeUser through @aws-sdk/client-identitystore', () => {
  let emu: Emulator;

  beforeAll(async () => {
    emu = await startEmulator({
      seed: {
        identityStore: {
          identityStoreId: STORE,
          users: [
            {
              userId: JANE,
              userName: 'jane.doe@example.com',
              displayName: 'Jane Doe',
              emails: ['jane.doe@example.com'],
            },
          ],
        },
      },
    });
  });
  afterAll(async () => {
    await emu.stop();
  });

  it('returns the seeded user', async () => {
    // Prepare
    const client = identityStoreClient(emu);

    // Act
    const user = await client.send(new DescribeUserCommand({ IdentityStoreId: STORE, UserId: JANE }));

    // Assess
    expect(user.$metadata.httpStatusCode).toBe(200);
    expect(user.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(user).toMatchObject({
      IdentityStoreId: STORE,
      UserId: JANE,
      UserName: 'jane.doe@example.com',
      DisplayName: 'Jane Doe',
      Name: { GivenName: 'Jane', FamilyName: 'Doe', Formatted: 'Jane Doe' },
      Emails: [{ Value: 'jane.doe@example.com', Type: 'work', Primary: true }],
      UserStatus: 'ENABLED',
    });
  });

  it('answers ResourceNotFoundException (400, ResourceType USER) for an unknown user', async () => {
    // Prepare
    const client = identityStoreClient(emu);

    // Act
    const error = await failure(
      client.send(
        new DescribeUserCommand({ IdentityStoreId: STORE, UserId: '00000000-0000-0000-0000-000000000000' }),
      ),
    );

    // Assess
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$fault).toBe('client');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.ResourceType).toBe('USER');
    expect(error.ResourceId).toBe('00000000-0000-0000-0000-000000000000');
    expect(error.message).toBe('USER not found.');
  });

  it('answers ResourceNotFoundException (ResourceType IDENTITY_STORE) for an unknown identity store', async () => {
    // Prepare
    const client = identityStoreClient(emu);

    // Act
    const error = await failure(
      client.send(new DescribeUserCommand({ IdentityStoreId: 'd-0000000000', UserId: JANE })),
    );

    // Assess
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.ResourceType).toBe('IDENTITY_STORE');
  });

  it('answers ValidationException 400 when a required field is missing', async () => {
    // Prepare
    const client = identityStoreClient(emu);

    // Act
    const error = await failure(
      client.send(
        new DescribeUserCommand({ IdentityStoreId: STORE } as { IdentityStoreId: string; UserId: string }),
      ),
    );

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain("'userId'");
  });
});

describe('Identity Store ListUsers and DeleteUser through @aws-sdk/client-identitystore', () => {
  const userIds = Array.from(
    { length: 5 },
    (_, i) => `${String(i).padStart(8, '0')}-e0b1-7052-3b5e-7c1f2a9d6e01`,
  );
  let emu: Emulator;

  beforeAll(async () => {
    emu = await startEmulator({
      seed: {
        identityStore: {
          identityStoreId: STORE,
          users: userIds.map((userId, i) => ({
            userId,
            userName: `user-${i}@example.com`,
            emails: [`user-${i}@example.com`],
            externalIds: [{ issuer: 'https://idp.example.com', id: `ext-${i}` }],
          })),
        },
      },
    });
  });
  beforeEach(() => emu.reset());
  afterAll(async () => {
    await emu.stop();
  });

  it('lists every user page by page, following NextToken, with their external ids', async () => {
    // Prepare
    const client = identityStoreClient(emu);

    // Act
    const pages: ListUsersCommandOutput[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new ListUsersCommand({ IdentityStoreId: STORE, MaxResults: 2, NextToken: nextToken }),
      );
      pages.push(page);
      nextToken = page.NextToken;
    } while (nextToken);

    // Assess
    expect(pages.map((page) => page.Users?.length)).toEqual([2, 2, 1]);
    const users = pages.flatMap((page) => page.Users ?? []);
    expect(users.map((user) => user.UserId)).toEqual(userIds);
    expect(users[0]).toMatchObject({
      IdentityStoreId: STORE,
      UserName: 'user-0@example.com',
      Emails: [{ Value: 'user-0@example.com', Primary: true }],
      ExternalIds: [{ Issuer: 'https://idp.example.com', Id: 'ext-0' }],
    });
  });

  it('answers ValidationException for MaxResults out of range and for a foreign NextToken', async () => {
    // Prepare
    const client = identityStoreClient(emu);

    // Act
    const tooMany = await failure(
      client.send(new ListUsersCommand({ IdentityStoreId: STORE, MaxResults: 101 })),
    );
    const badToken = await failure(
      client.send(new ListUsersCommand({ IdentityStoreId: STORE, NextToken: 'not-a-token' })),
    );

    // Assess
    expect(tooMany.name).toBe('ValidationException');
    expect(tooMany.message).toContain("'maxResults'");
    expect(badToken.name).toBe('ValidationException');
  });

  it('deletes a user for good: DescribeUser and ListUsers no longer find it, a second delete is refused', async () => {
    // Prepare
    const client = identityStoreClient(emu);
    const [deleted = '', ...kept] = userIds;

    // Act
    const answer = await client.send(new DeleteUserCommand({ IdentityStoreId: STORE, UserId: deleted }));
    const described = await failure(
      client.send(new DescribeUserCommand({ IdentityStoreId: STORE, UserId: deleted })),
    );
    const listed = await client.send(new ListUsersCommand({ IdentityStoreId: STORE }));
    const again = await failure(
      client.send(new DeleteUserCommand({ IdentityStoreId: STORE, UserId: deleted })),
    );

    // Assess
    expect(answer.$metadata.httpStatusCode).toBe(200);
    expect(described.name).toBe('ResourceNotFoundException');
    expect(listed.Users?.map((user) => user.UserId)).toEqual(kept);
    expect(again.name).toBe('ResourceNotFoundException');
    expect(again.ResourceType).toBe('USER');
  });
});
