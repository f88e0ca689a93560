import * as z from 'zod';

/**
 * The seed format: the JSON a test, a benchmark or `cli.ts --seed file.json` loads into the emulator.
 * Every optional field gets a deterministic default (see README.md). Unknown keys are rejected so that a typo
 * in a seed file fails loudly instead of being ignored.
 */

export const ENDPOINT_STATUSES = [
  'pending-associate',
  'available',
  'deleting',
  'deleted',
  'pending',
] as const;
export const CONNECTION_STATUSES = ['active', 'failed-to-terminate', 'terminating', 'terminated'] as const;
export const AUTH_TYPES = ['certificate', 'saml', 'active-directory'] as const;

const isoTime = z.iso.datetime({ offset: true, local: false });

/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;
/**
 * An IAM role ARN: `arn:aws:iam::<account>:role/<name>` or `…:role/<path>/<name>`; groups 1 = the account,
 * 2 = the role name (1–64 of `[\w+=,.@-]`). A path is segments of printable ASCII between slashes.
 */
export const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\x21-\x2E\x30-\x7E]+\/)*([\w+=,.@-]{1,64})$/;

export const seedConnectionSchema = z.strictObject({
  /** `cvpn-connection-` + 17 hex digits; generated deterministically when absent. */
  id: z.string().min(1).optional(),
  /** Default `''` (certificate authentication has no username). */
  username: z.string().optional(),
  /** Default `''`, or the username on Active Directory endpoints. */
  commonName: z.string().optional(),
  status: z.enum(CONNECTION_STATUSES).optional(),
  /** ISO 8601; default: a deterministic time 10 minutes to 8 hours before the seed was loaded. */
  establishedAt: isoTime.optional(),
  /** ISO 8601, terminated rows only; default: a deterministic time 1 to 50 minutes before the seed was loaded. */
  endedAt: isoTime.optional(),
  /** Default: an address from the endpoint's client CIDR. */
  clientIp: z.ipv4().optional(),
  postureComplianceStatuses: z.array(z.string()).optional(),
});

export const seedEndpointSchema = z.strictObject({
  /** Unique across every account and region of the emulator. */
  id: z.string().min(1),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected a region such as us-east-1'),
  /** The account that owns the endpoint; default the emulator's home account (`EmulatorOptions.accountId`). */
  accountId: z.string().regex(ACCOUNT_ID, 'expected a 12-digit AWS account id').optional(),
  description: z.string().optional(),
  status: z.enum(ENDPOINT_STATUSES).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  authType: z.enum(AUTH_TYPES).optional(),
  transportProtocol: z.enum(['udp', 'tcp']).optional(),
  vpnPort: z.union([z.literal(443), z.literal(1194)]).optional(),
  sessionTimeoutHours: z.union([z.literal(8), z.literal(10), z.literal(12), z.literal(24)]).optional(),
  disconnectOnSessionTimeout: z.boolean().optional(),
  splitTunnel: z.boolean().optional(),
  /** The client connect handler (ModifyClientVpnEndpoint `ClientConnectOptions`); default disabled. */
  clientConnectOptions: z
    .strictObject({
      enabled: z.boolean(),
      /** `arn:aws:lambda:<endpoint region>:<endpoint account>:function:AWSClientVPN-…[:qualifier]`; required when enabled. */
      lambdaFunctionArn: z.string().min(1).optional(),
    })
    .refine((o) => !o.enabled || o.lambdaFunctionArn !== undefined, {
      message: 'lambdaFunctionArn is required when enabled is true',
      path: ['lambdaFunctionArn'],
    })
    .optional(),
  connections: z.array(seedConnectionSchema).optional(),
});

export const seedUserSchema = z.strictObject({
  userId: z.string().min(1),
  userName: z.string().min(1),
  displayName: z.string().optional(),
  givenName: z.string().optional(),
  familyName: z.string().optional(),
  emails: z.array(z.string()).optional(),
  /** Ids the user has in an external identity provider (what SCIM provisioning sets). */
  externalIds: z.array(z.strictObject({ issuer: z.string().min(1), id: z.string().min(1) })).optional(),
  status: z.enum(['ENABLED', 'DISABLED']).optional(),
});

export const seedCognitoUserSchema = z.strictObject({
  username: z.string().min(1),
  /** The immutable user id (a UUID), what ListUsers filters `sub = "…"` find. */
  sub: z.string().min(1),
  email: z.string().optional(),
  /** Default true. */
  enabled: z.boolean().optional(),
});

export const seedCognitoUserPoolSchema = z.strictObject({
  /** `<region>_<id>`; the pool answers only in that region. */
  userPoolId: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d_[0-9a-zA-Z]+$/, 'expected a user pool id such as us-east-1_ExAmPlE12'),
  users: z.array(seedCognitoUserSchema),
});

export const seedSecretSchema = z
  .strictObject({
    /** `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>`; derived from name when absent. */
    arn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:secretsmanager:[a-z]{2}(-[a-z]+)+-\d:\d{12}:secret:.+-[A-Za-z0-9]{6}$/,
        'expected a secret ARN such as arn:aws:secretsmanager:us-east-1:111122223333:secret:name-AbCdEf',
      )
      .optional(),
    /** Default: the ARN's name part (without the 6-character suffix). */
    name: z.string().min(1).max(512).optional(),
    /** Default: the ARN's region, else us-east-1. A secret answers only in its region. */
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected a region such as us-east-1')
      .optional(),
    /** The SecretString; an object is stored as its JSON text. */
    value: z.union([z.string(), z.record(z.string(), z.unknown())]),
    /** Default: a deterministic UUID derived from the ARN. */
    versionId: z.string().min(32).max(64).optional(),
    /** ISO 8601; default: a deterministic time 1 to 400 days before the seed was loaded. */
    createdAt: isoTime.optional(),
  })
  .refine((s) => s.arn !== undefined || s.name !== undefined, { message: 'a secret needs an arn or a name' });

export const seedSchema = z.strictObject({
  endpoints: z.array(seedEndpointSchema).optional(),
  /** IAM role ARNs that STS AssumeRole grants (to any caller); other roles answer AccessDenied. */
  roles: z
    .array(
      z
        .string()
        .regex(
          ROLE_ARN,
          'expected an IAM role ARN such as arn:aws:iam::444455556666:role/client-vpn-revoker',
        ),
    )
    .optional(),
  secrets: z.array(seedSecretSchema).optional(),
  cognitoUserPools: z.array(seedCognitoUserPoolSchema).optional(),
  identityStore: z
    .strictObject({
      identityStoreId: z.string().min(1),
      users: z.array(seedUserSchema),
    })
    .optional(),
});

export type Seed = z.input<typeof seedSchema>;
export type SeedEndpoint = z.output<typeof seedEndpointSchema>;
export type SeedConnection = z.output<typeof seedConnectionSchema>;
export type SeedUser = z.output<typeof seedUserSchema>;
export type SeedCognitoUser = z.output<typeof seedCognitoUserSchema>;
export type SeedSecret = z.output<typeof seedSecretSchema>;
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number];
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];
export type AuthType = (typeof AUTH_TYPES)[number];

export class InvalidSeedError extends Error {
  override name = 'InvalidSeedError';
}

/** Validates a seed; throws InvalidSeedError listing every problem with its path. */
export const parseSeed = (input: unknown): z.output<typeof seedSchema> => {
  const result = seedSchema.safeParse(input);
  if (!result.success) throw new InvalidSeedError(z.prettifyError(result.error), { cause: result.error });
  return result.data;
};
