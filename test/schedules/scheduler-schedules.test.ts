import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DefinitionRecord } from '../../lib/catalog/definition';
import {
  changedSchedules,
  SCHEDULE_RECORD_FILTER,
  SchedulerSchedules,
  schedulerScheduleName,
} from '../../lib/schedules/scheduler-schedules';
import { matchesEventFilter } from '../twins/event-filter';
import { startSchedulerTwin, type SchedulerTwin } from '../twins/scheduler-twin';

/** Keeping EventBridge Scheduler (its twin) in step with schedule records, and re-planning after a fire. */
const GROUP = 'towerless-test';
const settings = {
  group: GROUP,
  roleArn: 'arn:aws:iam::123456789012:role/towerless-schedules',
  targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:towerless-test-scheduler',
};
let twin: SchedulerTwin;
let schedules: SchedulerSchedules;

beforeAll(async () => {
  // Nothing here fires during the test: occurrences are hours or years away.
  twin = await startSchedulerTwin({ groups: [GROUP], invoke: () => Promise.resolve() });
  schedules = new SchedulerSchedules(twin.client, settings);
});
afterAll(() => twin.close());

function record(id: number, fields: Record<string, unknown>): DefinitionRecord {
  const stamp = '2030-01-01T00:00:00.000Z';
  return {
    id,
    created: stamp,
    modified: stamp,
    name: `schedule ${id}`,
    enabled: true,
    unified_job_template: 7,
    ...fields,
  };
}

const held = (id: number) => twin.schedules(GROUP).find((s) => s.Name === schedulerScheduleName(id));

describe('SchedulerSchedules', () => {
  it('makes an exact rule a cron in its zone from the next occurrence to UNTIL, then follows the record: changed, disabled, deleted', async () => {
    const now = new Date('2030-03-01T12:00:00Z');
    const rrule =
      'DTSTART;TZID=America/New_York:20300105T083000 RRULE:FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20300601T000000';
    const synced = await schedules.sync(1, record(1, { rrule }), now);
    expect(synced).toMatchObject({ action: 'put', mapping: { kind: 'cron' } });
    expect(held(1)).toMatchObject({
      Name: 'towerless-schedule-1',
      GroupName: GROUP,
      ScheduleExpression: 'cron(30 8 ? * 2,4 *)',
      ScheduleExpressionTimezone: 'America/New_York',
      // Monday 4 March 2030, 08:30 EST; UNTIL's wall time a second later, EDT by then.
      StartDate: '2030-03-04T13:30:00.000Z',
      EndDate: '2030-06-01T04:00:01.000Z',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'NONE',
      Target: { Arn: settings.targetArn, RoleArn: settings.roleArn, Input: '{"schedule":1}' },
    });

    // Changed: the create finds it and updates it.
    const changed = 'DTSTART:20300105T090000Z RRULE:FREQ=DAILY;INTERVAL=1';
    await schedules.sync(1, record(1, { rrule: changed }), now);
    expect(held(1)).toMatchObject({
      ScheduleExpression: 'cron(0 9 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
    });
    expect(held(1)!.EndDate).toBeUndefined();
    expect(twin.schedules(GROUP)).toHaveLength(1);

    expect(await schedules.sync(1, record(1, { rrule: changed, enabled: false }), now)).toEqual({
      action: 'deleted',
      reason: 'disabled',
    });
    expect(held(1)).toBeUndefined();
    // Deleting what is not there is done.
    expect(await schedules.sync(1, undefined, now)).toEqual({ action: 'deleted', reason: 'deleted' });
    // Enabled again: back.
    await schedules.sync(1, record(1, { rrule: changed }), now);
    expect(held(1)).toBeDefined();
    await schedules.sync(1, undefined, now);
    expect(held(1)).toBeUndefined();
  });

  it('chains one-time at() schedules through a rule cron cannot say, re-planning after each fire and deleting after the last', async () => {
    const rrule = 'DTSTART:20300105T090000Z RRULE:FREQ=DAILY;INTERVAL=2;COUNT=3';
    const now = new Date('2030-01-01T00:00:00Z');
    await schedules.sync(2, record(2, { rrule }), now);
    expect(held(2)).toMatchObject({
      ScheduleExpression: 'at(2030-01-05T09:00:00)',
      ScheduleExpressionTimezone: 'UTC',
    });
    expect(held(2)!.StartDate).toBeUndefined();
    // Fired a little late: the next after the one it fired for.
    await schedules.fired(2, record(2, { rrule }), new Date('2030-01-05T09:00:01Z'));
    expect(held(2)!.ScheduleExpression).toBe('at(2030-01-07T09:00:00)');
    // Its invocation reaching the function before the clock says so: still the next one, not the same.
    await schedules.fired(2, record(2, { rrule }), new Date('2030-01-07T08:59:59.990Z'));
    expect(held(2)!.ScheduleExpression).toBe('at(2030-01-09T09:00:00)');
    expect(await schedules.fired(2, record(2, { rrule }), new Date('2030-01-09T09:00:02Z'))).toEqual({
      action: 'deleted',
      reason: 'no occurrence left',
    });
    expect(held(2)).toBeUndefined();
  });

  it('keeps a cron as it is after a fire, and deletes the schedule of a record gone or unreadable', async () => {
    const rrule = 'DTSTART:20300105T090000Z RRULE:FREQ=DAILY;INTERVAL=1';
    await schedules.sync(3, record(3, { rrule }), new Date('2030-01-01T00:00:00Z'));
    const before = held(3);
    expect(await schedules.fired(3, record(3, { rrule }), new Date('2030-01-05T09:00:01Z'))).toEqual({
      action: 'kept',
    });
    expect(held(3)).toBe(before);
    expect(await schedules.fired(3, undefined)).toEqual({ action: 'deleted', reason: 'deleted' });
    expect(held(3)).toBeUndefined();
    const synced = await schedules.sync(4, record(4, { rrule: 'RRULE:FREQ=DAILY' }));
    expect(synced).toMatchObject({
      action: 'deleted',
      reason: expect.stringMatching(/^its rrule is not read: /),
    });
  });

  it("reads a stream batch's schedule ids once each; the filter pattern matches schedule records only", () => {
    const keys = (pk: string, sk = 'R') => ({ dynamodb: { Keys: { pk: { S: pk }, sk: { S: sk } } } });
    const batch = [
      keys('schedule#5'),
      keys('schedule#12'),
      keys('schedule#5'),
      keys('workflow_job_template#5'),
      keys('NAME#schedule#7#Nightly', 'N'),
      keys('schedule#9', 'R#PART#abc#1'),
      {},
    ];
    expect(changedSchedules(batch)).toEqual([5, 12]);
    expect(
      batch
        .filter((item) => matchesEventFilter(SCHEDULE_RECORD_FILTER, item))
        .map((item) => changedSchedules([item])[0]),
    ).toEqual([5, 12, 5]);
    expect(JSON.stringify(SCHEDULE_RECORD_FILTER)).toBe(
      '{"dynamodb":{"Keys":{"pk":{"S":[{"prefix":"schedule#"}]},"sk":{"S":["R"]}}}}',
    );
  });
});
