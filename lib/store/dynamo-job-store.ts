import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Bundle } from '../model/types';
import type { JobStore } from './job-store';
import type { NodeJobRecord, WorkflowJobRecord } from './records';

/**
 * The single table: `pk = WJ#<workflow job>` with `sk = JOB` for the workflow job,
 * `sk = NODE#<node>` for each node job and `sk = DEFINITIONS` for the launch's definitions, so one
 * query reads a run. Single-item conditional writes only (dynalite has no transactions).
 *
 * A record is one JSON attribute, so variables keep their exact JSON types. A record over
 * DynamoDB's 400 KB item limit (long stdout, large artifacts) is split into parts written first
 * under a fresh write id; the main item, written last, names them, so a reader never mixes parts
 * of two writes.
 */
const PART_CHARACTERS = 100_000; // ≤ 300 KB of UTF-8 per item

interface MainItem {
  readonly pk: string;
  readonly sk: string;
  readonly record: string;
  readonly parts?: number;
  readonly write?: string;
}

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
      await this.put(`WJ#${record.id}`, 'JOB', record, 'attribute_not_exists(pk)');
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
    await this.put(`WJ#${id}`, 'JOB', { ...current, ...update }, 'attribute_exists(pk)');
  }

  async putNodeJob(record: NodeJobRecord): Promise<void> {
    await this.put(`WJ#${record.workflowJob}`, `NODE#${record.node}`, record);
  }

  async getNodeJob(workflowJob: string, node: string): Promise<NodeJobRecord | undefined> {
    return this.get<NodeJobRecord>(`WJ#${workflowJob}`, `NODE#${node}`);
  }

  async nodeJobs(workflowJob: string): Promise<NodeJobRecord[]> {
    const items = await this.query(`WJ#${workflowJob}`, 'NODE#');
    const parts = new Map(
      items.filter((item) => item.sk.includes('#PART#')).map((item) => [item.sk, item.record]),
    );
    return items
      .filter((item) => !item.sk.includes('#PART#'))
      .map((item) => JSON.parse(this.assemble(item, (sk) => parts.get(sk))) as NodeJobRecord);
  }

  async putDefinitions(workflowJob: string, bundle: Bundle): Promise<void> {
    // Gzipped: a bundle of hundreds of templates stays far below the item limit.
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

  private async put(pk: string, sk: string, record: object, condition?: string): Promise<void> {
    const text = JSON.stringify(record);
    const chunks = Array.from({ length: Math.max(1, Math.ceil(text.length / PART_CHARACTERS)) }, (_, i) =>
      text.slice(i * PART_CHARACTERS, (i + 1) * PART_CHARACTERS),
    );
    const write = chunks.length > 1 ? randomUUID() : undefined;
    for (let i = 1; i < chunks.length; i++) {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({ pk, sk: `${sk}#PART#${write}#${i}`, record: chunks[i] }),
        }),
      );
    }
    const main: MainItem = { pk, sk, record: chunks[0], ...(write ? { parts: chunks.length, write } : {}) };
    // The replaced item comes back with the write, so its old parts can go without another read.
    const { Attributes } = await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshall(main),
        ReturnValues: 'ALL_OLD',
        ...(condition ? { ConditionExpression: condition } : {}),
      }),
    );
    const previous = Attributes ? (unmarshall(Attributes) as MainItem) : undefined;
    if (previous?.write) await this.deleteParts(previous);
  }

  private async get<T>(pk: string, sk: string): Promise<T | undefined> {
    const main = await this.rawGet(pk, sk);
    if (!main) return undefined;
    const parts = new Map<string, string>();
    for (let i = 1; i < (main.parts ?? 1); i++) {
      const part = await this.rawGet(pk, `${sk}#PART#${main.write}#${i}`);
      if (part) parts.set(part.sk, part.record);
    }
    return JSON.parse(this.assemble(main, (partSk) => parts.get(partSk))) as T;
  }

  private assemble(main: MainItem, part: (sk: string) => string | undefined): string {
    let text = main.record;
    for (let i = 1; i < (main.parts ?? 1); i++) {
      const chunk = part(`${main.sk}#PART#${main.write}#${i}`);
      if (chunk === undefined)
        throw new Error(`record ${main.pk} ${main.sk} is missing part ${i} of ${main.parts}`);
      text += chunk;
    }
    return text;
  }

  private async rawGet(pk: string, sk: string): Promise<MainItem | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: marshall({ pk, sk }), ConsistentRead: true }),
    );
    return Item ? (unmarshall(Item) as MainItem) : undefined;
  }

  private async query(pk: string, prefix: string): Promise<MainItem[]> {
    const items: MainItem[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: marshall({ ':pk': pk, ':prefix': prefix }),
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) items.push(unmarshall(item) as MainItem);
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  private async deleteParts(previous: MainItem): Promise<void> {
    const keys = Array.from({ length: (previous.parts ?? 1) - 1 }, (_, i) => ({
      pk: previous.pk,
      sk: `${previous.sk}#PART#${previous.write}#${i + 1}`,
    }));
    for (let i = 0; i < keys.length; i += 25) {
      await this.client.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [this.tableName]: keys.slice(i, i + 25).map((key) => ({ DeleteRequest: { Key: marshall(key) } })),
          },
        }),
      );
    }
  }
}
