import * as z from 'zod';
import { CLOUDTRAIL_DETAIL_TYPE, type EventBridgeEnvelope } from '../../lambda/core/envelope.ts';
import { ConfigurationError } from '../../lambda/core/errors.ts';
import type { EventPattern } from '../../lambda/core/event-pattern.ts';
import type { RequestAction } from '../../lambda/core/request.ts';
import { type LiftableIdentitySource, type SourceOptions, sourceRequest } from '../identity-source.ts';
import { parseDetail } from '../parse-detail.ts';

/**
 * IAM Identity Center and its Identity Store: CloudTrail records of the calls that take a user's access away,
 * delivered on the DEFAULT bus of the Identity Center home Region. The events carry only the user's id, so
 * the request names an `identity-store-user` that the batch step resolves to its `UserName` (DescribeUser).
 *
 * Lifts (stacks with a revocation ledger): a console `EnableUser` (always), and a SCIM `PatchUser` that proves
 * a re-activation — the response shows `active: true` AND an operation's path is `active` — when a SCIM event
 * type revokes. A patch of other attributes also answers `active: true`, so that alone proves nothing; Okta's
 * path-less re-activations therefore never lift (re-enable such users with a runbook lift request). The user
 * is read exactly as for a revocation.
 */

/**
 * EventBridge `source` per CloudTrail `eventSource`. Only `aws.identitystore` is documented; the other two
 * follow the CloudTrail convention (`aws.` + the event source's service name), are what public rules and
 * captured events use, and are unverified (identity-events.md §6 therefore suggests `{"prefix": "aws."}`).
 * Exact names are chosen anyway: every `aws.` source is unforgeable (PutEvents refuses it), but a prefix would
 * also admit `aws.partner/…` sources, whose content a third party controls. If a name turns out wrong, the
 * rule misses that origin silently: confirm each once with a test user (CloudTrail event history shows the
 * call; the rule's CloudWatch `MatchedEvents` metric shows whether EventBridge delivered it).
 */
const SOURCES = {
  console: { source: 'aws.sso-directory', eventSource: 'sso-directory.amazonaws.com' },
  identityStore: { source: 'aws.identitystore', eventSource: 'identitystore.amazonaws.com' },
  scim: { source: 'aws.identitystore-scim', eventSource: 'identitystore-scim.amazonaws.com' },
} as const;
type Origin = keyof typeof SOURCES;

interface EventDefinition {
  readonly origin: Origin;
  readonly eventName: string;
  readonly description: string;
}

const LOST_ACCESS_EVENTS = {
  'console-disable-user': { origin: 'console', eventName: 'DisableUser', description: 'user disabled' },
  'console-delete-user': { origin: 'console', eventName: 'DeleteUser', description: 'user deleted' },
  'identitystore-delete-user': {
    origin: 'identityStore',
    eventName: 'DeleteUser',
    description: 'user deleted through the Identity Store API',
  },
  'scim-delete-user': {
    origin: 'scim',
    eventName: 'DeleteUser',
    description: 'user deleted by SCIM provisioning',
  },
  'scim-deactivate-user': {
    origin: 'scim',
    eventName: 'PatchUser',
    description: 'user deactivated by SCIM provisioning',
  },
} as const satisfies Record<string, EventDefinition>;

/** The Identity Center events after which a user must lose VPN access. */
export type IdentityCenterEventType = keyof typeof LOST_ACCESS_EVENTS;
export const IDENTITY_CENTER_EVENT_TYPES = Object.keys(
  LOST_ACCESS_EVENTS,
) as readonly IdentityCenterEventType[];

const REENABLE_EVENTS = {
  'console-enable-user': { origin: 'console', eventName: 'EnableUser', description: 'user enabled' },
  'scim-activate-user': {
    origin: 'scim',
    eventName: 'PatchUser',
    description: 'user re-activated by SCIM provisioning',
  },
} as const satisfies Record<string, EventDefinition>;

/** The Identity Center events that give a user access back: lift requests, never matched by the revoke rule. */
export type IdentityCenterReenableEventType = keyof typeof REENABLE_EVENTS;
export const IDENTITY_CENTER_REENABLE_EVENT_TYPES = Object.keys(
  REENABLE_EVENTS,
) as readonly IdentityCenterReenableEventType[];

/**
 * The re-enable types that lift a revocation, given the lost-access types that revoke: `EnableUser` always;
 * the SCIM re-activation when a SCIM type revokes (SCIM in use, and exactly one identity store configured).
 */
export function identityCenterLiftEventTypes(
  eventTypes: readonly IdentityCenterEventType[],
): IdentityCenterReenableEventType[] {
  const scim = eventTypes.some((type) => LOST_ACCESS_EVENTS[type]?.origin === 'scim');
  return IDENTITY_CENTER_REENABLE_EVENT_TYPES.filter(
    (type) => scim || REENABLE_EVENTS[type].origin !== 'scim',
  );
}

export interface IdentityCenterOptions extends SourceOptions {
  readonly eventTypes: readonly IdentityCenterEventType[];
  /**
   * Only users of these identity stores (`d-…`); default (absent or empty): any store in the account. SCIM
   * events name no identity store (only the SCIM `tenantId`), so they are not restricted by this list and
   * take their store from it: SCIM event types need exactly one entry.
   */
  readonly identityStoreIds?: readonly string[];
}

/** The identity is always the user's `UserName`, looked up by id, so `identityMapping.field` has one value. */
export const IDENTITY_CENTER_IDENTITY_FIELD = 'userName';

// Formats from the Identity Store API reference (IdentityStoreId, UserId).
const identityStoreIdSchema = z
  .string({ error: 'expected a string' })
  .regex(
    /^(d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
    'expected an identity store id',
  );
const userIdSchema = z
  .string({ error: 'expected a string' })
  .regex(
    /^([0-9a-f]{10}-)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    'expected an Identity Store user id',
  );

const cloudTrailDetailSchema = z.object({
  eventSource: z.string({ error: 'expected a string' }),
  eventName: z.string({ error: 'expected a string' }),
  eventTime: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 time' }),
  requestParameters: z.record(z.string(), z.unknown(), { error: 'expected an object' }),
  responseElements: z.record(z.string(), z.unknown()).nullish(),
});
type CloudTrailDetail = z.infer<typeof cloudTrailDetailSchema>;

const byIdSchema = z.object({ identityStoreId: identityStoreIdSchema, userId: userIdSchema });
const scimUserSchema = z.object({ id: userIdSchema });
const scimPatchSchema = z.object({
  httpBody: z.object({ operations: z.array(z.object({ path: z.unknown() }).loose()) }),
});

/** Whether a PatchUser names `active` in an operation path (needed to call a patch a re-activation). */
function patchesActive(requestParameters: unknown): boolean {
  const parsed = scimPatchSchema.safeParse(requestParameters);
  return (
    parsed.success &&
    parsed.data.httpBody.operations.some(
      (op) => typeof op.path === 'string' && op.path.toLowerCase() === 'active',
    )
  );
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `active` as the SCIM response shows it after a PatchUser; `undefined` when absent. */
const activeAfter = (responseElements: unknown): unknown =>
  isRecord(responseElements) ? responseElements.active : undefined;

/** Why a SCIM PatchUser does not prove a re-activation, as `[field, message]`; `undefined` when it does. */
function unprovenReactivation(
  requestParameters: unknown,
  responseElements: unknown,
): readonly [field: string, message: string] | undefined {
  if (activeAfter(responseElements) !== true) {
    return ['detail.responseElements.active', 'expected true (the user active after the patch)'];
  }
  if (!patchesActive(requestParameters)) {
    return [
      'detail.requestParameters.httpBody.operations',
      'expected an operation on path "active": a patch of other attributes does not prove a re-activation',
    ];
  }
  return undefined;
}

function checkOptions({ eventTypes, identityMapping }: IdentityCenterOptions) {
  if (eventTypes.length === 0) {
    throw new ConfigurationError('Identity Center: expected at least one event type');
  }
  const unknown = eventTypes.filter((type) => !Object.hasOwn(LOST_ACCESS_EVENTS, type));
  if (unknown.length > 0) {
    throw new ConfigurationError(
      `Identity Center: unknown event types ${unknown.join(', ')}; expected ${IDENTITY_CENTER_EVENT_TYPES.join(', ')}`,
    );
  }
  if (identityMapping?.field !== undefined && identityMapping.field !== IDENTITY_CENTER_IDENTITY_FIELD) {
    throw new ConfigurationError(
      `Identity Center: identityMapping.field must be "${IDENTITY_CENTER_IDENTITY_FIELD}" (the looked-up UserName)`,
    );
  }
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

function branchFor(origin: Origin, eventNames: string[], identityStoreIds: readonly string[]): EventPattern {
  const branch: Record<string, EventPattern[string]> = {
    eventSource: [SOURCES[origin].eventSource],
    eventName: eventNames,
  };
  // SCIM requests carry a tenantId, not the identity store id: they cannot be restricted here.
  if (origin !== 'scim' && identityStoreIds.length > 0) {
    branch.requestParameters = { identityStoreId: [...identityStoreIds] };
  }
  return branch;
}

/** The CloudTrail pattern for `branches` (one per origin or kind of call) of events from `origins`. */
function patternFor(origins: readonly Origin[], branches: readonly EventPattern[]): EventPattern {
  // `$or` needs two or more sub-patterns; a single branch is merged into `detail`.
  const [first = {}, second, ...rest] = branches;
  return {
    source: unique(origins).map((origin) => SOURCES[origin].source),
    'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
    // A failed call (AccessDenied, ResourceNotFound…) carries errorCode and changed nothing.
    detail: { errorCode: [{ exists: false }], ...(second ? { $or: [first, second, ...rest] } : first) },
  };
}

/** The CloudTrail record, once it is known that the call succeeded. */
function succeededCall(event: EventBridgeEnvelope, consequence: string): CloudTrailDetail {
  if ('errorCode' in event.detail) {
    throw parseDetail.error('detail.errorCode', `the call failed, so ${consequence}`);
  }
  return parseDetail(cloudTrailDetailSchema, event.detail);
}

/** The request about the user of `detail`, an event of `origin`, checked against the configured stores. */
function identityCenterRequest<Action extends RequestAction>(
  action: Action,
  event: EventBridgeEnvelope,
  detail: CloudTrailDetail,
  { origin, description }: EventDefinition,
  options: IdentityCenterOptions,
) {
  const storeIds = options.identityStoreIds ?? [];
  let identityStoreId: string;
  let userId: string;
  if (origin === 'scim') {
    ({ id: userId } = parseDetail(scimUserSchema, detail.requestParameters, 'detail.requestParameters'));
    const [onlyStore, ...others] = storeIds;
    if (onlyStore === undefined || others.length > 0) {
      throw parseDetail.error(
        'detail.requestParameters.tenantId',
        'SCIM events name no identity store; configure exactly one identity store id (identityStoreIds) ' +
          'for the Identity Center source',
      );
    }
    identityStoreId = onlyStore;
  } else {
    ({ identityStoreId, userId } = parseDetail(
      byIdSchema,
      detail.requestParameters,
      'detail.requestParameters',
    ));
    if (storeIds.length > 0 && !storeIds.includes(identityStoreId)) {
      throw parseDetail.error(
        'detail.requestParameters.identityStoreId',
        `"${identityStoreId}" is not one of the configured identity stores`,
      );
    }
  }
  const service = detail.eventSource.replace(/\.amazonaws\.com$/, '');
  return sourceRequest(action, event, {
    eventType: `${service}:${detail.eventName}`,
    eventTime: detail.eventTime,
    identity: { kind: 'identity-store-user', identityStoreId, userId },
    reason: `IAM Identity Center: ${description} (${service} ${detail.eventName})`,
  });
}

/** The type among `types` (keys of `events`) of the call `detail` records. */
function typeOf<Type extends string>(
  events: Readonly<Record<Type, EventDefinition>>,
  types: readonly Type[],
  detail: CloudTrailDetail,
): Type | undefined {
  return types.find((type) => {
    const { origin, eventName } = events[type];
    return SOURCES[origin].eventSource === detail.eventSource && eventName === detail.eventName;
  });
}

export const identityCenter: LiftableIdentitySource<IdentityCenterOptions> = {
  name: 'identity-center',

  eventPattern(options) {
    checkOptions(options);
    const types = unique(options.eventTypes);
    const storeIds = options.identityStoreIds ?? [];
    const namesOf = (origin: Origin) =>
      types
        .filter((type) => type !== 'scim-deactivate-user' && LOST_ACCESS_EVENTS[type].origin === origin)
        .map((type) => LOST_ACCESS_EVENTS[type].eventName);
    const branches: EventPattern[] = (['console', 'identityStore', 'scim'] as const)
      .filter((origin) => namesOf(origin).length > 0)
      .map((origin) => branchFor(origin, namesOf(origin), storeIds));
    if (types.includes('scim-deactivate-user')) {
      // A PatchUser counts when the response shows the user inactive. The operation's path is not required:
      // Okta deactivates with a path-less `{"op":"replace","value":{"active":false}}`, and the values are hidden.
      branches.push({
        eventSource: [SOURCES.scim.eventSource],
        eventName: ['PatchUser'],
        responseElements: { active: [false] },
      });
    }
    return patternFor(
      types.map((type) => LOST_ACCESS_EVENTS[type].origin),
      branches,
    );
  },

  toRequest(event, options) {
    const detail = succeededCall(event, 'the user still has access');
    const type = typeOf(LOST_ACCESS_EVENTS, IDENTITY_CENTER_EVENT_TYPES, detail);
    if (!type || !options.eventTypes.includes(type)) {
      throw parseDetail.error(
        'detail.eventName',
        `${detail.eventSource} ${detail.eventName} is not a configured Identity Center event type`,
      );
    }
    if (type === 'scim-deactivate-user') {
      if (activeAfter(detail.responseElements) !== false) {
        throw parseDetail.error('detail.responseElements.active', 'expected false (the user deactivated)');
      }
    }
    return identityCenterRequest('revoke', event, detail, LOST_ACCESS_EVENTS[type], options);
  },

  /**
   * `EnableUser` restricted to the configured stores like the revoke rule, and a SCIM `PatchUser` whose
   * response shows `active: true` and one of whose operations has the path `active` (in any case).
   */
  liftEventPattern(options) {
    checkOptions(options);
    const types = identityCenterLiftEventTypes(options.eventTypes);
    const branches = types.map((type): EventPattern => {
      if (type === 'console-enable-user') {
        return branchFor('console', ['EnableUser'], options.identityStoreIds ?? []);
      }
      return {
        eventSource: [SOURCES.scim.eventSource],
        eventName: ['PatchUser'],
        responseElements: { active: [true] },
        requestParameters: { httpBody: { operations: { path: [{ 'equals-ignore-case': 'active' }] } } },
      };
    });
    return patternFor(
      types.map((type) => REENABLE_EVENTS[type].origin),
      branches,
    );
  },

  toLiftRequest(event, options) {
    const detail = succeededCall(event, 'nothing was re-enabled');
    const types = identityCenterLiftEventTypes(options.eventTypes);
    const type = typeOf(REENABLE_EVENTS, types, detail);
    if (!type) {
      throw parseDetail.error(
        'detail.eventName',
        `${detail.eventSource} ${detail.eventName} is not a configured Identity Center re-enable event type`,
      );
    }
    if (type === 'scim-activate-user') {
      const problem = unprovenReactivation(detail.requestParameters, detail.responseElements);
      if (problem) throw parseDetail.error(...problem);
    }
    return identityCenterRequest('lift', event, detail, REENABLE_EVENTS[type], options);
  },
};

/** What an Identity Center event means for VPN access; `undefined`: neither (or a failed call). */
export type IdentityCenterEventClass = 'lost-access' | 're-enabled';

/**
 * Classifies any Identity Center CloudTrail event (re-enabled users, lost access), for reports. `eventPattern`
 * never matches a re-enable; `liftEventPattern` and `toLiftRequest` apply the same proof to a SCIM re-activation.
 */
export function classifyIdentityCenterEvent(
  event: EventBridgeEnvelope,
): IdentityCenterEventClass | undefined {
  const origin = (Object.keys(SOURCES) as Origin[]).find((key) => SOURCES[key].source === event.source);
  if (!origin || event['detail-type'] !== CLOUDTRAIL_DETAIL_TYPE || 'errorCode' in event.detail)
    return undefined;
  const { eventSource, eventName, requestParameters, responseElements } = event.detail;
  if (eventSource !== SOURCES[origin].eventSource) return undefined;
  if (origin === 'scim' && eventName === 'PatchUser') {
    // An inactive user has lost access whatever the patch changed; lifting a revocation needs proof.
    if (activeAfter(responseElements) === false) return 'lost-access';
    return unprovenReactivation(requestParameters, responseElements) ? undefined : 're-enabled';
  }
  if (origin === 'console' && eventName === REENABLE_EVENTS['console-enable-user'].eventName)
    return 're-enabled';
  const lost = IDENTITY_CENTER_EVENT_TYPES.some(
    (type) => LOST_ACCESS_EVENTS[type].origin === origin && LOST_ACCESS_EVENTS[type].eventName === eventName,
  );
  return lost ? 'lost-access' : undefined;
}
