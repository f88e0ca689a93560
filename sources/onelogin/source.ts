import type { IdentityMapping } from '../../lambda/core/identity-mapping.ts';
import { identityMapping, partnerEventSources } from '../kit/context-values.ts';
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
import { onelogin } from './events.ts';

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

const ONELOGIN_EVENT_SOURCE_PATTERN = partnerSourcePattern('onelogin.com');

/** The revoker function's environment variables of the OneLogin source. */
export const ONELOGIN_ENV = {
  eventSources: 'ONELOGIN_EVENT_SOURCES',
  identityMapping: 'ONELOGIN_IDENTITY_MAPPING',
} as const;

export const oneloginSource = defineSource({
  events: onelogin,

  context: {
    shape: {
      oneloginEventSources: partnerEventSources(
        ONELOGIN_EVENT_SOURCE_PATTERN,
        'aws.partner/onelogin.com/<region>-<account>/<id>',
      ).optional(),
      oneloginIdentityMapping: identityMapping.optional(),
    },
    toProps: (context): OneLoginSourceProps | undefined =>
      context.oneloginEventSources && {
        eventSourceNames: context.oneloginEventSources,
        identityMapping: context.oneloginIdentityMapping,
      },
  },

  environment: {
    shape: {
      [ONELOGIN_ENV.eventSources]: partnerEventSourcesEnv('aws.partner/onelogin.com/<region>-<account>/<id>'),
      [ONELOGIN_ENV.identityMapping]: identityMappingEnvSchema,
    },
    toOptions: (environment) =>
      partnerOptions(environment[ONELOGIN_ENV.eventSources], environment[ONELOGIN_ENV.identityMapping], {}),
  },

  wiring: (props: OneLoginSourceProps | undefined, { lift, error, isToken }) => {
    if (!props) return undefined;
    const names = partnerSourceNames(
      'onelogin.eventSourceNames',
      props.eventSourceNames,
      { pattern: ONELOGIN_EVENT_SOURCE_PATTERN, form: 'aws.partner/onelogin.com/<…>/<…>' },
      { error, isToken },
    );
    // OneLogin reports no re-enables, so there is no lift rule.
    const rules = partnerRules(
      {
        id: 'OneLogin',
        checkedAs: { prop: 'onelogin', error },
        revoke: {
          description: 'OneLogin: revoke Client VPN access when the identity provider disables a user',
          pattern: (name) => onelogin.eventPattern({ eventSourceNames: [name] }),
        },
      },
      names,
      lift,
    );
    return {
      rules,
      environment: {
        [ONELOGIN_ENV.eventSources]: names.join(','),
        ...mappingEnvironment(
          ONELOGIN_ENV.identityMapping,
          props.identityMapping,
          'onelogin.identityMapping',
          error,
        ),
      },
    };
  },
});
