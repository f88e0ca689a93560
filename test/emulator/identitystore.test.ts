import { DescribeUserCommand } from '@aws-sdk/client-identitystore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
