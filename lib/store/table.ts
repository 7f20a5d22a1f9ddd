import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The single table's keys and indexes, in one place: the local store creates it from this, and
 * the CDK stack declares the same.
 *
 * `active` is a sparse index: a workflow job carries `active = "WJ"` (and its `started` time) only
 * while it is pending or running, so finding unfinished jobs (to end those whose process is gone)
 * reads only them, however long the history.
 */
export const ACTIVE_INDEX = 'active';
export const ACTIVE_KEY = 'WJ';
/**
 * `kind` lists records of one kind in id order (`kind`, `kid`): catalog resources and jobs, each
 * with AWX's integer id, for the API's paginated lists.
 */
export const KIND_INDEX = 'kind';

export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'active', AttributeType: 'S' },
      { AttributeName: 'started', AttributeType: 'S' },
      { AttributeName: 'kind', AttributeType: 'S' },
      { AttributeName: 'kid', AttributeType: 'N' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: ACTIVE_INDEX,
        KeySchema: [
          { AttributeName: 'active', KeyType: 'HASH' },
          { AttributeName: 'started', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
      {
        IndexName: KIND_INDEX,
        KeySchema: [
          { AttributeName: 'kind', KeyType: 'HASH' },
          { AttributeName: 'kid', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  };
}
