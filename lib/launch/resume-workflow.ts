import { InvalidError, NotFoundError, StateConflictError } from '../errors';
import { isFinished } from '../jobs/job-status';
import { createWorkflowJob, openedVars } from '../jobs/workflow-jobs';
import type { Bundle, WorkflowJobTemplate } from '../model/types';
import { WorkflowGraph } from '../semantics/graph';
import { keptNodes } from '../semantics/resume';
import type { Actor, WorkflowJobRecord } from '../store/records';
import type { LaunchServices } from './launch-workflow';

/**
 * A resume (docs/semantics.md §13.11): a new workflow job, `relaunch` by AWX's launch types, on
 * the definitions and launch variables of the job it continues, keeping what succeeded there. A
 * job is resumed once: the first resume asked claims it, so two resumes at once cannot both run.
 * A refused resume throws a UserError saying why and creates nothing.
 */
export interface ResumeRequest {
  /** Nodes that run again although they succeeded, with everything below them. */
  readonly from?: readonly string[];
  readonly launchedBy?: Actor | null;
}

export async function resumeWorkflowJob(
  services: LaunchServices,
  id: number,
  request: ResumeRequest = {},
): Promise<WorkflowJobRecord> {
  const { store, execution } = services;
  const { resumed, bundle, workflow, kept } = await planResume(services, id, request.from ?? []);
  const newId = await store.nextJobId();
  if (!(await store.claimResume(id, newId, resumed.resumed_by)))
    throw conflict((await store.getWorkflowJob(id)) ?? resumed);
  // A claim whose job is not created (this process died, or a write failed) is stale: the next
  // resume takes it over.
  const job = await createResume(services, { resumed, bundle, workflow, id: newId, kept, request });
  await execution.start(newId);
  return job;
}

/** What a resume of the job would keep now (it creates nothing), or the UserError it would get. */
export async function resumePreview(
  services: LaunchServices,
  id: number,
  from: readonly string[] = [],
): Promise<{ readonly kept: readonly string[]; readonly runsAgain: readonly string[] }> {
  const { workflow, kept } = await planResume(services, id, from);
  const runsAgain = workflow.workflow_nodes
    .map((node) => node.identifier)
    .filter((node) => !kept.includes(node));
  return { kept, runsAgain };
}

/** The job to resume, the definitions it ran with, and the nodes it keeps; or why it cannot be. */
async function planResume(services: LaunchServices, id: number, from: readonly string[]) {
  const resumed = await resumable(services, id);
  const bundle = await services.store.getDefinitions(id);
  const workflow = bundle?.workflow_job_templates.find((template) => template.name === resumed.name);
  if (!bundle || !workflow)
    throw new StateConflictError(
      `workflow job ${id} cannot be resumed: the definitions it ran with (workflow job template '${resumed.name}' and what its nodes run) are gone`,
    );
  const kept = await keptOf(services, resumed, workflow, from);
  return { resumed, bundle, workflow, kept };
}

/** The job, if it can be resumed now; otherwise why not. */
async function resumable(services: LaunchServices, id: number): Promise<WorkflowJobRecord> {
  const job = await services.store.getWorkflowJob(id);
  // A standalone launch's carrier is no workflow job a client knows.
  if (!job || job.standalone) throw new NotFoundError(`workflow job ${id} not found`);
  if (job.parent)
    throw new StateConflictError(
      `workflow job ${id} runs inside workflow job ${job.parent.workflowJob} (node '${job.parent.node}'): resume that one`,
    );
  const taken = job.resumed_by !== undefined && (await services.store.getWorkflowJob(job.resumed_by));
  if (isFinished(job.status) && job.status !== 'successful' && !taken) return job;
  throw conflict(job);
}

function conflict(job: WorkflowJobRecord): StateConflictError {
  if (job.resumed_by !== undefined)
    return new StateConflictError(
      `workflow job ${job.id} was resumed already, by workflow job ${job.resumed_by}: resume that one`,
    );
  if (job.status === 'successful')
    return new StateConflictError(
      `workflow job ${job.id} was successful: there is nothing to resume (relaunch it to run it again)`,
    );
  return new StateConflictError(
    `workflow job ${job.id} is ${job.status}: it can be resumed once it has ended`,
  );
}

/** What succeeded in the resumed job, less the `from` nodes and what is below them. */
async function keptOf(
  services: LaunchServices,
  resumed: WorkflowJobRecord,
  workflow: WorkflowJobTemplate,
  from: readonly string[],
): Promise<string[]> {
  const graph = WorkflowGraph.fromTemplate(workflow);
  const unknown = from.filter((node) => !graph.has(node));
  if (unknown.length > 0)
    throw new InvalidError(`workflow '${workflow.name}' has no node '${unknown[0]}'`, {
      from: unknown.map((node) => `'${node}' is not a node of workflow '${workflow.name}'.`),
    });
  const succeeded = (await services.store.nodeJobs(resumed.id))
    .filter((job) => job.status === 'successful')
    .map((job) => job.node);
  return [...keptNodes(graph, succeeded, from)];
}

async function createResume(
  services: LaunchServices,
  resume: {
    readonly resumed: WorkflowJobRecord;
    readonly bundle: Bundle;
    readonly workflow: WorkflowJobTemplate;
    readonly id: number;
    readonly kept: readonly string[];
    readonly request: ResumeRequest;
  },
): Promise<WorkflowJobRecord> {
  const { resumed, bundle, id } = resume;
  await services.store.putDefinitions(id, bundle);
  return createWorkflowJob(services.store, {
    id,
    bundle,
    workflow: resume.workflow,
    // The job's own variables, as it was launched (its sealed answers included).
    launchVars: openedVars(resumed),
    prompts: resumed.prompts ?? {},
    labels: resumed.labels,
    status: 'pending',
    launchType: 'relaunch',
    launchedBy: resume.request.launchedBy ?? null,
    workflowJobTemplate: resumed.workflow_job_template,
    baseDir: resumed.base_dir,
    resumes: { workflowJob: resumed.id, kept: resume.kept },
  });
}
