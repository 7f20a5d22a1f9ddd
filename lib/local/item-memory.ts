import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '../store/table';

/**
 * Performance, for the local store only: the items this process read most recently are
 * remembered, so that reading one again costs no round trip (the AWS SDK's middleware, HTTP on
 * the socket and dynalite took about 1 ms of CPU per read: most of an API status GET, and a good
 * part of each launch).
 *
 * It stays exact because this process is the store's only user (the data folder's lock keeps any
 * other out) and every request goes through this one client: a write forgets the items it names
 * when it is sent and again when it has ended (succeeded or not), and a read is remembered only
 * if no write of its item was in flight or happened while it was. Requests this does not know
 * forget everything. Items are handed out as copies, and large ones are not kept.
 */
export interface ItemMemoryOptions {
  /** Items kept at most; the least recently used goes first. */
  readonly maxItems?: number;
  /** Items larger than this (characters of their JSON) are not kept. */
  readonly maxItemChars?: number;
}

type Item = Record<string, AttributeValue>;
type Input = Record<string, unknown> & { TableName?: string };

/** Requests that change nothing, passed through as they are. */
const READS = new Set(['QueryCommand', 'ScanCommand', 'DescribeTableCommand', 'ListTablesCommand']);
const KEY_ATTRIBUTES = tableDefinition('').KeySchema!.map((key) => key.AttributeName!);

export function rememberItems(client: DynamoDBClient, options: ItemMemoryOptions = {}): void {
  const memory = new ItemMemory(options.maxItems ?? 5000, options.maxItemChars ?? 16 * 1024);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      const input = args.input as Input;
      if (command === 'GetItemCommand') return (await memory.get(input, () => next(args) as never)) as never;
      if (READS.has(command)) return next(args);
      const keys = writtenKeys(command, input);
      memory.writing(keys);
      try {
        return await next(args);
      } finally {
        memory.written(keys);
      }
    },
    { step: 'initialize', name: 'towerlessItemMemory', priority: 'high' },
  );
}

class ItemMemory {
  private readonly items = new Map<string, Item>();
  /** Ticks: a read is remembered only if no write of its item began or ended after it began. */
  private tick = 0;
  private readonly lastWrite = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  /** Reads begun before this tick are not remembered (`lastWrite` was cleared since). */
  private barrier = 0;
  /** Requests in flight that may have changed any item. */
  private unknownInFlight = 0;

  constructor(
    private readonly maxItems: number,
    private readonly maxItemChars: number,
  ) {}

  async get(
    input: Input,
    send: () => Promise<{ output: { Item?: Item } }>,
  ): Promise<{ output: { Item?: Item; $metadata: object } }> {
    // Reads of some attributes only are not remembered (none is made today).
    const key = input.ProjectionExpression || input.AttributesToGet ? undefined : itemKey(input, input.Key);
    const known = key === undefined ? undefined : this.items.get(key);
    if (key !== undefined && known) {
      this.items.delete(key); // most recently used last
      this.items.set(key, known);
      return { output: { $metadata: {}, Item: structuredClone(known) } };
    }
    const began = ++this.tick;
    const answer = await send();
    const item = answer.output.Item;
    if (
      key !== undefined &&
      item &&
      this.mayKeep(key, began) &&
      JSON.stringify(item).length <= this.maxItemChars
    ) {
      this.items.set(key, structuredClone(item));
      if (this.items.size > this.maxItems) this.items.delete(this.items.keys().next().value!);
    }
    return answer as never;
  }

  /** A write naming `keys` (undefined: any item) is being sent. */
  writing(keys: string[] | undefined): void {
    if (keys === undefined) {
      this.unknownInFlight++;
      return this.forgetAll();
    }
    for (const key of keys) {
      this.items.delete(key);
      this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
      this.lastWrite.set(key, ++this.tick);
    }
  }

  /** That write has ended, however it ended. */
  written(keys: string[] | undefined): void {
    if (keys === undefined) {
      this.unknownInFlight--;
      return this.forgetAll();
    }
    for (const key of keys) {
      this.items.delete(key);
      const left = this.inFlight.get(key)! - 1;
      if (left > 0) this.inFlight.set(key, left);
      else this.inFlight.delete(key);
      this.lastWrite.set(key, ++this.tick);
    }
    // Keeps `lastWrite` small: reads in flight when it is cleared are not remembered.
    if (this.lastWrite.size > 10 * this.maxItems) {
      this.lastWrite.clear();
      this.barrier = ++this.tick;
    }
  }

  private mayKeep(key: string, began: number): boolean {
    return (
      began > this.barrier &&
      this.unknownInFlight === 0 &&
      !this.inFlight.has(key) &&
      (this.lastWrite.get(key) ?? 0) < began
    );
  }

  private forgetAll(): void {
    this.items.clear();
    this.lastWrite.clear();
    this.barrier = ++this.tick;
  }
}

/** The items a write names; undefined when it is not a write this knows (then all are forgotten). */
function writtenKeys(command: string, input: Input): string[] | undefined {
  switch (command) {
    case 'PutItemCommand':
      return [itemKey(input, input.Item)];
    case 'UpdateItemCommand':
    case 'DeleteItemCommand':
      return [itemKey(input, input.Key)];
    case 'BatchWriteItemCommand': {
      const tables = input.RequestItems as Record<
        string,
        { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]
      >;
      return Object.entries(tables).flatMap(([TableName, requests]) =>
        requests.map((request) =>
          itemKey({ TableName }, request.PutRequest?.Item ?? request.DeleteRequest?.Key),
        ),
      );
    }
    default:
      return undefined;
  }
}

function itemKey(input: Input, attributes: unknown): string {
  const item = (attributes ?? {}) as Item;
  return JSON.stringify([input.TableName, ...KEY_ATTRIBUTES.map((name) => item[name])]);
}
