import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServices } from '../../lib/api/services';
import type { ApiServices } from '../../lib/api/context';
import { RUNNER_PROJECTS_ROOT } from '../../lib/aws/deployed-catalog';
import { deployedExecution, deployedRuntime, type DeployedRuntime } from '../../lib/aws/deployed-runtime';
import { SCHEDULE } from '../../lib/catalog/resources/others';
import { WORKFLOW_JOB_TEMPLATE } from '../../lib/catalog/resources/templates';
import { FUNCTION_ENVIRONMENT } from '../../lib/infra/function-environment';
import { isFinished } from '../../lib/jobs/job-status';
import { SCHEDULE_RECORD_FILTER, schedulerScheduleName } from '../../lib/schedules/scheduler-schedules';
import type { WorkflowJobRecord } from '../../lib/store/records';
import { until } from '../support/eventually';
import { loadHandlers, type FunctionHandler } from '../twins/deployed-functions';
import { lambdaContext } from '../twins/lambda-context';
import { startAwsTwin, TWIN_ACCOUNT, TWIN_REGION, type AwsTwin } from '../twins/aws-twin';
import { matchesEventFilter } from '../twins/event-filter';
import { startSchedulerTwin, type SchedulerTwin } from '../twins/scheduler-twin';

/**
 * AWX schedules on the deployed path: a schedule saved in the catalog reaches the scheduler
 * function through the table stream (the DynamoDB stream twin, filtered with the event source
 * mapping's pattern), which makes its EventBridge Scheduler schedule (the twin); the twin fires it,
 * invoking the function, which launches the workflow through Step Functions (the AWS twin) and
 * plans the next at().
 */
const GROUP = 'towerless-test';
const TARGET = `arn:aws:lambda:${TWIN_REGION}:${TWIN_ACCOUNT}:function:towerless-test-scheduler`;
let handlers: Record<string, FunctionHandler> = {};
let aws: AwsTwin;
let scheduler: SchedulerTwin;
let runtime: DeployedRuntime;
let services: ApiServices;
/** The keys (`pk`) of the stream records the filter passed to the function, and of all. */
const passed: string[] = [];
const streamed: string[] = [];
/** Records of these items are not delivered: the stream behind. */
const behind = new Set<string>();
let organization: number;

beforeAll(async () => {
  aws = await startAwsTwin({
    invokeFunction: (name, payload) =>
      handlers[name.slice(name.lastIndexOf('towerless-') + 10)](payload, lambdaContext(name)),
    runTask: () =>
      Promise.reject(Object.assign(new Error('no runner in this test'), { name: 'AccessDenied' })),
    onExecutionStatusChange: (event) => void handlers.lifecycle(event, lambdaContext('lifecycle')),
    // The scheduler function's event source mapping on the table stream, with its filter.
    onStream: async (records) => {
      streamed.push(...records.map((record) => String(record.dynamodb.Keys.pk.S)));
      const batch = records.filter(
        (record) =>
          matchesEventFilter(SCHEDULE_RECORD_FILTER, record) &&
          !behind.has(String(record.dynamodb.Keys.pk.S)),
      );
      passed.push(...batch.map((record) => String(record.dynamodb.Keys.pk.S)));
      if (batch.length > 0)
        await handlers.scheduler(
          { Records: batch } as unknown as DynamoDBStreamEvent,
          lambdaContext('scheduler'),
        );
    },
  });
  scheduler = await startSchedulerTwin({
    region: TWIN_REGION,
    account: TWIN_ACCOUNT,
    groups: [GROUP],
    invoke: (arn, input) => {
      expect(arn).toBe(TARGET);
      return handlers.scheduler(JSON.parse(input ?? 'null'), lambdaContext('scheduler'));
    },
  });
  // What the stack gives the scheduler function (lib/infra/schedules.ts).
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SCHEDULER: scheduler.endpoint,
    [FUNCTION_ENVIRONMENT.schedulerGroup]: GROUP,
    [FUNCTION_ENVIRONMENT.schedulerRoleArn]: `arn:aws:iam::${TWIN_ACCOUNT}:role/towerless-schedules`,
    [FUNCTION_ENVIRONMENT.schedulerTargetArn]: TARGET,
  });
  handlers = await loadHandlers(['record', 'approval', 'sync', 'lifecycle', 'scheduler']);
  runtime = await deployedRuntime();
  // The catalog as the API keeps it.
  services = await createApiServices(
    runtime.table,
    { writer: aws.secrets, reader: runtime.secrets },
    {
      jobs: runtime.store,
      events: { events: () => Promise.resolve([]) },
      execution: deployedExecution(runtime, process.env),
      projectsRoot: RUNNER_PROJECTS_ROOT,
    },
    { publicUrl: () => 'https://towerless.test' },
  );
  organization = (await services.catalog.findByName('organization', 'Default'))!.id;
}, 30_000);

afterAll(async () => {
  await scheduler?.close();
  await aws?.close();
});

/** A workflow job template without nodes (its machine runs without a runner) that takes variables. */
async function workflow(name: string): Promise<number> {
  return (
    await services.definitions.create(WORKFLOW_JOB_TEMPLATE, {
      name,
      organization,
      ask_variables_on_launch: true,
    })
  ).id;
}

async function schedule(template: number, fields: Record<string, unknown>): Promise<number> {
  const record = await services.definitions.create(SCHEDULE, { unified_job_template: template, ...fields });
  await until(async () => held(record.id));
  return record.id;
}

const held = (id: number) => scheduler.schedules(GROUP).find((s) => s.Name === schedulerScheduleName(id));

/** `DTSTART` of an instant, UTC, whole seconds. */
const stamp = (instant: number) => new Date(instant).toISOString().replace(/[-:]/g, '').slice(0, 15);
const atOf = (instant: number) => `at(${new Date(instant).toISOString().slice(0, 19)})`;

async function jobsOf(template: number): Promise<WorkflowJobRecord[]> {
  return (await runtime.store.listWorkflowJobs()).filter((job) => job.workflow_job_template === template);
}

describe('schedules on the deployed path', () => {
  it('makes the Scheduler schedule of a rule cron cannot say, launches the workflow at each fire, plans the next at() and deletes it after the last', async () => {
    const template = await workflow('Twice soon');
    // Two occurrences four seconds apart (BYSECOND, COUNT: no cron says it).
    const first = Math.ceil(Date.now() / 1000) * 1000 + 3000;
    const second = first + 4000;
    const seconds = [first, second].map((instant) => new Date(instant).getUTCSeconds());
    const id = await schedule(template, {
      name: 'Twice',
      rrule: `DTSTART:${stamp(first)}Z RRULE:FREQ=MINUTELY;INTERVAL=1;BYSECOND=${seconds.join(',')};COUNT=2`,
      extra_data: { window: 'night' },
    });
    expect(held(id)).toMatchObject({
      ScheduleExpression: atOf(first),
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'NONE',
      Target: {
        Arn: TARGET,
        RoleArn: process.env[FUNCTION_ENVIRONMENT.schedulerRoleArn],
        Input: `{"schedule":${id}}`,
      },
    });

    // The first fire: the next at() planned, the workflow launched and run.
    const launched = await until(
      async () => ((await jobsOf(template)).length > 0 ? jobsOf(template) : undefined),
      10_000,
    );
    expect(launched).toHaveLength(1);
    expect(held(id)!.ScheduleExpression).toBe(atOf(second));
    expect(launched[0]).toMatchObject({
      launch_type: 'scheduled',
      schedule: { id, name: 'Twice' },
      extra_vars: { window: 'night' },
    });
    expect(Date.parse(launched[0].created)).toBeGreaterThanOrEqual(first);
    const done = await until(async () => {
      const job = await runtime.store.getWorkflowJob(launched[0].id);
      return job && isFinished(job.status) ? job : undefined;
    }, 15_000);
    expect(done.status).toBe('successful');

    // The second and last: launched, and the Scheduler schedule goes.
    const both = await until(
      async () => ((await jobsOf(template)).length > 1 ? jobsOf(template) : undefined),
      15_000,
    );
    expect(both).toHaveLength(2);
    await until(async () => (held(id) ? undefined : true), 5_000);
    expect(
      scheduler.fired.filter((fire) => fire.input === `{"schedule":${id}}`).map((fire) => fire.at.getTime()),
    ).toEqual([first, second]);
  }, 40_000);

  it('makes a cron for an exact rule, and deletes the Scheduler schedule when the schedule is disabled or deleted', async () => {
    const template = await workflow('Nightly');
    const id = await schedule(template, {
      name: 'Nightly',
      rrule: 'DTSTART;TZID=Europe/Berlin:20260105T020000 RRULE:FREQ=DAILY;INTERVAL=1',
    });
    expect(held(id)).toMatchObject({
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      StartDate: expect.any(String),
    });
    expect(Date.parse(held(id)!.StartDate!)).toBeGreaterThan(Date.now());

    await services.definitions.update(SCHEDULE, id, { enabled: false });
    await until(async () => (held(id) ? undefined : true));
    await services.definitions.update(SCHEDULE, id, { enabled: true });
    await until(async () => held(id));
    await services.definitions.delete(SCHEDULE, id);
    await until(async () => (held(id) ? undefined : true));
    // Only the main items of schedule records reach the function: not the template's, nor names.
    expect(streamed).toContain(`workflow_job_template#${template}`);
    expect(streamed.some((pk) => pk.startsWith('NAME#schedule#'))).toBe(true);
    expect(new Set(passed)).toEqual(new Set(streamed.filter((pk) => /^schedule#\d+$/.test(pk))));
  });

  it('launches nothing for a schedule deleted before its Scheduler schedule was (the stream behind), and deletes that one', async () => {
    const template = await workflow('Gone before');
    const at = Math.ceil(Date.now() / 1000) * 1000 + 2000;
    const id = await schedule(template, {
      name: 'Gone',
      rrule: `DTSTART:${stamp(at)}Z RRULE:FREQ=MINUTELY;INTERVAL=1;COUNT=1`,
    });
    expect(held(id)!.ScheduleExpression).toBe(atOf(at));
    behind.add(`schedule#${id}`);
    await services.definitions.delete(SCHEDULE, id);
    await until(
      async () => (scheduler.fired.some((fire) => fire.input === `{"schedule":${id}}`) ? true : undefined),
      5_000,
    );
    await until(async () => (held(id) ? undefined : true), 5_000);
    expect(await jobsOf(template)).toEqual([]);
  });
});
