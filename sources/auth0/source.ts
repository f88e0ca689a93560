import * as z from 'zod';
import { listOrDefault } from '../../lambda/core/environment.ts';
import type { IdentityMapping } from '../../lambda/core/identity-mapping.ts';
import { eventTypes, identityMapping, partnerEventSources } from '../kit/context-values.ts';
import { defineSource } from '../kit/definition.ts';
import {
  identityMappingEnvSchema,
  mappingEnvironment,
  partnerEventSourcesEnv,
  partnerOptions,
  partnerRules,
  partnerSourceNames,
  partnerSourcePattern,
} from '../kit/settings.ts';
import { AUTH0_LOST_ACCESS_EVENT_TYPES, type Auth0LostAccessEventType, auth0 } from './events.ts';

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

const AUTH0_EVENT_SOURCE_PATTERN = partnerSourcePattern('auth0.com');

/** The revoker function's environment variables of the Auth0 source. */
export const AUTH0_ENV = {
  eventSources: 'AUTH0_EVENT_SOURCES',
  eventTypes: 'AUTH0_EVENT_TYPES',
  identityMapping: 'AUTH0_IDENTITY_MAPPING',
} as const;

export const auth0Source = defineSource({
  events: auth0,

  context: {
    shape: {
      auth0EventSources: partnerEventSources(
        AUTH0_EVENT_SOURCE_PATTERN,
        'aws.partner/auth0.com/<tenant>/<name>',
      ).optional(),
      auth0EventTypes: eventTypes(AUTH0_LOST_ACCESS_EVENT_TYPES).optional(),
      auth0IdentityMapping: identityMapping.optional(),
    },
    toProps: (context): Auth0SourceProps | undefined =>
      context.auth0EventSources && {
        eventSourceNames: context.auth0EventSources,
        eventTypes: context.auth0EventTypes,
        identityMapping: context.auth0IdentityMapping,
      },
  },

  environment: {
    shape: {
      [AUTH0_ENV.eventSources]: partnerEventSourcesEnv('aws.partner/auth0.com/<tenant>/<name>'),
      [AUTH0_ENV.eventTypes]: listOrDefault(
        z.enum(AUTH0_LOST_ACCESS_EVENT_TYPES),
        AUTH0_LOST_ACCESS_EVENT_TYPES,
      ),
      [AUTH0_ENV.identityMapping]: identityMappingEnvSchema,
    },
    toOptions: (environment) =>
      partnerOptions(environment[AUTH0_ENV.eventSources], environment[AUTH0_ENV.identityMapping], {
        eventTypes: environment[AUTH0_ENV.eventTypes],
      }),
  },

  wiring: (props: Auth0SourceProps | undefined, { lift, error, isToken }) => {
    if (!props) return undefined;
    const names = partnerSourceNames(
      'auth0.eventSourceNames',
      props.eventSourceNames,
      { pattern: AUTH0_EVENT_SOURCE_PATTERN, form: 'aws.partner/auth0.com/<…>/<…>' },
      { error, isToken },
    );
    const eventTypes = props.eventTypes ?? [...AUTH0_LOST_ACCESS_EVENT_TYPES];
    const rules = partnerRules(
      {
        id: 'Auth0',
        checkedAs: { prop: 'auth0', error },
        revoke: {
          description: 'Auth0: revoke Client VPN access when the identity provider disables a user',
          pattern: (name) => auth0.eventPattern({ eventSourceNames: [name], eventTypes }),
        },
        lift: {
          description: 'Auth0: lift the Client VPN revocation when the identity provider re-enables a user',
          pattern: (name) => auth0.liftEventPattern({ eventSourceNames: [name], eventTypes }),
        },
      },
      names,
      lift,
    );
    return {
      rules,
      environment: {
        [AUTH0_ENV.eventSources]: names.join(','),
        [AUTH0_ENV.eventTypes]: eventTypes.join(','),
        ...mappingEnvironment(
          AUTH0_ENV.identityMapping,
          props.identityMapping,
          'auth0.identityMapping',
          error,
        ),
      },
    };
  },
});
