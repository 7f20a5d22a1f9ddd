import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
  type GetScheduleCommandOutput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { DefinitionRecord } from '../catalog/definition';
import { eventBridgeSchedule, type SchedulerMapping } from './eventbridge';
import { invocations } from './eventbridge-evaluator';
import { Recurrence } from './occurrences';
import { launchScheduled, type ScheduledLaunch, type ScheduledLaunchServices } from './scheduled-launch';

/** Where the stack keeps the schedules it makes (lib/infra/schedules.ts), and what they invoke. */
export interface SchedulerSettings {
  /** The schedule group. */
  readonly group: string;
  /** The role schedules assume to invoke the target. */
  readonly roleArn: string;
  /** The scheduler function. */
  readonly targetArn: string;
}

/** What EventBridge Scheduler was told for one AWX schedule. */
export type SchedulerSync =
  | { readonly action: 'put'; readonly mapping: SchedulerMapping }
  | { readonly action: 'kept' }
  | { readonly action: 'deleted'; readonly reason: string };

/** The input every schedule gives the scheduler function: the AWX schedule's id. */
export interface ScheduleInvocation {
  readonly schedule: number;
}

/** The EventBridge Scheduler schedule of an AWX schedule, in the stack's group. */
export function schedulerScheduleName(id: number): string {
  return `towerless-schedule-${id}`;
}

/**
 * The table stream's records of schedules, as an event source mapping's filter (Lambda's filter
 * pattern syntax, given to `FilterCriteria.filter`): the main item of a catalog schedule record,
 * `pk = schedule#<id>`, `sk = R` (lib/catalog/catalog-store.ts). Name claims (`NAME#schedule#…`)
 * and the parts of a long record (`sk = R#PART#…`) do not match.
 */
export const SCHEDULE_RECORD_FILTER = {
  dynamodb: { Keys: { pk: { S: [{ prefix: 'schedule#' }] }, sk: { S: ['R'] } } },
} as const;

/** The ids of the schedule records a stream batch changed, once each, in the batch's order. */
export function changedSchedules(
  records: readonly { readonly dynamodb?: { readonly Keys?: Record<string, unknown> } }[],
): number[] {
  const ids = new Set<number>();
  for (const record of records) {
    const keys = record.dynamodb?.Keys as { pk?: { S?: string }; sk?: { S?: string } } | undefined;
    const match = /^schedule#(\d+)$/.exec(keys?.pk?.S ?? '');
    if (match && keys?.sk?.S === 'R') ids.add(Number(match[1]));
  }
  return [...ids];
}

/**
 * Keeps EventBridge Scheduler in step with the catalog's schedules (docs/schedules.md,
 * EventBridge Scheduler): one schedule `towerless-schedule-<id>` in the stack's group per enabled
 * AWX schedule that has occurrences left, holding `eventBridgeSchedule`'s mapping, invoking the
 * scheduler function with `{"schedule": <id>}` at the occurrence (no flexible window). A cron
 * mapping stays as made; an `at()` one is moved to the next occurrence after each fire, and
 * deleted when there is none. Every call reads nothing of its own state and may be repeated:
 * a create that finds the schedule updates it, a delete that finds none is done.
 */
export class SchedulerSchedules {
  constructor(
    private readonly client: SchedulerClient,
    private readonly settings: SchedulerSettings,
  ) {}

  /** After the record of schedule `id` was created, changed or deleted (`schedule` undefined). */
  async sync(id: number, schedule: DefinitionRecord | undefined, now = new Date()): Promise<SchedulerSync> {
    const planned = plan(schedule, now);
    return 'reason' in planned ? this.delete(id, planned.reason) : this.put(id, planned.mapping);
  }

  /**
   * After schedule `id` fired: an `at()` schedule moves to the next occurrence after the one it
   * fired for (or after now, when later: what the launch misses is not replayed), or goes when
   * none is left; a cron schedule, still what the record says, is kept as it is.
   */
  async fired(id: number, schedule: DefinitionRecord | undefined, now = new Date()): Promise<SchedulerSync> {
    const current = await this.get(id);
    const firedAt =
      current?.ScheduleExpression?.startsWith('at(') && current.ScheduleExpressionTimezone
        ? invocations(
            {
              ScheduleExpression: current.ScheduleExpression,
              ScheduleExpressionTimezone: current.ScheduleExpressionTimezone,
            },
            new Date(0),
            new Date(8.64e15),
          )[0]
        : undefined;
    const planned = plan(schedule, new Date(Math.max(now.getTime(), firedAt?.getTime() ?? 0)));
    if ('reason' in planned) return this.delete(id, planned.reason);
    const { mapping } = planned;
    const same =
      mapping.kind === 'cron' &&
      current?.ScheduleExpression === mapping.ScheduleExpression &&
      current.ScheduleExpressionTimezone === mapping.ScheduleExpressionTimezone &&
      current.EndDate?.toISOString() === mapping.EndDate &&
      current.State === 'ENABLED';
    return same ? { action: 'kept' } : this.put(id, mapping);
  }

  /** The schedule as EventBridge Scheduler holds it; undefined when there is none. */
  async get(id: number): Promise<GetScheduleCommandOutput | undefined> {
    try {
      return await this.client.send(
        new GetScheduleCommand({ Name: schedulerScheduleName(id), GroupName: this.settings.group }),
      );
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  private async put(id: number, mapping: SchedulerMapping): Promise<SchedulerSync> {
    const input: CreateScheduleCommandInput = {
      Name: schedulerScheduleName(id),
      GroupName: this.settings.group,
      Description: `Towerless: AWX schedule ${id}`,
      ScheduleExpression: mapping.ScheduleExpression,
      ScheduleExpressionTimezone: mapping.ScheduleExpressionTimezone,
      ...(mapping.StartDate ? { StartDate: new Date(mapping.StartDate) } : {}),
      ...(mapping.EndDate ? { EndDate: new Date(mapping.EndDate) } : {}),
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'NONE',
      Target: {
        Arn: this.settings.targetArn,
        RoleArn: this.settings.roleArn,
        Input: JSON.stringify({ schedule: id } satisfies ScheduleInvocation),
      },
    };
    try {
      await this.client.send(new CreateScheduleCommand(input));
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
      // It exists: an update replaces every field, as a create would have set them.
      await this.client.send(new UpdateScheduleCommand(input));
    }
    return { action: 'put', mapping };
  }

  private async delete(id: number, reason: string): Promise<SchedulerSync> {
    try {
      await this.client.send(
        new DeleteScheduleCommand({ Name: schedulerScheduleName(id), GroupName: this.settings.group }),
      );
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    return { action: 'deleted', reason };
  }
}

/** What EventBridge Scheduler should hold for a schedule record after `after`, or why nothing. */
function plan(
  schedule: DefinitionRecord | undefined,
  after: Date,
): { mapping: SchedulerMapping } | { reason: string } {
  if (!schedule) return { reason: 'deleted' };
  if (schedule.enabled === false) return { reason: 'disabled' };
  let mapping: SchedulerMapping | undefined;
  try {
    mapping = eventBridgeSchedule(Recurrence.parse(String(schedule.rrule)), after);
  } catch (error) {
    return { reason: `its rrule is not read: ${(error as Error).message}` };
  }
  return mapping ? { mapping } : { reason: 'no occurrence left' };
}

/** What one invocation by EventBridge Scheduler did. */
export interface ScheduleFired {
  readonly planned: SchedulerSync;
  /** Undefined when the schedule is gone or disabled (its Scheduler schedule deleted instead). */
  readonly launch?: ScheduledLaunch | { readonly launched: false; readonly error: Error };
}

/**
 * The scheduler function's work when EventBridge Scheduler invokes it for schedule `id`: the next
 * occurrence planned first (a slow or failing launch neither delays nor stops it), then the
 * template launched through the one scheduled launch (lib/schedules/scheduled-launch.ts). A launch
 * that fails is answered, not thrown: Scheduler would retry it for a day, and AWX does not launch
 * a missed occurrence later.
 */
export async function fireSchedule(
  services: ScheduledLaunchServices & { readonly schedules: SchedulerSchedules },
  id: number,
  now = new Date(),
): Promise<ScheduleFired> {
  const schedule = await services.catalog.find<DefinitionRecord>('schedule', id);
  const planned = await services.schedules.fired(id, schedule, now);
  if (!schedule || schedule.enabled === false) return { planned };
  try {
    return { planned, launch: await launchScheduled(services, schedule) };
  } catch (error) {
    return { planned, launch: { launched: false, error: error as Error } };
  }
}
