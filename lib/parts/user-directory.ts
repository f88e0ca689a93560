import { Annotations, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { USER_DIRECTORY_PARTITION_KEY, USER_DIRECTORY_TTL_ATTRIBUTE } from '../../contracts/tables.ts';
import { ENV } from '../../lambda/core/environment.ts';
import { COGNITO_ENV, userPoolArn } from '../../sources/cognito/source.ts';
import {
  IDENTITY_CENTER_ENV,
  identityStoreArn,
  identityStoreUsersArn,
} from '../../sources/identity-center/source.ts';
import type { UserDirectoryContribution } from '../../sources/kit/definition.ts';
import {
  bundledFunction,
  functionRole,
  invokeOnSchedule,
  nagResource,
  traceOrAcknowledge,
} from '../function-support.ts';
import { ClientVpnRevokerPropsError } from '../props-validation.ts';

/** The user directory: who each id of an id-only identity source named (lambda/core/user-directory.ts). */
export interface UserDirectoryOptions {
  /**
   * Whether to keep the directory. Without it, an Identity Center delete (or a Cognito delete with a hidden
   * username) of a user the revoker never looked up cannot be named: it fails, is dead-lettered and alarms.
   * @default true when the identityCenter or cognito source is configured
   */
  readonly enabled?: boolean;
  /**
   * How often the sync lists every user of the configured identity stores and user pools.
   * @default Duration.hours(1)
   */
  readonly syncInterval?: Duration;
  /**
   * How long a record is kept after its user was last seen existing (by a sync or a look-up). At least the
   * dead-letter queue's 14 days plus the sync interval, so a dead-lettered delete can still be redriven.
   * @default Duration.days(90)
   */
  readonly retention?: Duration;
  /**
   * What happens to the table when the stack is deleted.
   * @default RemovalPolicy.DESTROY - it copies the identity provider's data (names, e-mail addresses), which
   * the next sync of a new stack rebuilds; keeping personal data beyond the product's life has no use
   */
  readonly removalPolicy?: RemovalPolicy;
}

export interface UserDirectoryProps {
  /** Identity stores the sync lists (`d-…`), in `identityStoreRegion`. */
  readonly identityStoreIds: readonly string[];
  readonly identityStoreRegion: string;
  /** User pools the sync lists (`<region>_<id>`). */
  readonly userPoolIds: readonly string[];
  readonly syncInterval: Duration;
  readonly retention: Duration;
  readonly removalPolicy: RemovalPolicy;
  readonly logRetention: logs.RetentionDays;
  readonly tracing: boolean;
}

/** The dead-letter queue keeps a delete 14 days, and a redrive must still name it. */
const MIN_RETENTION = Duration.days(15);

/**
 * The user directory: a DynamoDB table of the users of the configured identity stores and user pools, written
 * by the revoker on every successful look-up and by a scheduled sync that lists them all. Records outlive
 * their user by `retention` (TTL), so a delete that names only an id is still resolved to the person.
 */
export class UserDirectory extends Construct {
  public readonly table: dynamodb.Table;
  /** The sync, unless there is nothing to list (Identity Center without identityStoreIds, and no Cognito). */
  public readonly sync?: {
    readonly function: lambda.Function;
    readonly schedule: scheduler.Schedule;
    readonly role: iam.Role;
  };
  private readonly retention: Duration;

  constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);
    this.retention = props.retention;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: USER_DIRECTORY_PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: USER_DIRECTORY_TTL_ATTRIBUTE,
      removalPolicy: props.removalPolicy,
    });
    if (props.identityStoreIds.length + props.userPoolIds.length > 0) this.sync = this.addSync(props);
  }

  /** The scheduled listing of every configured store and pool, with its least-privilege role. */
  private addSync(props: UserDirectoryProps): NonNullable<UserDirectory['sync']> {
    const stack = Stack.of(this);
    const role = functionRole(this, 'Role', 'Client VPN Revoker: record the users of the identity sources');
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RecordUsers',
        actions: ['dynamodb:BatchWriteItem'],
        resources: [this.table.tableArn],
      }),
    );
    if (props.identityStoreIds.length > 0) {
      const userArn = identityStoreUsersArn(stack);
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ListIdentityStoreUsers',
          actions: ['identitystore:ListUsers'],
          resources: [...props.identityStoreIds.map((store) => identityStoreArn(stack, store)), userArn],
        }),
      );
      const policy = role.node.findChild('DefaultPolicy');
      Validations.of(policy.node.defaultChild ?? policy).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagResource(this, userArn)}]`,
        reason:
          'identitystore:ListUsers authorizes on the user resource type too, whose ARN names no store; the ' +
          'grant is limited to the configured identity stores by their ARNs',
      });
    }
    if (props.userPoolIds.length > 0) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ListUserPoolUsers',
          actions: ['cognito-idp:ListUsers'],
          resources: props.userPoolIds.map((pool) => userPoolArn(stack, pool)),
        }),
      );
    }

    const { fn } = bundledFunction(this, 'Function', {
      entry: 'lambda/directory-sync/handler.ts',
      description: 'Records the users of the identity stores and user pools, so deletes can be named',
      role,
      timeout: Duration.minutes(10),
      memorySize: 256,
      logRetention: props.logRetention,
      environment: {
        [ENV.userDirectoryTableName]: this.table.tableName,
        [ENV.userDirectoryRetentionDays]: String(props.retention.toDays()),
        ...(props.identityStoreIds.length > 0 && {
          [IDENTITY_CENTER_ENV.storeIds]: props.identityStoreIds.join(','),
          [ENV.identityStoreRegion]: props.identityStoreRegion,
        }),
        ...(props.userPoolIds.length > 0 && { [COGNITO_ENV.userPoolIds]: props.userPoolIds.join(',') }),
      },
      // One sync at a time: a slow listing delays the next instead of doubling the API calls.
      reservedConcurrentExecutions: 1,
    });
    // A failed sync is not retried by Lambda: the next scheduled one lists everything again.
    fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.hours(1) });
    const cfnFunction = fn.node.defaultChild ?? fn;
    Validations.of(cfnFunction).acknowledge({
      id: 'Serverless::Serverless-LambdaDLQ',
      reason:
        'A failed sync carries nothing to redrive (its input is empty): the next scheduled sync lists every ' +
        'user again, and a failure alarms (DirectorySyncErrors, DirectorySyncFailed)',
    });
    const invokeConfig = fn.node.findChild('EventInvokeConfig');
    Validations.of(invokeConfig.node.defaultChild ?? invokeConfig).acknowledge({
      id: 'Serverless::Serverless-LambdaAsyncFailureDestination',
      reason:
        'A failed sync carries nothing to redrive: the next scheduled sync repeats it, and failures alarm',
    });

    const schedule = invokeOnSchedule(this, fn, {
      what: 'user directory sync',
      interval: props.syncInterval,
    });
    traceOrAcknowledge(fn, props.tracing, 'the sync report in Powertools logs');
    return { function: fn, schedule, role };
  }

  /**
   * Lets the revoker name deleted users: reads a record, and records each user it looks up. Returns the
   * environment the revoker needs.
   */
  grantLookUp(role: iam.IRole): Record<string, string> {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'NameDeletedUsers',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [this.table.tableArn],
      }),
    );
    return {
      [ENV.userDirectoryTableName]: this.table.tableName,
      [ENV.userDirectoryRetentionDays]: String(this.retention.toDays()),
    };
  }
}

/**
 * The user directory of a ClientVpnRevoker, when an id-only source is configured and the directory is not
 * turned off.
 */
export function userDirectoryFor(
  scope: Construct,
  sources: readonly UserDirectoryContribution[],
  options: UserDirectoryOptions | undefined,
  settings: {
    readonly logRetention: logs.RetentionDays;
    readonly tracing: boolean;
  },
): UserDirectory | undefined {
  const wanted = sources.length > 0;
  if (!(options?.enabled ?? wanted)) return undefined;
  if (!wanted) {
    throw new ClientVpnRevokerPropsError(
      'userDirectory.enabled',
      'the user directory names users of the identityCenter and cognito sources; configure one of them',
    );
  }
  const syncInterval = options?.syncInterval ?? Duration.hours(1);
  const retention = options?.retention ?? Duration.days(90);
  const intervalMinutes = syncInterval.toMinutes({ integral: false });
  if (!Number.isInteger(intervalMinutes) || intervalMinutes < 1 || intervalMinutes > 24 * 60) {
    throw new ClientVpnRevokerPropsError(
      'userDirectory.syncInterval',
      'expected a whole number of minutes from 1 minute to 24 hours',
    );
  }
  const retentionDays = retention.toDays({ integral: false });
  if (!Number.isInteger(retentionDays) || retentionDays < MIN_RETENTION.toDays() + 1) {
    throw new ClientVpnRevokerPropsError(
      'userDirectory.retention',
      `expected a whole number of days, at least ${MIN_RETENTION.toDays() + 1}: the dead-letter queue keeps a ` +
        'delete 14 days, and a record must outlast that by the sync interval',
    );
  }
  const identityStoreIds = [...new Set(sources.flatMap((source) => source.identityStoreIds ?? []))];
  // Information, not a warning: what the directory cannot do for a source is a valid choice.
  for (const { info } of sources) if (info) Annotations.of(scope).addInfo(info);
  return new UserDirectory(scope, 'UserDirectory', {
    identityStoreIds,
    identityStoreRegion:
      sources.find((source) => source.identityStoreRegion)?.identityStoreRegion ?? Stack.of(scope).region,
    userPoolIds: [...new Set(sources.flatMap((source) => source.userPoolIds ?? []))],
    syncInterval,
    retention,
    removalPolicy: options?.removalPolicy ?? RemovalPolicy.DESTROY,
    logRetention: settings.logRetention,
    tracing: settings.tracing,
  });
}
