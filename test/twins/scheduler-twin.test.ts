import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
  ValidationException,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../support/eventually';
import { startSchedulerTwin, type Fire, type SchedulerTwin } from './scheduler-twin';

/** The Scheduler twin through the real SDK client: its wire format, its checks, and its firing. */
const GROUP = 'towerless-test';
const TARGET = 'arn:aws:lambda:us-east-1:123456789012:function:towerless-scheduler';
const ROLE = 'arn:aws:iam::123456789012:role/towerless-schedules';
let twin: SchedulerTwin | undefined;
const calls: { arn: string; input?: string; fire: Fire }[] = [];

afterEach(async () => {
  await twin?.close();
  twin = undefined;
  calls.length = 0;
});

async function start(now?: () => number): Promise<SchedulerTwin> {
  twin = await startSchedulerTwin({
    groups: [GROUP],
    now,
    invoke: async (arn, input, fire) => {
      calls.push({ arn, input, fire });
      if (input === '"fail"') throw new Error('the function failed');
    },
  });
  return twin;
}

function schedule(
  name: string,
  fields: Partial<CreateScheduleCommandInput> = {},
): CreateScheduleCommandInput {
  return {
    Name: name,
    GroupName: GROUP,
    ScheduleExpression: 'cron(0 9 * * ? *)',
    ScheduleExpressionTimezone: 'Europe/Berlin',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'NONE',
    Target: { Arn: TARGET, RoleArn: ROLE, Input: '{"schedule":1}' },
    ...fields,
  };
}

/** `at(...)` of an instant, as Towerless writes it (UTC, whole seconds). */
const at = (instant: number) => `at(${new Date(instant).toISOString().slice(0, 19)})`;

describe('the EventBridge Scheduler twin', () => {
  it('answers CreateSchedule, GetSchedule, UpdateSchedule, ListSchedules and DeleteSchedule as the SDK reads them', async () => {
    const { client } = await start();
    const startDate = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3_600_000);
    const endDate = new Date(startDate.getTime() + 86_400_000 * 30);
    const created = await client.send(
      new CreateScheduleCommand(schedule('towerless-schedule-1', { StartDate: startDate, EndDate: endDate })),
    );
    expect(created.ScheduleArn).toBe(
      `arn:aws:scheduler:us-east-1:123456789012:schedule/${GROUP}/towerless-schedule-1`,
    );
    await expect(client.send(new CreateScheduleCommand(schedule('towerless-schedule-1')))).rejects.toThrow(
      ConflictException,
    );
    const got = await client.send(new GetScheduleCommand({ Name: 'towerless-schedule-1', GroupName: GROUP }));
    expect(got).toMatchObject({
      Arn: created.ScheduleArn,
      Name: 'towerless-schedule-1',
      GroupName: GROUP,
      ScheduleExpression: 'cron(0 9 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      StartDate: startDate,
      EndDate: endDate,
      State: 'ENABLED',
      ActionAfterCompletion: 'NONE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: TARGET, RoleArn: ROLE, Input: '{"schedule":1}' },
    });
    expect(got.CreationDate).toBeInstanceOf(Date);

    // An update replaces every field.
    await client.send(
      new UpdateScheduleCommand(
        schedule('towerless-schedule-1', { ScheduleExpression: at(Date.now() + 3_600_000) }),
      ),
    );
    const updated = await client.send(
      new GetScheduleCommand({ Name: 'towerless-schedule-1', GroupName: GROUP }),
    );
    expect(updated.ScheduleExpression).toMatch(/^at\(/);
    expect(updated.StartDate).toBeUndefined();
    expect(updated.CreationDate).toEqual(got.CreationDate);
    await expect(client.send(new UpdateScheduleCommand(schedule('towerless-schedule-2')))).rejects.toThrow(
      ResourceNotFoundException,
    );

    await client.send(new CreateScheduleCommand(schedule('other', { GroupName: undefined })));
    const listed = await client.send(new ListSchedulesCommand({ GroupName: GROUP }));
    expect(listed.Schedules?.map((s) => [s.Name, s.GroupName, s.State, s.Target?.Arn])).toEqual([
      ['towerless-schedule-1', GROUP, 'ENABLED', TARGET],
    ]);
    expect((await client.send(new ListSchedulesCommand({}))).Schedules).toHaveLength(2);
    expect(twin!.schedules('default').map((s) => s.Name)).toEqual(['other']);

    await client.send(new DeleteScheduleCommand({ Name: 'towerless-schedule-1', GroupName: GROUP }));
    const missing = await client
      .send(new DeleteScheduleCommand({ Name: 'towerless-schedule-1', GroupName: GROUP }))
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((missing as Error).message).toBe('Schedule towerless-schedule-1 does not exist.');
    await expect(
      client.send(new GetScheduleCommand({ Name: 'other', GroupName: 'no-such-group' })),
    ).rejects.toThrow('Schedule group no-such-group does not exist.');
  });

  it('refuses what the service refuses: a bad cron, a bad zone, no target role, a StartDate long past', async () => {
    const { client } = await start();
    const refused = (fields: Partial<CreateScheduleCommandInput>) =>
      client.send(new CreateScheduleCommand(schedule('refused', fields))).catch((error: unknown) => error);
    for (const fields of [
      { ScheduleExpression: 'cron(0 9 * * * *)' },
      { ScheduleExpression: 'cron(61 9 * * ? *)' },
      { ScheduleExpression: 'at(2030-01-01 10:00)' },
      { ScheduleExpressionTimezone: 'Mars/Olympus' },
      { Target: { Arn: TARGET } as never },
      { FlexibleTimeWindow: { Mode: 'FLEXIBLE' as const } },
      { StartDate: new Date(Date.now() - 3_600_000) },
    ])
      expect(await refused(fields)).toBeInstanceOf(ValidationException);
    expect(twin!.schedules()).toEqual([]);
  });

  it('fires a one-time schedule at its time with its input, once; a disabled one never; DELETE removes it after', async () => {
    const { client } = await start();
    const time = Math.ceil(Date.now() / 1000) * 1000 + 1000;
    await client.send(
      new CreateScheduleCommand(
        schedule('once', { ScheduleExpression: at(time), ScheduleExpressionTimezone: 'UTC' }),
      ),
    );
    await client.send(
      new CreateScheduleCommand(
        schedule('gone-after', {
          ScheduleExpression: at(time),
          ScheduleExpressionTimezone: 'UTC',
          ActionAfterCompletion: 'DELETE',
          Target: { Arn: TARGET, RoleArn: ROLE, Input: '"fail"' },
        }),
      ),
    );
    await client.send(
      new CreateScheduleCommand(schedule('off', { ScheduleExpression: at(time), State: 'DISABLED' })),
    );
    // In the past when made: never runs.
    await client.send(new CreateScheduleCommand(schedule('past', { ScheduleExpression: at(time - 60_000) })));
    await until(async () => (calls.length >= 2 ? calls : undefined), 5_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls.map((call) => call.fire.name).sort()).toEqual(['gone-after', 'once']);
    const once = calls.find((call) => call.fire.name === 'once')!;
    expect(once).toMatchObject({ arn: TARGET, input: '{"schedule":1}' });
    expect(once.fire.at.getTime()).toBe(time);
    expect(Date.now()).toBeGreaterThanOrEqual(time);
    await Promise.all(calls.map((call) => call.fire.done));
    expect(calls.find((call) => call.fire.name === 'gone-after')!.fire.error).toBe('the function failed');
    expect(
      twin!
        .schedules()
        .map((s) => s.Name)
        .sort(),
    ).toEqual(['off', 'once', 'past']);
  });

  it('fires a cron in its time zone on the clock it is given, from StartDate, before EndDate', async () => {
    // The twin's clock: 1.5 s before a whole minute of a fixed day, running at real speed.
    const virtualStart = Date.UTC(2027, 2, 14, 6, 59, 58, 500);
    const offset = virtualStart - Date.now();
    const { client } = await start(() => Date.now() + offset);
    // 08:00 in Berlin is 07:00 UTC in March (before the change on the 28th).
    await client.send(
      new CreateScheduleCommand(
        schedule('berlin', {
          ScheduleExpression: 'cron(0 8 * * ? *)',
          ScheduleExpressionTimezone: 'Europe/Berlin',
        }),
      ),
    );
    // From the next day only: not fired now.
    await client.send(
      new CreateScheduleCommand(
        schedule('tomorrow', {
          ScheduleExpression: 'cron(0 8 * * ? *)',
          StartDate: new Date(Date.UTC(2027, 2, 15)),
        }),
      ),
    );
    // Ended at the occurrence (EndDate is exclusive): not fired.
    await client.send(
      new CreateScheduleCommand(
        schedule('ended', {
          ScheduleExpression: 'cron(0 8 * * ? *)',
          EndDate: new Date(Date.UTC(2027, 2, 14, 7)),
        }),
      ),
    );
    await until(async () => (calls.length > 0 ? calls : undefined), 5_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls.map((call) => [call.fire.name, call.fire.at.toISOString()])).toEqual([
      ['berlin', '2027-03-14T07:00:00.000Z'],
    ]);
  });
});
