import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InvalidError, NotFoundError, StateConflictError } from '../../lib/errors';
import type { ApprovalPolicy } from '../../lib/jobs/approvals';
import { resumeWorkflowJob } from '../../lib/launch/resume-workflow';
import type { WorkflowJobRecord } from '../../lib/store/records';
import { executionHarness, LOCALHOST, type ExecutionHarness } from '../support/execution';

/**
 * docs/semantics.md §13.11 through the launch path, on a real store and real playbooks: a resume
 * keeps what succeeded (same jobs, no second run), runs the rest afresh with the artifacts of
 * this run, and is refused, creating nothing, when the job cannot be resumed.
 */
const FLAG = join(tmpdir(), `towerless-resume-${process.pid}`);

/** A playbook that records `name` as an artifact, and fails while `flag` does not exist. */
function playbook(name: string, flag?: string): string {
  const failing = flag
    ? `    - ansible.builtin.stat: { path: "${flag}" }\n      register: flag\n    - ansible.builtin.fail: { msg: "${name}: not yet" }\n      when: not flag.stat.exists\n`
    : '';
  return `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.set_stats: { data: { from_${name}: run } }\n${failing}`;
}

const BUNDLE = `${LOCALHOST}
job_templates:
  - { name: A, project: P, inventory: I, playbook: a.yml }
  - { name: B, project: P, inventory: I, playbook: b.yml }
  - { name: C, project: P, inventory: I, playbook: c.yml }
  - { name: E, project: P, inventory: I, playbook: e.yml }
  - { name: R, project: P, inventory: I, playbook: r.yml }
workflow_job_templates:
  - name: Chain
    workflow_nodes:
      - { identifier: a, unified_job_template: A, success_nodes: [b, e] }
      - { identifier: b, unified_job_template: B, success_nodes: [c] }
      - { identifier: c, unified_job_template: C }
      - { identifier: e, unified_job_template: E }
  - name: Handled
    workflow_nodes:
      - { identifier: b, unified_job_template: B, failure_nodes: [r], success_nodes: [c] }
      - { identifier: r, unified_job_template: R }
      - { identifier: c, unified_job_template: C }
      - { identifier: a, unified_job_template: A, success_nodes: [last] }
      - { identifier: last, unified_job_template: B }
  - name: Gated
    workflow_nodes:
      - { identifier: gate, approval_node: { name: Gate }, success_nodes: [b] }
      - { identifier: b, unified_job_template: B }
  - name: Inner
    workflow_nodes: [{ identifier: b, unified_job_template: B }]
  - name: Outer
    workflow_nodes: [{ identifier: inner, unified_job_template: { type: workflow_job_template, name: Inner } }]
`;
const PLAYBOOKS = {
  'a.yml': playbook('a'),
  'b.yml': playbook('b', FLAG),
  'c.yml': playbook('c'),
  'e.yml': playbook('e'),
  'r.yml': playbook('r'),
};

/** Approves or denies as told, counting the questions. */
const approvals = { answer: 'approved' as 'approved' | 'denied', asked: 0 };
const policy: ApprovalPolicy = {
  decide: async () => {
    approvals.asked++;
    return approvals.answer;
  },
};

let harness: ExecutionHarness;
beforeAll(async () => {
  harness = await executionHarness(BUNDLE, { playbooks: PLAYBOOKS, approvals: policy });
});
afterAll(() => harness.close());
afterEach(() => rmSync(FLAG, { force: true }));

async function ran(workflow: string): Promise<WorkflowJobRecord> {
  const job = await harness.launch(workflow);
  return (await harness.execution.finished(job.id))!;
}

async function resumed(id: number, from?: string[]): Promise<WorkflowJobRecord> {
  const job = await resumeWorkflowJob(harness, id, { from, launchedBy: { id: 7, username: 'ann' } });
  return (await harness.execution.finished(job.id))!;
}

/** Each node's job id and status, and whether it was kept, by identifier (DNR: no job). */
async function nodes(id: number): Promise<Record<string, string>> {
  const jobs = await harness.store.nodeJobs(id);
  const byNode = new Map(jobs.map((job) => [job.node, job]));
  const shown = (await harness.store.workflowJobNodes(id)).map((node) => {
    const job = byNode.get(node.identifier);
    const state = job ? `${job.status}${job.kept_from ? ` kept from ${job.kept_from}` : ''}` : 'dnr';
    return [node.identifier, node.do_not_run ? 'dnr' : state];
  });
  return Object.fromEntries(shown);
}

describe('a resume', () => {
  it('keeps what succeeded, with its jobs, and runs the failed node and what follows it', async () => {
    const first = await ran('Chain');
    expect(first.status).toBe('failed');
    expect(await nodes(first.id)).toEqual({ a: 'successful', b: 'failed', c: 'dnr', e: 'successful' });
    writeFileSync(FLAG, '');
    const second = await resumed(first.id);
    expect(second).toMatchObject({
      status: 'successful',
      name: 'Chain',
      launch_type: 'relaunch',
      launched_by: { id: 7, username: 'ann' },
      resumes: { workflowJob: first.id },
    });
    expect([...second.resumes!.kept].sort()).toEqual(['a', 'e']);
    expect(await nodes(second.id)).toEqual({
      a: `successful kept from ${first.id}`,
      b: 'successful',
      c: 'successful',
      e: `successful kept from ${first.id}`,
    });
    // The kept nodes point at the jobs that ran; the listing of jobs shows each job once.
    const before = new Map((await harness.store.nodeJobs(first.id)).map((job) => [job.node, job.id]));
    const after = new Map((await harness.store.nodeJobs(second.id)).map((job) => [job.node, job.id]));
    expect(after.get('a')).toBe(before.get('a'));
    expect(after.get('b')).not.toBe(before.get('b'));
    const listed = (await harness.store.listNodeJobs('job')).map((job) => job.id);
    expect(listed.filter((id) => id === before.get('a'))).toHaveLength(1);
    // Artifacts flow from the kept node's recorded run and from the new run of b.
    const c = await harness.store.getNodeJob(second.id, 'c');
    expect(c?.ancestor_artifacts).toEqual({ from_a: 'run', from_b: 'run' });
    expect((await harness.store.getWorkflowJob(first.id))?.resumed_by).toBe(second.id);
  });

  it('leaves a kept node not reached again DNR, as AWX would', async () => {
    const first = await ran('Handled');
    // b failed and r handled it; `last` (the same flaky playbook) failed the job.
    expect(await nodes(first.id)).toEqual({
      b: 'failed',
      r: 'successful',
      c: 'dnr',
      a: 'successful',
      last: 'failed',
    });
    writeFileSync(FLAG, '');
    const second = await resumed(first.id);
    expect(second.status).toBe('successful');
    expect(await nodes(second.id)).toEqual({
      b: 'successful',
      r: 'dnr',
      c: 'successful',
      a: `successful kept from ${first.id}`,
      last: 'successful',
    });
  });

  it('runs again the nodes named by from, and everything below them', async () => {
    writeFileSync(FLAG, '');
    const first = await ran('Chain');
    rmSync(FLAG);
    // A successful job has nothing to resume.
    await expect(resumeWorkflowJob(harness, first.id, { from: ['b'] })).rejects.toThrow(
      `workflow job ${first.id} was successful: there is nothing to resume (relaunch it to run it again)`,
    );
    const failing = await ran('Chain');
    writeFileSync(FLAG, '');
    const second = await resumed(failing.id, ['a']);
    expect(second.resumes?.kept).toEqual([]);
    expect(await nodes(second.id)).toEqual({
      a: 'successful',
      b: 'successful',
      c: 'successful',
      e: 'successful',
    });
  });

  it('keeps an approved approval without asking again, and asks again for a denied one', async () => {
    approvals.asked = 0;
    approvals.answer = 'approved';
    const first = await ran('Gated');
    expect(await nodes(first.id)).toEqual({ gate: 'successful', b: 'failed' });
    writeFileSync(FLAG, '');
    const second = await resumed(first.id);
    expect(second.status).toBe('successful');
    expect(approvals.asked).toBe(1);
    approvals.answer = 'denied';
    const denied = await ran('Gated');
    expect(await nodes(denied.id)).toEqual({ gate: 'failed', b: 'dnr' });
    approvals.answer = 'approved';
    const third = await resumed(denied.id);
    expect(third.status).toBe('successful');
    expect(approvals.asked).toBe(3);
  });

  it('takes over the claim of a resume that never created its job', async () => {
    const first = await ran('Chain');
    // A resume that claimed the job, then died before creating its own.
    expect(await harness.store.claimResume(first.id, 999_999)).toBe(true);
    writeFileSync(FLAG, '');
    const second = await resumed(first.id);
    expect(second.status).toBe('successful');
    expect((await harness.store.getWorkflowJob(first.id))?.resumed_by).toBe(second.id);
  });

  it('runs a failed nested workflow node again whole', async () => {
    const first = await ran('Outer');
    expect(first.status).toBe('failed');
    writeFileSync(FLAG, '');
    const second = await resumed(first.id);
    expect(second.status).toBe('successful');
    expect(await nodes(second.id)).toEqual({ inner: 'successful' });
  });
});

describe('a resume is refused, creating nothing,', () => {
  async function refused(id: number, from?: string[]): Promise<Error> {
    const before = (await harness.store.listWorkflowJobs()).length;
    const error = (await resumeWorkflowJob(harness, id, { from }).catch((e: unknown) => e)) as Error;
    expect((await harness.store.listWorkflowJobs()).length).toBe(before);
    return error;
  }

  it('for a job that does not exist, or that the API does not show', async () => {
    expect(await refused(999_999)).toBeInstanceOf(NotFoundError);
  });

  it('for a running job, and for a nested job', async () => {
    const running = await harness.launch('Gated');
    // The gate waits for its answer: the job runs.
    approvals.answer = 'approved';
    const error = await refused(running.id);
    expect(error).toBeInstanceOf(StateConflictError);
    expect(error.message).toMatch(
      new RegExp(`^workflow job ${running.id} is (pending|running): it can be resumed once it has ended$`),
    );
    await harness.execution.finished(running.id);
    const outer = await ran('Outer');
    const inner = (await harness.store.getNodeJob(outer.id, 'inner'))!.id!;
    expect((await refused(inner)).message).toBe(
      `workflow job ${inner} runs inside workflow job ${outer.id} (node 'inner'): resume that one`,
    );
  });

  it('for a node that is not in the workflow', async () => {
    const failed = await ran('Chain');
    const error = await refused(failed.id, ['a', 'nope']);
    expect(error).toBeInstanceOf(InvalidError);
    expect((error as InvalidError).fields).toEqual({ from: ["'nope' is not a node of workflow 'Chain'."] });
  });

  it('for the second of two resumes of one job at once, and for any later one', async () => {
    const failed = await ran('Chain');
    writeFileSync(FLAG, '');
    const both = await Promise.allSettled([
      resumeWorkflowJob(harness, failed.id),
      resumeWorkflowJob(harness, failed.id),
    ]);
    const won = both.find((result) => result.status === 'fulfilled');
    const lost = both.find((result) => result.status === 'rejected');
    expect(won && lost).toBeTruthy();
    const winner = (won as PromiseFulfilledResult<WorkflowJobRecord>).value.id;
    expect((lost as PromiseRejectedResult).reason).toEqual(
      new StateConflictError(
        `workflow job ${failed.id} was resumed already, by workflow job ${winner}: resume that one`,
      ),
    );
    await harness.execution.finished(winner);
    expect((await refused(failed.id)).message).toContain(`resumed already, by workflow job ${winner}`);
  });

  it('for a job whose definitions are gone, naming them', async () => {
    const id = await harness.store.nextJobId();
    await harness.store.createWorkflowJob({
      id,
      name: 'Vanished',
      workflow_job_template: null,
      status: 'failed',
      launch_type: 'manual',
      launched_by: null,
      extra_vars: {},
      allow_simultaneous: false,
      base_dir: harness.dir,
      created: new Date().toISOString(),
    });
    const error = await refused(id);
    expect(error).toBeInstanceOf(StateConflictError);
    expect(error.message).toBe(
      `workflow job ${id} cannot be resumed: the definitions it ran with (workflow job template 'Vanished' and what its nodes run) are gone`,
    );
  });
});
