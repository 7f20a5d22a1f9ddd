import type { Bundle, Vars, WorkflowJobTemplate, WorkflowPrompts } from '../model/types';
import { separateSecrets, workflowJobVars } from '../semantics/variables';
import type { JobStore } from '../store/job-store';
import type {
  Actor,
  LaunchType,
  ScheduleRef,
  WorkflowJobNodeRecord,
  WorkflowJobRecord,
  WorkflowJobStatus,
} from '../store/records';
import { NO_ERROR_HANDLING, WORKFLOW_CANCELED } from './explanations';
import { reachablePasswordVariables } from './password-variables';

/**
 * A workflow job from creation to its end (docs/semantics.md §2.4): created `pending` (a launch)
 * or `running` (a nested job), with a node record for every node of its template as AWX creates
 * them; started; ended once, whoever ends it first, its never-run nodes then marked DNR.
 */
export interface NewWorkflowJob {
  readonly id: number;
  readonly bundle: Bundle;
  readonly workflow: WorkflowJobTemplate;
  /** Launch variables the workflow accepted (docs/semantics.md §4.4, or §4.2 for a nested job). */
  readonly launchVars: Vars;
  /** Keys that are secrets wherever they come from (an outer job's password answers). */
  readonly inheritedSecrets?: readonly string[];
  readonly prompts: WorkflowPrompts;
  readonly labels?: WorkflowJobRecord['labels'];
  readonly status: 'pending' | 'running';
  readonly launchType: LaunchType;
  readonly launchedBy: Actor | null;
  readonly schedule?: ScheduleRef;
  readonly workflowJobTemplate: number | null;
  readonly baseDir: string;
  readonly parent?: WorkflowJobRecord['parent'];
  readonly standalone?: WorkflowJobRecord['standalone'];
  readonly resumes?: WorkflowJobRecord['resumes'];
}

/** Creates the job and its nodes; resolves with the record without its sealed values. */
export async function createWorkflowJob(store: JobStore, job: NewWorkflowJob): Promise<WorkflowJobRecord> {
  const created = new Date().toISOString();
  // §4.1 and §6.3: the job's own vars, with every password in the workflow's reach sealed.
  const { shown, secret } = separateSecrets(workflowJobVars(job.workflow, job.launchVars), [
    ...reachablePasswordVariables(job.bundle, job.workflow),
    ...(job.inheritedSecrets ?? []),
  ]);
  const record: WorkflowJobRecord = {
    id: job.id,
    name: job.workflow.name,
    workflow_job_template: job.workflowJobTemplate,
    status: job.status,
    launch_type: job.launchType,
    launched_by: job.launchedBy,
    ...(job.schedule ? { schedule: job.schedule } : {}),
    extra_vars: shown,
    secret_vars: secret,
    prompts: job.prompts,
    ...(job.labels?.length ? { labels: job.labels } : {}),
    allow_simultaneous: job.workflow.allow_simultaneous,
    base_dir: job.baseDir,
    ...(job.parent ? { parent: job.parent } : {}),
    ...(job.standalone ? { standalone: job.standalone } : {}),
    ...(job.resumes ? { resumes: job.resumes } : {}),
    created,
    ...(job.status === 'running' ? { started: created } : {}),
  };
  // The nodes first: a workflow job is visible only once whole.
  await store.putWorkflowJobNodes(await nodeRecords(store, job.id, job.workflow, created));
  await store.createWorkflowJob(record);
  // What a caller may show: the sealed answers stay with the store (and the runner).
  const { secret_vars: _sealed, ...visible } = record;
  return visible;
}

async function nodeRecords(
  store: JobStore,
  workflowJob: number,
  workflow: WorkflowJobTemplate,
  created: string,
): Promise<WorkflowJobNodeRecord[]> {
  // Ascending in declaration order, as AWX creates them (§4.3 merges artifacts in this order).
  const ids = await store.nextNodeIds(workflow.workflow_nodes.length);
  return workflow.workflow_nodes.map((node, index) => ({
    id: ids[index],
    workflowJob,
    identifier: node.identifier,
    unified_job_template: node.unified_job_template,
    job: null,
    do_not_run: false,
    success_nodes: node.success_nodes,
    failure_nodes: node.failure_nodes,
    always_nodes: node.always_nodes,
    all_parents_must_converge: node.all_parents_must_converge,
    created,
  }));
}

/**
 * A workflow job's variables as its jobs see them: its extra vars with the survey passwords the
 * store sealed in place of their `$encrypted$` (only a record read back with them opened has them).
 */
export function openedVars(job: Pick<WorkflowJobRecord, 'extra_vars' | 'secret_vars'>): Vars {
  return { ...job.extra_vars, ...job.secret_vars };
}

/** pending → running; false when it is no longer pending (canceled before it could start). */
export function startWorkflowJob(store: JobStore, id: number): Promise<boolean> {
  return store.startWorkflowJob(id, new Date().toISOString());
}

/**
 * Ends a workflow job with `status` unless it has ended already (then false, nothing changed).
 * A failed workflow job carries AWX's explanation unless another is given; a canceled one when
 * the cancel was asked for (default: now); the nodes that never ran are marked DNR.
 */
export async function finishWorkflowJob(
  store: JobStore,
  id: number,
  status: Exclude<WorkflowJobStatus, 'pending' | 'running'>,
  options: { explanation?: string; canceledOn?: string } = {},
): Promise<boolean> {
  const explanation = options.explanation ?? (status === 'failed' ? NO_ERROR_HANDLING : undefined);
  // The nodes first, as at creation: whoever reads the final status also reads how each node
  // ended. A caller that loses the race below writes what the winner writes.
  if (status === 'error' || status === 'canceled')
    await endOpenNodeJobs(store, id, status, explanation ?? (status === 'canceled' ? WORKFLOW_CANCELED : ''));
  await markNotRun(store, id);
  const finished = new Date().toISOString();
  return store.finishWorkflowJob(id, {
    status,
    finished,
    ...(explanation ? { job_explanation: explanation } : {}),
    ...(status === 'canceled' ? { canceled_on: options.canceledOn ?? finished } : {}),
  });
}

/**
 * A workflow job ended from outside its run (canceled before it started, or left by a process
 * that died) ends the node jobs still pending or running with it, and its waiting approvals.
 */
async function endOpenNodeJobs(
  store: JobStore,
  id: number,
  status: 'error' | 'canceled',
  explanation: string,
): Promise<void> {
  const finished = new Date().toISOString();
  for (const node of await store.nodeJobs(id)) {
    if (node.status !== 'pending' && node.status !== 'running') continue;
    if (node.kind === 'workflow_approval' && node.id !== null)
      await store.decideApproval(node.id, { status: 'canceled', by: null, at: finished });
    await store.putNodeJob({ ...node, status, finished, job_explanation: explanation });
  }
}

/** docs/semantics.md §1.6: what is left without a job when the workflow job ends is DNR. */
async function markNotRun(store: JobStore, id: number): Promise<void> {
  const reached = new Set((await store.nodeJobs(id)).map((job) => job.node));
  const nodes = await store.workflowJobNodes(id);
  await store.putWorkflowJobNodes(
    nodes
      .filter((node) => !reached.has(node.identifier) && !node.do_not_run)
      .map((node) => ({ ...node, do_not_run: true })),
  );
}

/**
 * The definitions a workflow job runs with: saved with the launched job, and shared by the
 * nested jobs inside it.
 */
export async function definitionsOf(store: JobStore, id: number): Promise<Bundle | undefined> {
  const job = await store.getWorkflowJob(id);
  return job && definitionsOfJob(store, job);
}

/** The same, for a workflow job already read. */
export async function definitionsOfJob(store: JobStore, job: WorkflowJobRecord): Promise<Bundle | undefined> {
  for (let current: WorkflowJobRecord | undefined = job; current;) {
    if (!current.parent) return store.getDefinitions(current.id);
    current = await store.getWorkflowJob(current.parent.workflowJob);
  }
  return undefined;
}
