import { localCatalog } from '../test/support/local-catalog';
import { startBenchServe } from './api';
import type { ApiClient } from './support/http-load';
import { median, print } from './support/report';

/**
 * An approval decision to the next node: a real `towerless serve`, a workflow Gate → Deploy (a
 * one-task playbook); each run waits at the gate, the bench approves it through the API, and the
 * figure is the approve call sent to the `started` the runner records on Deploy's job. Runs one
 * at a time on an otherwise idle server; both clocks are this machine's.
 */
const V2 = '/api/v2';
const RUNS = 20;
const FINISHED = new Set(['successful', 'failed', 'error', 'canceled']);

type Obj = Record<string, unknown> & { id: number };
type Page = { results: Obj[] };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function gatedWorkflow(api: ApiClient): Promise<number> {
  const { organization, project, inventory } = await localCatalog(api);
  const deploy = await api.json<Obj>('POST', `${V2}/job_templates/`, {
    name: 'Deploy',
    project,
    inventory,
    playbook: 'fast.yml',
  });
  const workflow = await api.json<Obj>('POST', `${V2}/workflow_job_templates/`, {
    name: 'Gated',
    organization,
  });
  const node = (identifier: string, extra: Record<string, unknown> = {}) =>
    api.json<Obj>('POST', `${V2}/workflow_job_templates/${workflow.id}/workflow_nodes/`, {
      identifier,
      ...extra,
    });
  const gate = await node('gate');
  await api.json('POST', `${V2}/workflow_job_template_nodes/${gate.id}/create_approval_template/`, {
    name: 'Go?',
  });
  const next = await node('deploy', { unified_job_template: deploy.id });
  await api.json('POST', `${V2}/workflow_job_template_nodes/${gate.id}/success_nodes/`, { id: next.id }, 204);
  return workflow.id;
}

async function pendingApproval(api: ApiClient, job: number): Promise<number> {
  for (;;) {
    const page = await api.json<Page>('GET', `${V2}/workflow_approvals/?status=pending`);
    const found = page.results.find(
      (a) => (a.summary_fields as { source_workflow_job: Obj }).source_workflow_job.id === job,
    );
    if (found) return found.id;
    await sleep(20);
  }
}

/** The job of node `identifier` once the workflow job has finished. */
async function nodeJob(api: ApiClient, workflowJob: number, identifier: string): Promise<Obj> {
  while (!FINISHED.has((await api.json<Obj>('GET', `${V2}/workflow_jobs/${workflowJob}/`)).status as string))
    await sleep(50);
  const nodes = await api.json<Page>('GET', `${V2}/workflow_jobs/${workflowJob}/workflow_nodes/`);
  const node = nodes.results.find((n) => n.identifier === identifier)!;
  return api.json<Obj>('GET', `${V2}/jobs/${node.job as number}/`);
}

export async function approvalBenchmarks(): Promise<void> {
  const serve = await startBenchServe();
  try {
    const workflow = await gatedWorkflow(serve.api);
    const latencies: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const job = (await serve.api.json<Obj>('POST', `${V2}/workflow_job_templates/${workflow}/launch/`, {}))
        .id;
      const approval = await pendingApproval(serve.api, job);
      const sent = Date.now();
      await serve.api.call('POST', `${V2}/workflow_approvals/${approval}/approve/`, {});
      const deploy = await nodeJob(serve.api, job, 'deploy');
      if (deploy.status !== 'successful') throw new Error(`job ${deploy.id} ended ${String(deploy.status)}`);
      if (i > 0) latencies.push(Date.parse(deploy.started as string) - sent); // the first warms up
    }
    print({
      name: 'approval_decision_to_next_node_ms_p50',
      value: median(latencies),
      unit: `ms (median of ${RUNS}: approve sent to the next node job's recorded \`started\`)`,
    });
  } finally {
    await serve.stop();
  }
}
