import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { addClientVpnRevokerStacks } from '../lib/app.ts';
import { ContextError, readContext } from '../lib/config.ts';

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
const env = account || region ? { account, region } : undefined;
addClientVpnRevokerStacks(app, config, env);

// cdk-nag v3 runs as a policy-validation plugin: findings fail `cdk synth`, acknowledgements live
// next to the resources they concern (lib/client-vpn-revoker.ts).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
