import type { DefinitionRecord } from '../catalog/definition';
import { Recurrence } from './occurrences';
import { launchScheduled, type ScheduledLaunchServices } from './scheduled-launch';

export { SCHEDULE_MAX_JOBS } from './scheduled-launch';

/** setTimeout's longest delay; a later occurrence is waited for in steps. */
const LONGEST_WAIT = 2 ** 31 - 1;

/** The catalog it listens to and launches from, the launcher, the jobs and the kept secrets. */
export type ScheduleFiringServices = ScheduledLaunchServices;

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
      const launch = await launchScheduled(this.services, schedule);
      if (!launch.launched) this.log(`schedule '${schedule.name}' (${id}) skipped: ${launch.reason}`);
    } catch (error) {
      this.log(
        `schedule '${schedule.name}' (${id}) did not launch its template: ${(error as Error).message}`,
      );
    }
  }
}
