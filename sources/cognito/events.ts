import * as z from 'zod';
import { CLOUDTRAIL_DETAIL_TYPE, type EventBridgeEnvelope } from '../../lambda/core/envelope.ts';
import { ConfigurationError } from '../../lambda/core/errors.ts';
import type { EventPattern } from '../../lambda/core/event-pattern.ts';
import { identitySchema } from '../../lambda/core/identity.ts';
import type { RequestAction } from '../../lambda/core/request.ts';
import {
  type IdentityReference,
  type LiftableIdentitySource,
  type SourceOptions,
  sourceRequest,
} from '../identity-source.ts';
import { parseDetail } from '../parse-detail.ts';

/**
 * Amazon Cognito user pools: CloudTrail records of the admin calls that take a user's access away, on the
 * DEFAULT bus of the pool's Region. The identity is `requestParameters.username`; when CloudTrail hides it, the
 * request names a `cognito-user` by `sub` that the batch step resolves with ListUsers.
 *
 * Lifts (stacks with a revocation ledger): `AdminEnableUser` on the configured pools, the user read exactly as
 * for a revocation.
 */

export const COGNITO_SOURCE = 'aws.cognito-idp';
export const COGNITO_EVENT_SOURCE = 'cognito-idp.amazonaws.com';

/** Cognito admin calls after which a user must lose VPN access. */
export const COGNITO_LOST_ACCESS_EVENT_TYPES = [
  'AdminDisableUser',
  'AdminDeleteUser',
  'AdminUserGlobalSignOut',
] as const;
export type CognitoLostAccessEventType = (typeof COGNITO_LOST_ACCESS_EVENT_TYPES)[number];

/** Cognito admin calls that give a user access back: lift requests, never matched by the revoke rule. */
export const COGNITO_REENABLE_EVENT_TYPES = ['AdminEnableUser'] as const;
export type CognitoReenableEventType = (typeof COGNITO_REENABLE_EVENT_TYPES)[number];

/** `identityMapping.field`: `username` (default) or `sub` (the user's immutable id as the VPN name). */
export const COGNITO_IDENTITY_FIELDS = ['username', 'sub'] as const;
export type CognitoIdentityField = (typeof COGNITO_IDENTITY_FIELDS)[number];

export interface CognitoOptions extends SourceOptions {
  /** Only events about users of these pools (`<region>_<id>`) are accepted. */
  readonly userPoolIds: readonly string[];
  readonly eventTypes: readonly CognitoLostAccessEventType[];
}

/** What CloudTrail writes instead of a private value (the Cognito docs spell it the second way). */
export const HIDDEN_VALUES = ['HIDDEN_DUE_TO_SECURITY_REASONS', 'HIDDEN_FOR_SECURITY_REASONS'] as const;
const isHidden = (value: unknown) =>
  typeof value === 'string' && (HIDDEN_VALUES as readonly string[]).includes(value);

// Formats from the Cognito API reference (UserPoolId) and the `sub` attribute (a UUID).
const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const userPoolIdSchema = z
  .string({ error: 'expected a string' })
  .regex(USER_POOL_ID, 'expected a user pool id');
const subSchema = z.guid({ error: 'expected the user sub (a UUID)' });

const detailSchema = z.object({
  eventName: z.string({ error: 'expected a string' }),
  eventTime: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 time' }),
  requestParameters: z.object(
    { userPoolId: userPoolIdSchema, username: z.unknown() },
    { error: 'expected an object' },
  ),
  additionalEventData: z.object({ sub: z.unknown() }).loose().nullish(),
});

function identityField({ identityMapping }: CognitoOptions): CognitoIdentityField {
  const field = identityMapping?.field ?? 'username';
  if (!(COGNITO_IDENTITY_FIELDS as readonly string[]).includes(field)) {
    throw new ConfigurationError(
      `Cognito: identityMapping.field must be ${COGNITO_IDENTITY_FIELDS.join(' or ')}, got "${field}"`,
    );
  }
  return field as CognitoIdentityField;
}

function checkOptions(options: CognitoOptions) {
  const problems: string[] = [];
  if (options.userPoolIds.length === 0) problems.push('expected at least one user pool id');
  const badPools = options.userPoolIds.filter((id) => !USER_POOL_ID.test(id));
  if (badPools.length > 0) problems.push(`invalid user pool ids ${badPools.join(', ')}`);
  if (options.eventTypes.length === 0) problems.push('expected at least one event type');
  const badTypes = options.eventTypes.filter((type) => !COGNITO_LOST_ACCESS_EVENT_TYPES.includes(type));
  if (badTypes.length > 0) {
    problems.push(
      `unknown event types ${badTypes.join(', ')}; expected ${COGNITO_LOST_ACCESS_EVENT_TYPES.join(', ')}`,
    );
  }
  if (problems.length > 0) throw new ConfigurationError(`Cognito: ${problems.join('; ')}`);
  identityField(options);
}

/** Successful calls of `eventNames` on the configured user pools. */
function patternFor(options: CognitoOptions, eventNames: readonly string[]): EventPattern {
  checkOptions(options);
  return {
    source: [COGNITO_SOURCE],
    'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
    detail: {
      eventSource: [COGNITO_EVENT_SOURCE],
      eventName: [...new Set(eventNames)],
      // A failed call (NotAuthorizedException, UserNotFoundException…) carries errorCode and changed nothing.
      errorCode: [{ exists: false }],
      requestParameters: { userPoolId: [...new Set(options.userPoolIds)] },
    },
  };
}

/** The request for a successful call of one of the `allowed` names (those the rule of `action` matches). */
function cognitoRequest<Action extends RequestAction>(
  action: Action,
  event: EventBridgeEnvelope,
  options: CognitoOptions,
  allowed: readonly string[],
) {
  const revoking = action === 'revoke';
  if ('errorCode' in event.detail) {
    const consequence = revoking ? 'the user still has access' : 'nothing was re-enabled';
    throw parseDetail.error('detail.errorCode', `the call failed, so ${consequence}`);
  }
  const detail = parseDetail(detailSchema, event.detail);
  if (!allowed.includes(detail.eventName)) {
    const kind = revoking ? 'event type' : 're-enable event type';
    throw parseDetail.error('detail.eventName', `${detail.eventName} is not a configured Cognito ${kind}`);
  }
  const { userPoolId, username } = detail.requestParameters;
  if (!options.userPoolIds.includes(userPoolId)) {
    throw parseDetail.error(
      'detail.requestParameters.userPoolId',
      `"${userPoolId}" is not one of the configured user pools`,
    );
  }
  const sub = detail.additionalEventData?.sub;
  const readSub = (why: string) => {
    if (sub === undefined || sub === null) throw parseDetail.error('detail.additionalEventData.sub', why);
    return parseDetail(subSchema, sub, 'detail.additionalEventData.sub');
  };
  let identity: string | IdentityReference;
  if (identityField(options) === 'sub') {
    identity = readSub('expected the user sub (identityMapping.field is "sub")');
  } else if (username !== undefined && username !== null && !isHidden(username)) {
    identity = parseDetail(identitySchema, username, 'detail.requestParameters.username');
  } else {
    const why = username === undefined || username === null ? 'missing' : 'hidden by CloudTrail';
    identity = {
      kind: 'cognito-user',
      userPoolId,
      sub: readSub(`expected the user sub: detail.requestParameters.username is ${why}`),
    };
  }
  return sourceRequest(action, event, {
    eventType: `cognito-idp:${detail.eventName}`,
    eventTime: detail.eventTime,
    identity,
    reason: `Amazon Cognito ${detail.eventName} in user pool ${userPoolId}`,
  });
}

export const cognito: LiftableIdentitySource<CognitoOptions> = {
  name: 'cognito',

  eventPattern: (options) => patternFor(options, options.eventTypes),

  toRequest: (event, options) => cognitoRequest('revoke', event, options, options.eventTypes),

  liftEventPattern: (options) => patternFor(options, COGNITO_REENABLE_EVENT_TYPES),

  toLiftRequest: (event, options) => cognitoRequest('lift', event, options, COGNITO_REENABLE_EVENT_TYPES),
};

/** What a Cognito event means for VPN access; `undefined`: neither (or a failed call). */
export type CognitoEventClass = 'lost-access' | 're-enabled';

/**
 * Classifies any Cognito user-pool CloudTrail event, for reports. `eventPattern` never matches a re-enable
 * (`AdminEnableUser`); `liftEventPattern` does.
 */
export function classifyCognitoEvent(event: EventBridgeEnvelope): CognitoEventClass | undefined {
  const { detail } = event;
  if (event.source !== COGNITO_SOURCE || event['detail-type'] !== CLOUDTRAIL_DETAIL_TYPE) return undefined;
  if (detail.eventSource !== COGNITO_EVENT_SOURCE || 'errorCode' in detail) return undefined;
  if ((COGNITO_REENABLE_EVENT_TYPES as readonly unknown[]).includes(detail.eventName)) return 're-enabled';
  return (COGNITO_LOST_ACCESS_EVENT_TYPES as readonly unknown[]).includes(detail.eventName)
    ? 'lost-access'
    : undefined;
}
