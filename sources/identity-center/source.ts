import * as z from 'zod';
import { ENV, listOf } from '../../lambda/core/environment.ts';
import type { IdentityMapping } from '../../lambda/core/identity-mapping.ts';
import { identityStoreIdsSchema } from '../../lambda/core/user-directory-config.ts';
import { boolean, eventTypes, identityMapping, list, region, text } from '../kit/context-values.ts';
import { defineSource, type WiringContext } from '../kit/definition.ts';
import {
  identityMappingEnvSchema,
  mappingEnvironment,
  revokeAndLiftRules,
  withMapping,
} from '../kit/settings.ts';
import { IDENTITY_CENTER_EVENT_TYPES, type IdentityCenterEventType, identityCenter } from './events.ts';

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

/** The revoker function's environment variables of the Identity Center source (and the user directory's). */
export const IDENTITY_CENTER_ENV = {
  eventTypes: 'IDENTITY_CENTER_EVENT_TYPES',
  storeIds: 'IDENTITY_CENTER_STORE_IDS',
  identityMapping: 'IDENTITY_CENTER_IDENTITY_MAPPING',
} as const;

type Arns = Pick<WiringContext, 'partition' | 'account'>;

/** The ARN of an identity store (`d-…`, or `*` for any store of the account). */
export const identityStoreArn = ({ partition, account }: Arns, store: string) =>
  `arn:${partition}:identitystore::${account}:identitystore/${store}`;

/** Every Identity Store user: their ARNs name no store, and their ids are only known from the events. */
export const identityStoreUsersArn = ({ partition }: Pick<Arns, 'partition'>) =>
  `arn:${partition}:identitystore:::user/*`;

const EVENT_TYPES = IDENTITY_CENTER_EVENT_TYPES as [IdentityCenterEventType, ...IdentityCenterEventType[]];

export const identityCenterSource = defineSource({
  events: identityCenter,

  context: {
    shape: {
      identityCenterEnabled: boolean.optional(),
      identityCenterEventTypes: eventTypes(EVENT_TYPES).optional(),
      identityCenterStoreIds: list(text, 'identity store id').optional(),
      identityStoreRegion: region.optional(),
      identityCenterIdentityMapping: identityMapping.optional(),
    },
    toProps: (context): IdentityCenterSourceProps | undefined =>
      context.identityCenterEnabled
        ? {
            eventTypes: context.identityCenterEventTypes,
            identityStoreIds: context.identityCenterStoreIds,
            identityStoreRegion: context.identityStoreRegion,
            identityMapping: context.identityCenterIdentityMapping,
          }
        : undefined,
  },

  environment: {
    shape: {
      // Identity Center is enabled by listing its event types.
      [IDENTITY_CENTER_ENV.eventTypes]: listOf(z.enum(EVENT_TYPES)),
      [IDENTITY_CENTER_ENV.storeIds]: identityStoreIdsSchema,
      [IDENTITY_CENTER_ENV.identityMapping]: identityMappingEnvSchema,
    },
    toOptions: (environment) =>
      environment[IDENTITY_CENTER_ENV.eventTypes].length > 0
        ? {
            eventTypes: environment[IDENTITY_CENTER_ENV.eventTypes],
            identityStoreIds: environment[IDENTITY_CENTER_ENV.storeIds],
            ...withMapping(environment[IDENTITY_CENTER_ENV.identityMapping]),
          }
        : undefined,
  },

  wiring: (props: IdentityCenterSourceProps | undefined, context) => {
    if (!props) return undefined;
    const { lift, error } = context;
    const identityStoreIds = [...new Set(props.identityStoreIds ?? [])];
    // SCIM events name no identity store, so they can only be attributed when exactly one is configured.
    const isScim = (type: IdentityCenterEventType) => type.startsWith('scim-');
    const eventTypes =
      props.eventTypes ??
      IDENTITY_CENTER_EVENT_TYPES.filter((type) => identityStoreIds.length === 1 || !isScim(type));
    if (identityStoreIds.length !== 1 && eventTypes.some(isScim)) {
      throw error(
        'identityCenter.eventTypes',
        'SCIM event types need exactly one identityStoreIds entry (SCIM events do not name their identity store)',
      );
    }
    const options = { eventTypes, identityStoreIds, identityMapping: props.identityMapping };
    const identityStoreRegion = props.identityStoreRegion ?? context.region;
    const stores = identityStoreIds.length > 0 ? identityStoreIds : ['*'];
    const usersArn = identityStoreUsersArn(context);
    return {
      rules: revokeAndLiftRules(
        {
          id: 'IdentityCenter',
          checkedAs: { prop: 'identityCenter', error },
          bus: { kind: 'default' },
          revoke: {
            description: 'IAM Identity Center: revoke Client VPN access when a user is disabled or deleted',
            pattern: () => identityCenter.eventPattern(options),
          },
          lift: {
            description: 'IAM Identity Center: lift the Client VPN revocation when a user is enabled again',
            pattern: () => identityCenter.liftEventPattern(options),
          },
        },
        undefined,
        lift,
      ),
      environment: {
        [IDENTITY_CENTER_ENV.eventTypes]: eventTypes.join(','),
        ...(identityStoreIds.length > 0 && { [IDENTITY_CENTER_ENV.storeIds]: identityStoreIds.join(',') }),
        [ENV.identityStoreRegion]: identityStoreRegion,
        ...mappingEnvironment(
          IDENTITY_CENTER_ENV.identityMapping,
          props.identityMapping,
          'identityCenter.identityMapping',
          error,
        ),
      },
      grants: [
        {
          sid: 'LookUpIdentityCenterUsers',
          actions: ['identitystore:DescribeUser'],
          resources: [...stores.map((store) => identityStoreArn(context, store)), usersArn],
          wildcards: [
            {
              resource: usersArn,
              reason:
                'identitystore:DescribeUser authorizes on the user resource too, and the user id comes from the ' +
                'event; the grant is also limited to the configured identity stores',
            },
          ],
        },
      ],
      userDirectory: {
        identityStoreIds,
        identityStoreRegion,
        ...(identityStoreIds.length === 0 && {
          // Information, not a warning: listing no store is a valid choice (look-ups are still recorded).
          info:
            'identityCenter.identityStoreIds is empty: the user directory sync cannot list Identity Center users, so ' +
            'only users the revoker looked up are recorded. List the identity store to name every deleted user.',
        }),
      },
    };
  },
});
