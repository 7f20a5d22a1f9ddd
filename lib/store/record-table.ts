import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
  type BatchWriteItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { randomUUID } from 'node:crypto';
import { KIND_INDEX } from './table';

/**
 * Records as single-table items: one JSON attribute (`record`) per item, so values keep their
 * exact JSON types, beside top-level attributes that indexes and conditions read. A record over
 * DynamoDB's 400 KB item limit (long stdout, large artifacts) is split into parts written first
 * under a fresh write id; the main item, written last, names them, so a reader never mixes parts
 * of two writes. Single-item conditional writes only (dynalite has no transactions).
 */
const PART_CHARACTERS = 100_000; // ≤ 300 KB of UTF-8 per item

export interface MainItem {
  readonly pk: string;
  readonly sk: string;
  readonly record: string;
  readonly parts?: number;
  readonly write?: string;
  readonly [attribute: string]: unknown;
}

/** Top-level attributes written beside a record, for indexes and conditions. */
export type Attributes = Readonly<Record<string, string | number>>;

export class RecordTable {
  constructor(
    readonly client: DynamoDBClient,
    readonly tableName: string,
  ) {}

  /** Writes a record (replacing the item) when `condition` holds; returns the item it replaced. */
  async put(
    pk: string,
    sk: string,
    record: object,
    options: { condition?: string; values?: Record<string, unknown>; attributes?: Attributes } = {},
  ): Promise<MainItem | undefined> {
    const text = JSON.stringify(record);
    const chunks = Array.from({ length: Math.max(1, Math.ceil(text.length / PART_CHARACTERS)) }, (_, i) =>
      text.slice(i * PART_CHARACTERS, (i + 1) * PART_CHARACTERS),
    );
    const write = chunks.length > 1 ? randomUUID() : undefined;
    for (let i = 1; i < chunks.length; i++) {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({ pk, sk: partKey(sk, write!, i), record: chunks[i] }),
        }),
      );
    }
    const main: MainItem = {
      ...options.attributes,
      pk,
      sk,
      record: chunks[0],
      ...(write ? { parts: chunks.length, write } : {}),
    };
    // The replaced item comes back with the write, so its old parts can go without another read.
    const { Attributes } = await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshall(main, { removeUndefinedValues: true }),
        ReturnValues: 'ALL_OLD',
        ...(options.condition ? { ConditionExpression: options.condition } : {}),
        ...(options.values ? { ExpressionAttributeValues: marshall(options.values) } : {}),
      }),
    );
    const previous = Attributes ? (unmarshall(Attributes) as MainItem) : undefined;
    if (previous?.write) await this.deleteParts(previous);
    return previous;
  }

  /** Deletes an item when `condition` holds; resolves false (deleting nothing) when it does not. */
  async remove(
    pk: string,
    sk: string,
    options: { condition?: string; values?: Record<string, unknown> } = {},
  ): Promise<boolean> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: marshall({ pk, sk }),
          ...(options.condition ? { ConditionExpression: options.condition } : {}),
          ...(options.values ? { ExpressionAttributeValues: marshall(options.values) } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** The main item of a record, without its parts (`read` assembles the record). */
  async item(pk: string, sk: string): Promise<MainItem | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: marshall({ pk, sk }), ConsistentRead: true }),
    );
    return Item ? (unmarshall(Item) as MainItem) : undefined;
  }

  async get<T>(pk: string, sk: string): Promise<T | undefined> {
    const main = await this.item(pk, sk);
    return main ? this.read<T>(main) : undefined;
  }

  /** The whole record of a main item, its parts read. */
  async read<T>(main: MainItem): Promise<T> {
    const parts = new Map<string, string>();
    for (let i = 1; i < (main.parts ?? 1); i++) {
      const part = await this.item(main.pk, partKey(main.sk, main.write!, i));
      if (part) parts.set(part.sk, part.record);
    }
    return JSON.parse(this.assemble(main, (sk) => parts.get(sk))) as T;
  }

  /** Every record under `pk` whose sort key starts with `prefix`, parts assembled. */
  async records<T>(pk: string, prefix: string): Promise<T[]> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: marshall({ ':pk': pk, ':prefix': prefix }),
      ConsistentRead: true,
    });
    const parts = new Map(items.filter((item) => isPart(item.sk)).map((item) => [item.sk, item.record]));
    return items
      .filter((item) => !isPart(item.sk))
      .map((item) => JSON.parse(this.assemble(item, (sk) => parts.get(sk))) as T);
  }

  /** Every record of a kind, in id order, through the `kind` index (records written with `kind`, `kid`). */
  async ofKind<T>(kind: string): Promise<T[]> {
    const items = await this.query({
      IndexName: KIND_INDEX,
      KeyConditionExpression: 'kind = :kind',
      ExpressionAttributeValues: marshall({ ':kind': kind }),
    });
    return Promise.all(items.map((item) => this.read<T>(item)));
  }

  /** Every item of a query, all pages read (items of another shape than records: say which). */
  async query<Item = MainItem>(
    input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName' | 'ExclusiveStartKey'>,
  ): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: start }),
      );
      for (const item of page.Items ?? []) items.push(unmarshall(item) as Item);
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** How many items a query matches, all pages counted (no item is read). */
  async count(
    input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName' | 'ExclusiveStartKey' | 'Select'>,
  ): Promise<number> {
    let total = 0;
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({ ...input, TableName: this.tableName, Select: 'COUNT', ExclusiveStartKey: start }),
      );
      total += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return total;
  }

  private assemble(main: MainItem, part: (sk: string) => string | undefined): string {
    let text = main.record;
    for (let i = 1; i < (main.parts ?? 1); i++) {
      const chunk = part(partKey(main.sk, main.write!, i));
      if (chunk === undefined)
        throw new Error(`record ${main.pk} ${main.sk} is missing part ${i} of ${main.parts}`);
      text += chunk;
    }
    return text;
  }

  /** Deletes items by key, 25 to a batch, until DynamoDB has processed every one. */
  async deleteKeys(keys: readonly { readonly pk: string; readonly sk: string }[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 25) {
      let requests: BatchWriteItemCommandInput['RequestItems'] = {
        [this.tableName]: keys.slice(i, i + 25).map((key) => ({ DeleteRequest: { Key: marshall(key) } })),
      };
      while (requests && Object.keys(requests).length > 0)
        requests = (await this.client.send(new BatchWriteItemCommand({ RequestItems: requests })))
          .UnprocessedItems;
    }
  }

  private async deleteParts(previous: MainItem): Promise<void> {
    await this.deleteKeys(
      Array.from({ length: (previous.parts ?? 1) - 1 }, (_, i) => ({
        pk: previous.pk,
        sk: partKey(previous.sk, previous.write!, i + 1),
      })),
    );
  }
}

function partKey(sk: string, write: string, index: number): string {
  return `${sk}#PART#${write}#${index}`;
}

/** Whether an item is a part of a larger record (read with its main item, never alone). */
export function isPart(sk: string): boolean {
  return sk.includes('#PART#');
}
