import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/server.ts';

/**
 * Fidelity check with the real AWS CLI v2 (botocore parses the XML differently from SDK v3).
 * Needs /usr/bin/aws v2; the test fails (it does not skip) when it is missing.
 */

const AWS = '/usr/bin/aws';
const ENDPOINT = 'cvpn-endpoint-0a1b2c3d4e5f6a7b8';
const MEMBER = '444455556666';
const MEMBER_ROLE = `arn:aws:iam::${MEMBER}:role/client-vpn-revoker-member`;
const MEMBER_ENDPOINT = 'cvpn-endpoint-0c0c0c0c0c0c0c0c0';
const STORE = 'd-9067a1b2c3';
const STORE_USER = '94a8e4d8-e0b1-7052-3b5e-7c1f2a9d6e01';
const POOL = 'us-east-1_ExAmPlE12';
const POOL_USER_SUB = 'f4b8c4d8-2071-70c3-8e5f-1a2b3c4d5e6f';
const run = promisify(execFile);

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('AWS CLI v2 against the emulator', () => {
  let emu: Emulator;

  /** Runs the CLI with static home-account keys, or with `credentials` (e.g. from assume-role). */
  const awsAs = async (
    credentials: Record<string, string> | undefined,
    ...args: string[]
  ): Promise<CliResult> => {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      ...(credentials ?? {
        AWS_ACCESS_KEY_ID: 'AKIAEMULATOR0000TEST',
        AWS_SECRET_ACCESS_KEY: 'emulator-secret',
      }),
      AWS_PAGER: '',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_MAX_ATTEMPTS: '1',
    };
    const common = ['--endpoint-url', emu.url, '--region', 'us-east-1', '--output', 'json'];
    try {
      const { stdout, stderr } = await run(AWS, [...common, ...args], { env, timeout: 15_000 });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const error = e as { code?: number; stdout?: string; stderr?: string };
      return { code: error.code ?? -1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' };
    }
  };

  const aws = (...args: string[]) => awsAs(undefined, ...args);

  /** Runs a command that must succeed and parses its JSON output. */
  const awsJson = <T>(...args: string[]): Promise<T> => awsJsonAs<T>(undefined, ...args);

  const awsJsonAs = async <T>(
    credentials: Record<string, string> | undefined,
    ...args: string[]
  ): Promise<T> => {
    const result = await awsAs(credentials, ...args);
    if (result.code !== 0) throw new Error(`aws ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  };

  beforeAll(async () => {
    if (!existsSync(AWS)) {
      throw new Error(
        `AWS CLI v2 not found at ${AWS}: install it (https://aws.amazon.com/cli/) to run this test`,
      );
    }
    const { stdout } = await run(AWS, ['--version']);
    if (!stdout.startsWith('aws-cli/2.')) throw new Error(`${AWS} is not AWS CLI v2: ${stdout.trim()}`);
    emu = await startEmulator({
      seed: {
        roles: [MEMBER_ROLE],
        identityStore: {
          identityStoreId: STORE,
          users: [{ userId: STORE_USER, userName: 'jane.doe@example.com' }],
        },
        cognitoUserPools: [
          { userPoolId: POOL, users: [{ username: 'jane.doe@example.com', sub: POOL_USER_SUB }] },
        ],
        endpoints: [
          {
            id: MEMBER_ENDPOINT,
            accountId: MEMBER,
            region: 'us-east-1',
            authType: 'saml',
            connections: [{ id: 'cvpn-connection-0ccccccccccccccc1', username: 'jane.doe@example.com' }],
          },
          {
            id: ENDPOINT,
            region: 'us-east-1',
            authType: 'saml',
            tags: { 'client-vpn-revoker': 'enabled' },
            connections: [
              { id: 'cvpn-connection-0aaaaaaaaaaaaaaa1', username: 'jane.doe@example.com' },
              { id: 'cvpn-connection-0aaaaaaaaaaaaaaa2', username: 'Jane.Doe@example.com' },
              { id: 'cvpn-connection-0aaaaaaaaaaaaaaa3', username: 'jane.doe@example.com' },
              ...Array.from({ length: 20 }, (_, i) => ({ username: `user-${i}@example.com` })),
            ],
          },
          {
            id: 'cvpn-endpoint-cert',
            region: 'us-east-1',
            authType: 'certificate',
            connections: [{ id: 'cvpn-connection-0bbbbbbbbbbbbbbb1', commonName: 'jane.doe@example.com' }],
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await emu?.stop();
  });

  it('describe-client-vpn-endpoints', async () => {
    // Act
    const result = await awsJson<{
      ClientVpnEndpoints: { ClientVpnEndpointId: string; Status: { Code: string }; Tags: unknown[] }[];
    }>('ec2', 'describe-client-vpn-endpoints');

    // Assess
    expect(result.ClientVpnEndpoints.map((e) => [e.ClientVpnEndpointId, e.Status.Code])).toEqual([
      [ENDPOINT, 'available'],
      ['cvpn-endpoint-cert', 'available'],
    ]);
    expect(result.ClientVpnEndpoints[0]?.Tags).toEqual([{ Key: 'client-vpn-revoker', Value: 'enabled' }]);
  });

  it('describe-client-vpn-connections with a username filter, and following NextToken', async () => {
    // Act
    const filtered = await awsJson<{
      Connections: { ConnectionId: string; Username: string; CommonName: string }[];
    }>(
      'ec2',
      'describe-client-vpn-connections',
      '--client-vpn-endpoint-id',
      ENDPOINT,
      '--filters',
      'Name=username,Values=jane.doe@example.com',
    );
    const paged = await awsJson<{ Connections: { ConnectionId: string; Status: { Code: string } }[] }>(
      'ec2',
      'describe-client-vpn-connections',
      '--client-vpn-endpoint-id',
      ENDPOINT,
      '--page-size',
      '5',
      '--max-items',
      '100',
    );

    // Assess
    expect(filtered.Connections.map((c) => [c.ConnectionId, c.Username, c.CommonName])).toEqual([
      ['cvpn-connection-0aaaaaaaaaaaaaaa1', 'jane.doe@example.com', ''],
      ['cvpn-connection-0aaaaaaaaaaaaaaa3', 'jane.doe@example.com', ''],
    ]);
    expect(paged.Connections).toHaveLength(23);
    expect(new Set(paged.Connections.map((c) => c.ConnectionId)).size).toBe(23);
    expect(paged.Connections.every((c) => c.Status.Code === 'active')).toBe(true);
    const pages = emu.calls().filter((c) => c.params.MaxResults === '5');
    expect(pages).toHaveLength(5);
  });

  it('terminate-client-vpn-connections by --connection-id and by --username', async () => {
    // Act
    const byId = await awsJson<{
      ClientVpnEndpointId: string;
      ConnectionStatuses: {
        ConnectionId: string;
        PreviousStatus: { Code: string };
        CurrentStatus: { Code: string };
      }[];
    }>(
      'ec2',
      'terminate-client-vpn-connections',
      '--client-vpn-endpoint-id',
      'cvpn-endpoint-cert',
      '--connection-id',
      'cvpn-connection-0bbbbbbbbbbbbbbb1',
    );
    const byUser = await awsJson<{ Username: string; ConnectionStatuses: { ConnectionId: string }[] }>(
      'ec2',
      'terminate-client-vpn-connections',
      '--client-vpn-endpoint-id',
      ENDPOINT,
      '--username',
      'jane.doe@example.com',
    );

    // Assess
    expect(byId).toEqual({
      ClientVpnEndpointId: 'cvpn-endpoint-cert',
      ConnectionStatuses: [
        {
          ConnectionId: 'cvpn-connection-0bbbbbbbbbbbbbbb1',
          PreviousStatus: { Code: 'active' },
          CurrentStatus: { Code: 'terminating' },
        },
      ],
    });
    expect(byUser.Username).toBe('jane.doe@example.com');
    expect(byUser.ConnectionStatuses.map((s) => s.ConnectionId)).toEqual([
      'cvpn-connection-0aaaaaaaaaaaaaaa1',
      'cvpn-connection-0aaaaaaaaaaaaaaa3',
    ]);
    expect(emu.connections({ username: 'Jane.Doe@example.com' })[0]?.status).toBe('active');
  });

  it('modify-client-vpn-endpoint --client-connect-options, then describe-client-vpn-endpoints shows it', async () => {
    // Prepare
    const handler = 'arn:aws:lambda:us-east-1:111122223333:function:AWSClientVPN-connect-handler';

    // Act
    const modified = await awsJson<{ Return: boolean }>(
      'ec2',
      'modify-client-vpn-endpoint',
      '--client-vpn-endpoint-id',
      'cvpn-endpoint-cert',
      '--client-connect-options',
      `Enabled=true,LambdaFunctionArn=${handler}`,
    );
    const described = await awsJson<{
      ClientVpnEndpoints: { ClientConnectOptions: { Enabled: boolean; LambdaFunctionArn?: string } }[];
    }>('ec2', 'describe-client-vpn-endpoints', '--client-vpn-endpoint-ids', 'cvpn-endpoint-cert');
    const invalid = await aws(
      'ec2',
      'modify-client-vpn-endpoint',
      '--client-vpn-endpoint-id',
      'cvpn-endpoint-cert',
      '--client-connect-options',
      'Enabled=true,LambdaFunctionArn=arn:aws:lambda:us-east-1:111122223333:function:handler',
    );

    // Assess
    expect(modified).toEqual({ Return: true });
    expect(described.ClientVpnEndpoints[0]?.ClientConnectOptions).toEqual({
      Enabled: true,
      LambdaFunctionArn: handler,
      Status: { Code: 'applied' },
    });
    expect([254, 255]).toContain(invalid.code);
    expect(invalid.stderr).toContain('InvalidParameterValue');
    expect(invalid.stderr).toContain("must start with 'AWSClientVPN-'");
  });

  it('sts assume-role returns credentials that list the member account’s connections', async () => {
    // Act
    const assumed = await awsJson<{
      Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
      AssumedRoleUser: { Arn: string; AssumedRoleId: string };
    }>('sts', 'assume-role', '--role-arn', MEMBER_ROLE, '--role-session-name', 'incident-42');
    const member = {
      AWS_ACCESS_KEY_ID: assumed.Credentials.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: assumed.Credentials.SecretAccessKey,
      AWS_SESSION_TOKEN: assumed.Credentials.SessionToken,
    };
    const identity = await awsJsonAs<{ Account: string; Arn: string; UserId: string }>(
      member,
      'sts',
      'get-caller-identity',
    );
    const connections = await awsJsonAs<{ Connections: { ConnectionId: string; Username: string }[] }>(
      member,
      'ec2',
      'describe-client-vpn-connections',
      '--client-vpn-endpoint-id',
      MEMBER_ENDPOINT,
    );
    const homeIdentity = await awsJson<{ Account: string }>('sts', 'get-caller-identity');
    const homeLookup = await aws(
      'ec2',
      'describe-client-vpn-connections',
      '--client-vpn-endpoint-id',
      MEMBER_ENDPOINT,
    );
    const denied = await aws(
      'sts',
      'assume-role',
      '--role-arn',
      `arn:aws:iam::${MEMBER}:role/not-seeded`,
      '--role-session-name',
      'incident-42',
    );

    // Assess
    expect(assumed.Credentials.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(Date.parse(assumed.Credentials.Expiration)).toBeGreaterThan(Date.now() + 3_500_000);
    expect(assumed.AssumedRoleUser.Arn).toBe(
      `arn:aws:sts::${MEMBER}:assumed-role/client-vpn-revoker-member/incident-42`,
    );
    expect(identity).toEqual({
      Account: MEMBER,
      Arn: assumed.AssumedRoleUser.Arn,
      UserId: assumed.AssumedRoleUser.AssumedRoleId,
    });
    expect(connections.Connections.map((c) => [c.ConnectionId, c.Username])).toEqual([
      ['cvpn-connection-0ccccccccccccccc1', 'jane.doe@example.com'],
    ]);
    expect(homeIdentity.Account).toBe('111122223333');
    expect(homeLookup.stderr).toContain('InvalidClientVpnEndpointId.NotFound');
    expect([254, 255]).toContain(denied.code);
    expect(denied.stderr).toContain('An error occurred (AccessDenied) when calling the AssumeRole operation');
    expect(
      emu
        .calls()
        .filter((c) => c.service === 'sts')
        .map((c) => [c.action, c.accountId, c.status]),
    ).toEqual([
      ['AssumeRole', '111122223333', 200],
      ['GetCallerIdentity', MEMBER, 200],
      ['GetCallerIdentity', '111122223333', 200],
      ['AssumeRole', '111122223333', 403],
    ]);
  });

  it('identitystore list-users and delete-user, cognito-idp admin-delete-user: the users are gone for good', async () => {
    // Act
    const listed = await awsJson<{ Users: { UserId: string }[] }>(
      'identitystore',
      'list-users',
      '--identity-store-id',
      STORE,
    );
    const deleted = await aws(
      'identitystore',
      'delete-user',
      '--identity-store-id',
      STORE,
      '--user-id',
      STORE_USER,
    );
    const described = await aws(
      'identitystore',
      'describe-user',
      '--identity-store-id',
      STORE,
      '--user-id',
      STORE_USER,
    );
    const poolDeleted = await aws(
      'cognito-idp',
      'admin-delete-user',
      '--user-pool-id',
      POOL,
      '--username',
      'jane.doe@example.com',
    );
    const again = await aws(
      'cognito-idp',
      'admin-delete-user',
      '--user-pool-id',
      POOL,
      '--username',
      'jane.doe@example.com',
    );

    // Assess
    expect(listed.Users.map((user) => user.UserId)).toEqual([STORE_USER]);
    expect(deleted.code).toBe(0);
    expect(described.stderr).toContain('ResourceNotFoundException');
    expect(poolDeleted.code).toBe(0);
    expect(again.stderr).toContain('UserNotFoundException');
  });

  it('reports an unknown endpoint as InvalidClientVpnEndpointId.NotFound', async () => {
    // Act
    const result = await aws(
      'ec2',
      'describe-client-vpn-connections',
      '--client-vpn-endpoint-id',
      'cvpn-endpoint-0nope',
    );

    // Assess
    expect([254, 255]).toContain(result.code);
    expect(result.stderr).toContain('InvalidClientVpnEndpointId.NotFound');
    expect(result.stderr).toContain("The Client VPN endpoint ID 'cvpn-endpoint-0nope' does not exist");
  });
});
