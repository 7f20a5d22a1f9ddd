import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endNodeJob, spawnNodeJob } from '../../lib/jobs/node-jobs';
import { rejectNode } from '../../lib/jobs/rejected-nodes';
import { createWorkflowJob, finishWorkflowJob } from '../../lib/jobs/workflow-jobs';
import { openLocalStore, type LocalStore } from '../../lib/local/local-store';
import { bundleOf } from '../support/bundles';

/** The job of a node: spawned with what it inherits (docs/semantics.md §4.3), or failed at once (§1.7). */
const bundle = bundleOf(`
projects: [{ name: P, local_path: . }]
inventories: [{ name: I }]
job_templates: [{ name: JT, project: P, inventory: I, playbook: p.yml }]
workflow_job_templates:
  - name: W
    workflow_nodes:
      - { identifier: a, unified_job_template: JT, success_nodes: [c] }
      - { identifier: b, unified_job_template: JT, success_nodes: [c] }
      - { identifier: c, unified_job_template: JT }
      - { identifier: again, unified_job_template: { type: workflow_job_template, name: W } }
      - { identifier: gone }
`);

let local: LocalStore;
beforeAll(async () => {
  local = await openLocalStore(undefined);
});
afterAll(() => local.close());

async function job() {
  const created = await createWorkflowJob(local.store, {
    id: await local.store.nextJobId(),
    bundle,
    workflow: bundle.workflow_job_templates[0],
    launchVars: {},
    prompts: {},
    status: 'running',
    launchType: 'manual',
    launchedBy: null,
    workflowJobTemplate: null,
    baseDir: '/',
  });
  return (node: string) => ({ bundle, workflowJob: created.id, workflowName: 'W', node });
}

describe('spawning a node job', () => {
  it('gives it an id of the job sequence, points the node at it, and records what it inherits', async () => {
    const at = await job();
    const a = await spawnNodeJob(local.store, at('a'), { status: 'running' });
    await endNodeJob(local.store, at('a'), { status: 'successful', artifacts: { from: 'a', both: 'a' } });
    await spawnNodeJob(local.store, at('b'), { status: 'running' });
    await endNodeJob(local.store, at('b'), { status: 'failed', artifacts: { both: 'b' } });
    const c = await spawnNodeJob(local.store, at('c'), { status: 'pending' });
    expect(c).toMatchObject({ status: 'pending', ancestor_artifacts: { from: 'a', both: 'b' } });
    expect(c.started).toBeUndefined();
    expect(c.id).toBeGreaterThan(a.id!);
    expect((await local.store.findWorkflowJobNode(at('c').workflowJob, 'c'))?.job).toBe(c.id);
    expect(await local.store.findNodeJob(c.id!)).toMatchObject({
      node: 'c',
      workflowJob: at('c').workflowJob,
    });
    expect((await local.store.getNodeJob(at('a').workflowJob, 'a'))?.elapsed).toBeGreaterThanOrEqual(0);
  });
});

describe('nodes that fail as they are spawned (docs/semantics.md §1.7)', () => {
  it('recursion: the nested workflow job is created, failed at once with the explanation, and is the node job', async () => {
    const at = await job();
    await rejectNode(local.store, at('again'), 'would result in recursion');
    const record = (await local.store.getNodeJob(at('again').workflowJob, 'again'))!;
    expect(record).toMatchObject({ status: 'failed', job_explanation: 'would result in recursion' });
    const nested = await local.store.getWorkflowJob(record.id!);
    expect(nested).toMatchObject({
      status: 'failed',
      name: 'W',
      job_explanation: 'would result in recursion',
    });
    expect(nested?.started).toBeUndefined();
    expect((await local.store.workflowJobNodes(record.id!)).every((n) => n.do_not_run)).toBe(true);
  });

  it('a node without a template fails without a job, and is not DNR', async () => {
    const at = await job();
    await rejectNode(local.store, at('gone'), 'no template');
    expect(await local.store.getNodeJob(at('gone').workflowJob, 'gone')).toMatchObject({
      id: null,
      kind: 'missing',
      status: 'failed',
    });
    await finishWorkflowJob(local.store, at('gone').workflowJob, 'failed');
    expect(await local.store.findWorkflowJobNode(at('gone').workflowJob, 'gone')).toMatchObject({
      job: null,
      do_not_run: false,
    });
  });
});
