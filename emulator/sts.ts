import type { Clock } from './clock.ts';
import type { QueryParams } from './ec2.ts';
import { type Caller, type RequestContext, ServiceError, type WireResponse } from './protocol.ts';
import { textId } from './random.ts';
import { ROLE_ARN } from './seed.ts';
import type { State } from './state.ts';
import { type XmlNode, xmlDocument } from './xml.ts';

/**
 * STS (awsQuery, form body `Action=…&Version=2011-06-15`): AssumeRole over the seeded `roles`, and
 * GetCallerIdentity. Issued access key ids are remembered in the state, so later calls signed with them act in
 * the role's account. Any caller may assume any seeded role (no trust policies); credentials do not expire.
 */

export const STS_VERSION = '2011-06-15';
const NAMESPACE = `https://sts.amazonaws.com/doc/${STS_VERSION}/`;

/** Key ids and role ids are upper-case base32, like AWS's. */
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export const DEFAULT_DURATION_SECONDS = 3600;
const MIN_DURATION_SECONDS = 900;
const MAX_DURATION_SECONDS = 43_200;

/** The session of `sessionName` in the role `roleArn` (which must match ROLE_ARN). */
const assumedRole = (roleArn: string, sessionName: string): Caller => {
  const [, accountId = '', roleName = ''] = ROLE_ARN.exec(roleArn) ?? [];
  return {
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
    // The role's unique id (AROA + 17 characters) is fixed per role, as in IAM.
    userId: `AROA${textId(roleArn, 17, KEY_ALPHABET)}:${sessionName}`,
  };
};

/** Who signs with an access key the emulator did not issue: the revoker's own role in the home account. */
export const homeCaller = (accountId: string): Caller =>
  assumedRole(`arn:aws:iam::${accountId}:role/client-vpn-revoker`, 'emulator');

const stsHeaders = (requestId: string): Record<string, string> => ({
  'content-type': 'text/xml',
  'x-amzn-requestid': requestId,
});

/** `<{action}Response><{action}Result>…</{action}Result><ResponseMetadata><RequestId>`, HTTP 200. */
const stsResponse = (action: string, requestId: string, result: readonly XmlNode[]): WireResponse => ({
  status: 200,
  headers: stsHeaders(requestId),
  body: xmlDocument(`${action}Response`, NAMESPACE, [
    [`${action}Result`, result],
    ['ResponseMetadata', [['RequestId', requestId]]],
  ]),
});

/** The awsQuery error envelope: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`. */
export const stsErrorResponse = (requestId: string, error: ServiceError): WireResponse => ({
  status: error.status,
  headers: stsHeaders(requestId),
  body: xmlDocument('ErrorResponse', NAMESPACE, [
    [
      'Error',
      [
        ['Type', error.status >= 500 ? 'Receiver' : 'Sender'],
        ['Code', error.code],
        ['Message', error.message],
      ],
    ],
    ['RequestId', requestId],
  ]),
  errorCode: error.code,
});

/** A string parameter's constraints, as the STS model states them. */
interface TextRule {
  readonly name: string;
  /** The member name validation messages use. */
  readonly field: string;
  readonly required: boolean;
  readonly min: number;
  readonly max: number;
  readonly pattern: RegExp;
  /** The constraint a value that fails `pattern` is told about. */
  readonly patternRule: string;
}

const ROLE_ARN_RULE: TextRule = {
  name: 'RoleArn',
  field: 'roleArn',
  required: true,
  min: 20,
  max: 2048,
  pattern: ROLE_ARN,
  patternRule: 'be an IAM role ARN (arn:aws:iam::<account id>:role/<path/name>)',
};
const SESSION_NAME_RULE: TextRule = {
  name: 'RoleSessionName',
  field: 'roleSessionName',
  required: true,
  min: 2,
  max: 64,
  pattern: /^[\w+=,.@-]*$/,
  patternRule: 'satisfy regular expression pattern: [\\w+=,.@-]*',
};
const EXTERNAL_ID_RULE: TextRule = {
  name: 'ExternalId',
  field: 'externalId',
  required: false,
  min: 2,
  max: 1224,
  pattern: /^[\w+=,.@:/-]*$/,
  patternRule: 'satisfy regular expression pattern: [\\w+=,.@:\\/-]*',
};

const constraint = (value: string | undefined, field: string, rule: string): string =>
  `Value ${value === undefined ? 'null' : `'${value}'`} at '${field}' failed to satisfy constraint: Member must ${rule}`;

const textProblem = (value: string | undefined, rule: TextRule): string | undefined => {
  if (value === undefined) return rule.required ? constraint(value, rule.field, 'not be null') : undefined;
  if (value.length < rule.min)
    return constraint(value, rule.field, `have length greater than or equal to ${rule.min}`);
  if (value.length > rule.max)
    return constraint(value, rule.field, `have length less than or equal to ${rule.max}`);
  if (!rule.pattern.test(value)) return constraint(value, rule.field, rule.patternRule);
  return undefined;
};

const durationProblem = (value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const field = 'durationSeconds';
  if (!/^-?\d+$/.test(value)) return constraint(value, field, 'be an integer');
  if (Number(value) < MIN_DURATION_SECONDS)
    return constraint(value, field, `have value greater than or equal to ${MIN_DURATION_SECONDS}`);
  if (Number(value) > MAX_DURATION_SECONDS)
    return constraint(value, field, `have value less than or equal to ${MAX_DURATION_SECONDS}`);
  return undefined;
};

/** Real AssumeRole parameters (first segment of the query key) the emulator does not model: refused, not ignored. */
const ASSUME_ROLE_NOT_EMULATED = new Set([
  'Policy',
  'PolicyArns',
  'Tags',
  'TransitiveTagKeys',
  'SerialNumber',
  'TokenCode',
  'SourceIdentity',
  'ProvidedContexts',
]);

const checkNotEmulated = (params: QueryParams): void => {
  for (const name of params.names()) {
    if (!ASSUME_ROLE_NOT_EMULATED.has(name.split('.')[0] as string)) continue;
    throw new ServiceError(
      'UnsupportedOperation',
      400,
      `The emulator does not implement the AssumeRole parameter ${name}; it supports RoleArn, RoleSessionName, ` +
        'DurationSeconds and ExternalId.',
    );
  }
};

/** Every problem at once, in Coral's words: `2 validation errors detected: …; …`. */
const validationError = (problems: readonly string[]): ServiceError =>
  new ServiceError(
    'ValidationError',
    400,
    `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`,
  );

/** ISO 8601 without milliseconds, as STS writes `Expiration`. */
const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface StsDeps {
  readonly state: State;
  readonly clock: Clock;
}

/** Creates the STS Query handler. `action` is the request's `Action` parameter (undefined when absent). */
export const createSts = (deps: StsDeps) => {
  const { state, clock } = deps;

  const newAccessKeyId = (session: Caller): string => {
    for (let attempt = 0; ; attempt++) {
      const id = `ASIA${textId(`${state.sessionCount}/${attempt}/${session.arn}`, 16, KEY_ALPHABET)}`;
      if (state.session(id) === undefined) return id;
    }
  };

  const assumeRole = (params: QueryParams, ctx: RequestContext): WireResponse => {
    const raw = params.toObject();
    const roleArn = raw.RoleArn;
    const sessionName = raw.RoleSessionName;
    const duration = raw.DurationSeconds;
    const problems = [
      textProblem(roleArn, ROLE_ARN_RULE),
      textProblem(sessionName, SESSION_NAME_RULE),
      durationProblem(duration),
      textProblem(raw.ExternalId, EXTERNAL_ID_RULE),
    ].filter((problem) => problem !== undefined);
    if (problems.length > 0) throw validationError(problems);
    checkNotEmulated(params);
    const arn = roleArn as string;
    if (!state.hasRole(arn)) {
      throw new ServiceError(
        'AccessDenied',
        403,
        `User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${arn}`,
      );
    }
    const session = assumedRole(arn, sessionName as string);
    const accessKeyId = newAccessKeyId(session);
    state.addSession(accessKeyId, session);
    const seconds = duration === undefined ? DEFAULT_DURATION_SECONDS : Number(duration);
    return stsResponse('AssumeRole', ctx.requestId, [
      [
        'AssumedRoleUser',
        [
          ['Arn', session.arn],
          ['AssumedRoleId', session.userId],
        ],
      ],
      [
        'Credentials',
        [
          ['AccessKeyId', accessKeyId],
          ['SecretAccessKey', textId(`${accessKeyId}/secret`, 40, BASE64_ALPHABET)],
          ['SessionToken', `IQoJb3JpZ2luX2Vj${textId(`${accessKeyId}/token`, 400, BASE64_ALPHABET)}`],
          ['Expiration', isoSeconds(clock.now() + seconds * 1000)],
        ],
      ],
    ]);
  };

  const getCallerIdentity = (ctx: RequestContext): WireResponse =>
    stsResponse('GetCallerIdentity', ctx.requestId, [
      ['Arn', ctx.caller.arn],
      ['UserId', ctx.caller.userId],
      ['Account', ctx.caller.accountId],
    ]);

  return (action: string | undefined, params: QueryParams, ctx: RequestContext): WireResponse => {
    try {
      if (action === undefined) throw new ServiceError('MissingAction', 400, 'Missing Action');
      if (action === 'AssumeRole') return assumeRole(params, ctx);
      if (action === 'GetCallerIdentity') return getCallerIdentity(ctx);
      throw new ServiceError(
        'InvalidAction',
        400,
        `Could not find operation ${action} for version ${STS_VERSION}`,
      );
    } catch (e) {
      if (e instanceof ServiceError) return stsErrorResponse(ctx.requestId, e);
      throw e;
    }
  };
};
