import { CognitoIdentityProviderClient, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  DescribeUserCommand,
  IdentitystoreClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-identitystore';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SdkClient } from '../../lambda/core/adapters/instrument-client.ts';
import { cognitoUserLookUp } from '../../lambda/revoker/adapters/cognito-users.ts';
import { identityStoreUserLookUp } from '../../lambda/revoker/adapters/identity-store.ts';

const identityStore = mockClient(IdentitystoreClient);
const cognito = mockClient(CognitoIdentityProviderClient);
const STORE = 'd-1234567890';
const USER_ID = '90677e1b-1d01-4b1f-a2b0-6b4b5d4c1234';
const SUB = 'f4a8b9c0-1234-4e5f-8a9b-0c1d2e3f4a5b';

/** Records the service of every client it is given, as the handlers' instrumentation would instrument it. */
function recordingInstrumentation() {
  const services: (string | undefined)[] = [];
  const instrumentClient = <Client extends SdkClient>(client: Client) => {
    services.push(client.config.serviceId);
    return client;
  };
  return { services, instrumentClient };
}

beforeEach(() => {
  identityStore.reset();
  cognito.reset();
});

describe('user-name look-ups', () => {
  it('finds an Identity Store user by id with every email as an alias, one instrumented client, and no name for an unknown id', async () => {
    // Prepare
    const { services, instrumentClient } = recordingInstrumentation();
    identityStore
      .on(DescribeUserCommand, { UserId: USER_ID })
      .resolves({
        UserName: 'jane.doe@example.com',
        UserId: USER_ID,
        IdentityStoreId: STORE,
        Emails: [{ Value: 'jane.doe@example.com', Primary: true }],
        ExternalIds: [{ Issuer: 'https://idp.example.com', Id: 'ext-1' }],
      })
      .on(DescribeUserCommand, { UserId: 'gone' })
      .rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
    const lookUp = identityStoreUserLookUp('eu-west-1', instrumentClient);

    // Act
    const found = await lookUp({ kind: 'identity-store-user', identityStoreId: STORE, userId: USER_ID });
    const missing = await lookUp({ kind: 'identity-store-user', identityStoreId: STORE, userId: 'gone' });

    // Assess
    expect(found).toEqual({
      user: { kind: 'identity-store-user', identityStoreId: STORE, userId: USER_ID },
      userName: 'jane.doe@example.com',
      emails: ['jane.doe@example.com'],
      externalIds: ['https://idp.example.com|ext-1'],
    });
    expect(missing).toBeUndefined();
    expect(services).toEqual(['identitystore']);
  });

  it('finds a Cognito user by sub, with its email and preferred username as aliases, one instrumented client per pool region', async () => {
    // Prepare
    const { services, instrumentClient } = recordingInstrumentation();
    cognito.on(ListUsersCommand).resolves({
      Users: [
        {
          Username: 'jane',
          Attributes: [
            { Name: 'email', Value: 'jane@example.com' },
            { Name: 'preferred_username', Value: 'jdoe' },
          ],
        },
      ],
    });
    const lookUp = cognitoUserLookUp(instrumentClient);

    // Act
    const names = [
      await lookUp({ kind: 'cognito-user', userPoolId: 'us-east-1_AbCdEf123', sub: SUB }),
      await lookUp({ kind: 'cognito-user', userPoolId: 'us-east-1_XyZ987654', sub: SUB }),
      await lookUp({ kind: 'cognito-user', userPoolId: 'eu-west-1_AbCdEf123', sub: SUB }),
    ];

    // Assess
    expect(names.map((user) => user?.userName)).toEqual(['jane', 'jane', 'jane']);
    expect(names[0]).toEqual({
      user: { kind: 'cognito-user', userPoolId: 'us-east-1_AbCdEf123', sub: SUB },
      userName: 'jane',
      emails: ['jane@example.com'],
      externalIds: [],
      otherNames: ['jdoe'],
    });
    expect(cognito.commandCalls(ListUsersCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'us-east-1_AbCdEf123',
      Filter: `sub = "${SUB}"`,
      Limit: 1,
    });
    expect(services).toEqual(['Cognito Identity Provider', 'Cognito Identity Provider']);
  });
});
