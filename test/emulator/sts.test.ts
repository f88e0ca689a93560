import {
  DescribeClientVpnConnectionsCommand,
  DescribeClientVpnEndpointsCommand,
  ModifyClientVpnEndpointCommand,
  TerminateClientVpnConnectionsCommand,
} from '@aws-sdk/client-ec2';
import {
  AssumeRoleCommand,
  type AssumeRoleCommandInput,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { describe, expect, it, vi } from 'vitest';
import type { Seed } from '../../emulator/seed.ts';
import {
  assumeRole,
  type Credentials,
  ec2Client,
  failure,
  rawQuery,
  stsClient,
  useEmulator,
} from './helpers.ts';

const HOME = '111122223333';
const MEMBER = '444455556666';
const OTHER = '777788889999';
const MEMBER_ROLE = `arn:aws:iam::${MEMBER}:role/client-vpn-revoker-member`;
/** A role with a path: the assumed-role ARN names only the role, not the path. */
const OTHER_ROLE = `arn:aws:iam::${OTHER}:role/security/revokers/client-vpn-revoker`;
const HOME_CALLER = `arn:aws:sts::${HOME}:assumed-role/client-vpn-revoker/emulator`;
const HOME_ENDPOINT = 'cvpn-endpoint-0aaaaaaaaaaaaaaa0';
const MEMBER_ENDPOINT = 'cvpn-endpoint-0bbbbbbbbbbbbbbb0';
const HOME_JANE = 'cvpn-connection-0aaaaaaaaaaaaaaa1';
const MEMBER_JANE = 'cvpn-connection-0bbbbbbbbbbbbbbb1';
const MEMBER_OMAR = 'cvpn-connection-0bbbbbbbbbbbbbbb2';
const HANDLER = (account: string) =>
  `arn:aws:lambda:us-east-1:${account}:function:AWSClientVPN-connect-handler`;

/** A SAML endpoint in us-east-1 of `accountId`, with one active connection per `[id, username]`. */
const samlEndpoint = (id: string, accountId: string, connections: readonly [string, string][]) => ({
  id,
  accountId,
  region: 'us-east-1',
  authType: 'saml' as const,
  connections: connections.map(([connectionId, username]) => ({ id: connectionId, username })),
});

const seed: Seed = {
  roles: [MEMBER_ROLE, OTHER_ROLE],
  endpoints: [
    samlEndpoint(HOME_ENDPOINT, HOME, [[HOME_JANE, 'jane.doe@example.com']]),
    samlEndpoint(MEMBER_ENDPOINT, MEMBER, [
      [MEMBER_JANE, 'jane.doe@example.com'],
      [MEMBER_OMAR, 'omar.haddad@example.com'],
    ]),
  ],
};

const SECONDS_TOLERANCE_MS = 5_000;

describe('STS AssumeRole through @aws-sdk/client-sts', () => {
  const emu = useEmulator({ seed });

  const assume = (input: Partial<AssumeRoleCommandInput>, as?: Credentials) =>
    stsClient(emu, as).send(new AssumeRoleCommand(input as AssumeRoleCommandInput));

  it('answers the real shape: assumed-role ARN, AROA id, ASIA key, expiration on the emulated clock', async () => {
    // Prepare: emulated time a day ahead of the wall clock
    emu.advanceTime(24 * 3_600_000);
    const emulatedNow = Date.now() + 24 * 3_600_000;

    // Act
    const short = await assume({ RoleArn: MEMBER_ROLE, RoleSessionName: 'revoke-1', DurationSeconds: 900 });
    const byDefault = await assume({ RoleArn: OTHER_ROLE, RoleSessionName: 'revoke-2', ExternalId: 'ext-1' });

    // Assess
    expect(short.$metadata.httpStatusCode).toBe(200);
    expect(short.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(short.AssumedRoleUser).toEqual({
      Arn: `arn:aws:sts::${MEMBER}:assumed-role/client-vpn-revoker-member/revoke-1`,
      AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}:revoke-1$/),
    });
    expect(short.Credentials).toEqual({
      AccessKeyId: expect.stringMatching(/^ASIA[A-Z2-7]{16}$/),
      SecretAccessKey: expect.stringMatching(/^[A-Za-z0-9+/]{40}$/),
      SessionToken: expect.stringMatching(/^[A-Za-z0-9+/]{100,}$/),
      Expiration: expect.any(Date),
    });
    expect(Math.abs((short.Credentials?.Expiration?.getTime() ?? 0) - (emulatedNow + 900_000))).toBeLessThan(
      SECONDS_TOLERANCE_MS,
    );
    expect(byDefault.AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${OTHER}:assumed-role/client-vpn-revoker/revoke-2`,
    );
    expect(
      Math.abs((byDefault.Credentials?.Expiration?.getTime() ?? 0) - (emulatedNow + 3_600_000)),
    ).toBeLessThan(SECONDS_TOLERANCE_MS);
  });

  it('writes the awsQuery XML: AssumeRoleResult, AssumedRoleUser before Credentials, ResponseMetadata', async () => {
    // Act
    const { status, headers, text } = await rawQuery(
      emu,
      `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(MEMBER_ROLE)}&RoleSessionName=raw`,
      { service: 'sts' },
    );

    // Assess
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/xml');
    const requestId = headers.get('x-amzn-requestid');
    expect(text).toMatch(
      new RegExp(
        '^<\\?xml version="1.0" encoding="UTF-8"\\?>\\n' +
          '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>' +
          `<AssumedRoleUser><Arn>arn:aws:sts::${MEMBER}:assumed-role/client-vpn-revoker-member/raw</Arn>` +
          '<AssumedRoleId>AROA[A-Z2-7]{17}:raw</AssumedRoleId></AssumedRoleUser>' +
          '<Credentials><AccessKeyId>ASIA[A-Z2-7]{16}</AccessKeyId><SecretAccessKey>[^<]{40}</SecretAccessKey>' +
          '<SessionToken>[^<]+</SessionToken><Expiration>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ</Expiration>' +
          '</Credentials></AssumeRoleResult>' +
          `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></AssumeRoleResponse>$`,
      ),
    );
  });

  it('issues new credentials on every call; the role id stays the same', async () => {
    // Act
    const first = await assume({ RoleArn: MEMBER_ROLE, RoleSessionName: 'same' });
    const second = await assume({ RoleArn: MEMBER_ROLE, RoleSessionName: 'same' });

    // Assess
    expect(second.Credentials?.AccessKeyId).not.toBe(first.Credentials?.AccessKeyId);
    expect(second.Credentials?.SecretAccessKey).not.toBe(first.Credentials?.SecretAccessKey);
    expect(second.AssumedRoleUser?.AssumedRoleId).toBe(first.AssumedRoleUser?.AssumedRoleId);
  });

  it('answers 403 AccessDenied, naming the caller and the role, for a role that was not seeded', async () => {
    // Prepare
    const unseeded = `arn:aws:iam::${MEMBER}:role/not-seeded`;

    // Act
    const error = await failure(assume({ RoleArn: unseeded, RoleSessionName: 'revoke' }));

    // Assess
    expect(error.name).toBe('AccessDenied');
    expect(error.$fault).toBe('client');
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).toBe(
      `User: ${HOME_CALLER} is not authorized to perform: sts:AssumeRole on resource: ${unseeded}`,
    );
    expect(emu.calls()).toEqual([
      expect.objectContaining({
        service: 'sts',
        action: 'AssumeRole',
        accountId: HOME,
        status: 403,
        errorCode: 'AccessDenied',
      }),
    ]);
  });

  it('writes errors in the awsQuery envelope with Type Sender', async () => {
    // Act
    const { status, headers, text } = await rawQuery(
      emu,
      'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A444455556666%3Arole%2Fnope&RoleSessionName=raw',
      { service: 'sts' },
    );

    // Assess
    expect(status).toBe(403);
    expect(text).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>' +
        '<Code>AccessDenied</Code><Message>User: ' +
        HOME_CALLER +
        ' is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/nope' +
        `</Message></Error><RequestId>${headers.get('x-amzn-requestid')}</RequestId></ErrorResponse>`,
    );
  });

  it.each<[string, Partial<AssumeRoleCommandInput>, string]>([
    ['a RoleArn that is no ARN', { RoleArn: 'client-vpn-revoker-member' }, "at 'roleArn'"],
    ['a RoleArn shorter than 20', { RoleArn: 'arn:aws:iam::1:role' }, 'length greater than or equal to 20'],
    ['a user ARN', { RoleArn: `arn:aws:iam::${MEMBER}:user/jane` }, 'be an IAM role ARN'],
    ['an 11-digit account', { RoleArn: 'arn:aws:iam::44445555666:role/revoker' }, 'be an IAM role ARN'],
    ['no RoleArn', { RoleArn: undefined }, "Value null at 'roleArn'"],
    ['no RoleSessionName', { RoleSessionName: undefined }, "Value null at 'roleSessionName'"],
    ['a 1-character RoleSessionName', { RoleSessionName: 'x' }, 'length greater than or equal to 2'],
    [
      'a 65-character RoleSessionName',
      { RoleSessionName: 'a'.repeat(65) },
      'length less than or equal to 64',
    ],
    ['a RoleSessionName with a space', { RoleSessionName: 'jane doe' }, 'regular expression pattern'],
    ['DurationSeconds 899', { DurationSeconds: 899 }, 'value greater than or equal to 900'],
    ['DurationSeconds 43201', { DurationSeconds: 43_201 }, 'value less than or equal to 43200'],
    ['a 1-character ExternalId', { ExternalId: 'x' }, "at 'externalId'"],
  ])('answers 400 ValidationError for %s', async (_case, override, expected) => {
    // Act
    const error = await failure(assume({ RoleArn: MEMBER_ROLE, RoleSessionName: 'revoke', ...override }));

    // Assess
    expect(error.name).toBe('ValidationError');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toMatch(/^1 validation error detected: Value /);
    expect(error.message).toContain(expected);
  });

  it('reports every validation problem at once, before checking the role', async () => {
    // Act
    const error = await failure(
      assume({
        RoleArn: `arn:aws:iam::${MEMBER}:role/not-seeded`,
        RoleSessionName: 'x',
        DurationSeconds: 60,
      }),
    );

    // Assess
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe(
      "2 validation errors detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must " +
        "have length greater than or equal to 2; Value '60' at 'durationSeconds' failed to satisfy constraint: " +
        'Member must have value greater than or equal to 900',
    );
  });

  it('accepts the limits: 900 and 43200 seconds, 2 and 64 characters of [\\w+=,.@-], an ExternalId', async () => {
    // Act
    const results = await Promise.all([
      assume({ RoleArn: MEMBER_ROLE, RoleSessionName: 'ab', DurationSeconds: 900 }),
      assume({ RoleArn: MEMBER_ROLE, RoleSessionName: `a+=,.@-_${'b'.repeat(56)}`, DurationSeconds: 43_200 }),
      assume({ RoleArn: OTHER_ROLE, RoleSessionName: 'jane@example.com', ExternalId: 'org:o-1234/ext' }),
    ]);

    // Assess
    expect(results.map((r) => r.$metadata.httpStatusCode)).toEqual([200, 200, 200]);
  });

  it('refuses the AssumeRole parameters it does not model (session policy, tags) instead of ignoring them', async () => {
    // Act
    const policy = await failure(assume({ RoleArn: MEMBER_ROLE, RoleSessionName: 'revoke', Policy: '{}' }));
    const tags = await failure(
      assume({ RoleArn: MEMBER_ROLE, RoleSessionName: 'revoke', Tags: [{ Key: 'case', Value: '42' }] }),
    );

    // Assess
    expect(policy.name).toBe('UnsupportedOperation');
    expect(policy.$metadata.httpStatusCode).toBe(400);
    expect(policy.message).toContain('does not implement the AssumeRole parameter Policy;');
    expect(tags.name).toBe('UnsupportedOperation');
    expect(tags.message).toMatch(/AssumeRole parameter Tags\.member\.1\.(Key|Value);/);
  });

  it('answers InvalidAction for other STS actions and MissingAction without one', async () => {
    // Act
    const unknown = await rawQuery(emu, 'Action=GetSessionToken&Version=2011-06-15', { service: 'sts' });
    const missing = await rawQuery(emu, 'Version=2011-06-15', { service: 'sts' });

    // Assess
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('<Code>InvalidAction</Code>');
    expect(unknown.text).toContain('Could not find operation GetSessionToken for version 2011-06-15');
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    expect(missing.text).toContain('<Code>MissingAction</Code>');
  });

  it('dispatches by Version when the request is not signed', async () => {
    // Act
    const { status, text } = await rawQuery(emu, 'Action=GetCallerIdentity&Version=2011-06-15', {
      unsigned: true,
    });

    // Assess
    expect(status).toBe(200);
    expect(text).toContain(`<Account>${HOME}</Account>`);
    expect(emu.calls().map((c) => [c.service, c.action, c.accountId])).toEqual([
      ['sts', 'GetCallerIdentity', HOME],
    ]);
  });

  it('is reached through AWS_ENDPOINT_URL_STS from emu.env', async () => {
    // Prepare
    vi.stubEnv('AWS_ENDPOINT_URL_STS', emu.env.AWS_ENDPOINT_URL_STS);
    const client = new STSClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAEMULATOR0000TEST', secretAccessKey: 'x' },
      maxAttempts: 1,
    });

    // Act
    const identity = await client.send(new GetCallerIdentityCommand({}));

    // Assess
    expect(emu.env.AWS_ENDPOINT_URL_STS).toBe(emu.url);
    expect(identity.Account).toBe(HOME);
    vi.unstubAllEnvs();
  });
});

describe('GetCallerIdentity and role chaining', () => {
  const emu = useEmulator({ seed });

  const identity = (as?: Credentials) => stsClient(emu, as).send(new GetCallerIdentityCommand({}));

  it('names the home account for keys the emulator did not issue, the role session for issued ones', async () => {
    // Prepare
    const member = await assumeRole(emu, MEMBER_ROLE);

    // Act
    const home = await identity();
    const assumed = await identity(member);

    // Assess
    expect(home).toMatchObject({
      Account: HOME,
      Arn: HOME_CALLER,
      UserId: expect.stringMatching(/^AROA[A-Z2-7]{17}:emulator$/),
    });
    expect(assumed).toMatchObject({
      Account: MEMBER,
      Arn: `arn:aws:sts::${MEMBER}:assumed-role/client-vpn-revoker-member/emulator-test`,
      UserId: expect.stringMatching(/^AROA[A-Z2-7]{17}:emulator-test$/),
    });
  });

  it('lets assumed credentials assume another role (role chaining), and names the session when denied', async () => {
    // Prepare
    const member = await assumeRole(emu, MEMBER_ROLE);

    // Act
    const chained = await assumeRole(emu, OTHER_ROLE, member);
    const chainedIdentity = await identity(chained);
    const denied = await failure(
      stsClient(emu, member).send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${OTHER}:role/nope`, RoleSessionName: 'hop' }),
      ),
    );

    // Assess
    expect(chainedIdentity.Account).toBe(OTHER);
    expect(chainedIdentity.Arn).toBe(`arn:aws:sts::${OTHER}:assumed-role/client-vpn-revoker/emulator-test`);
    expect(denied.name).toBe('AccessDenied');
    expect(denied.message).toBe(
      `User: arn:aws:sts::${MEMBER}:assumed-role/client-vpn-revoker-member/emulator-test is not authorized ` +
        `to perform: sts:AssumeRole on resource: arn:aws:iam::${OTHER}:role/nope`,
    );
    expect(emu.calls().map((c) => [c.action, c.accountId, c.status])).toEqual([
      ['AssumeRole', HOME, 200],
      ['AssumeRole', MEMBER, 200],
      ['GetCallerIdentity', OTHER, 200],
      ['AssumeRole', MEMBER, 403],
    ]);
  });

  it('forgets issued credentials and roles seeded after the start on reset()', async () => {
    // Prepare
    const member = await assumeRole(emu, MEMBER_ROLE);
    const late = `arn:aws:iam::${MEMBER}:role/late`;
    emu.seed({ roles: [late] });
    await assumeRole(emu, late);

    // Act
    emu.reset();
    const afterReset = await identity(member);
    const lateAfterReset = await failure(assumeRole(emu, late));
    const startRole = await assumeRole(emu, MEMBER_ROLE);

    // Assess
    expect(afterReset.Account).toBe(HOME);
    expect(lateAfterReset.name).toBe('AccessDenied');
    expect(startRole.accessKeyId).toMatch(/^ASIA/);
  });
});

describe('EC2 in a member account, with assumed credentials', () => {
  const emu = useEmulator({ seed, terminateDelayMs: 60_000 });

  const notFound = (id: string) => ({
    name: 'InvalidClientVpnEndpointId.NotFound',
    message: `The Client VPN endpoint ID '${id}' does not exist`,
  });

  it("sees only the member account's endpoints and connections, with the member account in ARNs", async () => {
    // Prepare
    const member = ec2Client(emu, 'us-east-1', await assumeRole(emu, MEMBER_ROLE));
    const home = ec2Client(emu);

    // Act
    const memberEndpoints = await member.send(new DescribeClientVpnEndpointsCommand({}));
    const homeEndpoints = await home.send(new DescribeClientVpnEndpointsCommand({}));
    const memberConnections = await member.send(
      new DescribeClientVpnConnectionsCommand({ ClientVpnEndpointId: MEMBER_ENDPOINT }),
    );

    // Assess
    expect(memberEndpoints.ClientVpnEndpoints?.map((e) => e.ClientVpnEndpointId)).toEqual([MEMBER_ENDPOINT]);
    expect(homeEndpoints.ClientVpnEndpoints?.map((e) => e.ClientVpnEndpointId)).toEqual([HOME_ENDPOINT]);
    const [endpoint] = memberEndpoints.ClientVpnEndpoints ?? [];
    expect(endpoint?.ServerCertificateArn).toMatch(
      new RegExp(`^arn:aws:acm:us-east-1:${MEMBER}:certificate/`),
    );
    expect(endpoint?.AuthenticationOptions?.[0]?.FederatedAuthentication?.SamlProviderArn).toBe(
      `arn:aws:iam::${MEMBER}:saml-provider/ClientVPN-IdP`,
    );
    expect(memberConnections.Connections?.map((c) => c.ConnectionId)).toEqual([MEMBER_JANE, MEMBER_OMAR]);
  });

  it("answers NotFound for another account's endpoint, as EC2 does, and terminates nothing", async () => {
    // Prepare
    const member = ec2Client(emu, 'us-east-1', await assumeRole(emu, MEMBER_ROLE));
    const home = ec2Client(emu);

    // Act
    const errors = await Promise.all([
      failure(home.send(new DescribeClientVpnEndpointsCommand({ ClientVpnEndpointIds: [MEMBER_ENDPOINT] }))),
      failure(home.send(new DescribeClientVpnConnectionsCommand({ ClientVpnEndpointId: MEMBER_ENDPOINT }))),
      failure(
        home.send(
          new TerminateClientVpnConnectionsCommand({
            ClientVpnEndpointId: MEMBER_ENDPOINT,
            Username: 'jane.doe@example.com',
          }),
        ),
      ),
      failure(
        member.send(
          new TerminateClientVpnConnectionsCommand({
            ClientVpnEndpointId: HOME_ENDPOINT,
            ConnectionId: HOME_JANE,
          }),
        ),
      ),
    ]);

    // Assess
    expect(errors.map((e) => ({ name: e.name, message: e.message }))).toEqual([
      notFound(MEMBER_ENDPOINT),
      notFound(MEMBER_ENDPOINT),
      notFound(MEMBER_ENDPOINT),
      notFound(HOME_ENDPOINT),
    ]);
    expect(emu.connections({ status: 'active' }).map((c) => c.connectionId)).toEqual([
      HOME_JANE,
      MEMBER_JANE,
      MEMBER_OMAR,
    ]);
  });

  it('terminates in the member account', async () => {
    // Prepare
    const member = ec2Client(emu, 'us-east-1', await assumeRole(emu, MEMBER_ROLE));

    // Act
    const result = await member.send(
      new TerminateClientVpnConnectionsCommand({
        ClientVpnEndpointId: MEMBER_ENDPOINT,
        Username: 'jane.doe@example.com',
      }),
    );

    // Assess
    expect(result.ConnectionStatuses).toEqual([
      {
        ConnectionId: MEMBER_JANE,
        PreviousStatus: { Code: 'active' },
        CurrentStatus: { Code: 'terminating' },
      },
    ]);
    expect(emu.connections({ username: 'jane.doe@example.com' }).map((c) => [c.accountId, c.status])).toEqual(
      [
        [HOME, 'active'],
        [MEMBER, 'terminating'],
      ],
    );
  });

  it("checks a ModifyClientVpnEndpoint handler ARN against the endpoint's account", async () => {
    // Prepare
    const member = ec2Client(emu, 'us-east-1', await assumeRole(emu, MEMBER_ROLE));
    const modify = (arn: string) =>
      member.send(
        new ModifyClientVpnEndpointCommand({
          ClientVpnEndpointId: MEMBER_ENDPOINT,
          ClientConnectOptions: { Enabled: true, LambdaFunctionArn: arn },
        }),
      );

    // Act
    const homeArn = await failure(modify(HANDLER(HOME)));
    const memberArn = await modify(HANDLER(MEMBER));

    // Assess
    expect(homeArn.name).toBe('InvalidParameterValue');
    expect(homeArn.message).toContain(
      `the function belongs to account ${HOME}, but it must belong to the endpoint's account ${MEMBER}`,
    );
    expect(memberArn.Return).toBe(true);
    expect(emu.endpoints().find((e) => e.endpointId === MEMBER_ENDPOINT)).toMatchObject({
      accountId: MEMBER,
      clientConnectOptions: { enabled: true, lambdaFunctionArn: HANDLER(MEMBER) },
    });
  });

  it('counts calls per account: callCounts() keeps the totals, callCounts({ accountId }) one account', async () => {
    // Prepare
    const member = ec2Client(emu, 'us-east-1', await assumeRole(emu, MEMBER_ROLE));
    const home = ec2Client(emu);

    // Act
    await member.send(new DescribeClientVpnEndpointsCommand({}));
    await member.send(new DescribeClientVpnEndpointsCommand({}));
    await failure(
      member.send(new DescribeClientVpnEndpointsCommand({ ClientVpnEndpointIds: [HOME_ENDPOINT] })),
    );
    await home.send(new DescribeClientVpnEndpointsCommand({}));

    // Assess
    const describe = 'us-east-1:DescribeClientVpnEndpoints';
    expect(emu.callCounts()).toEqual({
      'us-east-1:AssumeRole': {
        region: 'us-east-1',
        action: 'AssumeRole',
        calls: 1,
        errors: 0,
        throttled: 0,
      },
      [describe]: {
        region: 'us-east-1',
        action: 'DescribeClientVpnEndpoints',
        calls: 4,
        errors: 1,
        throttled: 0,
      },
    });
    expect(emu.callCounts({ accountId: MEMBER })).toEqual({
      [describe]: {
        accountId: MEMBER,
        region: 'us-east-1',
        action: 'DescribeClientVpnEndpoints',
        calls: 3,
        errors: 1,
        throttled: 0,
      },
    });
    expect(emu.callCounts({ accountId: HOME })).toEqual({
      'us-east-1:AssumeRole': expect.objectContaining({ accountId: HOME, calls: 1 }),
      [describe]: expect.objectContaining({ accountId: HOME, calls: 1, errors: 0 }),
    });
    expect(emu.callCounts({ accountId: OTHER })).toEqual({});
    expect(emu.calls().map((c) => [c.service, c.accountId])).toEqual([
      ['sts', HOME],
      ['ec2', MEMBER],
      ['ec2', MEMBER],
      ['ec2', MEMBER],
      ['ec2', HOME],
    ]);
  });

  it('reports the account in endpoints(), connections() and connection attempts', async () => {
    // Act
    const attempt = await emu.connect({ endpointId: MEMBER_ENDPOINT, accountId: MEMBER, username: 'new' });
    const wrongAccount = emu.connect({ endpointId: MEMBER_ENDPOINT, accountId: HOME });

    // Assess
    expect(emu.endpoints().map((e) => [e.endpointId, e.accountId])).toEqual([
      [HOME_ENDPOINT, HOME],
      [MEMBER_ENDPOINT, MEMBER],
    ]);
    expect(emu.connections({ accountId: MEMBER }).map((c) => c.username)).toEqual([
      'jane.doe@example.com',
      'omar.haddad@example.com',
      'new',
    ]);
    expect(emu.connections({ accountId: HOME }).map((c) => c.connectionId)).toEqual([HOME_JANE]);
    expect(attempt.allowed).toBe(true);
    expect(emu.connectionAttempts()).toEqual([expect.objectContaining({ accountId: MEMBER, allowed: true })]);
    await expect(wrongAccount).rejects.toThrow(
      `connect: there is no Client VPN endpoint '${MEMBER_ENDPOINT}' in account ${HOME}`,
    );
  });
});
