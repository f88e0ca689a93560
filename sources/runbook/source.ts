import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as z from 'zod';
import { booleanSchema } from '../../lambda/core/environment.ts';
import type { IdentityMapping } from '../../lambda/core/identity-mapping.ts';
import { boolean, eventSource, identityMapping, list, text } from '../kit/context-values.ts';
import { defineSource } from '../kit/definition.ts';
import {
  eventSourceProblem,
  identityMappingEnvSchema,
  mappingEnvironment,
  revokeAndLiftRules,
  withMapping,
} from '../kit/settings.ts';
import { DEFAULT_RUNBOOK_SOURCE, RUNBOOK_LIFT_DETAIL_TYPE, runbook, runbookEventBusName } from './events.ts';

/** The incident-response path: an operator or SOAR tool puts a "Client VPN Revocation Requested" event. */
export interface RunbookSourceProps {
  /**
   * Whether to create the runbook rule.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * The `source` the request is put with; only this one is accepted.
   * @default 'client-vpn-revoker.runbook' (DEFAULT_RUNBOOK_SOURCE)
   */
  readonly source?: string;
  /**
   * A bus of yours to take runbook requests on (its policy then gets the construct's runbook denials, scoped
   * to the runbook `source`). Avoid the default bus: there every principal allowed events:PutEvents may put.
   * @default - a dedicated bus (`eventBusName`)
   */
  readonly eventBus?: IEventBus;
  /**
   * Name of the dedicated runbook bus the construct creates when `eventBus` is not given.
   * @default '<stack name>-runbook'
   */
  readonly eventBusName?: string;
  /**
   * Only these principals (IAM role or user ARNs; `*` wildcards allowed) may put runbook requests: the
   * runbook bus's resource policy denies `events:PutEvents` of the runbook `source` to everyone else — an
   * explicit deny that holds even for principals of this account with broad IAM rights.
   * @default - principals of this account whose IAM policies allow events:PutEvents on the runbook bus
   */
  readonly allowedPrincipalArns?: string[];
  /**
   * Only these principals (IAM role or user ARNs; `*` wildcards allowed) may lift a revocation with a
   * runbook request (`Client VPN Revocation Lifted`): lifting lets a revoked person back in, so it is
   * authorized on its own. They may also put revocation requests.
   * @default - nobody: the bus denies runbook lifts to every principal and no lift rule is created; lifts
   *   come from the identity providers' re-enable events only
   */
  readonly liftAllowedPrincipalArns?: string[];
  /**
   * From the requested username to the name Client VPN sees.
   * @default - the username as is
   */
  readonly identityMapping?: IdentityMapping;
}

/** The revoker function's environment variables of the runbook source. */
export const RUNBOOK_ENV = {
  source: 'RUNBOOK_EVENT_SOURCE',
  liftsAllowed: 'RUNBOOK_LIFTS_ALLOWED',
  identityMapping: 'RUNBOOK_IDENTITY_MAPPING',
} as const;

export const runbookSource = defineSource({
  events: runbook,

  context: {
    shape: {
      runbookEnabled: boolean.optional(),
      runbookIdentityMapping: identityMapping.optional(),
      runbookAllowedPrincipalArns: list(text, 'principal ARN').optional(),
      runbookLiftAllowedPrincipalArns: list(text, 'principal ARN').optional(),
      runbookSource: eventSource.optional(),
      runbookEventBusName: text.optional(),
    },
    toProps: (context, kit): RunbookSourceProps => ({
      enabled: context.runbookEnabled,
      source: context.runbookSource,
      identityMapping: context.runbookIdentityMapping,
      allowedPrincipalArns: context.runbookAllowedPrincipalArns,
      liftAllowedPrincipalArns: context.runbookLiftAllowedPrincipalArns,
      eventBus: context.runbookEventBusName
        ? kit.importBus('RunbookEventBus', context.runbookEventBusName)
        : undefined,
    }),
  },

  environment: {
    shape: {
      // Unset disables the runbook path: the handler then rejects runbook requests even if one reaches the queue.
      [RUNBOOK_ENV.source]: z.string().min(1).optional(),
      // Unset refuses runbook lifts: only the principals the runbook bus names may lift (lib/parts/request-bus.ts).
      [RUNBOOK_ENV.liftsAllowed]: booleanSchema.default(false),
      [RUNBOOK_ENV.identityMapping]: identityMappingEnvSchema,
    },
    toOptions: (environment) => {
      const source = environment[RUNBOOK_ENV.source];
      return source
        ? {
            source,
            liftsAllowed: environment[RUNBOOK_ENV.liftsAllowed],
            ...withMapping(environment[RUNBOOK_ENV.identityMapping]),
          }
        : undefined;
    },
  },

  // On by default: the incident-response path needs no identity provider.
  wiring: (props: RunbookSourceProps | undefined, { lift, error, isToken }) => {
    const enabled = props?.enabled ?? true;
    const source = props?.source ?? DEFAULT_RUNBOOK_SOURCE;
    if (props && !enabled && (props.source || props.eventBus)) {
      throw error('runbook', 'source/eventBus given but enabled is false');
    }
    if (!enabled) return undefined;
    const problem = isToken(source) ? undefined : eventSourceProblem(source);
    if (problem) throw error('runbook.source', problem);
    // A lift lets a revoked person back in: accepted only from principals the bus names for it.
    const liftsAllowed = (props?.liftAllowedPrincipalArns ?? []).length > 0;
    return {
      rules: revokeAndLiftRules(
        {
          id: 'Runbook',
          bus: { kind: 'request-bus' },
          revoke: {
            description: 'Runbook: revoke Client VPN access on request',
            pattern: () => runbook.eventPattern({ source }),
          },
          lift: {
            description: 'Runbook: lift a Client VPN revocation on request',
            pattern: () => runbook.liftEventPattern({ source }),
          },
        },
        undefined,
        lift && liftsAllowed,
      ),
      environment: {
        [RUNBOOK_ENV.source]: source,
        ...(liftsAllowed && { [RUNBOOK_ENV.liftsAllowed]: 'true' }),
        ...mappingEnvironment(
          RUNBOOK_ENV.identityMapping,
          props?.identityMapping,
          'runbook.identityMapping',
          error,
        ),
      },
      requestBus: {
        id: 'Runbook',
        busDescription:
          'Client VPN Revoker: runbook revocation and lift requests from the allowed principals',
        misroutedDescription: 'Runbook requests put on the default bus: kept for an operator, never applied',
        prop: 'runbook',
        source,
        liftDetailType: RUNBOOK_LIFT_DETAIL_TYPE,
        eventBus: props?.eventBus,
        eventBusName: props?.eventBusName,
        defaultBusName: runbookEventBusName,
        allowedPrincipalArns: props?.allowedPrincipalArns,
        liftAllowedPrincipalArns: props?.liftAllowedPrincipalArns,
      },
    };
  },
});
