import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ConfigurationError } from '../lambda/core/errors.ts';
import type { EventPattern } from '../lambda/core/event-pattern.ts';
import { type IdentityMapping, identityMappingSchema } from '../lambda/core/identity-mapping.ts';
import { ENV } from '../lambda/revoker/config.ts';
import {
  COGNITO_LOST_ACCESS_EVENT_TYPES,
  type CognitoLostAccessEventType,
  cognito,
} from '../lambda/sources/cognito.ts';
import {
  IDENTITY_CENTER_EVENT_TYPES,
  type IdentityCenterEventType,
  identityCenter,
} from '../lambda/sources/identity-center.ts';

/** IAM Identity Center: console, Identity Store API and SCIM user disables/deletes, read from CloudTrail. */
export interface IdentityCenterSourceProps {
  /**
   * Which Identity Center events revoke access.
   * @default - all of IDENTITY_CENTER_EVENT_TYPES
   */
  readonly eventTypes?: IdentityCenterEventType[];
  /**
   * Only users of these identity stores (`d-…`). SCIM events name no store, so SCIM event types need exactly one.
   * @default - any identity store in the account (SCIM event types then cannot be used)
   */
  readonly identityStoreIds?: string[];
  /**
   * Region of the Identity Store, for the user-name look-up. Identity Center events reach EventBridge only in
   * its home region, so deploy the stack there (or forward the events).
   * @default - the stack's region
   */
  readonly identityStoreRegion?: string;
  /**
   * From the Identity Center user name to the name Client VPN sees.
   * @default - the user name as is
   */
  readonly identityMapping?: IdentityMapping;
}

/** Amazon Cognito user pools: AdminDisableUser, AdminDeleteUser, AdminUserGlobalSignOut, read from CloudTrail. */
export interface CognitoSourceProps {
  /** The user pools (`<region>_<id>`) whose users lose VPN access. */
  readonly userPoolIds: string[];
  /**
   * @default - all of COGNITO_LOST_ACCESS_EVENT_TYPES
   */
  readonly eventTypes?: CognitoLostAccessEventType[];
  /**
   * From the Cognito user name (or, with `field: 'sub'`, the sub) to the name Client VPN sees.
   * @default - the user name as is
   */
  readonly identityMapping?: IdentityMapping;
}

export interface CloudTrailSourcesProps {
  readonly identityCenter?: IdentityCenterSourceProps;
  readonly cognito?: CognitoSourceProps;
}

interface SourceWiring {
  readonly rules: events.Rule[];
  readonly environment: Record<string, string>;
}

/** Validation errors of the sources' own checks surface as errors about the prop. */
function checked<T>(prop: string, build: () => T, error: (prop: string, message: string) => Error): T {
  try {
    return build();
  } catch (cause) {
    if (cause instanceof ConfigurationError) throw error(prop, cause.message);
    throw cause;
  }
}

export const mappingEnvironment = (
  variable: string,
  mapping: IdentityMapping | undefined,
  prop: string,
  error: (prop: string, message: string) => Error,
): Record<string, string> => {
  if (!mapping) return {};
  const parsed = identityMappingSchema.safeParse(mapping);
  if (!parsed.success) throw error(prop, parsed.error.issues.map((issue) => issue.message).join('; '));
  return { [variable]: JSON.stringify(parsed.data) };
};

/**
 * Rules on the default bus for the CloudTrail-based sources, the function environment that enables them, and
 * the look-up permissions they need. `aws.*` sources cannot be put by anyone but AWS, so these rules cannot be
 * triggered with forged events.
 */
export function addCloudTrailSources(
  scope: Construct,
  props: CloudTrailSourcesProps,
  options: {
    readonly target: events.IRuleTarget;
    readonly role: iam.IRole;
    readonly toCdkEventPattern: (pattern: EventPattern) => events.EventPattern;
    readonly error: (prop: string, message: string) => Error;
  },
): SourceWiring {
  const stack = Stack.of(scope);
  const rules: events.Rule[] = [];
  const environment: Record<string, string> = {};
  const { target, role, toCdkEventPattern, error } = options;

  if (props.identityCenter) {
    const idc = props.identityCenter;
    const sourceOptions = {
      eventTypes: idc.eventTypes ?? [...IDENTITY_CENTER_EVENT_TYPES],
      identityStoreIds: idc.identityStoreIds ?? [],
      identityMapping: idc.identityMapping,
    };
    const pattern = checked('identityCenter', () => identityCenter.eventPattern(sourceOptions), error);
    rules.push(
      new events.Rule(scope, 'IdentityCenterRule', {
        description: 'IAM Identity Center: revoke Client VPN access when a user is disabled or deleted',
        eventPattern: toCdkEventPattern(pattern),
        targets: [target],
      }),
    );
    Object.assign(environment, {
      [ENV.identityCenterEventTypes]: sourceOptions.eventTypes.join(','),
      ...(sourceOptions.identityStoreIds.length > 0 && {
        [ENV.identityCenterStoreIds]: sourceOptions.identityStoreIds.join(','),
      }),
      [ENV.identityStoreRegion]: idc.identityStoreRegion ?? stack.region,
      ...mappingEnvironment(
        ENV.identityCenterIdentityMapping,
        idc.identityMapping,
        'identityCenter.identityMapping',
        error,
      ),
    });
    const stores = sourceOptions.identityStoreIds.length > 0 ? sourceOptions.identityStoreIds : ['*'];
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'LookUpIdentityCenterUsers',
        actions: ['identitystore:DescribeUser'],
        resources: [
          ...stores.map(
            (store) => `arn:${stack.partition}:identitystore::${stack.account}:identitystore/${store}`,
          ),
          // DescribeUser authorizes on the store and on the user; user ids are only known from the event.
          `arn:${stack.partition}:identitystore:::user/*`,
        ],
      }),
    );
  }

  if (props.cognito) {
    const pools = [...new Set(props.cognito.userPoolIds)];
    const sourceOptions = {
      userPoolIds: pools,
      eventTypes: props.cognito.eventTypes ?? [...COGNITO_LOST_ACCESS_EVENT_TYPES],
      identityMapping: props.cognito.identityMapping,
    };
    const pattern = checked('cognito', () => cognito.eventPattern(sourceOptions), error);
    rules.push(
      new events.Rule(scope, 'CognitoRule', {
        description:
          'Amazon Cognito: revoke Client VPN access when a user is disabled, deleted or signed out',
        eventPattern: toCdkEventPattern(pattern),
        targets: [target],
      }),
    );
    Object.assign(environment, {
      [ENV.cognitoUserPoolIds]: pools.join(','),
      [ENV.cognitoEventTypes]: sourceOptions.eventTypes.join(','),
      ...mappingEnvironment(
        ENV.cognitoIdentityMapping,
        props.cognito.identityMapping,
        'cognito.identityMapping',
        error,
      ),
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'LookUpCognitoUsersBySub',
        actions: ['cognito-idp:ListUsers'],
        resources: pools.map((pool) =>
          stack.formatArn({
            service: 'cognito-idp',
            region: pool.slice(0, pool.indexOf('_')),
            resource: 'userpool',
            resourceName: pool,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        ),
      }),
    );
  }
  return { rules, environment };
}
