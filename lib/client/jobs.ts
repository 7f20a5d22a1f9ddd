import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../errors';
import type { ApiObject, AwxClient } from './awx-client';

/** A workflow job as AWX shows it (the fields the commands read). */
export interface WorkflowJob extends ApiObject {
  readonly name: string;
  readonly status: string;
  readonly failed: boolean;
  readonly started: string | null;
  readonly finished: string | null;
  readonly elapsed: number;
}

/** A node of a workflow job, as AWX shows it. */
export interface WorkflowJobNode extends ApiObject {
  readonly identifier: string;
  readonly job: number | null;
  readonly do_not_run: boolean;
  readonly summary_fields?: {
    readonly job?: { readonly status?: string; readonly type?: string };
    readonly unified_job_template?: { readonly name?: string; readonly unified_job_type?: string };
  };
}

/** AWX's statuses of a job that has ended. */
const FINISHED = new Set(['successful', 'failed', 'error', 'canceled']);

export function isFinished(status: string): boolean {
  return FINISHED.has(status);
}

/** The workflow job template of that name (the launch target). */
export async function findWorkflowTemplate(client: AwxClient, name: string): Promise<ApiObject> {
  const found = await client.list('/workflow_job_templates/', { name });
  if (found.length === 1) return found[0];
  if (found.length === 0)
    throw new UserError(`no workflow job template named '${name}' on ${client.connection.url}`);
  throw new UserError(
    `${found.length} workflow job templates are named '${name}' (one per organization): ` +
      `launch one by its id with the API (${found.map((t) => t.id).join(', ')})`,
  );
}

/** `POST /workflow_job_templates/<id>/launch/`: the new workflow job's id. */
export async function launchWorkflow(
  client: AwxClient,
  template: ApiObject,
  extraVars: Readonly<Record<string, unknown>>,
): Promise<number> {
  const body = Object.keys(extraVars).length > 0 ? { extra_vars: extraVars } : {};
  const launched = await client.post<{ workflow_job?: number; id: number }>(
    `/workflow_job_templates/${template.id}/launch/`,
    body,
    `launch of '${String(template.name)}'`,
  );
  return launched.workflow_job ?? launched.id;
}

export function workflowJob(client: AwxClient, id: number): Promise<WorkflowJob> {
  return client.get<WorkflowJob>(`/workflow_jobs/${id}/`, `workflow job ${id}`);
}

export function workflowJobNodes(client: AwxClient, id: number): Promise<WorkflowJobNode[]> {
  return client.list<WorkflowJobNode>(`/workflow_jobs/${id}/workflow_nodes/`, {}, `workflow job ${id}`);
}

/** `POST /workflow_approvals/<id>/approve/` (or `deny/`). */
export async function decideApproval(
  client: AwxClient,
  id: number,
  decision: 'approve' | 'deny',
): Promise<void> {
  await client.post(`/workflow_approvals/${id}/${decision}/`, {}, `workflow approval ${id}`);
}

export async function cancelWorkflowJob(client: AwxClient, id: number): Promise<void> {
  await client.post(`/workflow_jobs/${id}/cancel/`, {}, `workflow job ${id}`);
}

/** `POST /workflow_jobs/<id>/relaunch/`: the new workflow job's id. */
export async function relaunchWorkflowJob(client: AwxClient, id: number): Promise<number> {
  const relaunched = await client.post<{ workflow_job?: number; id: number }>(
    `/workflow_jobs/${id}/relaunch/`,
    {},
    `workflow job ${id}`,
  );
  return relaunched.workflow_job ?? relaunched.id;
}

/** `POST /api/towerless/workflow_jobs/<id>/resume/`: the resuming workflow job's id. */
export async function resumeWorkflowJob(
  client: AwxClient,
  id: number,
  from: readonly string[],
): Promise<number> {
  const resumed = await client.postTowerless<{ id: number }>(
    `/workflow_jobs/${id}/resume/`,
    from.length > 0 ? { from } : {},
    `resume of workflow job ${id}`,
  );
  return resumed.id;
}

/** A node's state in words: its job's status, `dnr` (will not run), or undefined before it starts. */
export function nodeStatus(node: WorkflowJobNode): string | undefined {
  if (node.do_not_run) return 'dnr';
  if (node.job === null) return undefined;
  return node.summary_fields?.job?.status ?? 'pending';
}

/**
 * Polls a workflow job and its nodes until the job ends, telling `onNode` of every node whose
 * state changed since the last poll (in the order the API lists them). Resolves to the ended job.
 */
export async function monitorWorkflowJob(
  client: AwxClient,
  id: number,
  onNode: (node: WorkflowJobNode, status: string) => void,
  intervalMs = 1000,
): Promise<WorkflowJob> {
  const seen = new Map<number, string>();
  for (;;) {
    // The job first: nodes read after it ended are final.
    const job = await workflowJob(client, id);
    for (const node of await workflowJobNodes(client, id)) {
      const status = nodeStatus(node);
      if (status === undefined || seen.get(node.id) === status) continue;
      seen.set(node.id, status);
      onNode(node, status);
    }
    if (isFinished(job.status)) return job;
    await sleep(intervalMs);
  }
}
