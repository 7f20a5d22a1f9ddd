import type { Bundle } from '../model/types';
import { nestedWorkflowPrompts } from '../semantics/prompts';
import { nestedEffectiveArtifacts, nestedWorkflowLaunchVars } from '../semantics/variables';
import type { JobStore } from '../store/job-store';
import type { WorkflowJobRecord } from '../store/records';
import { inheritedArtifacts } from './ancestor-artifacts';
import { endNodeJob, locate, spawnNodeJob } from './node-jobs';
import { createWorkflowJob, finishWorkflowJob, openedVars } from './workflow-jobs';

/**
 * A nested workflow job (docs/semantics.md §5): the job of a node whose template is a workflow.
 * Its launch variables and prompts come from the outer job and node (§4.2), it shares the outer
 * job's definitions, and its end is the node's outcome, with the artifacts of its jobs.
 */
export interface NestedWorkflowJob {
  readonly bundle: Bundle;
  /** The nested workflow job's id (from the unified job sequence). */
  readonly id: number;
  /** The inner workflow template. */
  readonly workflowName: string;
  readonly parent: { readonly workflowJob: number; readonly workflowName: string; readonly node: string };
}

/** Creates the nested job, `running`, or `failed` at once with `rejection` (recursion, §5). */
export async function createNestedWorkflowJob(
  store: JobStore,
  nested: NestedWorkflowJob,
  rejection?: string,
): Promise<WorkflowJobRecord> {
  const { bundle, parent } = nested;
  const outer = await store.getWorkflowJob(parent.workflowJob);
  if (!outer) throw new Error(`workflow job ${parent.workflowJob} does not exist`);
  const inner = bundle.workflow_job_templates.find((w) => w.name === nested.workflowName);
  if (!inner) throw new Error(`workflow '${nested.workflowName}' is not in the definitions`);
  const address = {
    bundle,
    workflowJob: parent.workflowJob,
    workflowName: parent.workflowName,
    node: parent.node,
  };
  const { workflow: outerWorkflow, node } = locate(address);
  const artifacts = inheritedArtifacts(outerWorkflow, node, await store.nodeJobs(parent.workflowJob));
  // §4.2 nested: node extra_data under the outer vars, filtered by the inner prompts, artifacts on top.
  const outerVars = openedVars(outer);
  const job = await createWorkflowJob(store, {
    id: nested.id,
    bundle,
    workflow: inner,
    launchVars: nestedWorkflowLaunchVars(inner, node.extra_data, outerVars, artifacts).vars,
    // An outer password passed on stays a secret in the nested workflow job.
    inheritedSecrets: Object.keys(outer.secret_vars ?? {}),
    prompts: nestedWorkflowPrompts(inner, node, outer.prompts),
    // A rejected job never starts: pending → failed (§2.4).
    status: rejection === undefined ? 'running' : 'pending',
    launchType: 'workflow',
    launchedBy: outer.launched_by,
    workflowJobTemplate: null,
    baseDir: outer.base_dir,
    parent: { workflowJob: parent.workflowJob, node: parent.node },
  });
  // Then the outer node's job, which is the nested job: the node never points at a job not yet there.
  await spawnNodeJob(store, address, { status: 'running', id: nested.id });
  if (rejection === undefined) return job;
  await finishNestedWorkflowJob(store, nested, 'failed', rejection);
  return (await store.getWorkflowJob(nested.id))!;
}

/** A workflow job, and the outer node whose job it is when it is nested. */
export interface EndingWorkflowJob {
  readonly id: number;
  readonly parent?: { readonly workflowJob: number; readonly node: string };
}

/**
 * Ends a workflow job with its execution's status, whoever saw the end (the machine's last task,
 * the engine, an execution status change): a nested one ends its outer node's job with it.
 */
export async function endWorkflowJob(
  store: JobStore,
  job: EndingWorkflowJob,
  status: 'successful' | 'failed' | 'canceled' | 'error',
  explanation?: string,
): Promise<void> {
  if (job.parent)
    await finishNestedWorkflowJob(store, { id: job.id, parent: job.parent }, status, explanation);
  else await finishWorkflowJob(store, job.id, status, explanation ? { explanation } : {});
}

/** Ends the nested job and, with it, the outer node's job: its status and artifacts out (§5). */
export async function finishNestedWorkflowJob(
  store: JobStore,
  nested: Required<EndingWorkflowJob>,
  status: 'successful' | 'failed' | 'canceled' | 'error',
  explanation?: string,
): Promise<void> {
  await finishWorkflowJob(store, nested.id, status, explanation ? { explanation } : {});
  // Whoever ended the nested job first decided its status (a cancel, a sweep): the node shows that.
  const ended = (await store.getWorkflowJob(nested.id))!;
  const finished = Date.parse(ended.finished!);
  const inner = await store.nodeJobs(nested.id);
  await endNodeJob(
    store,
    { workflowJob: nested.parent.workflowJob, node: nested.parent.node },
    {
      status: ended.status,
      ...(ended.job_explanation ? { job_explanation: ended.job_explanation } : {}),
      artifacts: nestedEffectiveArtifacts(
        inner.map((job) => ({
          id: job.id ?? job.node,
          status: job.status,
          finished: job.finished ? Date.parse(job.finished) : finished,
          artifacts: job.artifacts,
        })),
      ),
    },
  );
}
