import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerApproval, ApprovalNotPendingError, runApproval, TIMED_OUT } from '../../lib/jobs/approvals';
import { createWorkflowJob } from '../../lib/jobs/workflow-jobs';
import { endUnfinishedJobs } from '../../lib/jobs/unfinished-jobs';
import { fixedApproval } from '../../lib/local/approvals';
import { openLocalStore, type LocalStore } from '../../lib/local/local-store';
import { bundleOf } from '../support/bundles';

/** Approval records and who wins a decision (docs/semantics.md §3). */
const bundle = bundleOf(`
workflow_job_templates:
  - name: W
    workflow_nodes: [{ identifier: gate, approval_node: { name: Gate, description: Ship it?, timeout: 60 } }]
`);

let local: LocalStore;
beforeAll(async () => {
  local = await openLocalStore(undefined);
});
afterAll(() => local.close());

async function gate(signal = new AbortController().signal) {
  const job = await createWorkflowJob(local.store, {
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
  return {
    bundle,
    workflowJob: job.id,
    workflowName: 'W',
    node: 'gate',
    path: [],
    taskToken: 'local:gate',
    signal,
  };
}

describe('an approval node', () => {
  it('records the approval with the template copied and when it expires, then how it was decided', async () => {
    const address = await gate();
    let seen: number | undefined;
    const outcome = await runApproval(
      local.store,
      { decide: async (request) => ((seen = request.id), 'denied') },
      address,
    );
    expect(outcome).toEqual({ status: 'denied', explanation: 'Denied: Gate' });
    const approval = (await local.store.getApproval(seen!))!;
    expect(approval).toMatchObject({
      name: 'Gate',
      description: 'Ship it?',
      timeout: 60,
      status: 'denied',
      decided_by: null,
    });
    expect(Date.parse(approval.expires!) - Date.parse(approval.created)).toBe(60_000);
    expect(await local.store.getNodeJob(address.workflowJob, 'gate')).toMatchObject({
      id: seen,
      status: 'failed',
      job_explanation: 'Denied: Gate',
    });
  });

  it('an answer given through the API first stands, with who gave it', async () => {
    const address = await gate();
    const outcome = await runApproval(
      local.store,
      {
        decide: async (request) => {
          await answerApproval(local.store, request.id, 'approved', { id: 4, username: 'ops' });
          return 'denied'; // too late: the recorded answer wins
        },
      },
      address,
    );
    expect(outcome.status).toBe('approved');
    const { id } = (await local.store.getNodeJob(address.workflowJob, 'gate'))!;
    expect(await local.store.getApproval(id!)).toMatchObject({ decided_by: { username: 'ops' } });
    await expect(answerApproval(local.store, id!, 'denied', null)).rejects.toThrow(ApprovalNotPendingError);
  });

  it('a timeout and a cancel are recorded as such; a policy that breaks leaves it canceled and says why', async () => {
    const timing = new AbortController();
    const timedOut = runApproval(
      local.store,
      { decide: () => new Promise(() => undefined) },
      await gate(timing.signal),
    );
    setTimeout(() => timing.abort(TIMED_OUT), 50);
    expect((await timedOut).status).toBe('timed_out');
    const canceling = new AbortController();
    const canceled = runApproval(
      local.store,
      { decide: () => new Promise(() => undefined) },
      await gate(canceling.signal),
    );
    setTimeout(() => canceling.abort('canceled'), 50);
    expect(await canceled).toEqual({ status: 'canceled', explanation: 'The workflow job was canceled' });
    const broken = await gate();
    await expect(
      runApproval(local.store, { decide: async () => Promise.reject(new Error('terminal closed')) }, broken),
    ).rejects.toThrow('terminal closed');
    const { id } = (await local.store.getNodeJob(broken.workflowJob, 'gate'))!;
    expect((await local.store.getApproval(id!))?.status).toBe('canceled');
  });
});

describe('jobs a process left unfinished', () => {
  it('end with their waiting approvals and pending node jobs', async () => {
    const address = await gate();
    const waiting = runApproval(local.store, { decide: () => new Promise(() => undefined) }, address);
    void waiting;
    const { id } = await until(() => local.store.getNodeJob(address.workflowJob, 'gate'));
    await until(() => local.store.getApproval(id!));
    expect(await endUnfinishedJobs(local.store, 'error', 'gone')).toBeGreaterThanOrEqual(1);
    expect((await local.store.getApproval(id!))?.status).toBe('canceled');
    expect(await local.store.getNodeJob(address.workflowJob, 'gate')).toMatchObject({ status: 'error' });
    expect(await local.store.getWorkflowJob(address.workflowJob)).toMatchObject({
      status: 'error',
      job_explanation: 'gone',
    });
  });

  it('fixed answers decide at once (towerless run --approve / --deny)', async () => {
    expect((await runApproval(local.store, fixedApproval('approved'), await gate())).status).toBe('approved');
  });
});

async function until<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
