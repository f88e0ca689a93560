import { Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ClientVpnRevokerPropsError } from '../props-validation.ts';

/**
 * The key usernames in logs are hashed with, when `hashIdentitiesInLogs` is on: the one given, or one generated
 * in `scope` (id `LogHashKey`). `reader` is granted it.
 */
export function logHashKeyFor(
  scope: Construct,
  props: { readonly hashIdentitiesInLogs?: boolean; readonly logHashKey?: secretsmanager.ISecret },
  reader: iam.IGrantable,
): secretsmanager.ISecret | undefined {
  if (props.logHashKey && !props.hashIdentitiesInLogs) {
    throw new ClientVpnRevokerPropsError('logHashKey', 'given but hashIdentitiesInLogs is not true');
  }
  if (!props.hashIdentitiesInLogs) return undefined;
  const key = props.logHashKey ?? generatedLogHashKey(scope);
  key.grantRead(reader);
  return key;
}

/** Generated once, never rotated. */
function generatedLogHashKey(scope: Construct): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, 'LogHashKey', {
    description: 'Client VPN Revoker: key for the hashes of usernames in logs',
    generateSecretString: { passwordLength: 64, excludePunctuation: true },
  });
  Validations.of(secret.node.defaultChild ?? secret).acknowledge({
    id: 'AwsSolutions::AwsSolutions-SMG4',
    reason:
      'The value is an HMAC key for pseudonymising usernames in logs, not a credential: rotating it would ' +
      'make the same person hash differently before and after, breaking correlation across the logs',
  });
  return secret;
}
