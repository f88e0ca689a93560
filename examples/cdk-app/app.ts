import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { SecurityOperationsStack } from './security-operations-stack.ts';

// npx cdk synth --app 'npx tsx examples/cdk-app/app.ts' (replace the example account, names and ids with yours)
const app = new App();
new SecurityOperationsStack(app, 'SecurityOperations', {
  env: { account: '111122223333', region: 'eu-west-1' },
  securityEventBusName: 'security-events',
  onCallTopicArn: 'arn:aws:sns:eu-west-1:111122223333:secops-on-call',
  oktaEventSourceName: 'aws.partner/okta.com/acme/client-vpn-revoker',
  vpnEndpoints: [{ endpointId: 'cvpn-endpoint-0123456789abcdef0' }],
  breakGlassIdentities: ['breakglass-admin'],
  dryRun: true,
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
