import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListStateMachineVersionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployedExecution, deployedRuntime, type DeployedRuntime } from '../../lib/aws/deployed-runtime';
import { isFinished } from '../../lib/jobs/job-status';
import { launchWorkflow } from '../../lib/launch/launch-workflow';
import { resumeWorkflowJob } from '../../lib/launch/resume-workflow';
import { loadBundle } from '../../lib/model';
import type { Bundle } from '../../lib/model/types';
import { DeploymentRecords } from '../../lib/store/deployment-records';
import type { WorkflowJobRecord } from '../../lib/store/records';
import { bundleOf } from '../support/bundles';
import { until } from '../support/eventually';
import { gitProject } from '../support/git-project';
import { startAwsTwin, type AwsTwin } from '../twins/aws-twin';
import {
  guideRunnerFolder,
  inProcessRunTask,
  invokeByArn,
  keepGuideSecrets,
  loadHandlers,
  type FunctionHandler,
} from '../twins/deployed-functions';
import { lambdaContext } from '../twins/lambda-context';

/**
 * The deployed code path on the AWS twin: workflow jobs start as executions of machines the
 * deployer publishes, the machines call the record, approval and sync handlers of lambdas/ as
 * Step Functions would, the lifecycle handler hears every execution's end, and each job node runs
 * the runner's entrypoint (in this process) with real playbooks, reporting to its task token.
 */
const root = join(__dirname, '../..');
const guide = join(root, 'examples/guide');
let twin: AwsTwin;
let runtime: DeployedRuntime;
let bundle: Bundle;
const runnerLines: string[] = [];

beforeAll(async () => {
  const workDir = guideRunnerFolder();
  let handlers: Record<string, FunctionHandler> = {};
  twin = await startAwsTwin({
    invokeFunction: (arn, payload) => invokeByArn(handlers)(arn, payload),
    runTask: inProcessRunTask(workDir, (_task, line) => runnerLines.push(line)),
    onExecutionStatusChange: (event) => void handlers.lifecycle(event, lambdaContext('lifecycle')),
  });
  handlers = await loadHandlers(['record', 'approval', 'sync', 'lifecycle']);
  await keepGuideSecrets(twin.secrets);
  runtime = await deployedRuntime();
  bundle = loadBundle(guide).bundle;
}, 60_000);

afterAll(async () => {
  await twin?.close();
});

/** Answers to the Full Deployment Pipeline's survey. */
const SURVEY = { extra_vars: { app_version: '2.4.1', target_env: 'staging' } };

async function launch(workflow: string, body: object = {}, definitions = bundle): Promise<WorkflowJobRecord> {
  const execution = deployedExecution(runtime, process.env);
  return launchWorkflow(
    { store: runtime.store, execution },
    { bundle: definitions, baseDir: guide, workflow, body },
  );
}

/** A bundle of project `P` (the git repository `repo`) and inventory `I` (this machine), then `rest`. */
function gitBundle(repo: { readonly url: string }, rest: string): Bundle {
  return bundleOf(`projects: [{ name: P, scm_type: git, scm_url: ${repo.url} }]
inventories: [{ name: I, hosts: { localhost: { ansible_connection: local, ansible_python_interpreter: /usr/bin/python3 } } }]
${rest}`);
}

/** A playbook on localhost running `tasks` (YAML list items, each starting with `- `). */
function localPlaybook(tasks: string): string {
  return `- hosts: localhost\n  gather_facts: false\n  tasks:\n${tasks.replace(/^/gm, '    ')}\n`;
}

async function nodeStatuses(id: number): Promise<Record<string, string>> {
  return Object.fromEntries((await runtime.store.nodeJobs(id)).map((node) => [node.node, node.status]));
}

async function ended(id: number): Promise<WorkflowJobRecord> {
  return until(async () => {
    const job = await runtime.store.getWorkflowJob(id);
    return job && isFinished(job.status) ? job : undefined;
  }, 120_000);
}

describe('the deployed path on the AWS twin', () => {
  it('runs the Full Deployment Pipeline: machines published with a live alias, real playbooks, the end recorded by the machine', async () => {
    const job = await launch('Full Deployment Pipeline', SURVEY);
    const done = await ended(job.id);
    expect(done.status).toBe('successful');
    const nodes = await runtime.store.nodeJobs(job.id);
    expect(nodes.every((node) => node.status === 'successful')).toBe(true);
    const deployment = await new DeploymentRecords(runtime.table).get('Full Deployment Pipeline');
    expect(deployment).toMatchObject({
      error: null,
      versionArn: expect.stringMatching(/:stateMachine:towerless-.*:1$/),
    });
    // A second launch of the unchanged workflow publishes nothing new.
    const again = await ended((await launch('Full Deployment Pipeline', SURVEY)).id);
    expect(again.status).toBe('successful');
    expect((await new DeploymentRecords(runtime.table).get('Full Deployment Pipeline'))!.versionArn).toBe(
      deployment!.versionArn,
    );
  }, 180_000);

  it('runs nested workflows: each inner job spawned by the machine, its end and artifacts on the outer node', async () => {
    const job = await launch('Multi-Region Deployment');
    expect((await ended(job.id)).status).toBe('successful');
    const outer = await runtime.store.nodeJobs(job.id);
    const nested = outer.filter((node) => node.kind === 'workflow_job_template');
    expect(nested.length).toBeGreaterThan(0);
    for (const node of nested) {
      expect(node.status).toBe('successful');
      const inner = await runtime.store.getWorkflowJob(node.id!);
      expect(inner).toMatchObject({ status: 'successful', parent: { workflowJob: job.id, node: node.node } });
    }
  }, 180_000);

  it('waits at an approval until it is approved, then goes on', async () => {
    const job = await launch('Production Deployment with Approval');
    const approval = await until(
      async () =>
        (await runtime.store.listApprovals()).find((a) => a.workflowJob === job.id && a.status === 'pending'),
      120_000,
    );
    expect(approval.task_token).toMatch(/^AQ/);
    await deployedExecution(runtime, process.env).approve(approval.id, null, 'link');
    expect((await ended(job.id)).status).toBe('successful');
    expect((await runtime.store.getApproval(approval.id))!.status).toBe('approved');
  }, 180_000);

  it('synchronises lanes through the table: the N shape runs each node once, when its parents have ended', async () => {
    const repo = gitProject({
      'ok.yml': localPlaybook('- ansible.builtin.debug: { msg: ok }'),
      'bad.yml': localPlaybook('- ansible.builtin.fail: { msg: boom }'),
    });
    // a→c, b→c, b→d is not series-parallel: two lanes and a synchronisation task (lib/compiler/plan.ts).
    const shaped = gitBundle(
      repo,
      `job_templates:
  - { name: Ok, project: P, inventory: I, playbook: ok.yml }
  - { name: Bad, project: P, inventory: I, playbook: bad.yml }
workflow_job_templates:
  - name: N
    workflow_nodes:
      - { identifier: a, unified_job_template: Ok, success_nodes: [c] }
      - { identifier: b, unified_job_template: Bad, failure_nodes: [c, d] }
      - { identifier: c, unified_job_template: Ok, all_parents_must_converge: true }
      - { identifier: d, unified_job_template: Ok }
`,
    );
    const job = await launch('N', {}, shaped);
    expect((await ended(job.id)).status).toBe('successful');
    expect(await nodeStatuses(job.id)).toEqual({
      a: 'successful',
      b: 'failed',
      c: 'successful',
      d: 'successful',
    });
    // The lifecycle function deletes the execution's sync items (task tokens with them).
    const syncItems = async () =>
      (
        await runtime.table.client.send(new ScanCommand({ TableName: runtime.table.tableName }))
      ).Items?.filter((item) => item.pk.S?.startsWith('SYNC#')) ?? [];
    await until(async () => ((await syncItems()).length === 0 ? true : undefined), 10_000);
  }, 120_000);

  it("releases what follows an ALL join AWX skips early, while the join's other parent still runs", async () => {
    // a succeeds, so its failure edge does not fire: c (ALL of a and b) is skipped at once and x
    // (after a and c) runs while b still runs. b waits for x to have started: were x held until
    // the fork of a and b ended, b would time out and fail (docs/semantics.md §1.5).
    const started = join(guideRunnerFolder(), `early-x-${process.pid}`);
    const repo = gitProject({
      'ok.yml': localPlaybook('- ansible.builtin.debug: { msg: ok }'),
      'x.yml': localPlaybook(`- ansible.builtin.file: { path: "${started}", state: touch }`),
      'b.yml': localPlaybook(`- ansible.builtin.wait_for: { path: "${started}", timeout: 60 }`),
    });
    const early = gitBundle(
      repo,
      `job_templates:
  - { name: Ok, project: P, inventory: I, playbook: ok.yml }
  - { name: X, project: P, inventory: I, playbook: x.yml }
  - { name: B, project: P, inventory: I, playbook: b.yml }
workflow_job_templates:
  - name: Early
    workflow_nodes:
      - { identifier: a, unified_job_template: Ok, failure_nodes: [c], success_nodes: [x] }
      - { identifier: b, unified_job_template: B, success_nodes: [c] }
      - { identifier: c, unified_job_template: Ok, all_parents_must_converge: true, success_nodes: [x] }
      - { identifier: x, unified_job_template: X }
`,
    );
    const job = await launch('Early', {}, early);
    expect((await ended(job.id)).status).toBe('successful');
    expect(await nodeStatuses(job.id)).toEqual({
      a: 'successful',
      b: 'successful',
      x: 'successful',
    });
  }, 120_000);

  it('resumes a failed job on a version of its own, deleted once its execution started', async () => {
    const flag = join(guideRunnerFolder(), `resume-flag-${process.pid}`);
    const repo = gitProject({
      'ok.yml': localPlaybook('- ansible.builtin.set_stats: { data: { ok: yes } }'),
      'flaky.yml': localPlaybook(
        `- ansible.builtin.stat: { path: "${flag}" }\n  register: flag\n- ansible.builtin.fail: { msg: not yet }\n  when: not flag.stat.exists`,
      ),
    });
    const flaky = gitBundle(
      repo,
      `job_templates:
  - { name: Ok, project: P, inventory: I, playbook: ok.yml }
  - { name: Flaky, project: P, inventory: I, playbook: flaky.yml }
workflow_job_templates:
  - name: Resumable
    workflow_nodes:
      - { identifier: a, unified_job_template: Ok, success_nodes: [b] }
      - { identifier: b, unified_job_template: Flaky, success_nodes: [c] }
      - { identifier: c, unified_job_template: Ok }
`,
    );
    const failed = await ended((await launch('Resumable', {}, flaky)).id);
    expect(failed.status).toBe('failed');
    writeFileSync(flag, '');
    const execution = deployedExecution(runtime, process.env);
    const resumed = await ended((await resumeWorkflowJob({ store: runtime.store, execution }, failed.id)).id);
    expect(resumed.status).toBe('successful');
    const nodes = await runtime.store.nodeJobs(resumed.id);
    expect(
      Object.fromEntries(nodes.map((node) => [node.node, [node.status, node.kept_from ?? null]])),
    ).toEqual({
      a: ['successful', failed.id],
      b: ['successful', null],
      c: ['successful', null],
    });
    expect(nodes.find((node) => node.node === 'c')?.ancestor_artifacts).toEqual({ ok: true });
    // The live version is the only one left: the resume's was deleted after it started.
    const deployment = await new DeploymentRecords(runtime.table).get('Resumable');
    const { stateMachineVersions } = await new SFNClient({}).send(
      new ListStateMachineVersionsCommand({ stateMachineArn: deployment!.stateMachineArn }),
    );
    expect(stateMachineVersions?.map((version) => version.stateMachineVersionArn)).toEqual([
      deployment!.versionArn,
    ]);
  }, 180_000);

  it('retries a failing node: the machine runs its task again, each container spawning the next attempt', async () => {
    const counter = join(guideRunnerFolder(), `retry-counter-${process.pid}`);
    const repo = gitProject({
      'flaky.yml': localPlaybook(
        `- ansible.builtin.shell: n=$(cat ${counter} 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${counter}; echo $n\n  register: counted\n- ansible.builtin.fail: { msg: not yet }\n  when: counted.stdout | int < 2`,
      ),
    });
    const retrying = gitBundle(
      repo,
      `job_templates:
  - { name: Flaky, project: P, inventory: I, playbook: flaky.yml }
workflow_job_templates:
  - name: Retrying
    workflow_nodes:
      - { identifier: flaky, unified_job_template: Flaky, max_retries: 3, retry_delay: 1 }
`,
    );
    const job = await ended((await launch('Retrying', {}, retrying)).id);
    expect(job.status).toBe('successful');
    const attempts = (await runtime.store.listNodeJobs('job')).filter((each) => each.workflowJob === job.id);
    expect(attempts.map((each) => [each.attempt ?? 1, each.status])).toEqual([
      [1, 'failed'],
      [2, 'successful'],
    ]);
  }, 180_000);
});
