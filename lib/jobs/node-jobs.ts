import type { Bundle, WorkflowJobTemplate, WorkflowNode } from '../model/types';
import type { JobStore } from '../store/job-store';
import type { NodeJobRecord, NodeJobStatus, WorkflowJobRecord } from '../store/records';
import { inheritedArtifacts } from './ancestor-artifacts';
import { LOST_ATTEMPT } from './explanations';
import { isFinished } from './job-status';
import { definitionsOfJob } from './workflow-jobs';

/**
 * The job of a workflow node: spawned when the node is reached (AWX creates it then, `pending`,
 * with the artifacts it inherits), its id set on the workflow job node, then run and ended.
 */
export interface NodeAddress {
  readonly bundle: Bundle;
  readonly workflowJob: number;
  /** The template of the workflow job the node belongs to. */
  readonly workflowName: string;
  readonly node: string;
}

/**
 * Creates the node's job with a new id (or `id`: a nested workflow node's job is the inner
 * workflow job), which the workflow job node then points at. A node without a template gets a
 * record without an id: it fails without any job (docs/semantics.md §1.2). A node that already
 * has a job is retrying: that job stays, as an earlier attempt.
 */
export async function spawnNodeJob(
  store: JobStore,
  address: NodeAddress,
  options: { readonly status: NodeJobStatus; readonly id?: number; readonly standalone?: true },
): Promise<NodeJobRecord> {
  const { workflow, node } = locate(address);
  const [id, siblings] = await Promise.all([
    node.unified_job_template ? (options.id ?? store.nextJobId()) : null,
    store.nodeJobs(address.workflowJob),
  ]);
  const now = new Date().toISOString();
  // A node that runs again (it retries) keeps its earlier attempt's job, listed under its id; one
  // that never recorded its end (its runner was lost) ended with the attempt.
  const earlier = siblings.find((sibling) => sibling.node === node.identifier);
  if (earlier)
    await store.archiveNodeJob(
      isFinished(earlier.status)
        ? earlier
        : { ...earlier, status: 'error', finished: now, job_explanation: LOST_ATTEMPT },
    );
  const record: NodeJobRecord = {
    id,
    workflowJob: address.workflowJob,
    node: node.identifier,
    kind: node.unified_job_template?.type ?? 'missing',
    template: node.unified_job_template?.name ?? null,
    status: options.status,
    created: now,
    ...(options.status === 'pending' ? {} : { started: now }),
    artifacts: {},
    // Artifacts flow through every kind of node (§4.2): each records what it inherited.
    ancestor_artifacts: inheritedArtifacts(workflow, node, siblings),
    ...(options.standalone ? { standalone: true } : {}),
    ...(earlier ? { attempt: (earlier.attempt ?? 1) + 1 } : {}),
  };
  // From now on the workflow job node's `job` is this record's id (the store reads it from here).
  await store.createNodeJob(record);
  return record;
}

/**
 * The job of a node about to run: spawned now, or, for the one node of a standalone launch
 * (a job template launched on its own), the job spawned with the launch, whose id the client has.
 */
export async function jobToRun(
  store: JobStore,
  address: NodeAddress,
  workflowJob: WorkflowJobRecord,
): Promise<NodeJobRecord> {
  const spawned = workflowJob.standalone && (await store.getNodeJob(address.workflowJob, address.node));
  return spawned || spawnNodeJob(store, address, { status: 'pending' });
}

/** Ends a node job the runner does not run (approvals, nested workflows, rejected nodes). */
export async function endNodeJob(
  store: JobStore,
  address: Omit<NodeAddress, 'bundle' | 'workflowName'>,
  update: Partial<NodeJobRecord> & { readonly status: NodeJobStatus },
): Promise<NodeJobRecord> {
  const current = await store.getNodeJob(address.workflowJob, address.node);
  if (!current) throw new Error(`node ${address.node} of workflow job ${address.workflowJob} has no job`);
  const finished = new Date().toISOString();
  const started = current.started ?? current.created ?? finished;
  const record: NodeJobRecord = {
    ...current,
    ...update,
    started,
    finished,
    elapsed: (Date.parse(finished) - Date.parse(started)) / 1000,
  };
  await store.putNodeJob(record);
  return record;
}

/** The address of a node of a stored workflow job, with the definitions it runs with. */
export async function nodeAddress(store: JobStore, workflowJob: number, node: string): Promise<NodeAddress> {
  const job = await store.getWorkflowJob(workflowJob);
  const bundle = job && (await definitionsOfJob(store, job));
  if (!job || !bundle) throw new Error(`workflow job ${workflowJob} has no saved definitions`);
  return { bundle, workflowJob, workflowName: job.name, node };
}

export function locate(address: NodeAddress): { workflow: WorkflowJobTemplate; node: WorkflowNode } {
  const workflow = address.bundle.workflow_job_templates.find((w) => w.name === address.workflowName);
  const node = workflow?.workflow_nodes.find((n) => n.identifier === address.node);
  if (!workflow || !node)
    throw new Error(`workflow '${address.workflowName}' has no node '${address.node}' in its definitions`);
  return { workflow, node };
}
