import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { LEDGER_PARTITION_KEY, LEDGER_TTL_ATTRIBUTE } from '../../contracts/tables.ts';

export interface RevocationLedgerTableProps {
  /**
   * What happens to the table (the record of who was revoked, when and why) when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The revocation ledger: one item per identity (the canonical key of a username or common name) saying whether it is
 * revoked or was lifted, as of which identity-provider event. On-demand, encrypted with the AWS managed key,
 * point-in-time recovery on, expired records deleted by TTL. Kept when the stack is deleted: it is evidence.
 */
export class RevocationLedgerTable extends Construct {
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: RevocationLedgerTableProps = {}) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: LEDGER_PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: LEDGER_TTL_ATTRIBUTE,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}
