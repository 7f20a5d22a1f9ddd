import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { openLocalStore, type LocalStore } from '../../lib/local/local-store';
import type { Bundle } from '../../lib/model/types';
import { KeySealer } from '../../lib/store/sealer';
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

  it('ends a workflow job once: a cancel racing a finish never overwrites the first end', async () => {
    for (let i = 0; i < 10; i++) {
      const id = `race-${i}`;
      await local.store.createWorkflowJob({
        id,
        workflow: 'W',
        status: 'running',
        extra_vars: {},
        started: 'now',
      });
      const results = await Promise.all([
        local.store.finishWorkflowJob(id, { status: 'successful', finished: 'a' }),
        local.store.finishWorkflowJob(id, { status: 'canceled', finished: 'b' }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const ended = await local.store.getWorkflowJob(id);
      expect(ended?.status).toBe(results[0] ? 'successful' : 'canceled');
      expect(await local.store.finishWorkflowJob(id, { status: 'error', finished: 'c' })).toBe(false);
      expect((await local.store.getWorkflowJob(id))?.status).toBe(ended?.status);
    }
    expect((await local.store.unfinishedWorkflowJobs()).map((job) => job.id)).not.toContain('race-0');
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

describe('what the store seals', () => {
  it('keeps survey passwords and saved definitions only sealed: never in clear in any item', async () => {
    await local.store.createWorkflowJob({
      id: 'sealed',
      workflow: 'W',
      status: 'running',
      extra_vars: { user: 'app', db_password: '$encrypted$' },
      secret_vars: { db_password: 'pw-in-clear-3141' },
      started: 'now',
    });
    await local.store.putDefinitions('sealed', {
      ...emptyBundle(),
      job_templates: [{ name: 'definition-in-clear-2718' } as never],
    });
    const raw = await local.store['client'].send(
      new QueryCommand({
        TableName: 'towerless',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'WJ#sealed' } },
      }),
    );
    const stored = JSON.stringify(raw.Items);
    expect(stored).not.toContain('pw-in-clear-3141');
    expect(stored).not.toContain('definition-in-clear-2718');
    expect(stored).toContain('$encrypted$');
    // Read back whole by the store itself.
    expect((await local.store.getWorkflowJob('sealed'))?.secret_vars).toEqual({
      db_password: 'pw-in-clear-3141',
    });
    expect((await local.store.getDefinitions('sealed'))?.job_templates[0].name).toBe(
      'definition-in-clear-2718',
    );
  });

  it('refuses what was sealed with another key or altered', () => {
    const sealer = new KeySealer(randomBytes(32));
    const sealed = sealer.seal(Buffer.from('secret'));
    expect(sealer.open(sealed).toString()).toBe('secret');
    expect(() => new KeySealer(randomBytes(32)).open(sealed)).toThrow();
    const [version, iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] ^= 1;
    expect(() => sealer.open([version, iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
  });
});

function emptyBundle(): Bundle {
  return {
    projects: [],
    inventories: [],
    credentials: [],
    job_templates: [],
    workflow_job_templates: [],
    notification_templates: [],
    schedules: [],
  } as unknown as Bundle;
}
