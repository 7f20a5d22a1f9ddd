import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../lib/errors';
import { ApprovalNotPendingError } from '../../lib/jobs/approvals';
import type { NodeJobRecord, WorkflowJobRecord } from '../../lib/store/records';
import { executionHarness, LOCALHOST, QUICK_PLAYBOOK, type ExecutionHarness } from '../support/execution';

/**
 * The execution port in one process (docs/semantics.md §2.3, §3, §8; docs/architecture.md §8):
 * non-blocking starts, many jobs at once, allow_simultaneous, capacity, cancel, approvals through
 * the port. Real store, real ansible where a node runs.
 */
const MARKER = `slow-${process.pid}`;
const BUNDLE = `${LOCALHOST}
job_templates:
  - { name: Quick JT, project: P, inventory: I, playbook: quick.yml }
  - { name: Slow JT, project: P, inventory: I, playbook: ${MARKER}.yml }
workflow_job_templates:
  - { name: Empty, allow_simultaneous: true, workflow_nodes: [] }
  - name: Gate
    workflow_nodes:
      - { identifier: gate, approval_node: { name: Gate, description: Go?, timeout: 0 }, success_nodes: [go], failure_nodes: [stop] }
      - { identifier: go, unified_job_template: { type: workflow_job_template, name: Empty } }
      - { identifier: stop, unified_job_template: { type: workflow_job_template, name: Empty } }
  - name: Together
    allow_simultaneous: true
    workflow_nodes: [{ identifier: gate, approval_node: { name: Gate } }]
  - name: Expiring
    workflow_nodes:
      - { identifier: gate, approval_node: { name: Soon, timeout: 1 }, failure_nodes: [stop] }
      - { identifier: stop, unified_job_template: { type: workflow_job_template, name: Empty } }
  - name: Quick
    allow_simultaneous: true
    workflow_nodes: [{ identifier: run, unified_job_template: Quick JT }]
  - name: Slow
    workflow_nodes: [{ identifier: run, unified_job_template: Slow JT }]
  - name: Outer
    allow_simultaneous: true
    workflow_nodes:
      - { identifier: inner, unified_job_template: { type: workflow_job_template, name: Together }, failure_nodes: [handled] }
      - { identifier: handled, unified_job_template: { type: workflow_job_template, name: Empty } }
`;
const PLAYBOOKS = {
  'quick.yml': QUICK_PLAYBOOK,
  [`${MARKER}.yml`]:
    '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.pause: { seconds: 60 }\n',
};
const ANN = { id: 7, username: 'ann' };

let harness: ExecutionHarness;
beforeAll(async () => {
  harness = await executionHarness(BUNDLE, { playbooks: PLAYBOOKS });
});
afterAll(() => harness.close());

/** Polls `check` until it returns something (not undefined or false). */
async function until<T>(check: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const result = await check();
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The job of node `node` once it is spawned. */
function nodeJob(
  job: WorkflowJobRecord,
  node: string,
  status?: NodeJobRecord['status'],
): Promise<NodeJobRecord> {
  return until(async () => {
    const record = await harness.store.getNodeJob(job.id, node);
    return record && (status === undefined || record.status === status) && record;
  });
}

/** The approval of node `node`, once it waits. */
async function waitingApproval(job: WorkflowJobRecord, node = 'gate'): Promise<number> {
  const { id } = await nodeJob(job, node, 'pending');
  await until(async () => (await harness.store.getApproval(id!))?.status === 'pending');
  return id!;
}

async function statusOf(job: WorkflowJobRecord): Promise<string | undefined> {
  return (await harness.store.getWorkflowJob(job.id))?.status;
}

function slowPlaybookRuns(): boolean {
  try {
    execFileSync('pgrep', ['-f', MARKER]);
    return true;
  } catch {
    return false;
  }
}

describe('approvals through the port (docs/semantics.md §3)', () => {
  it('approve: the success path runs; who approved is kept; a second answer is refused', async () => {
    const job = await harness.launch('Gate');
    const approval = await waitingApproval(job);
    expect(await harness.store.getApproval(approval)).toMatchObject({
      workflowJob: job.id,
      node: 'gate',
      name: 'Gate',
      description: 'Go?',
      timeout: 0,
      expires: null,
      status: 'pending',
    });
    expect(await harness.execution.approve(approval, ANN)).toMatchObject({
      status: 'approved',
      decided_by: ANN,
    });
    await expect(harness.execution.deny(approval, ANN)).rejects.toThrow(ApprovalNotPendingError);
    await expect(harness.execution.approve(approval, ANN)).rejects.toThrow(
      'This workflow step has already been approved or denied.',
    );
    const ended = await harness.execution.finished(job.id);
    expect(ended?.status).toBe('successful');
    const nodes = await harness.store.workflowJobNodes(job.id);
    expect(nodes.map((n) => [n.identifier, n.do_not_run])).toEqual([
      ['gate', false],
      ['go', false],
      ['stop', true],
    ]);
    expect(nodes[0].job).toBe(approval);
    expect(await harness.store.getNodeJob(job.id, 'gate')).toMatchObject({
      status: 'successful',
      kind: 'workflow_approval',
    });
  });

  it('deny: the failure path runs, and handles the failure', async () => {
    const job = await harness.launch('Gate');
    const approval = await waitingApproval(job);
    await harness.execution.deny(approval, null);
    expect((await harness.execution.finished(job.id))?.status).toBe('successful');
    expect(await harness.store.getNodeJob(job.id, 'gate')).toMatchObject({
      status: 'failed',
      job_explanation: 'Denied: Gate',
    });
    expect((await harness.store.findWorkflowJobNode(job.id, 'go'))?.do_not_run).toBe(true);
  });

  it('a timeout fails the node on time, with AWX explanation; answering it afterwards is refused', async () => {
    const job = await harness.launch('Expiring');
    const approval = await waitingApproval(job);
    const waited = Date.now();
    expect((await harness.store.getApproval(approval))?.expires).not.toBeNull();
    const ended = await harness.execution.finished(job.id);
    expect(Date.now() - waited).toBeLessThan(5_000);
    expect(ended?.status).toBe('successful');
    expect((await harness.store.getApproval(approval))?.status).toBe('timed_out');
    expect((await harness.store.getNodeJob(job.id, 'gate'))?.job_explanation).toBe(
      `The approval node Soon (${approval}) has expired after 1 seconds.`,
    );
    await expect(harness.execution.approve(approval, ANN)).rejects.toThrow(ApprovalNotPendingError);
  });

  it('an approval that does not exist is not found', async () => {
    await expect(harness.execution.approve(987_654, ANN)).rejects.toThrow(NotFoundError);
  });
});

describe('allow_simultaneous (docs/semantics.md §8)', () => {
  it('false: a second launch waits pending until the first ends, then runs', async () => {
    const first = await harness.launch('Gate');
    const second = await harness.launch('Gate');
    const firstApproval = await waitingApproval(first);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await statusOf(second)).toBe('pending');
    expect(await harness.store.nodeJobs(second.id)).toEqual([]);
    await harness.execution.approve(firstApproval, ANN);
    expect((await harness.execution.finished(first.id))?.status).toBe('successful');
    await harness.execution.approve(await waitingApproval(second), ANN);
    const ended = await harness.execution.finished(second.id);
    expect(ended?.status).toBe('successful');
    expect(Date.parse(ended!.started!)).toBeGreaterThanOrEqual(
      Date.parse((await harness.store.getWorkflowJob(first.id))!.finished!),
    );
  });

  it('true: both run at once', async () => {
    const jobs = [await harness.launch('Together'), await harness.launch('Together')];
    const approvals = await Promise.all(jobs.map((job) => waitingApproval(job)));
    expect(await Promise.all(jobs.map(statusOf))).toEqual(['running', 'running']);
    await Promise.all(approvals.map((id) => harness.execution.approve(id, ANN)));
    for (const job of jobs) expect((await harness.execution.finished(job.id))?.status).toBe('successful');
  });
});

describe('cancel (docs/semantics.md §2.3)', () => {
  it('a pending job ends canceled without running; it cannot be canceled twice', async () => {
    const first = await harness.launch('Gate');
    const second = await harness.launch('Gate');
    await waitingApproval(first);
    expect(await harness.execution.describe(second.id)).toEqual({
      workflowJob: second.id,
      status: 'pending',
      canCancel: true,
    });
    expect(await harness.execution.cancel(second.id)).toBe(true);
    const ended = await harness.store.getWorkflowJob(second.id);
    expect(ended).toMatchObject({ status: 'canceled' });
    expect(ended?.started).toBeUndefined();
    expect(ended?.canceled_on).toBeDefined();
    expect(await harness.store.nodeJobs(second.id)).toEqual([]);
    expect((await harness.store.workflowJobNodes(second.id)).every((n) => n.do_not_run)).toBe(true);
    expect(await harness.execution.cancel(second.id)).toBe(false);
    expect((await harness.execution.describe(second.id))?.canCancel).toBe(false);
    expect(await harness.execution.cancel(first.id)).toBe(true);
    expect((await harness.execution.finished(first.id))?.status).toBe('canceled');
    expect((await harness.store.getApproval((await nodeJob(first, 'gate')).id!))?.status).toBe('canceled');
  });

  it('a running job has its playbook stopped cleanly and ends canceled', async () => {
    const job = await harness.launch('Slow');
    await nodeJob(job, 'run', 'running');
    await until(async () => slowPlaybookRuns());
    expect(await harness.execution.cancel(job.id)).toBe(true);
    const ended = await harness.execution.finished(job.id);
    expect(ended?.status).toBe('canceled');
    expect((await harness.store.getNodeJob(job.id, 'run'))?.status).toBe('canceled');
    expect(slowPlaybookRuns()).toBe(false);
  }, 60_000);

  it('a cancel racing a finish: the job ends once, and every record agrees', async () => {
    for (let i = 0; i < 8; i++) {
      const job = await harness.launch('Together');
      const approval = await waitingApproval(job);
      const [approved, canceled] = await Promise.allSettled([
        harness.execution.approve(approval, ANN),
        harness.execution.cancel(job.id),
      ]);
      const ended = (await harness.execution.finished(job.id))!;
      expect(ended.finished).toBeDefined();
      expect(await harness.execution.cancel(job.id)).toBe(false);
      const decided = (await harness.store.getApproval(approval))!.status;
      if (approved.status === 'rejected') {
        // The cancel reached the approval first: the answer is refused, as for any decided approval.
        expect(approved.reason).toBeInstanceOf(ApprovalNotPendingError);
        expect([decided, ended.status]).toEqual(['canceled', 'canceled']);
      } else {
        expect(decided).toBe('approved');
        expect(['successful', 'canceled']).toContain(ended.status);
      }
      if (canceled.status === 'fulfilled' && !canceled.value) expect(ended.status).toBe('successful');
      const left = (await harness.store.nodeJobs(job.id)).filter((n) =>
        ['pending', 'running'].includes(n.status),
      );
      expect(left).toEqual([]);
    }
  });

  it('a nested job canceled alone fails its node, and the outer workflow takes the failure path', async () => {
    const outer = await harness.launch('Outer');
    const innerNode = await nodeJob(outer, 'inner', 'running');
    const inner = (await harness.store.getWorkflowJob(innerNode.id!))!;
    expect(inner).toMatchObject({
      name: 'Together',
      launch_type: 'workflow',
      parent: { workflowJob: outer.id, node: 'inner' },
    });
    expect(inner.id).toBeGreaterThan(outer.id);
    expect((await harness.store.findWorkflowJobNode(outer.id, 'inner'))?.job).toBe(inner.id);
    await waitingApproval(inner);
    expect(await harness.execution.cancel(inner.id)).toBe(true);
    expect((await harness.execution.finished(outer.id))?.status).toBe('successful');
    expect((await harness.store.getWorkflowJob(inner.id))?.status).toBe('canceled');
    expect(await harness.store.getNodeJob(outer.id, 'inner')).toMatchObject({ status: 'canceled' });
    expect((await harness.store.getNodeJob(outer.id, 'handled'))?.status).toBe('successful');
  });
});

describe('many workflow jobs at once', () => {
  it('starts each at once and runs them side by side in one process', async () => {
    const jobs = await Promise.all(Array.from({ length: 12 }, () => harness.launch('Together')));
    const approvals = await Promise.all(jobs.map((job) => waitingApproval(job)));
    const empties = await Promise.all(Array.from({ length: 20 }, () => harness.launch('Empty')));
    await Promise.all(approvals.map((id) => harness.execution.approve(id, ANN)));
    const ended = await Promise.all([...jobs, ...empties].map((job) => harness.execution.finished(job.id)));
    expect(new Set(ended.map((job) => job?.status))).toEqual(new Set(['successful']));
  });
});

describe('capacity (docs/architecture.md §8)', () => {
  /** The largest number of node jobs running at one time. */
  function mostAtOnce(records: readonly NodeJobRecord[]): number {
    const edges = records.flatMap((r) => [
      [Date.parse(r.started!), 1],
      [Date.parse(r.finished!), -1],
    ]);
    edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let running = 0;
    let most = 0;
    for (const [, change] of edges) most = Math.max(most, (running += change));
    return most;
  }

  it.each([
    [1, 1],
    [4, 2],
  ])(
    'with capacity %i, %i localhost job(s) run at once, the rest pending, in launch order',
    async (capacity, atOnce) => {
      const own = await executionHarness(BUNDLE, { playbooks: PLAYBOOKS, capacity });
      try {
        const jobs: WorkflowJobRecord[] = [];
        for (let i = 0; i < 4; i++) jobs.push(await own.launch('Quick'));
        const ended = await Promise.all(jobs.map((job) => own.execution.finished(job.id)));
        expect(ended.map((job) => job?.status)).toEqual([
          'successful',
          'successful',
          'successful',
          'successful',
        ]);
        const records = await Promise.all(
          jobs.map(async (job) => (await own.store.getNodeJob(job.id, 'run'))!),
        );
        expect(mostAtOnce(records)).toBe(atOnce);
        const starts = records.map((r) => Date.parse(r.started!));
        expect(starts).toEqual([...starts].sort((a, b) => a - b));
      } finally {
        await own.close();
      }
    },
    120_000,
  );
});

describe('drain (a server told to stop)', () => {
  it('cancels running and waiting jobs cleanly, and resolves when all have ended', async () => {
    const own = await executionHarness(BUNDLE, { playbooks: PLAYBOOKS });
    try {
      const slow = await own.launch('Slow');
      const gated = await own.launch('Gate');
      const queued = await own.launch('Gate');
      await until(async () => (await own.store.getNodeJob(slow.id, 'run'))?.status === 'running');
      await until(async () => slowPlaybookRuns());
      await own.execution.drain();
      for (const job of [slow, gated, queued])
        expect((await own.store.getWorkflowJob(job.id))?.status).toBe('canceled');
      expect(slowPlaybookRuns()).toBe(false);
      const late = await own.launch('Empty');
      expect((await own.execution.finished(late.id))?.status).toBe('canceled');
    } finally {
      await own.close();
    }
  }, 60_000);
});
