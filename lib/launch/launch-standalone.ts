import type { CatalogStore } from '../catalog/catalog-store';
import { projectStandalone, requireValid, STANDALONE_NODE, type StandaloneKind } from '../catalog/projection';
import { InvalidError } from '../errors';
import { spawnNodeJob } from '../jobs/node-jobs';
import { createWorkflowJob, openedVars } from '../jobs/workflow-jobs';
import type { Bundle, Vars } from '../model/types';
import { workflowJobPrompts } from '../semantics/prompts';
import { jobNodeVars } from '../semantics/variables';
import type { Actor, LaunchType, ScheduleRef, WorkflowJobRecord } from '../store/records';
import { readLaunchBody, summarize, type LaunchBody } from './launch-body';
import { acceptLaunch } from './launch-rules';
import { catalogReferences } from './launch-template';
import { resolveReferences, type LaunchServices } from './launch-workflow';

/**
 * Job templates, projects and inventory sources launched on their own (AWX's job template launch,
 * project update and inventory source update): the job runs as the one node of a workflow job
 * that carries it and is never shown, so that one path (the execution port, the workflow-job
 * lifecycle, the compiled state machine) runs every job. The node's job id is reserved here and
 * answered to the client (docs/architecture.md, standalone jobs).
 */
export interface StandaloneRequest {
  readonly kind: StandaloneKind;
  /** The catalog id of the job template, project or inventory source. */
  readonly id: number;
  /** A job template launch's body as an AWX client posts it; the updates take none. */
  readonly body?: unknown;
  readonly launchType?: LaunchType;
  readonly launchedBy?: Actor | null;
  /** The schedule launching it (launch type `scheduled`). */
  readonly schedule?: ScheduleRef;
}

export interface StandaloneLaunched {
  /** The id of the job (playbook run, project or inventory update) the client follows. */
  readonly job: number;
  readonly workflowJob: WorkflowJobRecord;
  /** What a job template launch ignored (AWX's `ignored_fields`). */
  readonly ignored: Readonly<Record<string, unknown>>;
}

export async function launchStandalone(
  catalog: CatalogStore,
  services: Omit<LaunchServices, 'references'>,
  projectsRoot: string,
  request: StandaloneRequest,
): Promise<StandaloneLaunched> {
  const accepted =
    request.kind === 'job_template'
      ? await acceptJobLaunch(catalog, request)
      : { prompts: {}, variables: {}, labels: undefined, ignored: {} };
  const { bundle, workflowName } = requireValid(await projectStandalone(catalog, request, accepted.prompts));
  const workflowJob = await createCarrier(services, bundle, workflowName, {
    launchVars: accepted.variables,
    labels: accepted.labels,
    launchType: request.launchType ?? 'manual',
    launchedBy: request.launchedBy ?? null,
    schedule: request.schedule,
    baseDir: projectsRoot,
    template: request.id,
  });
  return { job: workflowJob.standalone!.job, workflowJob, ignored: accepted.ignored };
}

/**
 * A standalone job again, as it ran: its saved definitions and launch variables (the template's
 * prompts were applied to those definitions at launch).
 */
export async function relaunchStandalone(
  services: Omit<LaunchServices, 'references'>,
  job: WorkflowJobRecord,
  launchedBy: Actor | null,
): Promise<StandaloneLaunched> {
  const bundle = await services.store.getDefinitions(job.id);
  if (!bundle || !job.standalone) throw new Error(`job ${job.id} is not a standalone job`);
  const workflowJob = await createCarrier(services, bundle, job.name, {
    launchVars: openedVars(job),
    labels: job.labels,
    launchType: 'relaunch',
    launchedBy,
    baseDir: job.base_dir,
    template: job.standalone.unified_job_template,
  });
  return { job: workflowJob.standalone!.job, workflowJob, ignored: {} };
}

interface Carrier {
  readonly launchVars: Vars;
  readonly labels: WorkflowJobRecord['labels'];
  readonly launchType: LaunchType;
  readonly launchedBy: Actor | null;
  readonly schedule?: ScheduleRef;
  readonly baseDir: string;
  readonly template: number;
}

/** The carrying workflow job with both ids reserved, its definitions saved, started. */
async function createCarrier(
  { store, execution }: Omit<LaunchServices, 'references'>,
  bundle: Bundle,
  workflowName: string,
  carrier: Carrier,
): Promise<WorkflowJobRecord> {
  const workflow = bundle.workflow_job_templates.find((w) => w.name === workflowName)!;
  const [id, job] = [await store.nextJobId(), await store.nextJobId()];
  await store.putDefinitions(id, bundle);
  const workflowJob = await createWorkflowJob(store, {
    id,
    bundle,
    workflow,
    launchVars: carrier.launchVars,
    prompts: workflowJobPrompts(workflow),
    labels: carrier.labels,
    status: 'pending',
    launchType: carrier.launchType,
    launchedBy: carrier.launchedBy,
    schedule: carrier.schedule,
    workflowJobTemplate: null,
    baseDir: carrier.baseDir,
    standalone: { job, unified_job_template: carrier.template },
  });
  // Its job exists from the launch on, `pending`, as AWX's does: the client follows it at once.
  const address = { bundle, workflowJob: id, workflowName, node: STANDALONE_NODE };
  await spawnNodeJob(store, address, { status: 'pending', id: job, standalone: true });
  await execution.start(id);
  return workflowJob;
}

/**
 * AWX's job template launch rules (docs/semantics.md §4.4): fields the template does not prompt
 * for are ignored, survey answers enforced; what is accepted becomes the node's prompts, given
 * by catalog id as a workflow node gives them.
 */
async function acceptJobLaunch(catalog: CatalogStore, request: StandaloneRequest) {
  const body = readLaunchBody(request.body, 'job_template');
  const values = await resolveReferences(body, catalogReferences(catalog));
  const { bundle } = await projectStandalone(catalog, request);
  const template = bundle.job_templates.find(
    (t) => t.name === bundle.workflow_job_templates[0].workflow_nodes[0].unified_job_template?.name,
  )!;
  const accepted = acceptLaunch({ kind: 'job_template', template }, values);
  if ((request.launchType ?? 'manual') === 'manual' && Object.keys(accepted.errors).length > 0)
    throw new InvalidError(summarize(accepted.errors), accepted.errors);
  const { labels, inventory, credentials, ...fields } = accepted.fields;
  const prompts: Record<string, unknown> = { ...fields };
  if (inventory !== undefined) prompts.inventory = body.inventory;
  if (credentials !== undefined) prompts.credentials = body.credentials;
  return {
    prompts,
    // The job's variables as AWX records them (the template's, its survey defaults, the launch's):
    // what the one node gets (docs/semantics.md §4.2), so the job shows what it ran with.
    variables: jobNodeVars({
      template,
      nodeExtraData: {},
      ancestorArtifacts: {},
      workflowVars: accepted.variables,
    }).vars,
    labels,
    ignored: ignoredAsGiven(accepted.ignored, body),
  };
}

/** AWX answers ignored fields as the client gave them: ids, not names. */
function ignoredAsGiven(
  ignored: Readonly<Record<string, unknown>>,
  body: LaunchBody,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(ignored).map(([field, value]) => [
      field,
      field === 'extra_vars' ? value : body[field as keyof LaunchBody],
    ]),
  );
}
