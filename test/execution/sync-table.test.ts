import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncTable } from '../../lib/execution/sync-table';
import { RecordTable } from '../../lib/store/record-table';
import { tableDefinition } from '../../lib/store/table';
import { startHttpReceiver, type HttpReceiver } from '../support/http-receiver';

/**
 * Lanes exchanging outcomes on the table (dynalite, through the real SDK client); the task tokens
 * they are resumed with reach a real HTTP server standing in for Step Functions' endpoint.
 */
let dynalite: Server;
let stepFunctions: HttpReceiver;
let table: SyncTable;
let records: RecordTable;
const local = { region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

beforeAll(async () => {
  const start = (await import('dynalite')).default as (options: object) => Server;
  dynalite = start({ createTableMs: 0 });
  await new Promise<void>((resolve) => dynalite.listen(0, '127.0.0.1', resolve));
  const dynamo = new DynamoDBClient({
    ...local,
    endpoint: `http://127.0.0.1:${(dynalite.address() as AddressInfo).port}`,
  });
  await dynamo.send(new CreateTableCommand(tableDefinition('sync')));
  stepFunctions = await startHttpReceiver();
  records = new RecordTable(dynamo, 'sync');
  table = new SyncTable(records, new SFNClient({ ...local, endpoint: stepFunctions.url }));
});
afterAll(async () => {
  await stepFunctions?.close();
  await new Promise((resolve) => dynalite?.close(resolve));
});

/** Each SendTaskSuccess received: its token and output. */
function resumed(): {
  taskToken: string;
  output: { s: Record<string, unknown>; f: Record<string, unknown> };
}[] {
  return stepFunctions.received.map((request) => {
    const body = JSON.parse(request.body) as { taskToken: string; output: string };
    return { taskToken: body.taskToken, output: JSON.parse(body.output) };
  });
}

describe('the sync table', () => {
  it('resumes each of 60 lanes parked at once exactly once, with what it waited for, whatever the order', async () => {
    // Lane i publishes node i's outcome and waits for node i+1's (the last for node 0's). Its
    // token and its own outcomes are AWS-sized: together the waiters far exceed one 400 KB item.
    const lanes = 60;
    const token = (i: number) => `token-${i}-${'t'.repeat(1000)}`;
    const own = Object.fromEntries(Array.from({ length: 600 }, (_, k) => [`before-${k}`, {}]));
    const order = Array.from({ length: lanes }, (_, i) => (i * 7919) % lanes);
    await Promise.all(
      order.map((i) =>
        table.exchange({
          execution: 'exec-1',
          token: token(i),
          publish: [`n${i}`],
          wait: [`n${(i + 1) % lanes}`],
          outcomes: i % 2 === 0 ? { s: { ...own, [`n${i}`]: {} }, f: {} } : { s: own, f: { [`n${i}`]: {} } },
        }),
      ),
    );
    const calls = resumed();
    expect(calls).toHaveLength(lanes);
    expect(new Set(calls.map((call) => call.taskToken)).size).toBe(lanes);
    for (const { taskToken, output } of calls) {
      const i = Number(taskToken.split('-')[1]);
      const next = `n${(i + 1) % lanes}`;
      // The awaited outcome merged in: nodes with an even number succeeded, the others failed.
      expect([next in output.s, next in output.f]).toEqual(
        ((i + 1) % lanes) % 2 === 0 ? [true, false] : [false, true],
      );
      expect(Object.keys(output.s)).toEqual(expect.arrayContaining(Object.keys(own)));
    }
  });

  it('ends the wait of an ALL join as soon as one awaited parent did not fire its edge', async () => {
    stepFunctions.received.length = 0;
    const join = [
      { key: 'a', kind: 'success' as const },
      { key: 'b', kind: 'success' as const },
    ];
    await table.exchange({
      execution: 'exec-2',
      token: 'join',
      publish: [],
      wait: ['a', 'b'],
      join,
      outcomes: { s: {}, f: {} },
    });
    expect(resumed()).toEqual([]);
    await table.exchange({
      execution: 'exec-2',
      token: 'a',
      publish: ['a'],
      wait: [],
      outcomes: { s: {}, f: { a: {} } },
    });
    expect(
      resumed()
        .map((call) => call.taskToken)
        .sort(),
    ).toEqual(['a', 'join']);
    expect(resumed().find((call) => call.taskToken === 'join')!.output).toEqual({ s: {}, f: { a: {} } });
  });

  it("forgets an execution's items, task tokens included, once it ended", async () => {
    const items = (execution: string) =>
      records.query({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `SYNC#${execution}` } },
      });
    await table.exchange({
      execution: 'exec-3',
      token: 'parked',
      publish: ['p'],
      wait: ['q'],
      outcomes: { s: { p: {} }, f: {} },
    });
    expect((await items('exec-3')).map((item) => item.sk).sort()).toEqual([
      '#',
      expect.stringMatching(/^w#/),
    ]);
    await table.forget('exec-3');
    expect(await items('exec-3')).toEqual([]);
  });
});
