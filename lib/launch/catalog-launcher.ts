import type { CatalogStore } from '../catalog/catalog-store';
import type { StandaloneKind } from '../catalog/projection';
import type { ExecutionPort } from '../execution/execution-port';
import type { JobStore } from '../store/job-store';
import { openedVars } from '../jobs/workflow-jobs';
import type { Actor, LaunchType, ScheduleRef, WorkflowJobRecord } from '../store/records';
import { launchStandalone, relaunchStandalone, type StandaloneLaunched } from './launch-standalone';
import { launchTemplate } from './launch-template';
import { launchWorkflow } from './launch-workflow';
import { resumePreview, resumeWorkflowJob } from './resume-workflow';

/**
 * Launches of the catalog's workflow job templates, by a person or a schedule (launch); of its
 * job templates, projects and inventory sources on their own (launchStandalone); and again
 * (relaunch: the job's own launch values on the template's current definitions, or on the
 * definitions it ran with when the template is gone, as AWX does); and resumes.
 */
export class CatalogLauncher {
  constructor(
    private readonly catalog: CatalogStore,
    private readonly jobs: JobStore,
    private readonly execution: ExecutionPort,
    /** The folder local projects' `local_path` is under (AWX's PROJECTS_ROOT). */
    readonly projectsRoot: string,
  ) {}

  launch(
    workflowJobTemplate: number,
    body: unknown,
    launchedBy: Actor | null,
    launchType: LaunchType = 'manual',
    /** The schedule launching it (launch type `scheduled`). */
    schedule?: ScheduleRef,
  ): Promise<WorkflowJobRecord> {
    return launchTemplate(this.catalog, this.services(), this.projectsRoot, {
      workflowJobTemplate,
      body,
      launchType,
      launchedBy,
      schedule,
    });
  }

  /** A job template launched on its own, or a project or inventory source updated. */
  launchStandalone(
    kind: StandaloneKind,
    id: number,
    body: unknown,
    launchedBy: Actor | null,
    launchType: LaunchType = 'manual',
    schedule?: ScheduleRef,
  ): Promise<StandaloneLaunched> {
    return launchStandalone(this.catalog, this.services(), this.projectsRoot, {
      kind,
      id,
      body,
      launchType,
      launchedBy,
      schedule,
    });
  }

  relaunchStandalone(job: WorkflowJobRecord, launchedBy: Actor | null): Promise<StandaloneLaunched> {
    return relaunchStandalone(this.services(), job, launchedBy);
  }

  async relaunch(job: WorkflowJobRecord, launchedBy: Actor | null): Promise<WorkflowJobRecord> {
    const body = {
      extra_vars: openedVars(job),
      ...job.prompts,
      ...(job.labels ? { labels: job.labels.map((label) => label.id) } : {}),
    };
    const template = job.workflow_job_template;
    if (template !== null && (await this.catalog.find('workflow_job_template', template)))
      return this.launch(template, body, launchedBy, 'relaunch');
    const bundle = await this.jobs.getDefinitions(job.id);
    return launchWorkflow(this.services(), {
      bundle: bundle!,
      baseDir: job.base_dir,
      workflow: job.name,
      body,
      launchType: 'relaunch',
      launchedBy,
    });
  }

  /** A failed workflow job continued, keeping what succeeded (docs/semantics.md §13.11). */
  resume(workflowJob: number, from: readonly string[], launchedBy: Actor | null): Promise<WorkflowJobRecord> {
    return resumeWorkflowJob(this.services(), workflowJob, { from, launchedBy });
  }

  /** What a resume of the workflow job would keep and run again, creating nothing. */
  resumePreview(workflowJob: number, from: readonly string[]) {
    return resumePreview(this.services(), workflowJob, from);
  }

  private services() {
    return { store: this.jobs, execution: this.execution };
  }
}
