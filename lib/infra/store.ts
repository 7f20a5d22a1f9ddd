import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
  type Attribute,
} from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';
import type { KeySchemaElement } from '@aws-sdk/client-dynamodb';
import { EXPIRY_ATTRIBUTE, tableDefinition } from '../store/table';
import { acknowledgeWildcard } from './nag';

export interface StoreProps {
  /** Deletion protection and RETAIN; without it the table goes with the stack (dev stacks). */
  readonly deletionProtection: boolean;
}

/** What outlives a protected stack: the records, and the secrets they cannot be read without. */
export function keptDataRemovalPolicy(deletionProtection: boolean): RemovalPolicy {
  return deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
}

/**
 * The one table of records, declared from lib/store/table.ts's definition (the local store creates
 * the same): on demand (no cost while idle), point-in-time recovery, encrypted with the AWS
 * managed key, and a stream of new and old images for the notifier.
 */
export class Store extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: StoreProps) {
    super(scope, id);
    // The name is CloudFormation's to choose: the functions read it from their environment.
    const definition = tableDefinition('unused');
    const attribute = attributeOf(definition.AttributeDefinitions ?? []);
    const keys = (schema: readonly KeySchemaElement[] | undefined) => ({
      partitionKey: attribute(keyNamed(schema, 'HASH')),
      sortKey: attribute(keyNamed(schema, 'RANGE')),
    });
    this.table = new Table(this, 'Table', {
      ...keys(definition.KeySchema),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      // Lane synchronisation items end with their execution (lib/execution/sync-table.ts).
      timeToLiveAttribute: EXPIRY_ATTRIBUTE,
      deletionProtection: props.deletionProtection,
      removalPolicy: keptDataRemovalPolicy(props.deletionProtection),
    });
    for (const index of definition.GlobalSecondaryIndexes ?? []) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.IndexName!,
        ...keys(index.KeySchema),
        projectionType: index.Projection?.ProjectionType as ProjectionType,
      });
    }
  }

  /** Read/write on the table and its indexes, with the index wildcard acknowledged on `owner`. */
  grantReadWrite(grantee: IGrantable, owner: IConstruct): void {
    this.table.grantReadWriteData(grantee);
    acknowledgeWildcard(
      owner,
      `${this.table.tableArn}/index/*`,
      "Queries read the table's indexes (active, kind): the pattern names this table's indexes only.",
    );
  }
}

function keyNamed(schema: readonly KeySchemaElement[] | undefined, type: 'HASH' | 'RANGE'): string {
  const key = schema?.find((element) => element.KeyType === type)?.AttributeName;
  if (!key) throw new Error(`table definition: a key schema lacks its ${type} key`);
  return key;
}

function attributeOf(
  definitions: readonly { AttributeName?: string; AttributeType?: string }[],
): (name: string) => Attribute {
  const types: Record<string, AttributeType> = {
    S: AttributeType.STRING,
    N: AttributeType.NUMBER,
    B: AttributeType.BINARY,
  };
  return (name) => {
    const type = definitions.find((definition) => definition.AttributeName === name)?.AttributeType;
    if (!type || !types[type]) throw new Error(`table definition: attribute ${name} has no type`);
    return { name, type: types[type] };
  };
}
