import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionHarness, LOCALHOST, type ExecutionHarness } from '../support/execution';

/**
 * docs/semantics.md §13.12 with real playbooks: a node whose job fails runs again as often as
 * its `max_retries` allows; every attempt is a job record, listed and found by its id, and the
 * node's job, with its artifacts, is the attempt that decided the outcome.
 */
const COUNTER = join(tmpdir(), `towerless-retries-${process.pid}`);

/** Fails until its third run, counting runs in a file; each run records its number. */
const FLAKY = `- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.shell: n=$(cat ${COUNTER} 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${COUNTER}; echo $n
      register: counted
    - ansible.builtin.set_stats: { data: { run: "{{ counted.stdout }}" } }
    - ansible.builtin.fail: { msg: "run {{ counted.stdout }} fails" }
      when: counted.stdout | int < 3
`;

const BUNDLE = `${LOCALHOST}
job_templates:
  - { name: Flaky, project: P, inventory: I, playbook: flaky.yml }
workflow_job_templates:
  - name: Patient
    workflow_nodes:
      - { identifier: flaky, unified_job_template: Flaky, max_retries: 2, retry_delay: 1, retry_backoff_rate: 1.5 }
  - name: Impatient
    workflow_nodes:
      - { identifier: flaky, unified_job_template: Flaky, max_retries: 1, retry_delay: 1, failure_nodes: [after] }
      - { identifier: after, unified_job_template: Flaky }
`;

let harness: ExecutionHarness;
beforeAll(async () => {
  harness = await executionHarness(BUNDLE, { playbooks: { 'flaky.yml': FLAKY } });
});
afterAll(() => harness.close());

async function finished(workflow: string) {
  rmSync(COUNTER, { force: true });
  const job = await harness.launch(workflow);
  return (await harness.execution.finished(job.id))!;
}

describe('node retries', () => {
  it('runs a failing job again until it succeeds; each attempt is a job of its own', async () => {
    const job = await finished('Patient');
    expect(job.status).toBe('successful');
    const node = await harness.store.getNodeJob(job.id, 'flaky');
    expect(node).toMatchObject({ status: 'successful', attempt: 3, artifacts: { run: '3' } });
    const attempts = (await harness.store.listNodeJobs('job')).filter((each) => each.workflowJob === job.id);
    expect(attempts.map((each) => [each.attempt ?? 1, each.status, each.artifacts])).toEqual([
      [1, 'failed', { run: '1' }],
      [2, 'failed', { run: '2' }],
      [3, 'successful', { run: '3' }],
    ]);
    // An earlier attempt is found by its id; the workflow job node points at the last one.
    expect(await harness.store.findNodeJob(attempts[0].id!)).toMatchObject({ attempt: 1, status: 'failed' });
    const [workflowNode] = await harness.store.workflowJobNodes(job.id);
    expect(workflowNode.job).toBe(attempts[2].id);
  });

  it('ends failed when the retries run out, and then follows the failure edge', async () => {
    const job = await finished('Impatient');
    expect(job.status).toBe('successful');
    expect(await harness.store.getNodeJob(job.id, 'flaky')).toMatchObject({ status: 'failed', attempt: 2 });
    // The third run of the playbook is the failure handler's, which succeeds.
    expect(await harness.store.getNodeJob(job.id, 'after')).toMatchObject({ status: 'successful' });
  });
});
