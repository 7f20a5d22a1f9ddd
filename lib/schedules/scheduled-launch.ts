import type { CatalogStore } from '../catalog/catalog-store';
import type { DefinitionRecord } from '../catalog/definition';
import type { StandaloneKind } from '../catalog/projection';
import type { CatalogLauncher } from '../launch/catalog-launcher';
import { savedLaunchBody } from '../launch/saved-launch';
import { withKeptValues } from '../runner/kept-secrets';
import type { SecretProvider } from '../runner/secrets';
import type { JobStore } from '../store/job-store';
import type { ScheduleRef } from '../store/records';

/** AWX's SCHEDULE_MAX_JOBS: a template with this many jobs not finished is not launched again. */
export const SCHEDULE_MAX_JOBS = 10;
/** The kinds a schedule's `unified_job_template` names (they share one id space). */
const TEMPLATE_KINDS = ['workflow_job_template', 'job_template', 'project', 'inventory_source'] as const;

/** What a schedule's launch works with: `towerless serve`'s services, or the scheduler function's. */
export interface ScheduledLaunchServices {
  readonly catalog: CatalogStore;
  readonly launcher: CatalogLauncher;
  readonly jobs: JobStore;
  /** Reads back the survey passwords a schedule keeps (its record holds references). */
  readonly secrets: SecretProvider;
}

/** A schedule's launch: the workflow job it started, or why it launched nothing (AWX's skip). */
export type ScheduledLaunch =
  | { readonly launched: true; readonly workflowJob: number }
  | { readonly launched: false; readonly reason: string };

/**
 * Launches a schedule's template once (docs/schedules.md, Firing), the one implementation behind
 * `towerless serve`'s timers (lib/schedules/schedule-firing.ts) and the scheduler function EventBridge
 * Scheduler invokes (lambdas/scheduler): through the catalog launcher, with the schedule's saved
 * prompts, its kept survey passwords read back, its labels and credentials, `launch_type:
 * "scheduled"` and the job's `schedule`. A template with SCHEDULE_MAX_JOBS jobs not finished is not
 * launched (resolved with the reason); a template gone or definitions that do not hold together
 * reject, with the launch's words.
 */
export async function launchScheduled(
  services: ScheduledLaunchServices,
  schedule: DefinitionRecord,
): Promise<ScheduledLaunch> {
  const { catalog, launcher, jobs } = services;
  const found = await catalog.findAmong<DefinitionRecord>(
    TEMPLATE_KINDS,
    schedule.unified_job_template as number,
  );
  if (!found) throw new Error(`its template ${String(schedule.unified_job_template)} does not exist`);
  const template = found.record.id;
  const unfinished = (await jobs.unfinishedWorkflowJobs()).filter((job) =>
    found.kind === 'workflow_job_template'
      ? job.workflow_job_template === template && !job.standalone
      : job.standalone?.unified_job_template === template,
  );
  if (unfinished.length >= SCHEDULE_MAX_JOBS)
    return {
      launched: false,
      reason: `${found.kind} '${found.record.name}' has ${unfinished.length} jobs not finished (at most ${SCHEDULE_MAX_JOBS})`,
    };
  const ref: ScheduleRef = { id: schedule.id, name: String(schedule.name) };
  const saved = {
    ...schedule,
    extra_data: await withKeptValues(
      (schedule.extra_data as Record<string, unknown> | undefined) ?? {},
      services.secrets,
    ),
  };
  const body = { ...savedLaunchBody(saved), ...associations(schedule) };
  if (found.kind === 'workflow_job_template') {
    const job = await launcher.launch(template, body, null, 'scheduled', ref);
    return { launched: true, workflowJob: job.id };
  }
  const launched = await launcher.launchStandalone(
    found.kind as StandaloneKind,
    template,
    found.kind === 'job_template' ? body : undefined,
    null,
    'scheduled',
    ref,
  );
  return { launched: true, workflowJob: launched.workflowJob.id };
}

/** The labels and credentials a schedule keeps as association lists, as a launch body gives them. */
function associations(schedule: DefinitionRecord): Record<string, unknown> {
  return Object.fromEntries(
    (['labels', 'credentials'] as const)
      .map((relation) => [relation, schedule[relation]] as const)
      .filter(([, ids]) => Array.isArray(ids) && ids.length > 0),
  );
}
