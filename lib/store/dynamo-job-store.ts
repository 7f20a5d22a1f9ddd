import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  type AttributeValue,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Bundle } from '../model/types';
import type { JobStore } from './job-store';
import type { NodeJobRecord, WorkflowJobRecord, WorkflowJobStatus } from './records';
import type { Sealer } from './sealer';
import { ACTIVE_INDEX, ACTIVE_KEY, tableDefinition } from './table';

/**
 * The single table: `pk = WJ#<workflow job>` with `sk = JOB` for the workflow job,
 * `sk = NODE#<node>` for each node job and `sk = DEFINITIONS` for the launch's definitions, so one
 * query reads a run. Single-item conditional writes only (dynalite has no transactions).
 *
 * A record is one JSON attribute, so variables keep their exact JSON types. What must not be
 * readable from the store (survey password answers, the saved definitions) is sealed on the way in. A record over
 * DynamoDB's 400 KB item limit (long stdout, large artifacts) is split into parts written first
 * under a fresh write id; the main item, written last, names them, so a reader never mixes parts
 * of two writes.
 */
const PART_CHARACTERS = 100_000; // ≤ 300 KB of UTF-8 per item
/** How long a new table or index may take to become usable (dynalite: milliseconds). */
const TABLE_READY_MS = 30_000;

interface MainItem {
  readonly pk: string;
  readonly sk: string;
  readonly record: string;
  readonly parts?: number;
  readonly write?: string;
  /** A workflow job's sealed `secret_vars`. */
  readonly sealed?: string;
}

/** Top-level attributes beside the record, for indexes. */
type IndexAttributes = Record<string, string>;

export class DynamoJobStore implements JobStore {
  constructor(
    private readonly client: DynamoDBClient,
    readonly tableName: string,
    private readonly sealer: Sealer,
  ) {}

  /**
   * Creates the table if it is missing (local stores; in AWS the stack owns it), adds indexes a
   * table of an earlier version lacks, and waits until all of it is usable: a table is refused
   * ("Requested resource not found") until it is ACTIVE.
   */
  async ensureTable(): Promise<void> {
    const definition = tableDefinition(this.tableName);
    let table = await this.describeTable();
    if (!table) {
      await this.client.send(new CreateTableCommand(definition)).catch((error: Error) => {
        if (error.name !== 'ResourceInUseException') throw error; // created meanwhile
      });
    } else {
      const existing = new Set((table.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
      const missing = (definition.GlobalSecondaryIndexes ?? []).filter((i) => !existing.has(i.IndexName));
      if (missing.length > 0) {
        await this.client.send(
          new UpdateTableCommand({
            TableName: this.tableName,
            AttributeDefinitions: definition.AttributeDefinitions,
            GlobalSecondaryIndexUpdates: missing.map((index) => ({ Create: index })),
          }),
        );
      }
    }
    const deadline = Date.now() + TABLE_READY_MS;
    for (;;) {
      table = await this.describeTable();
      const ready =
        table?.TableStatus === 'ACTIVE' &&
        (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
      if (ready) return;
      if (Date.now() > deadline) throw new Error(`table ${this.tableName} did not become active`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async describeTable(): Promise<TableDescription | undefined> {
    try {
      return (await this.client.send(new DescribeTableCommand({ TableName: this.tableName }))).Table;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  async createWorkflowJob(record: WorkflowJobRecord): Promise<void> {
    try {
      await this.putWorkflowJob(record, 'attribute_not_exists(pk)');
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new Error(`workflow job ${record.id} already exists`);
      throw error;
    }
  }

  async getWorkflowJob(id: string): Promise<WorkflowJobRecord | undefined> {
    const main = await this.rawGet(`WJ#${id}`, 'JOB');
    if (!main) return undefined;
    const record = (await this.get<WorkflowJobRecord>(`WJ#${id}`, 'JOB', main))!;
    if (!main.sealed) return record;
    return { ...record, secret_vars: JSON.parse(this.sealer.open(main.sealed).toString('utf8')) };
  }

  async finishWorkflowJob(
    id: string,
    update: Pick<WorkflowJobRecord, 'status' | 'finished' | 'job_explanation'>,
  ): Promise<void> {
    const current = await this.getWorkflowJob(id);
    if (!current) throw new Error(`workflow job ${id} does not exist`);
    await this.putWorkflowJob({ ...current, ...update }, 'attribute_exists(pk)');
  }

  async unfinishedWorkflowJobs(): Promise<WorkflowJobRecord[]> {
    const keys = await this.queryIndex(ACTIVE_INDEX, 'active', ACTIVE_KEY);
    const records = await Promise.all(keys.map((key) => this.getWorkflowJob(key.pk.slice('WJ#'.length))));
    return records.filter((record): record is WorkflowJobRecord => record !== undefined);
  }

  /** Secret vars go in sealed; an unfinished job is listed in the `active` index. */
  private async putWorkflowJob(record: WorkflowJobRecord, condition: string): Promise<void> {
    const { secret_vars: secretVars, ...stored } = record;
    const attributes: IndexAttributes = {};
    if (secretVars && Object.keys(secretVars).length > 0)
      attributes.sealed = this.sealer.seal(Buffer.from(JSON.stringify(secretVars)));
    if (UNFINISHED.includes(record.status))
      Object.assign(attributes, { active: ACTIVE_KEY, started: record.started });
    await this.put(`WJ#${record.id}`, 'JOB', stored, condition, attributes);
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
    // Gzipped (a bundle of hundreds of templates stays far below the item limit), then sealed.
    const definitions = this.sealer.seal(gzipSync(JSON.stringify(bundle)));
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
    if (!Item) return undefined;
    const sealed = unmarshall(Item).definitions as string;
    return JSON.parse(gunzipSync(this.sealer.open(sealed)).toString('utf8')) as Bundle;
  }

  private async put(
    pk: string,
    sk: string,
    record: object,
    condition?: string,
    attributes: IndexAttributes = {},
  ): Promise<void> {
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
    const main: MainItem = {
      ...attributes,
      pk,
      sk,
      record: chunks[0],
      ...(write ? { parts: chunks.length, write } : {}),
    };
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

  private async get<T>(pk: string, sk: string, known?: MainItem): Promise<T | undefined> {
    const main = known ?? (await this.rawGet(pk, sk));
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

  private async queryIndex(index: string, key: string, value: string): Promise<{ pk: string }[]> {
    const keys: { pk: string }[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index,
          KeyConditionExpression: '#key = :value',
          ExpressionAttributeNames: { '#key': key },
          ExpressionAttributeValues: marshall({ ':value': value }),
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) keys.push(unmarshall(item) as { pk: string });
      start = page.LastEvaluatedKey;
    } while (start);
    return keys;
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

const UNFINISHED: readonly WorkflowJobStatus[] = ['pending', 'running'];
