import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { openLocalStore, type LocalStore } from '../../lib/local/local-store';
import type { Bundle } from '../../lib/model/types';
import { KeySealer } from '../../lib/store/sealer';
import type { NodeJobRecord } from '../../lib/store/records';
import { nodeJobRecord, workflowJobRecord } from '../support/job-records';

let local: LocalStore;
beforeAll(async () => {
  local = await openLocalStore(undefined);
});
afterAll(() => local.close());

/** Workflow job ids of this file, apart from the ones the store hands out. */
let ids = 1_000_000;
const WJ = 999_999;
const node = (name: string, stdout: string): NodeJobRecord =>
  nodeJobRecord({ workflowJob: WJ, node: name, artifacts: { big: stdout.slice(0, 10) }, stdout });

describe('the DynamoDB store (on dynalite)', () => {
  it('creates a workflow job once, and refuses a second with the same id', async () => {
    const id = ++ids;
    await local.store.createWorkflowJob(workflowJobRecord({ id, extra_vars: { a: 1 } }));
    await expect(local.store.createWorkflowJob(workflowJobRecord({ id }))).rejects.toThrow(
      `workflow job ${id} already exists`,
    );
    await local.store.finishWorkflowJob(id, { status: 'successful', finished: 'later' });
    expect(await local.store.getWorkflowJob(id)).toMatchObject({
      status: 'successful',
      extra_vars: { a: 1 },
      finished: 'later',
    });
  });

  it('ends a workflow job once: a cancel racing a finish never overwrites the first end', async () => {
    const raced: number[] = [];
    for (let i = 0; i < 10; i++) {
      const id = ++ids;
      raced.push(id);
      await local.store.createWorkflowJob(workflowJobRecord({ id }));
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
    expect((await local.store.unfinishedWorkflowJobs()).map((job) => job.id)).not.toContain(raced[0]);
  });

  it('keeps records over the 400 KB item limit (split into parts), whole and exact', async () => {
    const huge = 'é'.repeat(700_000); // 1.4 MB of UTF-8
    await local.store.putNodeJob(node('big', huge));
    await local.store.putNodeJob(node('small', 'tiny'));
    expect((await local.store.getNodeJob(WJ, 'big'))!.stdout).toBe(huge);
    const all = await local.store.nodeJobs(WJ);
    expect(all.map((r) => [r.node, r.stdout!.length])).toEqual([
      ['big', huge.length],
      ['small', 4],
    ]);
  });

  it('a smaller rewrite removes the parts of the larger record it replaces', async () => {
    await local.store.putNodeJob(node('shrinks', 'x'.repeat(350_000)));
    await local.store.putNodeJob(node('shrinks', 'done'));
    expect((await local.store.getNodeJob(WJ, 'shrinks'))!.stdout).toBe('done');
    const client = (
      local.store as unknown as { client: { send(c: QueryCommand): Promise<{ Items?: unknown[] }> } }
    ).client;
    const { Items } = await client.send(
      new QueryCommand({
        TableName: 'towerless',
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': { S: `WJ#${WJ}` }, ':sk': { S: 'NODE#shrinks' } },
      }),
    );
    expect(Items).toHaveLength(1);
  });
});

describe('what the API reads', () => {
  it('hands out job ids from one sequence and node ids ascending from another', async () => {
    const [a, b] = [await local.store.nextJobId(), await local.store.nextJobId()];
    expect(b).toBe(a + 1);
    const nodes = await local.store.nextNodeIds(5);
    expect(nodes).toEqual([...nodes].sort((x, y) => x - y));
    expect(new Set(nodes).size).toBe(5);
  });

  it('lists workflow jobs in id order, and starts a job only while it is pending', async () => {
    const first = ++ids;
    const second = ++ids;
    await local.store.createWorkflowJob(
      workflowJobRecord({ id: second, status: 'pending', started: undefined }),
    );
    await local.store.createWorkflowJob(
      workflowJobRecord({ id: first, status: 'pending', started: undefined }),
    );
    const listed = (await local.store.listWorkflowJobs()).map((job) => job.id);
    expect(listed.indexOf(first)).toBeLessThan(listed.indexOf(second));
    expect(await local.store.startWorkflowJob(first, 'then')).toBe(true);
    expect(await local.store.startWorkflowJob(first, 'again')).toBe(false);
    expect(await local.store.getWorkflowJob(first)).toMatchObject({ status: 'running', started: 'then' });
    // A pending job canceled before it starts is never started.
    await local.store.finishWorkflowJob(second, { status: 'canceled', finished: 'now' });
    expect(await local.store.startWorkflowJob(second, 'late')).toBe(false);
    expect((await local.store.getWorkflowJob(second))?.status).toBe('canceled');
  });

  it('finds a workflow job node by id and by identifier, and lists them in id order', async () => {
    const workflowJob = ++ids;
    const [a, b] = await local.store.nextNodeIds(2);
    const jobNode = (id: number, identifier: string) => ({
      id,
      workflowJob,
      identifier,
      unified_job_template: { type: 'job_template' as const, name: 'T' },
      job: null,
      do_not_run: false,
      success_nodes: [],
      failure_nodes: [],
      always_nodes: [],
      all_parents_must_converge: false,
      created: 'now',
    });
    await local.store.putWorkflowJobNodes([jobNode(b, 'a-first-by-name'), jobNode(a, 'z-last-by-name')]);
    expect((await local.store.workflowJobNodes(workflowJob)).map((n) => n.id)).toEqual([a, b]);
    expect((await local.store.getWorkflowJobNode(b))?.identifier).toBe('a-first-by-name');
    expect((await local.store.findWorkflowJobNode(workflowJob, 'z-last-by-name'))?.id).toBe(a);
    expect(await local.store.getWorkflowJobNode(987_654_321)).toBeUndefined();
  });

  it('finds a node job by its id; lists jobs per type, leaving approvals and nested jobs to their own lists', async () => {
    const workflowJob = ++ids;
    const [job, update, approval] = [++ids, ++ids, ++ids];
    await local.store.createNodeJob(nodeJobRecord({ workflowJob, node: 'j', id: job }));
    await local.store.createNodeJob(nodeJobRecord({ workflowJob, node: 'p', id: update, kind: 'project' }));
    await local.store.createNodeJob(
      nodeJobRecord({ workflowJob, node: 'gate', id: approval, kind: 'workflow_approval' }),
    );
    expect((await local.store.findNodeJob(update))?.node).toBe('p');
    expect(await local.store.findNodeJob(-1)).toBeUndefined();
    expect((await local.store.listNodeJobs('job')).map((j) => j.id)).toContain(job);
    expect((await local.store.listNodeJobs('project_update')).map((j) => j.id)).toContain(update);
    expect((await local.store.listNodeJobs('job')).map((j) => j.id)).not.toContain(approval);
  });

  it('decides an approval once: of two answers racing, one wins and the other changes nothing', async () => {
    for (let i = 0; i < 5; i++) {
      const id = ++ids;
      await local.store.createApproval({
        id,
        workflowJob: ++ids,
        node: 'gate',
        name: 'Gate',
        description: '',
        timeout: 0,
        created: 'now',
        expires: null,
        status: 'pending',
        decided_by: null,
      });
      const results = await Promise.all([
        local.store.decideApproval(id, { status: 'approved', by: { id: 1, username: 'ann' }, at: 'a' }),
        local.store.decideApproval(id, { status: 'denied', by: { id: 2, username: 'bob' }, at: 'b' }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await local.store.getApproval(id)).toMatchObject(
        results[0]
          ? { status: 'approved', decided_by: { username: 'ann' } }
          : { status: 'denied', decided_by: { username: 'bob' } },
      );
      expect((await local.store.listApprovals()).map((a) => a.id)).toContain(id);
    }
  });
});

describe('what the store seals', () => {
  it('keeps survey passwords and saved definitions only sealed: never in clear in any item', async () => {
    const id = ++ids;
    await local.store.createWorkflowJob(
      workflowJobRecord({
        id,
        extra_vars: { user: 'app', db_password: '$encrypted$' },
        secret_vars: { db_password: 'pw-in-clear-3141' },
      }),
    );
    await local.store.putDefinitions(id, {
      ...emptyBundle(),
      job_templates: [{ name: 'definition-in-clear-2718' } as never],
    });
    const raw = await local.store['client'].send(
      new QueryCommand({
        TableName: 'towerless',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `WJ#${id}` } },
      }),
    );
    const stored = JSON.stringify(raw.Items);
    expect(stored).not.toContain('pw-in-clear-3141');
    expect(stored).not.toContain('definition-in-clear-2718');
    expect(stored).toContain('$encrypted$');
    // Read back whole by the store itself.
    expect((await local.store.getWorkflowJob(id))?.secret_vars).toEqual({
      db_password: 'pw-in-clear-3141',
    });
    expect((await local.store.getDefinitions(id))?.job_templates[0].name).toBe('definition-in-clear-2718');
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
