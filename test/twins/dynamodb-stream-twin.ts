import { DynamoDBClient, GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * DynamoDB with a stream (NEW_AND_OLD_IMAGES), on loopback: a proxy in front of dynalite (which
 * has no streams) that reads each written item before and after the write and hands the change to
 * `deliver` in write order, as a Lambda event source mapping hands a shard's records to its
 * function. Images are read around the write, not inside it: enough for tests that do not race
 * writers on one item.
 */
export interface StreamRecord {
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly dynamodb: {
    readonly Keys: Record<string, AttributeValue>;
    readonly OldImage?: Record<string, AttributeValue>;
    readonly NewImage?: Record<string, AttributeValue>;
  };
}

export interface DynamoDbStreamTwin {
  readonly endpoint: string;
  /** Resolves once every record so far has been delivered. */
  drained(): Promise<void>;
  close(): Promise<void>;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

export async function startDynamoDbStreamTwin(
  dynalite: string,
  deliver: (records: StreamRecord[]) => Promise<void>,
): Promise<DynamoDbStreamTwin> {
  const reader = new DynamoDBClient({ endpoint: dynalite });
  let delivered = Promise.resolve();
  const emit = (records: StreamRecord[]) => {
    if (records.length === 0) return;
    delivered = delivered
      .then(() => deliver(records))
      .catch((error: unknown) => console.error('stream delivery failed', error));
  };
  const server = createServer((request, response) => void proxy(request, response));

  async function proxy(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const items = WRITES.has(operation) ? writtenItems(operation, JSON.parse(body.toString('utf8'))) : [];
    const before = await Promise.all(items.map((item) => read(item)));
    const answer = await forward(request, body);
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
    if (answer.status !== 200) return;
    const after = await Promise.all(items.map((item) => read(item)));
    emit(items.flatMap((item, i) => change(item.key, before[i], after[i])));
  }

  async function read(item: WrittenItem): Promise<Record<string, AttributeValue> | undefined> {
    const { Item } = await reader.send(
      new GetItemCommand({ TableName: item.table, Key: item.key, ConsistentRead: true }),
    );
    return Item;
  }

  function forward(request: IncomingMessage, body: Buffer) {
    return new Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }>(
      (resolve, reject) => {
        const target = new URL(dynalite);
        const outgoing = httpRequest(
          {
            host: target.hostname,
            port: target.port,
            method: request.method,
            path: request.url,
            headers: request.headers,
          },
          (answer) => {
            const parts: Buffer[] = [];
            answer.on('data', (part: Buffer) => parts.push(part));
            answer.on('end', () =>
              resolve({
                status: answer.statusCode ?? 500,
                headers: answer.headers as Record<string, string | string[]>,
                body: Buffer.concat(parts),
              }),
            );
          },
        );
        outgoing.on('error', reject);
        outgoing.end(body);
      },
    );
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    drained: () => delivered,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      reader.destroy();
    },
  };
}

interface WrittenItem {
  readonly table: string;
  readonly key: Record<string, AttributeValue>;
}

/** The items a write request touches, by key (the table's keys are `pk` and `sk`). */
function writtenItems(operation: string, input: Record<string, unknown>): WrittenItem[] {
  const keyOf = (item: Record<string, AttributeValue>) => ({ pk: item.pk, sk: item.sk });
  if (operation === 'PutItem')
    return [{ table: input.TableName as string, key: keyOf(input.Item as Record<string, AttributeValue>) }];
  if (operation !== 'BatchWriteItem')
    return [{ table: input.TableName as string, key: input.Key as Record<string, AttributeValue> }];
  return Object.entries(
    input.RequestItems as Record<string, Record<string, Record<string, unknown>>[]>,
  ).flatMap(([table, requests]) =>
    requests.map((write) => ({
      table,
      key: write.PutRequest
        ? keyOf(write.PutRequest.Item as Record<string, AttributeValue>)
        : (write.DeleteRequest.Key as Record<string, AttributeValue>),
    })),
  );
}

function change(
  key: Record<string, AttributeValue>,
  before: Record<string, AttributeValue> | undefined,
  after: Record<string, AttributeValue> | undefined,
): StreamRecord[] {
  if (!before && !after) return [];
  if (before && after && JSON.stringify(before) === JSON.stringify(after)) return [];
  const eventName = !before ? 'INSERT' : !after ? 'REMOVE' : 'MODIFY';
  return [
    {
      eventName,
      dynamodb: { Keys: key, ...(before ? { OldImage: before } : {}), ...(after ? { NewImage: after } : {}) },
    },
  ];
}
