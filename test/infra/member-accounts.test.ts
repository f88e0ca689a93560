import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ClientVpnRevokerStack } from '../../lib/client-vpn-revoker-stack.ts';
import { parseContext } from '../../lib/config.ts';
import {
  ClientVpnRevokerMemberRole,
  ClientVpnRevokerMemberStack,
  type MemberAccountsProps,
} from '../../lib/parts/member-accounts.ts';
import {
  ACCOUNT,
  asList,
  environmentOf,
  flatten,
  onlyResource,
  policyStatements,
  type Statement,
  synthRevoker,
  testApp,
  unacknowledgedNagFindings,
} from './synth.ts';

const MEMBER = '222233334444';
const OTHER = '333344445555';
const roleArn = (account: string, name = 'ClientVpnRevokerMember') => `arn:aws:iam::${account}:role/${name}`;
const EC2_ACTIONS = [
  'ec2:DescribeClientVpnConnections',
  'ec2:TerminateClientVpnConnections',
  'ec2:DescribeClientVpnEndpoints',
];

const actionsOf = (statements: readonly Statement[]) => statements.flatMap((s) => asList(s.Action));

function synthWithMembers(memberAccounts: MemberAccountsProps) {
  const synth = synthRevoker({ memberAccounts, endpointTag: { key: 'team', value: 'secops' } });
  const { template, stack, revoker } = synth;
  if (!revoker.sweeper) throw new Error('expected the sweeper');
  return {
    ...synth,
    revokerStatements: policyStatements(template, stack, revoker.role),
    sweeperStatements: policyStatements(template, stack, revoker.sweeper.role),
    revokerEnv: environmentOf(template, stack, revoker.function),
    sweeperEnv: environmentOf(template, stack, revoker.sweeper.function),
  };
}

describe('ClientVpnRevoker with memberAccounts', () => {
  it('lets both functions assume exactly the member roles, and tells them which accounts to search', () => {
    // Act
    const { revokerStatements, sweeperStatements, revokerEnv, sweeperEnv, revoker, stack } = synthWithMembers(
      {
        roleArns: [roleArn(MEMBER), roleArn(OTHER, 'custom/VpnRevoker')],
      },
    );

    // Assess
    for (const statements of [revokerStatements, sweeperStatements]) {
      const assume = statements.filter((s) => asList(s.Action).includes('sts:AssumeRole'));
      expect(assume).toEqual([
        expect.objectContaining({
          Sid: 'AssumeMemberAccountRoles',
          Action: 'sts:AssumeRole',
          Resource: [roleArn(MEMBER), roleArn(OTHER, 'custom/VpnRevoker')],
        }),
      ]);
      // The own account is searched too, by default.
      expect(actionsOf(statements)).toEqual(expect.arrayContaining(EC2_ACTIONS));
    }
    for (const env of [revokerEnv, sweeperEnv]) {
      expect(env).toMatchObject({
        MEMBER_ACCOUNT_ROLE_ARNS: `${roleArn(MEMBER)},${roleArn(OTHER, 'custom/VpnRevoker')}`,
        SCAN_OWN_ACCOUNT: 'true',
        OWN_ACCOUNT_ID: ACCOUNT,
      });
    }
    expect(revoker.memberAccountTrustedRoleArns.map((arn) => stack.resolve(arn))).toHaveLength(2);
  });

  it("builds the role ARNs from account ids and a role name, in the stack's partition", () => {
    // Act
    const { revokerEnv } = synthWithMembers({ accountIds: [MEMBER, OTHER], roleName: 'VpnRevoker' });

    // Assess
    expect(flatten(revokerEnv.MEMBER_ACCOUNT_ROLE_ARNS)).toBe(
      `arn:aws:iam::${MEMBER}:role/VpnRevoker,arn:aws:iam::${OTHER}:role/VpnRevoker`,
    );
  });

  it('grants no EC2 action in the own account when it is not searched', () => {
    // Act
    const { revokerStatements, sweeperStatements, revokerEnv } = synthWithMembers({
      accountIds: [MEMBER],
      includeOwnAccount: false,
    });

    // Assess
    for (const statements of [revokerStatements, sweeperStatements]) {
      expect(actionsOf(statements).filter((action) => action.startsWith('ec2:'))).toEqual([]);
    }
    expect(revokerEnv.SCAN_OWN_ACCOUNT).toBe('false');
    expect(revokerEnv).not.toHaveProperty('OWN_ACCOUNT_ID');
  });

  it('sets nothing of the kind without memberAccounts', () => {
    // Act
    const { template, stack, revoker } = synthRevoker({});

    // Assess
    const env = environmentOf(template, stack, revoker.function);
    expect(Object.keys(env).filter((key) => /ACCOUNT/.test(key))).toEqual([]);
    expect(actionsOf(policyStatements(template, stack, revoker.role))).not.toContain('sts:AssumeRole');
    expect(revoker.memberAccountTrustedRoleArns).toEqual([]);
  });

  it.each<[string, MemberAccountsProps & { endpoints?: boolean }, string]>([
    [
      'role ARNs and account ids',
      { roleArns: [roleArn(MEMBER)], accountIds: [OTHER] },
      'memberAccounts.roleArns: expected roleArns or accountIds',
    ],
    [
      'a role name without account ids',
      { roleName: 'X' },
      'memberAccounts.roleName: only applies with accountIds',
    ],
    ['an empty list', { accountIds: [] }, 'memberAccounts.accountIds: expected at least one'],
    [
      'a malformed account id',
      { accountIds: ['2222'] },
      'memberAccounts.accountIds: expected 12-digit account ids',
    ],
    [
      'a user ARN',
      { roleArns: [`arn:aws:iam::${MEMBER}:user/x`] },
      'memberAccounts.roleArns: expected IAM role ARNs',
    ],
    [
      'an account twice',
      { roleArns: [roleArn(MEMBER), roleArn(MEMBER, 'Other')] },
      `account ${MEMBER} appears twice`,
    ],
    ['the own account', { accountIds: [ACCOUNT] }, `account ${ACCOUNT} appears twice`],
    [
      'a bad role name',
      { accountIds: [MEMBER], roleName: 'a b' },
      'memberAccounts.roleName: expected an IAM role name',
    ],
    [
      'named endpoints',
      { accountIds: [MEMBER], endpoints: true },
      'endpoints: names endpoints of the deploying account; with memberAccounts select endpoints by endpointTag',
    ],
  ])('rejects %s, naming the prop', (_case, { endpoints, ...memberAccounts }, message) => {
    expect(() =>
      synthRevoker({
        memberAccounts,
        ...(endpoints && { endpoints: [{ endpointId: 'cvpn-endpoint-0123456789abcdef0' }] }),
      }),
    ).toThrow(message);
  });

  it('outputs the roles a member account must trust, from context as `cdk deploy -c` gives it', () => {
    // Prepare
    const app = testApp();

    // Act
    const stack = new ClientVpnRevokerStack(app, 'ClientVpnRevoker', {
      config: parseContext({ memberAccountIds: `${MEMBER},${OTHER}` }),
      env: { account: ACCOUNT, region: 'eu-west-1' },
    });

    // Assess
    const output = Template.fromStack(stack).findOutputs('MemberAccountTrustedRoleArns');
    const value = flatten(Object.values(output)[0]?.Value) as string;
    expect(value.split(',')).toHaveLength(2);
    expect(value).toMatch(/<RevokerRole[0-9A-F]+\.Arn>/);
    expect(value).toMatch(/<RevokerSessionCleanupRole[0-9A-F]+\.Arn>/);
  });

  it.each([
    [
      { memberAccountRoleArns: roleArn(MEMBER), memberAccountIds: OTHER },
      'memberAccountIds: expected memberAccountRoleArns or memberAccountIds',
    ],
    [{ memberAccountRoleName: 'X' }, 'memberAccountRoleName applies with memberAccountIds'],
    [{ includeOwnAccount: 'false' }, 'includeOwnAccount'],
    [{ memberAccountIds: '12' }, 'context key memberAccountIds (at 0): expected a 12-digit account id'],
    [
      { memberRoleTrustedRoleArns: 'arn:aws:iam::1:role/x' },
      'memberRoleTrustedRoleArns (at 0): expected arn:',
    ],
  ])('rejects the context %o', (context, message) => {
    expect(() => parseContext(context)).toThrow(message);
  });
});

describe('ClientVpnRevokerMemberStack', () => {
  const TRUSTED = [
    roleArn(ACCOUNT, 'ClientVpnRevoker-RevokerRole1'),
    roleArn(ACCOUNT, 'ClientVpnRevoker-SweeperRole2'),
  ];

  function synthMember(props: Partial<ConstructorParameters<typeof ClientVpnRevokerMemberStack>[2]> = {}) {
    const stack = new ClientVpnRevokerMemberStack(testApp(), 'Member', {
      env: { account: MEMBER, region: 'eu-west-1' },
      trustedRoleArns: TRUSTED,
      regions: ['eu-west-1', 'us-east-1'],
      ...props,
    });
    const template = Template.fromStack(stack);
    return { stack, template, role: onlyResource(template, 'AWS::IAM::Role') };
  }

  it('creates the named role, assumable only by the revoker roles of the revoker account', () => {
    // Act
    const { role } = synthMember();

    // Assess
    expect(role.RoleName).toBe('ClientVpnRevokerMember');
    expect(role.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Condition: { ArnEquals: { 'aws:PrincipalArn': TRUSTED } },
        },
      ],
    });
  });

  it('allows listing and terminating Client VPN connections in the given regions and tag, and nothing else', () => {
    // Act
    const { stack, template } = synthMember({ endpointTag: { key: 'team', value: 'secops' } });

    // Assess
    const statements = policyStatements(template, stack, stack.memberRole.role);
    expect(new Set(actionsOf(statements))).toEqual(new Set(EC2_ACTIONS));
    const terminate = statements.find((s) => asList(s.Action).includes('ec2:TerminateClientVpnConnections'));
    expect(terminate?.Resource).toEqual([
      `arn:aws:ec2:eu-west-1:${MEMBER}:client-vpn-endpoint/*`,
      `arn:aws:ec2:us-east-1:${MEMBER}:client-vpn-endpoint/*`,
    ]);
    expect(terminate?.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/team': 'secops' } });
    const list = statements.find((s) => asList(s.Action).includes('ec2:DescribeClientVpnEndpoints'));
    expect(list?.Condition).toEqual({ StringEquals: { 'ec2:Region': ['eu-west-1', 'us-east-1'] } });
  });

  it('passes cdk-nag with nothing unacknowledged', () => {
    expect(
      unacknowledgedNagFindings((app) => {
        new ClientVpnRevokerMemberStack(app, 'Member', { trustedRoleArns: TRUSTED, regions: ['eu-west-1'] });
      }),
    ).toEqual([]);
  });

  it.each([
    [{ trustedRoleArns: [] }, 'trustedRoleArns: expected at least one role ARN'],
    [{ trustedRoleArns: ['arn:aws:iam::111122223333:user/x'] }, 'trustedRoleArns: expected IAM role ARNs'],
    [{ trustedRoleArns: [roleArn(ACCOUNT), roleArn(OTHER)] }, 'expected the roles of one account'],
    [{ regions: ['moon-1'] }, 'regions: expected an AWS region'],
  ])('rejects %o', (props, message) => {
    expect(
      () =>
        new ClientVpnRevokerMemberRole(new Stack(testApp()), 'Role', {
          trustedRoleArns: TRUSTED,
          regions: ['eu-west-1'],
          ...props,
        }),
    ).toThrow(message);
  });
});
