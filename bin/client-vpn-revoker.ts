import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ClientVpnRevokerStack } from '../lib/client-vpn-revoker-stack.ts';
import { ContextError, readContext } from '../lib/config.ts';
import { ClientVpnRevokerMemberStack } from '../lib/member-accounts.ts';

const app = new App();

let config: ReturnType<typeof readContext>;
try {
  config = readContext(app);
} catch (error) {
  if (!(error instanceof ContextError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
// Environment-agnostic unless the CLI resolved credentials, so `cdk synth` works offline.
const env = (account || region) && { env: { account, region } };
new ClientVpnRevokerStack(app, 'ClientVpnRevoker', { config, ...env });
// The role each member account gives the revoker: deploy with that account's credentials, or as a StackSet.
if (config.memberRoleTrustedRoleArns) {
  new ClientVpnRevokerMemberStack(app, 'ClientVpnRevokerMember', {
    trustedRoleArns: config.memberRoleTrustedRoleArns,
    ...(config.regions && { regions: config.regions }),
    ...(config.endpointTag && { endpointTag: config.endpointTag }),
    ...(config.memberAccountRoleName && { roleName: config.memberAccountRoleName }),
    ...env,
  });
}

// cdk-nag v3 runs as a policy-validation plugin: findings fail `cdk synth`, acknowledgements live
// next to the resources they concern (lib/client-vpn-revoker.ts).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
