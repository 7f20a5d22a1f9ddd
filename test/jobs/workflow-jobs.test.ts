import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNestedWorkflowJob } from '../../lib/jobs/nested-workflow-jobs';
import { endNodeJob, spawnNodeJob } from '../../lib/jobs/node-jobs';
import {
  definitionsOf,
  createWorkflowJob,
  finishWorkflowJob,
  startWorkflowJob,
} from '../../lib/jobs/workflow-jobs';
import { openLocalStore, type LocalStore } from '../../lib/local/local-store';
import { bundleOf } from '../support/bundles';

/** A workflow job from creation to its end (docs/semantics.md §1.6, §2.4, §4.1, §6.3). */
const bundle = bundleOf(`
projects: [{ name: P, local_path: . }]
inventories: [{ name: I }]
job_templates:
  - name: JT
    project: P
    inventory: I
    playbook: p.yml
    survey_enabled: true
    survey_spec: { name: s, description: '', spec: [{ question_name: k, variable: jt_key, type: password, required: false }] }
workflow_job_templates:
  - name: Inner
    survey_enabled: true
    survey_spec: { name: s, description: '', spec: [{ question_name: t, variable: inner_token, type: password, required: false }] }
    workflow_nodes: [{ identifier: x, unified_job_template: JT }]
  - name: W
    ask_variables_on_launch: true
    extra_vars: { color: blue }
    workflow_nodes:
      - { identifier: a, unified_job_template: JT, success_nodes: [b], failure_nodes: [c] }
      - { identifier: b, unified_job_template: { type: workflow_job_template, name: Inner } }
      - { identifier: c, unified_job_template: JT }
`);
const W = bundle.workflow_job_templates.find((w) => w.name === 'W')!;

let local: LocalStore;
beforeAll(async () => {
  local = await openLocalStore(undefined);
});
afterAll(() => local.close());

async function created(status: 'pending' | 'running' = 'pending', launchVars = {}) {
  return createWorkflowJob(local.store, {
    id: await local.store.nextJobId(),
    bundle,
    workflow: W,
    launchVars,
    prompts: {},
    status,
    launchType: 'manual',
    launchedBy: null,
    workflowJobTemplate: null,
    baseDir: '/projects',
  });
}

describe('creating a workflow job', () => {
  it('builds its vars once (§4.1) and seals every password in its reach: its own, its job templates, nested ones (§6.3)', async () => {
    const job = await created('pending', { jt_key: 'k-1', inner_token: 't-2', plain: 'p' });
    expect(job.extra_vars).toEqual({
      color: 'blue',
      jt_key: '$encrypted$',
      inner_token: '$encrypted$',
      plain: 'p',
    });
    expect((await local.store.getWorkflowJob(job.id))?.secret_vars).toEqual({
      jt_key: 'k-1',
      inner_token: 't-2',
    });
    expect(job.started).toBeUndefined();
  });

  it('creates a node record per node, ids ascending in node order, no job yet', async () => {
    const job = await created();
    const nodes = await local.store.workflowJobNodes(job.id);
    expect(nodes.map((n) => [n.identifier, n.job, n.do_not_run])).toEqual([
      ['a', null, false],
      ['b', null, false],
      ['c', null, false],
    ]);
    expect(nodes.map((n) => n.id)).toEqual([...nodes.map((n) => n.id)].sort((x, y) => x - y));
    expect(nodes[0]).toMatchObject({
      success_nodes: ['b'],
      failure_nodes: ['c'],
      all_parents_must_converge: false,
    });
  });
});

describe('starting and ending it', () => {
  it('starts once; ends once; marks the nodes that never ran DNR', async () => {
    const job = await created();
    expect(await startWorkflowJob(local.store, job.id)).toBe(true);
    expect(await startWorkflowJob(local.store, job.id)).toBe(false);
    const address = { bundle, workflowJob: job.id, workflowName: 'W', node: 'a' };
    const spawned = await spawnNodeJob(local.store, address, { status: 'running' });
    await endNodeJob(local.store, address, { status: 'successful' });
    expect(await finishWorkflowJob(local.store, job.id, 'failed')).toBe(true);
    expect(await finishWorkflowJob(local.store, job.id, 'canceled')).toBe(false);
    expect(await local.store.getWorkflowJob(job.id)).toMatchObject({
      status: 'failed',
      job_explanation: 'No error handling paths found, marking workflow as failed',
    });
    const nodes = await local.store.workflowJobNodes(job.id);
    expect(nodes.map((n) => [n.identifier, n.job, n.do_not_run])).toEqual([
      ['a', spawned.id, false],
      ['b', null, true],
      ['c', null, true],
    ]);
  });

  it('whoever reads the final status reads the DNR nodes too: they are marked first', async () => {
    const job = await created();
    const seenAtFinish: boolean[] = [];
    const store = Object.create(local.store) as typeof local.store;
    store.finishWorkflowJob = async (id, update) => {
      seenAtFinish.push(...(await local.store.workflowJobNodes(id)).map((node) => node.do_not_run));
      return local.store.finishWorkflowJob(id, update);
    };
    await finishWorkflowJob(store, job.id, 'canceled');
    expect(seenAtFinish).toEqual([true, true, true]);
  });

  it('a canceled job says when', async () => {
    const job = await created();
    await finishWorkflowJob(local.store, job.id, 'canceled', { canceledOn: '2024-05-01T00:00:00.000Z' });
    expect(await local.store.getWorkflowJob(job.id)).toMatchObject({
      status: 'canceled',
      canceled_on: '2024-05-01T00:00:00.000Z',
    });
  });
});

describe('a nested workflow job (docs/semantics.md §5)', () => {
  it('gets its vars from the outer job and node, shares the outer definitions, and is the node job', async () => {
    const outer = await created('running', { inner_token: 'secret-3' });
    await local.store.putDefinitions(outer.id, bundle);
    const id = await local.store.nextJobId();
    const nested = await createNestedWorkflowJob(local.store, {
      bundle,
      id,
      workflowName: 'Inner',
      parent: { workflowJob: outer.id, workflowName: 'W', node: 'b' },
    });
    expect(nested).toMatchObject({
      id,
      name: 'Inner',
      status: 'running',
      launch_type: 'workflow',
      parent: { workflowJob: outer.id, node: 'b' },
      base_dir: '/projects',
      extra_vars: { inner_token: '$encrypted$' },
    });
    expect((await local.store.getWorkflowJob(id))?.secret_vars).toEqual({ inner_token: 'secret-3' });
    expect(await local.store.getNodeJob(outer.id, 'b')).toMatchObject({ id, kind: 'workflow_job_template' });
    expect((await local.store.findWorkflowJobNode(outer.id, 'b'))?.job).toBe(id);
    expect(await definitionsOf(local.store, id)).toEqual(bundle);
  });
});
