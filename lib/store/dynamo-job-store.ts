import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Bundle } from '../model/types';
import type { JobStore } from './job-store';
import type { NodeJobRecord, WorkflowJobRecord } from './records';

/**
 * The single table: `pk = WJ#<workflow job>` with `sk = JOB` for the workflow job and
 * `sk = NODE#<node>` for each node job, so one query reads a run. Single-item conditional writes
 * only (dynalite has no transactions).
 */
export class DynamoJobStore implements JobStore {
  constructor(
    private readonly client: DynamoDBClient,
    readonly tableName: string,
  ) {}

  /** Creates the table if it is missing (local stores; in AWS the stack owns it). */
  async ensureTable(): Promise<void> {
    try {
      await this.client.send(new DescribeTableCommand({ TableName: this.tableName }));
    } catch {
      await this.client.send(
        new CreateTableCommand({
          TableName: this.tableName,
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    }
  }

  async createWorkflowJob(record: WorkflowJobRecord): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: this.item(`WJ#${record.id}`, 'JOB', record),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new Error(`workflow job ${record.id} already exists`);
      throw error;
    }
  }

  async getWorkflowJob(id: string): Promise<WorkflowJobRecord | undefined> {
    return this.get<WorkflowJobRecord>(`WJ#${id}`, 'JOB');
  }

  async finishWorkflowJob(
    id: string,
    update: Pick<WorkflowJobRecord, 'status' | 'finished' | 'job_explanation'>,
  ): Promise<void> {
    const current = await this.getWorkflowJob(id);
    if (!current) throw new Error(`workflow job ${id} does not exist`);
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: marshall({ pk: `WJ#${id}`, sk: 'JOB' }),
        UpdateExpression: 'SET #record = :record',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#record': 'record' },
        ExpressionAttributeValues: marshall({ ':record': JSON.stringify({ ...current, ...update }) }),
      }),
    );
  }

  async putNodeJob(record: NodeJobRecord): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: this.item(`WJ#${record.workflowJob}`, `NODE#${record.node}`, record),
      }),
    );
  }

  async getNodeJob(workflowJob: string, node: string): Promise<NodeJobRecord | undefined> {
    return this.get<NodeJobRecord>(`WJ#${workflowJob}`, `NODE#${node}`);
  }

  async nodeJobs(workflowJob: string): Promise<NodeJobRecord[]> {
    const records: NodeJobRecord[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :node)',
          ExpressionAttributeValues: marshall({ ':pk': `WJ#${workflowJob}`, ':node': 'NODE#' }),
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? [])
        records.push(JSON.parse(unmarshall(item).record as string) as NodeJobRecord);
      start = page.LastEvaluatedKey;
    } while (start);
    return records;
  }

  async putDefinitions(workflowJob: string, bundle: Bundle): Promise<void> {
    // Gzipped: a bundle of hundreds of templates stays far below DynamoDB's 400 KB item limit.
    const definitions = gzipSync(JSON.stringify(bundle));
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshall({ pk: `WJ#${workflowJob}`, sk: 'DEFINITIONS', definitions }),
      }),
    );
  }

  async getDefinitions(workflowJob: string): Promise<Bundle | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshall({ pk: `WJ#${workflowJob}`, sk: 'DEFINITIONS' }),
        ConsistentRead: true,
      }),
    );
    return Item
      ? (JSON.parse(gunzipSync(unmarshall(Item).definitions as Uint8Array).toString('utf8')) as Bundle)
      : undefined;
  }

  /** Records are stored as one JSON attribute: variables keep their exact JSON types. */
  private item(pk: string, sk: string, record: object): Record<string, AttributeValue> {
    return marshall({ pk, sk, record: JSON.stringify(record) });
  }

  private async get<T>(pk: string, sk: string): Promise<T | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: marshall({ pk, sk }), ConsistentRead: true }),
    );
    return Item ? (JSON.parse(unmarshall(Item).record as string) as T) : undefined;
  }
}
