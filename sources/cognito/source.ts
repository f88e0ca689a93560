import * as z from 'zod';
import { listOrDefault } from '../../lambda/core/environment.ts';
import type { IdentityMapping } from '../../lambda/core/identity-mapping.ts';
import { userPoolIdsSchema } from '../../lambda/core/user-directory-config.ts';
import { eventTypes, identityMapping, list, text } from '../kit/context-values.ts';
import { defineSource, type WiringContext } from '../kit/definition.ts';
import {
  identityMappingEnvSchema,
  mappingEnvironment,
  revokeAndLiftRules,
  withMapping,
} from '../kit/settings.ts';
import { COGNITO_LOST_ACCESS_EVENT_TYPES, type CognitoLostAccessEventType, cognito } from './events.ts';

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

/** The revoker function's environment variables of the Cognito source (and the user directory's). */
export const COGNITO_ENV = {
  userPoolIds: 'COGNITO_USER_POOL_IDS',
  eventTypes: 'COGNITO_EVENT_TYPES',
  identityMapping: 'COGNITO_IDENTITY_MAPPING',
} as const;

/** The ARN of a user pool, in the region its id starts with. */
export const userPoolArn = (
  { partition, account }: Pick<WiringContext, 'partition' | 'account'>,
  pool: string,
) => `arn:${partition}:cognito-idp:${pool.slice(0, pool.indexOf('_'))}:${account}:userpool/${pool}`;

export const cognitoSource = defineSource({
  events: cognito,

  context: {
    shape: {
      cognitoUserPoolIds: list(text, 'user pool id').optional(),
      cognitoEventTypes: eventTypes(COGNITO_LOST_ACCESS_EVENT_TYPES).optional(),
      cognitoIdentityMapping: identityMapping.optional(),
    },
    toProps: (context): CognitoSourceProps | undefined =>
      context.cognitoUserPoolIds && {
        userPoolIds: context.cognitoUserPoolIds,
        eventTypes: context.cognitoEventTypes,
        identityMapping: context.cognitoIdentityMapping,
      },
  },

  environment: {
    shape: {
      // Cognito is enabled by listing its user pools.
      [COGNITO_ENV.userPoolIds]: userPoolIdsSchema,
      [COGNITO_ENV.eventTypes]: listOrDefault(
        z.enum(COGNITO_LOST_ACCESS_EVENT_TYPES),
        COGNITO_LOST_ACCESS_EVENT_TYPES,
      ),
      [COGNITO_ENV.identityMapping]: identityMappingEnvSchema,
    },
    toOptions: (environment) =>
      environment[COGNITO_ENV.userPoolIds].length > 0
        ? {
            userPoolIds: environment[COGNITO_ENV.userPoolIds],
            eventTypes: environment[COGNITO_ENV.eventTypes],
            ...withMapping(environment[COGNITO_ENV.identityMapping]),
          }
        : undefined,
  },

  wiring: (props: CognitoSourceProps | undefined, context) => {
    if (!props) return undefined;
    const { lift, error } = context;
    const pools = [...new Set(props.userPoolIds)];
    const options = {
      userPoolIds: pools,
      eventTypes: props.eventTypes ?? [...COGNITO_LOST_ACCESS_EVENT_TYPES],
      identityMapping: props.identityMapping,
    };
    return {
      rules: revokeAndLiftRules(
        {
          id: 'Cognito',
          checkedAs: { prop: 'cognito', error },
          bus: { kind: 'default' },
          revoke: {
            description:
              'Amazon Cognito: revoke Client VPN access when a user is disabled, deleted or signed out',
            pattern: () => cognito.eventPattern(options),
          },
          lift: {
            description: 'Amazon Cognito: lift the Client VPN revocation when a user is enabled again',
            pattern: () => cognito.liftEventPattern(options),
          },
        },
        undefined,
        lift,
      ),
      environment: {
        [COGNITO_ENV.userPoolIds]: pools.join(','),
        [COGNITO_ENV.eventTypes]: options.eventTypes.join(','),
        ...mappingEnvironment(
          COGNITO_ENV.identityMapping,
          props.identityMapping,
          'cognito.identityMapping',
          error,
        ),
      },
      grants: [
        {
          sid: 'LookUpCognitoUsersBySub',
          actions: ['cognito-idp:ListUsers'],
          resources: pools.map((pool) => userPoolArn(context, pool)),
        },
      ],
      userDirectory: { userPoolIds: pools },
    };
  },
});
