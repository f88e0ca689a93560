import { Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ACCOUNT_ID_PATTERN, accountsOf, ENV, ROLE_ARN_PATTERN } from '../../lambda/core/environment.ts';
import { type EndpointScope, grantClientVpnConnections } from '../function-support.ts';
import { ClientVpnRevokerPropsError, known, validateRegion } from '../props-validation.ts';
import type { ClientVpnEndpointTag } from './endpoint-selection.ts';

/** The role name the member-account stack creates, and the default `roleName`. */
export const DEFAULT_MEMBER_ROLE_NAME = 'ClientVpnRevokerMember';
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/**
 * Revocation across an AWS Organization: the functions assume a role in each member account (created there by
 * `ClientVpnRevokerMemberStack`) and search its endpoints like their own. Give `roleArns`, or `accountIds` with
 * an optional `roleName`.
 */
export interface MemberAccountsProps {
  /** One role per member account, e.g. `arn:aws:iam::222233334444:role/ClientVpnRevokerMember`. */
  readonly roleArns?: string[];
  /** Member account ids; the role in each is `roleName`. */
  readonly accountIds?: string[];
  /** With `accountIds`. @default 'ClientVpnRevokerMember' */
  readonly roleName?: string;
  /** Also search the deploying account, with the functions' own role. @default true */
  readonly includeOwnAccount?: boolean;
}

export interface ResolvedMemberAccounts {
  readonly roleArns: readonly string[];
  readonly includeOwnAccount: boolean;
}

/**
 * The member roles to assume, checked: undefined when there are none. Listed `endpoints` name endpoints of
 * the deploying account, so they do not go with member accounts.
 */
export function resolveMemberAccounts(
  props: MemberAccountsProps | undefined,
  scope: Construct,
  endpoints: EndpointScope,
): ResolvedMemberAccounts | undefined {
  if (!props) return undefined;
  const error = (prop: string, message: string) =>
    new ClientVpnRevokerPropsError(`memberAccounts.${prop}`, message);
  if (props.roleArns && props.accountIds) {
    throw error('roleArns', 'expected roleArns or accountIds (with roleName), not both');
  }
  if (props.roleName !== undefined && !props.accountIds) {
    throw error('roleName', 'only applies with accountIds');
  }
  const roleName = props.roleName ?? DEFAULT_MEMBER_ROLE_NAME;
  if (known(roleName) && !ROLE_NAME.test(roleName)) {
    throw error(
      'roleName',
      `expected an IAM role name (1-64 of letters, digits and +=,.@_-), got "${roleName}"`,
    );
  }
  for (const accountId of props.accountIds ?? []) {
    if (known(accountId) && !ACCOUNT_ID_PATTERN.test(accountId)) {
      throw error('accountIds', `expected 12-digit account ids, got "${accountId}"`);
    }
  }
  const partition = Stack.of(scope).partition;
  const roleArns =
    props.roleArns ?? (props.accountIds ?? []).map((id) => `arn:${partition}:iam::${id}:role/${roleName}`);
  if (roleArns.length === 0) throw error(props.roleArns ? 'roleArns' : 'accountIds', 'expected at least one');
  const knownArns = roleArns.filter(known);
  for (const roleArn of knownArns) {
    if (!ROLE_ARN_PATTERN.test(roleArn)) {
      throw error(
        'roleArns',
        `expected IAM role ARNs (arn:aws:iam::<account>:role/<name>), got "${roleArn}"`,
      );
    }
  }
  const ownAccount = Stack.of(scope).account;
  const { listedTwice } = accountsOf(known(ownAccount) ? ownAccount : undefined, knownArns);
  if (listedTwice) {
    throw error(
      'roleArns',
      `account ${listedTwice} appears twice (the deploying account is searched with the functions' own role)`,
    );
  }
  if (endpoints.endpoints) {
    throw new ClientVpnRevokerPropsError(
      'endpoints',
      'names endpoints of the deploying account; with memberAccounts select endpoints by endpointTag or search them all',
    );
  }
  return { roleArns, includeOwnAccount: props.includeOwnAccount ?? true };
}

/** What the revoker and the sweeper read (lambda/core/environment.ts). */
export function memberAccountsEnvironment(
  members: ResolvedMemberAccounts | undefined,
  scope: Construct,
): Record<string, string> {
  if (!members) return {};
  return {
    [ENV.memberAccountRoleArns]: members.roleArns.join(','),
    [ENV.scanOwnAccount]: String(members.includeOwnAccount),
    ...(members.includeOwnAccount && { [ENV.ownAccountId]: Stack.of(scope).account }),
  };
}

/** `sts:AssumeRole` on exactly the member roles. */
export function grantAssumeMemberRoles(role: iam.Role, members: ResolvedMemberAccounts | undefined): void {
  if (!members) return;
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'AssumeMemberAccountRoles',
      actions: ['sts:AssumeRole'],
      resources: [...members.roleArns],
    }),
  );
}

export interface ClientVpnRevokerMemberRoleProps {
  /**
   * The revoker's function roles that may assume this role: the `MemberAccountTrustedRoleArns` output of the
   * revoker's stack. They must all be in one account.
   */
  readonly trustedRoleArns: string[];
  /** Regions whose endpoints the revoker may act on (the revoker's `regions`). @default the stack's region */
  readonly regions?: string[];
  /** Only endpoints carrying this tag (the revoker's `endpointTag`). @default every endpoint of the regions */
  readonly endpointTag?: ClientVpnEndpointTag;
  /** @default 'ClientVpnRevokerMember' */
  readonly roleName?: string;
}

/**
 * The role a member account gives the revoker: list endpoints, list and terminate connections in the given
 * regions (and tag), nothing else; assumable only by the revoker's function roles.
 */
export class ClientVpnRevokerMemberRole extends Construct {
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ClientVpnRevokerMemberRoleProps) {
    super(scope, id);
    const error = (prop: string, message: string) => new ClientVpnRevokerPropsError(prop, message);
    if (props.trustedRoleArns.length === 0) throw error('trustedRoleArns', 'expected at least one role ARN');
    const trustedAccounts = new Set<string>();
    for (const arn of props.trustedRoleArns) {
      const match = ROLE_ARN_PATTERN.exec(arn);
      if (!match) throw error('trustedRoleArns', `expected IAM role ARNs, got "${arn}"`);
      trustedAccounts.add(match[1] as string);
    }
    if (trustedAccounts.size > 1) {
      throw error(
        'trustedRoleArns',
        `expected the roles of one account, got ${[...trustedAccounts].join(', ')}`,
      );
    }
    const regions = props.regions ?? [Stack.of(this).region];
    if (regions.length === 0) throw error('regions', 'expected at least one region');
    for (const region of regions) validateRegion('regions', region);

    // The account principal with the exact role ARNs as a condition: the trust survives the revoker's
    // roles being replaced (a role principal would be pinned to the old role's unique id).
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName ?? DEFAULT_MEMBER_ROLE_NAME,
      description: 'Client VPN Revoker: list and terminate Client VPN connections of disabled users',
      assumedBy: new iam.AccountPrincipal([...trustedAccounts][0]).withConditions({
        ArnEquals: { 'aws:PrincipalArn': props.trustedRoleArns },
      }),
    });
    const endpoints: EndpointScope = props.endpointTag ? { tag: props.endpointTag } : {};
    grantClientVpnConnections(this.role, endpoints, regions);
  }
}

export interface ClientVpnRevokerMemberStackProps extends StackProps, ClientVpnRevokerMemberRoleProps {}

/** Deployed in each member account (by `cdk deploy` or as a StackSet from the synthesized template). */
export class ClientVpnRevokerMemberStack extends Stack {
  public readonly memberRole: ClientVpnRevokerMemberRole;

  constructor(scope: Construct, id: string, props: ClientVpnRevokerMemberStackProps) {
    super(scope, id, {
      description: 'Client VPN Revoker member account: the role the revoker assumes to end sessions here',
      ...props,
    });
    this.memberRole = new ClientVpnRevokerMemberRole(this, 'MemberRole', props);
  }
}
