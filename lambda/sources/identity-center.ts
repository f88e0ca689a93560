import { z } from 'zod';
import { CLOUDTRAIL_DETAIL_TYPE, type EventBridgeEnvelope } from '../core/envelope.ts';
import { ConfigurationError } from '../core/errors.ts';
import type { EventPattern } from '../core/event-pattern.ts';
import type { IdentitySource, SourceOptions } from './identity-source.ts';
import { parseDetail } from './parse-detail.ts';

/**
 * IAM Identity Center and its Identity Store: CloudTrail records of the calls that take a user's access away,
 * delivered on the DEFAULT bus of the Identity Center home Region. The events carry only the user's id, so
 * the request names an `identity-store-user` that the batch step resolves to its `UserName` (DescribeUser).
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

export const identityCenter: IdentitySource<IdentityCenterOptions> = {
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
    const origins = unique(types.map((type) => LOST_ACCESS_EVENTS[type].origin));
    // `$or` needs two or more sub-patterns; a single branch is merged into `detail`.
    const [first = {}, second, ...rest] = branches;
    return {
      source: origins.map((origin) => SOURCES[origin].source),
      'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
      // A failed call (AccessDenied, ResourceNotFound…) carries errorCode and changed nothing.
      detail: { errorCode: [{ exists: false }], ...(second ? { $or: [first, second, ...rest] } : first) },
    };
  },

  toRequest(event: EventBridgeEnvelope, options) {
    if ('errorCode' in event.detail) {
      throw parseDetail.error('detail.errorCode', 'the call failed, so the user still has access');
    }
    const detail = parseDetail(cloudTrailDetailSchema, event.detail);
    const type = lostAccessType(detail);
    if (!type || !options.eventTypes.includes(type)) {
      throw parseDetail.error(
        'detail.eventName',
        `${detail.eventSource} ${detail.eventName} is not a configured Identity Center event type`,
      );
    }
    const { origin, description } = LOST_ACCESS_EVENTS[type];
    if (type === 'scim-deactivate-user') {
      if (activeAfter(detail.responseElements) !== false) {
        throw parseDetail.error('detail.responseElements.active', 'expected false (the user deactivated)');
      }
    }
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
    return {
      requestId: event.id,
      trigger: {
        source: event.source,
        detailType: event['detail-type'],
        eventType: `${service}:${detail.eventName}`,
        eventTime: detail.eventTime,
      },
      identity: { kind: 'identity-store-user', identityStoreId, userId },
      reason: `IAM Identity Center: ${description} (${service} ${detail.eventName})`,
      dryRun: false,
    };
  },
};

function lostAccessType(detail: CloudTrailDetail): IdentityCenterEventType | undefined {
  return IDENTITY_CENTER_EVENT_TYPES.find((type) => {
    const { origin, eventName } = LOST_ACCESS_EVENTS[type];
    return SOURCES[origin].eventSource === detail.eventSource && eventName === detail.eventName;
  });
}

/** What an Identity Center event means for VPN access; `undefined`: neither (or a failed call). */
export type IdentityCenterEventClass = 'lost-access' | 're-enabled';

/**
 * Classifies any Identity Center CloudTrail event, for an undo path (re-enabled users) and for reports. Not
 * used by the revocation rule: `eventPattern` never matches a re-enable.
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
    const active = activeAfter(responseElements);
    // An inactive user has lost access whatever the patch changed; lifting a revocation needs proof.
    if (active === false) return 'lost-access';
    return active === true && patchesActive(requestParameters) ? 're-enabled' : undefined;
  }
  if (origin === 'console' && eventName === 'EnableUser') return 're-enabled';
  const lost = IDENTITY_CENTER_EVENT_TYPES.some(
    (type) => LOST_ACCESS_EVENTS[type].origin === origin && LOST_ACCESS_EVENTS[type].eventName === eventName,
  );
  return lost ? 'lost-access' : undefined;
}
