import {
  ClientException,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  InvalidParameterException,
  ListClustersCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ECSClient,
  type RunTaskCommandInput,
} from '@aws-sdk/client-ecs';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { startEcsTwin, type EcsTaskStateChange, type EcsTwin } from './ecs-twin';

/**
 * The container the twin runs here: a small Node program whose behaviour its command (a container
 * override's `command`, appended to the entrypoint) picks: print its environment, exit with a
 * code, or run until stopped, with or without minding SIGTERM.
 */
const CONTAINER = `
const [mode, arg] = process.argv.slice(1);
const mine = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(T_|AWS_)/.test(k)));
console.log(JSON.stringify(mine));
console.error('to stderr');
if (mode === 'exit') process.exit(Number(arg));
if (mode === 'orphan') {
  console.log(String(require('child_process').spawn('sleep', ['60'], { stdio: 'ignore' }).pid));
  process.exit(0);
}
if (mode === 'deaf') process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
if (mode === 'graceful') process.on('SIGTERM', () => { console.log('bye'); process.exit(0); });
setInterval(() => undefined, 1000);
console.log('ready');
`;

let twin: EcsTwin;
let ecs: ECSClient;
const events: EcsTaskStateChange[] = [];

beforeAll(async () => {
  twin = await startEcsTwin({
    region: 'eu-west-1',
    account: '111122223333',
    entrypoint: [process.execPath, '-e', CONTAINER],
    taskEnvironment: { T_IMAGE: 'image', T_LAYER: 'image', AWS_ACCESS_KEY_ID: 'role' },
    stopTimeoutSeconds: 0.5,
    onTaskStateChange: (event) => events.push(event),
  });
  ecs = twin.client;
  await register('app');
});

afterAll(() => twin.close());
beforeEach(() => {
  events.length = 0;
});

function register(family: string, extra: object = {}) {
  return ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '1024',
      memory: '2048',
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      containerDefinitions: [
        {
          name: 'main',
          image: 'example/app:latest',
          environment: [
            { name: 'T_LAYER', value: 'definition' },
            { name: 'T_DEFINITION', value: 'yes' },
          ],
        },
      ],
      ...extra,
    }),
  );
}

const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-1'], assignPublicIp: 'ENABLED' as const } };

async function run(command: string[], input: Partial<RunTaskCommandInput> = {}): Promise<string> {
  const { tasks, failures } = await ecs.send(
    new RunTaskCommand({
      cluster: 'runners',
      taskDefinition: 'app',
      launchType: 'FARGATE',
      networkConfiguration: NETWORK,
      overrides: {
        containerOverrides: [
          { name: 'main', command, environment: [{ name: 'T_LAYER', value: 'override' }] },
        ],
      },
      ...input,
    }),
  );
  expect(failures).toEqual([]);
  return tasks![0].taskArn!;
}

async function ready(arn: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!twin.logs(arn).includes('ready')) {
    if (Date.now() > deadline) throw new Error('the container never got ready');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('task definitions', () => {
  it('counts revisions per family and describes them by ARN, family:revision or family', async () => {
    const first = (await register('counted')).taskDefinition!;
    const second = (await register('counted')).taskDefinition!;
    expect(first).toMatchObject({
      taskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/counted:1',
      family: 'counted',
      revision: 1,
      status: 'ACTIVE',
      cpu: '1024',
      memory: '2048',
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      compatibilities: expect.arrayContaining(['FARGATE']),
    });
    expect(first.registeredAt).toBeInstanceOf(Date);
    expect(second.taskDefinitionArn).toMatch(/counted:2$/);
    for (const reference of ['counted', 'counted:2', second.taskDefinitionArn!]) {
      const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: reference }));
      expect(described.taskDefinition!.revision).toBe(2);
    }
    expect(
      (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'counted:1' }))).taskDefinition!
        .containerDefinitions![0].environment,
    ).toEqual([
      { name: 'T_LAYER', value: 'definition' },
      { name: 'T_DEFINITION', value: 'yes' },
    ]);
  });

  it('refuses what ECS refuses, with its exception', async () => {
    await expect(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope' }))).rejects.toThrow(
      ClientException,
    );
    await expect(register('no-cpu', { cpu: undefined })).rejects.toThrow(
      /'cpu' be defined at the task level/,
    );
    await expect(register('bridge', { networkMode: 'bridge' })).rejects.toThrow(ClientException);
    await expect(register('bad family!')).rejects.toThrow(/invalid characters/);
  });

  it('answers operations it does not do as unknown', async () => {
    await expect(ecs.send(new ListClustersCommand({}))).rejects.toMatchObject({
      name: 'UnknownOperationException',
    });
  });
});

describe('RunTask', () => {
  it('runs the container with Fargate’s, the image’s, the definition’s and the override’s environment, then stops it when it exits', async () => {
    const arn = await run(['exit', '4']);
    expect(arn).toMatch(/^arn:aws:ecs:eu-west-1:111122223333:task\/runners\/[0-9a-f]{32}$/);
    const stopped = await twin.stopped(arn);
    expect(JSON.parse(twin.logs(arn)[0])).toEqual({
      AWS_EXECUTION_ENV: 'AWS_ECS_FARGATE',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'role',
      T_IMAGE: 'image',
      T_DEFINITION: 'yes',
      T_LAYER: 'override',
    });
    expect(twin.errors(arn)).toEqual(['to stderr']);
    expect(stopped).toMatchObject({
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: [{ name: 'main', exitCode: 4, lastStatus: 'STOPPED' }],
    });
    // DescribeTasks says the same, over the wire.
    const described = await ecs.send(new DescribeTasksCommand({ cluster: 'runners', tasks: [arn] }));
    expect(described.tasks![0]).toMatchObject({
      taskArn: arn,
      clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/runners',
      taskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/app:1',
      lastStatus: 'STOPPED',
      launchType: 'FARGATE',
      group: 'family:app',
      containers: [{ exitCode: 4 }],
    });
    expect(described.tasks![0].stoppedAt).toBeInstanceOf(Date);
  });

  it('tells each state change as EventBridge’s ECS Task State Change event', async () => {
    const arn = await run(['exit', '0']);
    await twin.stopped(arn);
    expect(events.map((e) => [e.detail.lastStatus, e.detail.desiredStatus])).toEqual([
      ['RUNNING', 'RUNNING'],
      ['STOPPED', 'STOPPED'],
    ]);
    const [, stopped] = events;
    expect(stopped).toMatchObject({
      source: 'aws.ecs',
      'detail-type': 'ECS Task State Change',
      account: '111122223333',
      region: 'eu-west-1',
      resources: [arn],
      detail: {
        clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/runners',
        taskArn: arn,
        taskDefinitionArn: expect.stringMatching(/task-definition\/app:1$/),
        stopCode: 'EssentialContainerExited',
        containers: [{ name: 'main', exitCode: 0, lastStatus: 'STOPPED' }],
        overrides: {
          containerOverrides: [
            { name: 'main', environment: [{ name: 'T_LAYER', value: 'override' }], command: ['exit', '0'] },
          ],
        },
        group: 'family:app',
        launchType: 'FARGATE',
        startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        stoppedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    });
  });

  it('runs on the Fargate capacity provider, and by family:revision', async () => {
    const arn = await run(['exit', '0'], {
      taskDefinition: 'app:1',
      launchType: undefined,
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
    });
    expect(await twin.stopped(arn)).toMatchObject({
      launchType: 'FARGATE',
      capacityProviderName: 'FARGATE_SPOT',
    });
  });

  it('refuses what ECS refuses, starting nothing', async () => {
    const before = twin.tasks().length;
    const missing = run(['exit', '0'], { taskDefinition: 'missing' });
    await expect(missing).rejects.toThrow(ClientException);
    await expect(missing).rejects.toThrow('TaskDefinition not found.');
    const sidecar = run(['exit', '0'], {
      overrides: { containerOverrides: [{ name: 'sidecar', environment: [] }] },
    });
    await expect(sidecar).rejects.toThrow(InvalidParameterException);
    await expect(sidecar).rejects.toThrow(
      'Override for container named sidecar is not a container in the TaskDefinition.',
    );
    await expect(run(['exit', '0'], { networkConfiguration: undefined })).rejects.toThrow(
      /Network Configuration must be provided/,
    );
    await expect(
      run(['exit', '0'], { capacityProviderStrategy: [{ capacityProvider: 'FARGATE' }] }),
    ).rejects.toThrow(/both a launch type and capacity provider strategy/);
    expect(twin.tasks()).toHaveLength(before);
  });
});

describe('stopping tasks', () => {
  it('StopTask sends SIGTERM: a container that exits on it stops UserInitiated with the reason', async () => {
    const arn = await run(['graceful']);
    await ready(arn);
    const { task } = await ecs.send(
      new StopTaskCommand({ cluster: 'runners', task: arn, reason: 'canceled' }),
    );
    expect(task).toMatchObject({
      desiredStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'canceled',
    });
    const stopped = await twin.stopped(arn);
    expect(stopped).toMatchObject({ stopCode: 'UserInitiated', containers: [{ exitCode: 0 }] });
    expect(twin.logs(arn).at(-1)).toBe('bye');
    expect(events.map((e) => [e.detail.lastStatus, e.detail.desiredStatus])).toEqual([
      ['RUNNING', 'RUNNING'],
      ['RUNNING', 'STOPPED'],
      ['STOPPED', 'STOPPED'],
    ]);
  });

  it('kills a container that ignores SIGTERM after the stop timeout (exit code 137)', async () => {
    const arn = await run(['deaf']);
    await ready(arn);
    const started = Date.now();
    await ecs.send(new StopTaskCommand({ cluster: 'runners', task: arn.slice(arn.lastIndexOf('/') + 1) }));
    const stopped = await twin.stopped(arn);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(twin.logs(arn)).toContain('ignoring SIGTERM');
    expect(stopped).toMatchObject({
      stopCode: 'UserInitiated',
      stoppedReason: 'Task stopped by user',
      containers: [{ exitCode: 137 }],
    });
  });

  it('a crashed container (SIGKILL) stops the task EssentialContainerExited, with the container’s reason', async () => {
    const arn = await run(['sleep']);
    await ready(arn);
    twin.crash(arn, 'OutOfMemoryError: Container killed due to memory usage');
    expect(await twin.stopped(arn)).toMatchObject({
      stopCode: 'EssentialContainerExited',
      containers: [{ exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }],
    });
  });

  it('kills what the container left running when its main process ends', async () => {
    const arn = await run(['orphan']);
    await twin.stopped(arn);
    const pid = Number(twin.logs(arn)[1]);
    const alive = () => {
      try {
        // A zombie not reaped yet is dead too.
        return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2].startsWith('Z');
      } catch {
        return false;
      }
    };
    expect(await eventually(() => !alive(), 5000)).toBe(true);
  });

  it('DescribeTasks and StopTask name tasks they do not know as ECS does', async () => {
    const missing = 'arn:aws:ecs:eu-west-1:111122223333:task/runners/0123';
    expect(await ecs.send(new DescribeTasksCommand({ cluster: 'runners', tasks: [missing] }))).toMatchObject({
      tasks: [],
      failures: [{ arn: missing, reason: 'MISSING' }],
    });
    await expect(ecs.send(new StopTaskCommand({ cluster: 'runners', task: missing }))).rejects.toThrow(
      InvalidParameterException,
    );
  });
});
