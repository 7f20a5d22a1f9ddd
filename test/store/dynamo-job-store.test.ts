import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalStore, type LocalStore } from '../../lib/local/local-store';
import type { NodeJobRecord } from '../../lib/store/records';

let local: LocalStore;
beforeAll(async () => {
  local = await openLocalStore(undefined);
});
afterAll(() => local.close());

const node = (name: string, stdout: string): NodeJobRecord => ({
  workflowJob: 'wj',
  node: name,
  kind: 'job_template',
  template: 'T',
  status: 'successful',
  started: 'now',
  artifacts: { big: stdout.slice(0, 10) },
  ancestor_artifacts: {},
  stdout,
});

describe('the DynamoDB store (on dynalite)', () => {
  it('creates a workflow job once, and refuses a second with the same id', async () => {
    await local.store.createWorkflowJob({
      id: 'once',
      workflow: 'W',
      status: 'running',
      extra_vars: { a: 1 },
      started: 'now',
    });
    await expect(
      local.store.createWorkflowJob({
        id: 'once',
        workflow: 'W',
        status: 'running',
        extra_vars: {},
        started: 'now',
      }),
    ).rejects.toThrow('workflow job once already exists');
    await local.store.finishWorkflowJob('once', { status: 'successful', finished: 'later' });
    expect(await local.store.getWorkflowJob('once')).toMatchObject({
      status: 'successful',
      extra_vars: { a: 1 },
      finished: 'later',
    });
  });

  it('keeps records over the 400 KB item limit (split into parts), whole and exact', async () => {
    const huge = 'é'.repeat(700_000); // 1.4 MB of UTF-8
    await local.store.putNodeJob(node('big', huge));
    await local.store.putNodeJob(node('small', 'tiny'));
    expect((await local.store.getNodeJob('wj', 'big'))!.stdout).toBe(huge);
    const all = await local.store.nodeJobs('wj');
    expect(all.map((r) => [r.node, r.stdout!.length])).toEqual([
      ['big', huge.length],
      ['small', 4],
    ]);
  });

  it('a smaller rewrite removes the parts of the larger record it replaces', async () => {
    await local.store.putNodeJob(node('shrinks', 'x'.repeat(350_000)));
    await local.store.putNodeJob(node('shrinks', 'done'));
    expect((await local.store.getNodeJob('wj', 'shrinks'))!.stdout).toBe('done');
    const client = (
      local.store as unknown as { client: { send(c: QueryCommand): Promise<{ Items?: unknown[] }> } }
    ).client;
    const { Items } = await client.send(
      new QueryCommand({
        TableName: 'towerless',
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': { S: 'WJ#wj' }, ':sk': { S: 'NODE#shrinks' } },
      }),
    );
    expect(Items).toHaveLength(1);
  });
});
