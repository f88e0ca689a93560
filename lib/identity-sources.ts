import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ENV } from '../lambda/core/environment.ts';
import { ConfigurationError } from '../lambda/core/errors.ts';
import type { EventPattern } from '../lambda/core/event-pattern.ts';
import { type IdentityMapping, identityMappingSchema } from '../lambda/core/identity-mapping.ts';
import {
  AUTH0_LOST_ACCESS_EVENT_TYPES,
  type Auth0LostAccessEventType,
  auth0,
} from '../lambda/sources/auth0.ts';
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
import { onelogin } from '../lambda/sources/onelogin.ts';

/** Auth0 log streams (partner event source `aws.partner/auth0.com/<tenant>-<uuid>/auth0.logs`). */
export interface Auth0SourceProps {
  /** Partner event source names; the partner bus has the same name, and one rule is created on each. */
  readonly eventSourceNames: string[];
  /**
   * @default - all of AUTH0_LOST_ACCESS_EVENT_TYPES
   */
  readonly eventTypes?: Auth0LostAccessEventType[];
  /**
   * From the Auth0 user name (or, with `field`, `user_id` / `email`) to the name Client VPN sees.
   * @default - the user name as is
   */
  readonly identityMapping?: IdentityMapping;
}

/** OneLogin event webhooks for EventBridge (partner event source `aws.partner/onelogin.com/<region>-<account>/<id>`). */
export interface OneLoginSourceProps {
  /** Partner event source names; the partner bus has the same name, and one rule is created on each. */
  readonly eventSourceNames: string[];
  /**
   * From OneLogin's `user_name` (or, with `field: 'user_id'`, the user id) to the name Client VPN sees.
   * @default - the user name as is
   */
  readonly identityMapping?: IdentityMapping;
}

export interface PartnerSourcesProps {
  readonly auth0?: Auth0SourceProps;
  readonly onelogin?: OneLoginSourceProps;
}

const PARTNER_SOURCE = (partner: string) =>
  new RegExp(`^aws\\.partner/${partner.replace('.', '\\.')}(/[.\\-_A-Za-z0-9]+){2,}$`);

/**
 * One rule per partner event source, on the partner bus of the same name, matching that exact source. Only
 * the partner can put events there (PutPartnerEvents).
 */
export function addPartnerSources(
  scope: Construct,
  props: PartnerSourcesProps,
  options: {
    readonly target: events.IRuleTarget;
    readonly toCdkEventPattern: (pattern: EventPattern) => events.EventPattern;
    readonly error: (prop: string, message: string) => Error;
    /** Also route re-enable events (they lift revocations from the ledger). */
    readonly lift: boolean;
  },
): SourceWiring {
  const rules: events.Rule[] = [];
  const environment: Record<string, string> = {};
  const { target, toCdkEventPattern, error, lift } = options;
  const partnerRules = (
    id: string,
    prop: string,
    partner: string,
    names: readonly string[],
    patternFor: (name: string) => EventPattern,
    liftPatternFor?: (name: string) => EventPattern,
  ) => {
    if (names.length === 0)
      throw error(`${prop}.eventSourceNames`, 'expected at least one partner event source name');
    names.forEach((name, index) => {
      if (!PARTNER_SOURCE(partner).test(name)) {
        throw error(`${prop}.eventSourceNames`, `expected aws.partner/${partner}/<…>/<…>, got "${name}"`);
      }
      const suffix = index === 0 ? '' : String(index + 1);
      const eventBus = events.EventBus.fromEventBusName(scope, `${id}EventBus${suffix}`, name);
      rules.push(
        new events.Rule(scope, `${id}Rule${suffix}`, {
          description: `${id}: revoke Client VPN access when the identity provider disables a user`,
          eventBus,
          eventPattern: toCdkEventPattern(checked(prop, () => patternFor(name), error)),
          targets: [target],
        }),
      );
      if (lift && liftPatternFor) {
        rules.push(
          new events.Rule(scope, `${id}LiftRule${suffix}`, {
            description: `${id}: lift the Client VPN revocation when the identity provider re-enables a user`,
            eventBus,
            eventPattern: toCdkEventPattern(checked(prop, () => liftPatternFor(name), error)),
            targets: [target],
          }),
        );
      }
    });
  };

  if (props.auth0) {
    const names = [...new Set(props.auth0.eventSourceNames)];
    const eventTypes = props.auth0.eventTypes ?? [...AUTH0_LOST_ACCESS_EVENT_TYPES];
    partnerRules(
      'Auth0',
      'auth0',
      'auth0.com',
      names,
      (name) => auth0.eventPattern({ eventSourceNames: [name], eventTypes }),
      (name) => auth0.liftEventPattern({ eventSourceNames: [name], eventTypes }),
    );
    Object.assign(environment, {
      [ENV.auth0EventSources]: names.join(','),
      [ENV.auth0EventTypes]: eventTypes.join(','),
      ...mappingEnvironment(
        ENV.auth0IdentityMapping,
        props.auth0.identityMapping,
        'auth0.identityMapping',
        error,
      ),
    });
  }
  if (props.onelogin) {
    const names = [...new Set(props.onelogin.eventSourceNames)];
    partnerRules('OneLogin', 'onelogin', 'onelogin.com', names, (name) =>
      onelogin.eventPattern({ eventSourceNames: [name] }),
    );
    Object.assign(environment, {
      [ENV.oneloginEventSources]: names.join(','),
      ...mappingEnvironment(
        ENV.oneloginIdentityMapping,
        props.onelogin.identityMapping,
        'onelogin.identityMapping',
        error,
      ),
    });
  }
  return { rules, environment };
}

/** IAM Identity Center: console, Identity Store API and SCIM user disables/deletes, read from CloudTrail. */
export interface IdentityCenterSourceProps {
  /**
   * Which Identity Center events revoke access.
   * @default - all of IDENTITY_CENTER_EVENT_TYPES; without exactly one `identityStoreIds` entry, the non-SCIM ones
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
  /** Set when a wildcard user ARN was granted (Identity Store users are only known from the event). */
  readonly identityCenterUserArn?: string;
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
    /** Also route re-enable events (they lift revocations from the ledger). */
    readonly lift: boolean;
  },
): SourceWiring {
  const stack = Stack.of(scope);
  const rules: events.Rule[] = [];
  const environment: Record<string, string> = {};
  const { target, role, toCdkEventPattern, error, lift } = options;
  let identityCenterUserArn: string | undefined;

  if (props.identityCenter) {
    const idc = props.identityCenter;
    const identityStoreIds = [...new Set(idc.identityStoreIds ?? [])];
    // SCIM events name no identity store, so they can only be attributed when exactly one is configured.
    const isScim = (type: IdentityCenterEventType) => type.startsWith('scim-');
    const eventTypes =
      idc.eventTypes ??
      IDENTITY_CENTER_EVENT_TYPES.filter((type) => identityStoreIds.length === 1 || !isScim(type));
    if (identityStoreIds.length !== 1 && eventTypes.some(isScim)) {
      throw error(
        'identityCenter.eventTypes',
        'SCIM event types need exactly one identityStoreIds entry (SCIM events do not name their identity store)',
      );
    }
    const sourceOptions = { eventTypes, identityStoreIds, identityMapping: idc.identityMapping };
    const pattern = checked('identityCenter', () => identityCenter.eventPattern(sourceOptions), error);
    rules.push(
      new events.Rule(scope, 'IdentityCenterRule', {
        description: 'IAM Identity Center: revoke Client VPN access when a user is disabled or deleted',
        eventPattern: toCdkEventPattern(pattern),
        targets: [target],
      }),
    );
    if (lift) {
      rules.push(
        new events.Rule(scope, 'IdentityCenterLiftRule', {
          description: 'IAM Identity Center: lift the Client VPN revocation when a user is enabled again',
          eventPattern: toCdkEventPattern(
            checked('identityCenter', () => identityCenter.liftEventPattern(sourceOptions), error),
          ),
          targets: [target],
        }),
      );
    }
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
    identityCenterUserArn = `arn:${stack.partition}:identitystore:::user/*`;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'LookUpIdentityCenterUsers',
        actions: ['identitystore:DescribeUser'],
        resources: [
          ...stores.map((store) => identityStoreArn(stack, store)),
          // DescribeUser authorizes on the store and on the user; user ids are only known from the event.
          identityCenterUserArn,
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
    if (lift) {
      rules.push(
        new events.Rule(scope, 'CognitoLiftRule', {
          description: 'Amazon Cognito: lift the Client VPN revocation when a user is enabled again',
          eventPattern: toCdkEventPattern(
            checked('cognito', () => cognito.liftEventPattern(sourceOptions), error),
          ),
          targets: [target],
        }),
      );
    }
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
        resources: pools.map((pool) => userPoolArn(stack, pool)),
      }),
    );
  }
  return { rules, environment, identityCenterUserArn };
}

/** The ARN of an identity store (`d-…`, or `*` for any store of the account). */
export const identityStoreArn = (stack: Stack, store: string) =>
  `arn:${stack.partition}:identitystore::${stack.account}:identitystore/${store}`;

/** The ARN of a user pool, in the region its id starts with. */
export const userPoolArn = (stack: Stack, pool: string) =>
  stack.formatArn({
    service: 'cognito-idp',
    region: pool.slice(0, pool.indexOf('_')),
    resource: 'userpool',
    resourceName: pool,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
