import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rememberItems } from '../../lib/local/item-memory';
import { tableDefinition } from '../../lib/store/table';

/**
 * The local store's memory of items read: a read answered from it is always what the table holds,
 * whatever writes ran before or during it (dynalite, through the real SDK client).
 */
let server: Server;
let client: DynamoDBClient;
let sent: number;
const TABLE = 'items';
const key = (pk: string) => ({ pk: { S: pk }, sk: { S: 'A' } });
const get = async (pk: string) =>
  (await client.send(new GetItemCommand({ TableName: TABLE, Key: key(pk) }))).Item?.value?.S;
const put = (pk: string, value: string) =>
  client.send(new PutItemCommand({ TableName: TABLE, Item: { ...key(pk), value: { S: value } } }));

beforeAll(async () => {
  const dynalite = (await import('dynalite')).default as (options: object) => Server;
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  rememberItems(client, { maxItems: 3 });
  // Counts the requests that reach the table (after the memory answered or not).
  client.middlewareStack.add(
    (next) => async (args) => {
      sent++;
      return next(args);
    },
    { step: 'build', name: 'countSent' },
  );
  await client.send(new CreateTableCommand(tableDefinition(TABLE)));
});
afterAll(async () => {
  client?.destroy();
  await new Promise((resolve) => server?.close(resolve));
});

describe('remembered items', () => {
  it('answers a second read without the table, and a read after a write with the new value', async () => {
    await put('a', 'one');
    expect(await get('a')).toBe('one');
    sent = 0;
    expect(await get('a')).toBe('one');
    expect(sent).toBe(0);
    await put('a', 'two');
    expect(await get('a')).toBe('two');
    await client.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: key('a'),
        UpdateExpression: 'SET #v = :v',
        ExpressionAttributeNames: { '#v': 'value' },
        ExpressionAttributeValues: { ':v': { S: 'three' } },
      }),
    );
    expect(await get('a')).toBe('three');
  });

  it('hands out copies: changing what a read returned changes nothing remembered', async () => {
    await put('b', 'kept');
    const first = await client.send(new GetItemCommand({ TableName: TABLE, Key: key('b') }));
    first.Item!.value = { S: 'changed by a caller' };
    expect(await get('b')).toBe('kept');
  });

  it('never keeps what a read racing a write saw', async () => {
    for (let round = 0; round < 30; round++) {
      await put('c', `before ${round}`);
      await Promise.all([get('c'), put('c', `after ${round}`), get('c')]);
      expect(await get('c')).toBe(`after ${round}`);
    }
  });

  it('forgets everything on a request it does not know, and keeps only the most recent items', async () => {
    await put('d', 'one');
    await get('d');
    // Changes no item (dynalite even refuses it), but the memory cannot tell what a request it
    // does not know changes, and forgets whatever the answer.
    await client
      .send(
        new UpdateTableCommand({
          TableName: TABLE,
          ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 },
        }),
      )
      .catch(() => undefined);
    sent = 0;
    expect(await get('d')).toBe('one');
    expect(sent).toBe(1);
    for (const pk of ['e', 'f', 'g', 'h']) await put(pk, pk);
    for (const pk of ['e', 'f', 'g', 'h']) await get(pk);
    sent = 0;
    await get('e'); // the least recently read of four, with room for three
    expect(sent).toBe(1);
  });
});
