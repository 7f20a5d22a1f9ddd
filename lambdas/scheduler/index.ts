import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { DefinitionRecord } from '../../lib/catalog/definition';
import { deployedLaunching, deployedSchedulerSchedules } from '../../lib/aws/deployed-catalog';
import { deployedRuntime } from '../../lib/aws/deployed-runtime';
import { instrumented, logger } from '../../lib/aws/observability';
import {
  changedSchedules,
  fireSchedule,
  type ScheduleInvocation,
  type SchedulerSchedules,
} from '../../lib/schedules/scheduler-schedules';

/** The stack's schedules, their client made once per cold start. */
let schedules: SchedulerSchedules | undefined;

/**
 * Two sources (docs/schedules.md, EventBridge Scheduler):
 * - EventBridge Scheduler's invocation `{"schedule": <id>}` at an occurrence: the next occurrence
 *   of an `at()` schedule planned, then the schedule's template launched;
 * - the table stream, filtered to schedule records (SCHEDULE_RECORD_FILTER): each schedule
 *   changed is brought in step with its record as it is now (so batches retried or out of order
 *   converge), its Scheduler schedule created, updated or deleted.
 */
export const handler = instrumented(
  'scheduler',
  async (event: ScheduleInvocation | DynamoDBStreamEvent): Promise<void> => {
    const runtime = await deployedRuntime();
    schedules ??= deployedSchedulerSchedules(process.env);
    const launching = deployedLaunching(runtime, process.env);
    if ('Records' in event) {
      for (const id of changedSchedules(event.Records)) {
        const synced = await schedules.sync(
          id,
          await launching.catalog.find<DefinitionRecord>('schedule', id),
        );
        logger.info('schedule synced', { schedule: id, action: synced.action });
      }
      return;
    }
    const id = Number(event.schedule);
    if (!Number.isSafeInteger(id) || id < 1) throw new Error('the invocation names no schedule');
    const fired = await fireSchedule({ ...launching, schedules }, id);
    const launch = fired.launch;
    logger.info('schedule fired', {
      schedule: id,
      planned: fired.planned.action,
      ...(launch?.launched ? { workflowJob: launch.workflowJob } : {}),
    });
    if (launch && !launch.launched)
      logger.warn('schedule did not launch its template', {
        schedule: id,
        ...('error' in launch
          ? { error: launch.error.name, reason: launch.error.message }
          : { reason: launch.reason }),
      });
  },
);
