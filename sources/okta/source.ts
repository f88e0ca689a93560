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
import {
  OKTA_DEFAULT_EVENT_TYPES,
  OKTA_LOST_ACCESS_EVENT_TYPES,
  type OktaLostAccessEventType,
  okta,
} from './events.ts';

/** Okta System Log events arriving through an Okta EventBridge log stream (a partner event source). */
export interface OktaSourceProps {
  /**
   * Partner event source names, `aws.partner/okta.com/<org>/<name>`. The partner event bus has the same
   * name; one rule is created on each, matching that exact source.
   */
  readonly eventSourceNames: string[];
  /**
   * Okta event types after which a user loses VPN access.
   * @default - OKTA_DEFAULT_EVENT_TYPES: deactivate, suspend, delete.initiated, session.clear (lock is opt-in)
   */
  readonly eventTypes?: OktaLostAccessEventType[];
  /**
   * From the Okta login (or, with `field`, another identity field) to the name Client VPN sees.
   * @default - the login as is
   */
  readonly identityMapping?: IdentityMapping;
}

export const OKTA_EVENT_SOURCE_PATTERN = partnerSourcePattern('okta.com');

/** The revoker function's environment variables of the Okta source. */
export const OKTA_ENV = {
  eventSources: 'OKTA_EVENT_SOURCES',
  eventTypes: 'OKTA_EVENT_TYPES',
  identityMapping: 'OKTA_IDENTITY_MAPPING',
} as const;

const show = (value: unknown) => JSON.stringify(value);

export const oktaSource = defineSource({
  events: okta,

  context: {
    shape: {
      oktaEventSources: partnerEventSources(
        OKTA_EVENT_SOURCE_PATTERN,
        'aws.partner/okta.com/<org>/<name>',
      ).optional(),
      oktaEventTypes: eventTypes(OKTA_LOST_ACCESS_EVENT_TYPES).optional(),
      oktaIdentityMapping: identityMapping.optional(),
    },
    refinements: [
      {
        valid: (context) => !(context.oktaEventTypes && !context.oktaEventSources),
        message: 'oktaEventTypes needs oktaEventSources',
        key: 'oktaEventTypes',
      },
    ],
    toProps: (context): OktaSourceProps | undefined =>
      context.oktaEventSources && {
        eventSourceNames: context.oktaEventSources,
        eventTypes: context.oktaEventTypes,
        identityMapping: context.oktaIdentityMapping,
      },
  },

  environment: {
    shape: {
      [OKTA_ENV.eventSources]: partnerEventSourcesEnv('aws.partner/okta.com/<org>/<name>'),
      [OKTA_ENV.eventTypes]: listOrDefault(z.enum(OKTA_LOST_ACCESS_EVENT_TYPES), OKTA_DEFAULT_EVENT_TYPES),
      [OKTA_ENV.identityMapping]: identityMappingEnvSchema,
    },
    toOptions: (environment) =>
      partnerOptions(environment[OKTA_ENV.eventSources], environment[OKTA_ENV.identityMapping], {
        eventTypes: environment[OKTA_ENV.eventTypes],
      }),
  },

  wiring: (props: OktaSourceProps | undefined, { lift, error, isToken }) => {
    if (!props) return undefined;
    const names = partnerSourceNames(
      'okta.eventSourceNames',
      props.eventSourceNames,
      { pattern: OKTA_EVENT_SOURCE_PATTERN, form: 'aws.partner/okta.com/<org>/<name>' },
      { error, isToken },
    );
    const eventTypes = [...new Set(props.eventTypes ?? OKTA_DEFAULT_EVENT_TYPES)];
    if (eventTypes.length === 0) {
      throw error('okta.eventTypes', 'expected at least one event type (or omit it)');
    }
    for (const type of eventTypes) {
      if (!(OKTA_LOST_ACCESS_EVENT_TYPES as readonly string[]).includes(type)) {
        throw error(
          'okta.eventTypes',
          `expected one of ${OKTA_LOST_ACCESS_EVENT_TYPES.join(', ')}, got ${show(type)}`,
        );
      }
    }
    const rules = partnerRules(
      {
        id: 'Okta',
        revoke: {
          description: `Okta: revoke Client VPN access on ${eventTypes.join(', ')}`,
          pattern: (name) => okta.eventPattern({ eventSourceNames: [name], eventTypes }),
        },
        lift: {
          description:
            'Okta: lift the Client VPN revocation when a user is activated, unsuspended or unlocked',
          pattern: (name) => okta.liftEventPattern({ eventSourceNames: [name], eventTypes }),
        },
      },
      names,
      lift,
    );
    return {
      rules,
      environment: {
        [OKTA_ENV.eventSources]: names.join(','),
        [OKTA_ENV.eventTypes]: eventTypes.join(','),
        ...mappingEnvironment(OKTA_ENV.identityMapping, props.identityMapping, 'okta.identityMapping', error),
      },
    };
  },
});
