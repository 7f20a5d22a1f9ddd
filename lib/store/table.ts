import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';

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

/**
 * The attribute holding when an item may go (epoch seconds): the table's TTL in AWS. Only items
 * that are scaffolding carry it (lane synchronisation); dynalite never deletes them (tests are short).
 */
export const EXPIRY_ATTRIBUTE = 'expires';

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

/** How long a new table or index may take to become usable (dynalite: milliseconds). */
const TABLE_READY_MS = 30_000;

/**
 * Creates the table if it is missing (local stores; in AWS the stack owns it), adds indexes a
 * table of an earlier version lacks, and waits until all of it is usable: a table is refused
 * ("Requested resource not found") until it is ACTIVE.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const definition = tableDefinition(tableName);
  let table = await describeTable(client, tableName);
  if (!table) {
    await client.send(new CreateTableCommand(definition)).catch((error: Error) => {
      if (error.name !== 'ResourceInUseException') throw error; // created meanwhile
    });
  } else {
    const existing = new Set((table.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    const missing = (definition.GlobalSecondaryIndexes ?? []).filter((i) => !existing.has(i.IndexName));
    if (missing.length > 0) {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: definition.AttributeDefinitions,
          GlobalSecondaryIndexUpdates: missing.map((index) => ({ Create: index })),
        }),
      );
    }
  }
  const deadline = Date.now() + TABLE_READY_MS;
  for (;;) {
    table = await describeTable(client, tableName);
    const ready =
      table?.TableStatus === 'ACTIVE' &&
      (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`table ${tableName} did not become active`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function describeTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}
