import type { App, Environment } from 'aws-cdk-lib';
import { DEFAULT_STACK_NAME } from '../sources/runbook/events.ts';
import { ClientVpnRevokerStack } from './client-vpn-revoker-stack.ts';
import type { RevokerContext } from './config.ts';
import { ClientVpnRevokerMemberStack } from './parts/member-accounts.ts';

/**
 * The stacks of this CDK app for a validated context: the revoker, and the member-account stack when
 * `memberRoleTrustedRoleArns` is set (deployed with a member account's credentials, or as a StackSet).
 */
export function addClientVpnRevokerStacks(app: App, config: RevokerContext, env?: Environment): void {
  new ClientVpnRevokerStack(app, DEFAULT_STACK_NAME, { config, ...(env && { env }) });
  if (config.memberRoleTrustedRoleArns) {
    new ClientVpnRevokerMemberStack(app, 'ClientVpnRevokerMember', {
      trustedRoleArns: config.memberRoleTrustedRoleArns,
      ...(config.regions && { regions: config.regions }),
      ...(config.endpointTag && { endpointTag: config.endpointTag }),
      ...(config.memberAccountRoleName && { roleName: config.memberAccountRoleName }),
      ...(env && { env }),
    });
  }
}
