import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { LEDGER_PARTITION_KEY, LEDGER_TTL_ATTRIBUTE } from '../../contracts/tables.ts';
import { ENV } from '../../lambda/core/environment.ts';
import { ClientVpnRevokerPropsError } from '../props-validation.ts';

export interface LedgerProps {
  /**
   * Whether to keep a revocation ledger. Without it nothing blocks reconnects and re-enables are not routed.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * How long a lift record counts, 1–3650 days (it keeps a late, older disable from reviving the revocation).
   * A revocation record never expires: it protects until it is lifted.
   * @default Duration.days(30)
   */
  readonly retention?: Duration;
  /**
   * What happens to the table when the stack is deleted.
   * @default RemovalPolicy.RETAIN (it is the record of who was revoked, when and why)
   */
  readonly removalPolicy?: RemovalPolicy;
}

export interface RevocationLedgerTableProps {
  /**
   * What happens to the table (the record of who was revoked, when and why) when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * How long a lift record counts (the revoker writes its expiry).
   * @default Duration.days(30)
   */
  readonly retention?: Duration;
}

/**
 * The revocation ledger: one item per identity (the canonical key of a username or common name) saying whether it is
 * revoked or was lifted, as of which identity-provider event. On-demand, encrypted with the AWS managed key,
 * point-in-time recovery on, expired records deleted by TTL. Kept when the stack is deleted: it is evidence.
 */
export class RevocationLedgerTable extends Construct {
  public readonly table: dynamodb.Table;
  private readonly retention: Duration;

  constructor(scope: Construct, id: string, props: RevocationLedgerTableProps = {}) {
    super(scope, id);
    this.retention = props.retention ?? Duration.days(30);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: LEDGER_PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: LEDGER_TTL_ATTRIBUTE,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }

  /** Lets the revoker record revocations and lifts. Returns the environment the revoker needs. */
  grantRecord(role: iam.IRole): Record<string, string> {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RecordRevocations',
        actions: ['dynamodb:PutItem'],
        resources: [this.table.tableArn],
      }),
    );
    return {
      [ENV.ledgerTableName]: this.table.tableName,
      [ENV.ledgerRetentionDays]: String(this.retention.toDays()),
    };
  }
}

/** The ledger's settings, checked: undefined when the ledger is turned off. */
export function ledgerSettings(props: LedgerProps | undefined): RevocationLedgerTableProps | undefined {
  if (props?.enabled === false && (props.retention || props.removalPolicy)) {
    throw new ClientVpnRevokerPropsError('ledger', 'retention/removalPolicy given but enabled is false');
  }
  const retention = props?.retention ?? Duration.days(30);
  const days = retention.toDays({ integral: false });
  if (!(Number.isInteger(days) && days >= 1 && days <= 3650)) {
    throw new ClientVpnRevokerPropsError(
      'ledger.retention',
      `expected whole days from 1 to 3650, got ${retention}`,
    );
  }
  if (props?.enabled === false) return undefined;
  return { retention, ...(props?.removalPolicy && { removalPolicy: props.removalPolicy }) };
}
