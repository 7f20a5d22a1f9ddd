import type { CatalogStore } from '../catalog/catalog-store';
import type { DefinitionRecord } from '../catalog/definition';
import type { StandaloneKind } from '../catalog/projection';
import type { CatalogLauncher } from '../launch/catalog-launcher';
import { savedLaunchBody } from '../launch/saved-launch';
import { withKeptValues } from '../runner/kept-secrets';
import type { SecretProvider } from '../runner/secrets';
import type { JobStore } from '../store/job-store';
import type { ScheduleRef } from '../store/records';
import { Recurrence } from './occurrences';

/** AWX's SCHEDULE_MAX_JOBS: a template with this many jobs not finished is not launched again. */
export const SCHEDULE_MAX_JOBS = 10;
/** setTimeout's longest delay; a later occurrence is waited for in steps. */
const LONGEST_WAIT = 2 ** 31 - 1;
const TEMPLATE_KINDS = ['workflow_job_template', 'job_template', 'project', 'inventory_source'] as const;

export interface ScheduleFiringServices {
  readonly catalog: CatalogStore;
  readonly launcher: CatalogLauncher;
  readonly jobs: JobStore;
  /** Reads back the survey passwords a schedule keeps (its record holds references). */
  readonly secrets: SecretProvider;
}

/**
 * Launches each enabled schedule's template at each of its occurrences, in `towerless serve`
 * (docs/schedules.md, Firing): one timer per schedule, set for its next occurrence and set again
 * whenever the schedule is created, changed or deleted, so that a job starts on time, where AWX
 * looks every 30 seconds. An occurrence missed while the server was down is not launched later,
 * as in AWX. A launch that fails is logged with the schedule's name and why, and the schedule
 * goes on.
 */
export class ScheduleFiring {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private stopListening?: () => void;

  constructor(
    private readonly services: ScheduleFiringServices,
    private readonly log: (line: string) => void,
  ) {}

  async start(): Promise<void> {
    this.stopListening = this.services.catalog.listen({
      changed: (kind, id, _before, after) => {
        if (kind === 'schedule') this.plan(id, after as DefinitionRecord | undefined, new Date());
      },
    });
    const now = new Date();
    for (const schedule of await this.services.catalog.list<DefinitionRecord>('schedule'))
      this.plan(schedule.id, schedule, now);
  }

  stop(): void {
    this.stopListening?.();
    this.stopListening = undefined;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Sets the schedule's timer for its first occurrence after `after` (none when disabled or gone). */
  private plan(id: number, schedule: DefinitionRecord | undefined, after: Date): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    if (!this.stopListening || !schedule || schedule.enabled === false) return;
    let next: Date | undefined;
    try {
      next = Recurrence.parse(String(schedule.rrule)).after(after)[0];
    } catch (error) {
      this.log(`schedule '${schedule.name}' (${id}) is not planned: ${(error as Error).message}`);
      return;
    }
    if (!next) return;
    const wait = Math.min(Math.max(next.getTime() - Date.now(), 0), LONGEST_WAIT);
    const timer = setTimeout(() => void this.due(id, next), wait);
    // The server keeps the process alive; a pending occurrence alone does not.
    timer.unref();
    this.timers.set(id, timer);
  }

  private async due(id: number, occurrence: Date): Promise<void> {
    const schedule = await this.services.catalog.find<DefinitionRecord>('schedule', id);
    if (Date.now() < occurrence.getTime()) return this.plan(id, schedule, new Date(occurrence.getTime() - 1));
    // The next one first: a slow launch does not delay it, and what it misses is not replayed.
    this.plan(id, schedule, new Date(Math.max(occurrence.getTime(), Date.now())));
    if (!schedule || schedule.enabled === false) return;
    try {
      await this.launch(schedule);
    } catch (error) {
      this.log(
        `schedule '${schedule.name}' (${id}) did not launch its template: ${(error as Error).message}`,
      );
    }
  }

  private async launch(schedule: DefinitionRecord): Promise<void> {
    const { catalog, launcher, jobs } = this.services;
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
    if (unfinished.length >= SCHEDULE_MAX_JOBS) {
      this.log(
        `schedule '${schedule.name}' (${schedule.id}) skipped: ${found.kind} '${found.record.name}' has ${unfinished.length} jobs not finished (at most ${SCHEDULE_MAX_JOBS})`,
      );
      return;
    }
    const ref: ScheduleRef = { id: schedule.id, name: String(schedule.name) };
    const saved = {
      ...schedule,
      extra_data: await withKeptValues(
        (schedule.extra_data as Record<string, unknown> | undefined) ?? {},
        this.services.secrets,
      ),
    };
    const body = { ...savedLaunchBody(saved), ...associations(schedule) };
    if (found.kind === 'workflow_job_template') await launcher.launch(template, body, null, 'scheduled', ref);
    else
      await launcher.launchStandalone(
        found.kind as StandaloneKind,
        template,
        found.kind === 'job_template' ? body : undefined,
        null,
        'scheduled',
        ref,
      );
  }
}

/** The labels and credentials a schedule keeps as association lists, as a launch body gives them. */
function associations(schedule: DefinitionRecord): Record<string, unknown> {
  return Object.fromEntries(
    (['labels', 'credentials'] as const)
      .map((relation) => [relation, schedule[relation]] as const)
      .filter(([, ids]) => Array.isArray(ids) && ids.length > 0),
  );
}
