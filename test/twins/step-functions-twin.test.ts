import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListStateMachineVersionsCommand,
  PublishStateMachineVersionCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../lib/compiler/compile';
import { LIVE_ALIAS, stateMachineName, type DeploymentTarget } from '../../lib/compiler/target';
import { loadBundle } from '../../lib/model';
import { startStepFunctionsTwin, type StepFunctionsTwin } from './step-functions-twin';

const ROLE = 'arn:aws:iam::123456789012:role/towerless-state-machine';
const ECS_WAIT = 'arn:aws:states:::ecs:runTask.waitForTaskToken';
const LAMBDA = 'arn:aws:states:::lambda:invoke';
const LAMBDA_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const NESTED = 'arn:aws:states:::states:startExecution.sync:2';

let twin: StepFunctionsTwin;
let sfn: SFNClient;
/** What each test's Lambda functions and ECS do; reset before each test. */
let invokeFunction: (name: string, payload: unknown) => Promise<unknown>;
let runTask: (request: Record<string, unknown>) => Promise<unknown>;
const statusEvents: { detail: Record<string, unknown> }[] = [];

beforeAll(async () => {
  twin = await startStepFunctionsTwin({
    invokeFunction: (name, payload) => invokeFunction(name, payload),
    runTask: (request) => runTask(request),
    onExecutionStatusChange: (event) => statusEvents.push(event),
  });
  sfn = twin.client;
});

afterAll(() => twin.close());

beforeEach(() => {
  invokeFunction = () => Promise.reject(new Error('no function expected'));
  runTask = () => Promise.reject(new Error('no ECS task expected'));
});

/** Lambda calls of the current test, each with its payload's task token, in call order. */
function recordingFunction(result: unknown = {}): { payload: Record<string, unknown>; name: string }[] {
  const calls: { payload: Record<string, unknown>; name: string }[] = [];
  invokeFunction = async (name, payload) => {
    calls.push({ name, payload: payload as Record<string, unknown> });
    return result;
  };
  return calls;
}

async function createMachine(states: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const name = `m-${randomUUID()}`;
  const { stateMachineArn } = await sfn.send(
    new CreateStateMachineCommand({
      name,
      definition: JSON.stringify({ StartAt: Object.keys(states)[0], States: states }),
      roleArn: ROLE,
      ...extra,
    }),
  );
  return { name, arn: stateMachineArn! };
}

async function start(stateMachineArn: string, input: unknown = {}, name?: string): Promise<string> {
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), name }),
  );
  return executionArn!;
}

async function until<T>(read: () => T | undefined): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('timed out waiting');
}

async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: Error) => error,
  );
}

const waitForToken = (next: Record<string, unknown> = { End: true }) => ({
  Type: 'Task',
  Resource: LAMBDA_WAIT,
  Parameters: { FunctionName: 'approve', Payload: { 'token.$': '$$.Task.Token', 'input.$': '$' } },
  ...next,
});

describe('state machines, versions and aliases', () => {
  it('runs an execution on the version its alias pointed to when it started', async () => {
    const calls = recordingFunction();
    const definition = (marker: string) =>
      JSON.stringify({
        StartAt: 'Wait',
        States: {
          Wait: waitForToken({ ResultPath: null, Next: 'Mark' }),
          Mark: { Type: 'Pass', Result: marker, ResultPath: '$.version', End: true },
        },
      });
    const name = `m-${randomUUID()}`;
    const created = await sfn.send(
      new CreateStateMachineCommand({ name, definition: definition('one'), roleArn: ROLE, publish: true }),
    );
    expect(created.stateMachineArn).toBe(`arn:aws:states:us-east-1:123456789012:stateMachine:${name}`);
    expect(created.stateMachineVersionArn).toBe(`${created.stateMachineArn}:1`);
    const { stateMachineAliasArn } = await sfn.send(
      new CreateStateMachineAliasCommand({
        name: 'live',
        routingConfiguration: [{ stateMachineVersionArn: created.stateMachineVersionArn, weight: 100 }],
      }),
    );
    expect(stateMachineAliasArn).toBe(`${created.stateMachineArn}:live`);
    const first = await start(stateMachineAliasArn!, { who: 'first' });

    const updated = await sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn: created.stateMachineArn,
        definition: definition('two'),
        publish: true,
      }),
    );
    expect(updated.stateMachineVersionArn).toBe(`${created.stateMachineArn}:2`);
    // Publishing the revision that already is the latest version returns that version.
    const again = await sfn.send(
      new PublishStateMachineVersionCommand({ stateMachineArn: created.stateMachineArn }),
    );
    expect(again.stateMachineVersionArn).toBe(updated.stateMachineVersionArn);
    await sfn.send(
      new UpdateStateMachineAliasCommand({
        stateMachineAliasArn,
        routingConfiguration: [{ stateMachineVersionArn: updated.stateMachineVersionArn, weight: 100 }],
      }),
    );
    const second = await start(stateMachineAliasArn!, { who: 'second' });

    const tokens = await until(() =>
      calls.length === 2 ? calls.map((c) => c.payload.token as string) : undefined,
    );
    for (const token of tokens)
      await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    const [one, two] = await Promise.all([twin.executionEnded(first), twin.executionEnded(second)]);
    expect(JSON.parse(one.output as string)).toEqual({ who: 'first', version: 'one' });
    expect(one.stateMachineVersionArn).toBe(created.stateMachineVersionArn);
    expect(one.stateMachineAliasArn).toBe(stateMachineAliasArn);
    expect(JSON.parse(two.output as string)).toEqual({ who: 'second', version: 'two' });

    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: first }));
    expect(described).toMatchObject({
      status: 'SUCCEEDED',
      stateMachineArn: created.stateMachineArn,
      stateMachineVersionArn: created.stateMachineVersionArn,
      stateMachineAliasArn,
    });
    expect(described.stopDate).toBeInstanceOf(Date);
    const version1 = await sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineVersionArn }),
    );
    expect(version1.definition).toBe(definition('one'));
    const versions = await sfn.send(
      new ListStateMachineVersionsCommand({ stateMachineArn: created.stateMachineArn }),
    );
    expect(versions.stateMachineVersions?.map((v) => v.stateMachineVersionArn)).toEqual([
      updated.stateMachineVersionArn,
      created.stateMachineVersionArn,
    ]);
  });

  it('creates idempotently, refuses a different definition under the same name and an invalid one', async () => {
    const definition = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const name = `m-${randomUUID()}`;
    const create = (text: string) =>
      sfn.send(new CreateStateMachineCommand({ name, definition: text, roleArn: ROLE }));
    const first = await create(definition);
    expect((await create(definition)).stateMachineArn).toBe(first.stateMachineArn);
    expect((await rejection(create(definition.replace('Pass', 'Succeed')))).name).toBe(
      'StateMachineAlreadyExists',
    );
    const invalid = await rejection(
      sfn.send(
        new CreateStateMachineCommand({
          name: `m-${randomUUID()}`,
          definition: JSON.stringify({ StartAt: 'Nowhere', States: { P: { Type: 'Pass', End: true } } }),
          roleArn: ROLE,
        }),
      ),
    );
    expect(invalid.name).toBe('InvalidDefinition');
    const missing = await rejection(start(`${first.stateMachineArn}-gone`));
    expect(missing.name).toBe('StateMachineDoesNotExist');
  });

  it('answers an operation it does not do as AWS does', async () => {
    const response = await fetch(twin.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AWSStepFunctions.ListActivities',
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});

describe('StartExecution', () => {
  it('is idempotent for the same name and input while running, and refuses other input', async () => {
    recordingFunction();
    const { arn } = await createMachine({ Wait: waitForToken() });
    const first = await start(arn, { who: 'a' }, 'the-run');
    expect(first).toBe(`arn:aws:states:us-east-1:123456789012:execution:${arn.split(':').at(-1)}:the-run`);
    expect(await start(arn, { who: 'a' }, 'the-run')).toBe(first);
    expect((await rejection(start(arn, { who: 'b' }, 'the-run'))).name).toBe('ExecutionAlreadyExists');
    await sfn.send(new StopExecutionCommand({ executionArn: first }));
  });
});

describe('waitForTaskToken', () => {
  it('takes the output of SendTaskSuccess as the task result; the token is then spent', async () => {
    const calls = recordingFunction();
    const { arn } = await createMachine({ Wait: waitForToken({ ResultPath: '$.answer', End: true }) });
    const execution = await start(arn, { who: 'me' });
    const { payload, name } = await until(() => calls[0]);
    expect(name).toBe('approve');
    expect(payload.input).toEqual({ who: 'me' });
    const taskToken = payload.token as string;
    expect(
      (await rejection(sfn.send(new SendTaskSuccessCommand({ taskToken, output: 'not json' })))).name,
    ).toBe('InvalidOutput');
    expect(
      (await rejection(sfn.send(new SendTaskSuccessCommand({ taskToken: 'forged', output: '{}' })))).name,
    ).toBe('InvalidToken');
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{"approved":true}' }));
    const ended = await twin.executionEnded(execution);
    expect(JSON.parse(ended.output as string)).toEqual({ who: 'me', answer: { approved: true } });
    expect((await rejection(sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{}' })))).name).toBe(
      'TaskTimedOut',
    );
  });

  it('fails the state with the error and cause of SendTaskFailure, which Catch sees', async () => {
    const calls = recordingFunction();
    const { arn } = await createMachine({
      Wait: waitForToken({
        Catch: [{ ErrorEquals: ['Denied'], ResultPath: '$.failure', Next: 'Handled' }],
        End: true,
      }),
      Handled: { Type: 'Pass', End: true },
    });
    const execution = await start(arn, { who: 'me' });
    const { payload } = await until(() => calls[0]);
    await sfn.send(
      new SendTaskFailureCommand({ taskToken: payload.token as string, error: 'Denied', cause: 'not today' }),
    );
    const ended = await twin.executionEnded(execution);
    expect(ended.status).toBe('SUCCEEDED');
    expect(JSON.parse(ended.output as string).failure).toEqual({ Error: 'Denied', Cause: 'not today' });
  });

  it('times a task out when HeartbeatSeconds pass without a heartbeat', async () => {
    const requests: Record<string, unknown>[] = [];
    runTask = async (request) => (requests.push(request), { tasks: [{ taskArn: 'arn:task' }], failures: [] });
    const { arn } = await createMachine({
      Job: {
        Type: 'Task',
        Resource: ECS_WAIT,
        Parameters: { Cluster: 'c', TaskDefinition: 't', Overrides: { 'Token.$': '$$.Task.Token' } },
        HeartbeatSeconds: 1,
        Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.failure', Next: 'Late' }],
        End: true,
      },
      Late: { Type: 'Pass', End: true },
    });
    const began = Date.now();
    const execution = await start(arn);
    const request = await until(() => requests[0]);
    const taskToken = (request.overrides as { token: string }).token;
    await new Promise((resolve) => setTimeout(resolve, 600));
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken }));
    const ended = await twin.executionEnded(execution);
    // The heartbeat at 0.6 s moved the deadline to 1.6 s.
    expect(Date.now() - began).toBeGreaterThanOrEqual(1500);
    expect(JSON.parse(ended.output as string).failure.Error).toBe('States.HeartbeatTimeout');
    expect((await rejection(sfn.send(new SendTaskHeartbeatCommand({ taskToken })))).name).toBe(
      'TaskTimedOut',
    );
  });

  it('times a task out after TimeoutSeconds and fails the execution with States.Timeout', async () => {
    const calls = recordingFunction();
    const { arn } = await createMachine({
      Wait: waitForToken({
        TimeoutSeconds: 1,
        // A timeout is not a States.TaskFailed.
        Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Caught' }],
        End: true,
      }),
      Caught: { Type: 'Pass', End: true },
    });
    const execution = await start(arn);
    const ended = await twin.executionEnded(execution);
    expect(ended).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    const taskToken = calls[0].payload.token as string;
    expect((await rejection(sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{}' })))).name).toBe(
      'TaskTimedOut',
    );
  });

  it('gives every task entry its own token, across Parallel branches', async () => {
    const calls = recordingFunction();
    const branch = (id: string) => ({
      StartAt: `Wait ${id}`,
      States: {
        [`Wait ${id}`]: {
          Type: 'Task',
          Resource: LAMBDA_WAIT,
          Parameters: {
            FunctionName: 'f',
            Payload: { token: 'x', 'full.$': "States.Format('{}', $$.Task.Token)", id },
          },
          End: true,
        },
      },
    });
    const { arn } = await createMachine({
      Fork: { Type: 'Parallel', Branches: [branch('a'), branch('b'), branch('c')], End: true },
    });
    const execution = await start(arn);
    const all = await until(() => (calls.length === 3 ? calls : undefined));
    const tokens = all.map((c) => c.payload.full as string);
    expect(new Set(tokens).size).toBe(3);
    for (const call of all)
      await sfn.send(
        new SendTaskSuccessCommand({
          taskToken: call.payload.full as string,
          output: JSON.stringify(call.payload.id),
        }),
      );
    const ended = await twin.executionEnded(execution);
    expect(JSON.parse(ended.output as string)).toEqual(['a', 'b', 'c']);
    expect(twin.transitions(execution)).toBe(4);
  });
});

describe('Lambda request-response', () => {
  it('returns the invocation response, which ResultSelector reads', async () => {
    const calls = recordingFunction({ count: 3 });
    const { arn } = await createMachine({
      Whole: {
        Type: 'Task',
        Resource: LAMBDA,
        Parameters: {
          FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:count',
          'Payload.$': '$',
        },
        ResultPath: '$.whole',
        Next: 'Selected',
      },
      Selected: {
        Type: 'Task',
        Resource: LAMBDA,
        Parameters: { FunctionName: 'count', Payload: {} },
        ResultSelector: { 'count.$': '$.Payload.count', 'status.$': '$.StatusCode' },
        ResultPath: '$.selected',
        End: true,
      },
    });
    const ended = await twin.executionEnded(await start(arn, { n: 1 }));
    const output = JSON.parse(ended.output as string);
    expect(calls[0]).toEqual({
      name: 'arn:aws:lambda:us-east-1:123456789012:function:count',
      payload: { n: 1 },
    });
    expect(output.whole).toMatchObject({
      ExecutedVersion: '$LATEST',
      Payload: { count: 3 },
      StatusCode: 200,
    });
    expect(output.whole.SdkResponseMetadata.RequestId).toEqual(expect.any(String));
    expect(output.selected).toEqual({ count: 3, status: 200 });
  });

  it('retries a failing function after IntervalSeconds, then succeeds', async () => {
    const attempts: number[] = [];
    invokeFunction = async () => {
      attempts.push(Date.now());
      if (attempts.length === 1) throw Object.assign(new Error('try again'), { name: 'Flaky' });
      return 'done';
    };
    const { arn } = await createMachine({
      Call: {
        Type: 'Task',
        Resource: LAMBDA,
        Parameters: { FunctionName: 'f' },
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 2 }],
        OutputPath: '$.Payload',
        End: true,
      },
    });
    const ended = await twin.executionEnded(await start(arn));
    expect(ended.output).toBe('"done"');
    expect(attempts).toHaveLength(2);
    expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(950);
  });

  it('fails the execution with the function error when nothing catches it', async () => {
    invokeFunction = () => Promise.reject(Object.assign(new Error('no such row'), { name: 'NotFound' }));
    const { arn } = await createMachine({
      Call: { Type: 'Task', Resource: LAMBDA, Parameters: { FunctionName: 'f' }, End: true },
    });
    const ended = await twin.executionEnded(await start(arn));
    expect(ended).toMatchObject({ status: 'FAILED', error: 'NotFound' });
    expect(JSON.parse(ended.cause as string)).toEqual({
      errorType: 'NotFound',
      errorMessage: 'no such row',
      trace: [],
    });
  });
});

describe('nested executions (startExecution.sync:2)', () => {
  const parentOf = (childArn: string) =>
    createMachine({
      Child: {
        Type: 'Task',
        Resource: NESTED,
        Parameters: { StateMachineArn: childArn, Input: { 'value.$': '$.value' } },
        Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.failure', Next: 'Failed' }],
        End: true,
      },
      Failed: { Type: 'Pass', End: true },
    });

  it("returns the child's description with its output as JSON", async () => {
    const child = await createMachine({
      Double: { Type: 'Pass', Parameters: { 'twice.$': 'States.MathAdd($.value, $.value)' }, End: true },
    });
    const parent = await parentOf(child.arn);
    const ended = await twin.executionEnded(await start(parent.arn, { value: 21 }));
    const result = JSON.parse(ended.output as string);
    expect(result).toMatchObject({
      Status: 'SUCCEEDED',
      StateMachineArn: child.arn,
      Output: { twice: 42 },
      Input: { value: 21 },
      ExecutionArn: expect.stringContaining(`:execution:${child.name}:`),
    });
    expect(result.StopDate).toEqual(expect.any(Number));
  });

  it('fails the task with States.TaskFailed when the child fails', async () => {
    const child = await createMachine({ Fail: { Type: 'Fail', Error: 'Broken', Cause: 'it broke' } });
    const parent = await parentOf(child.arn);
    const ended = await twin.executionEnded(await start(parent.arn, { value: 1 }));
    const { failure } = JSON.parse(ended.output as string);
    expect(failure.Error).toBe('States.TaskFailed');
    expect(JSON.parse(failure.Cause)).toMatchObject({ Status: 'FAILED', Error: 'Broken', Cause: 'it broke' });
  });

  it('stops the child when the parent is stopped, and the waiting task tokens stop working', async () => {
    const calls = recordingFunction();
    const child = await createMachine({ Wait: waitForToken() });
    const parent = await parentOf(child.arn);
    const execution = await start(parent.arn, { value: 1 });
    const { payload } = await until(() => calls[0]);
    const { stopDate } = await sfn.send(
      new StopExecutionCommand({ executionArn: execution, error: 'Canceled', cause: 'by a user' }),
    );
    expect(stopDate).toBeInstanceOf(Date);
    expect(await twin.executionEnded(execution)).toMatchObject({
      status: 'ABORTED',
      error: 'Canceled',
      cause: 'by a user',
    });
    const childArn = statusEvents.find((e) => e.detail.stateMachineArn === child.arn)!.detail
      .executionArn as string;
    expect((await twin.executionEnded(childArn)).status).toBe('ABORTED');
    const taskToken = payload.token as string;
    expect((await rejection(sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{}' })))).name).toBe(
      'TaskTimedOut',
    );
  });
});

describe('ECS RunTask', () => {
  const job = {
    Type: 'Task',
    Resource: ECS_WAIT,
    Parameters: {
      Cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/runners',
      TaskDefinition: 'runner:3',
      LaunchType: 'FARGATE',
      NetworkConfiguration: { AwsvpcConfiguration: { Subnets: ['subnet-1'], AssignPublicIp: 'DISABLED' } },
      Overrides: {
        ContainerOverrides: [
          { Name: 'Runner', Environment: [{ Name: 'TASK_TOKEN', 'Value.$': '$$.Task.Token' }] },
        ],
      },
    },
    HeartbeatSeconds: 60,
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Failed' }],
    End: true,
  };

  it("sends ECS its camelCase request with the task's token, then waits for the token", async () => {
    const requests: Record<string, unknown>[] = [];
    runTask = async (request) => {
      requests.push(request);
      return { tasks: [{ taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/runners/1' }], failures: [] };
    };
    const { arn } = await createMachine({ Job: job, Failed: { Type: 'Pass', End: true } });
    const execution = await start(arn);
    const request = await until(() => requests[0]);
    const environment = (
      request as { overrides: { containerOverrides: { environment: { name: string; value: string }[] }[] } }
    ).overrides.containerOverrides[0].environment;
    expect(request).toMatchObject({
      cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/runners',
      taskDefinition: 'runner:3',
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'], assignPublicIp: 'DISABLED' } },
      overrides: { containerOverrides: [{ name: 'Runner' }] },
    });
    expect(environment[0].name).toBe('TASK_TOKEN');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: environment[0].value, output: '{"rc":0}' }));
    expect(JSON.parse((await twin.executionEnded(execution)).output as string)).toEqual({ rc: 0 });
  });

  it('fails the state with ECS.AmazonECSException when RunTask returns only failures', async () => {
    const failures = [
      { arn: 'arn:aws:ecs:us-east-1:123456789012:container-instance/x', reason: 'RESOURCE:MEMORY' },
    ];
    runTask = async () => ({ tasks: [], failures });
    const { arn } = await createMachine({ Job: job, Failed: { Type: 'Pass', End: true } });
    const ended = await twin.executionEnded(await start(arn));
    const { failure } = JSON.parse(ended.output as string);
    expect(failure.Error).toBe('ECS.AmazonECSException');
    expect(JSON.parse(failure.Cause)).toEqual(failures);
  });

  it('fails the state with ECS.<name> when RunTask is refused', async () => {
    runTask = () =>
      Promise.reject(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }));
    const { arn } = await createMachine({ Job: job, Failed: { Type: 'Pass', End: true } });
    const ended = await twin.executionEnded(await start(arn));
    expect(JSON.parse(ended.output as string).failure).toEqual({
      Error: 'ECS.AccessDeniedException',
      Cause: 'not allowed',
    });
  });
});

describe('observing executions', () => {
  it('sends a status change event when an execution starts and when it ends', async () => {
    const { arn } = await createMachine({ Fail: { Type: 'Fail', Error: 'Nope', Cause: 'because' } });
    const execution = await start(arn, { a: 1 });
    await twin.executionEnded(execution);
    const mine = statusEvents.filter((e) => e.detail.executionArn === execution);
    expect(mine.map((e) => e.detail.status)).toEqual(['RUNNING', 'FAILED']);
    expect(mine[1]).toMatchObject({
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      detail: { stateMachineArn: arn, input: '{"a":1}', output: null, error: 'Nope', cause: 'because' },
    });
    expect(mine[1].detail.stopDate).toEqual(expect.any(Number));
  });

  it('pages the history forwards and backwards', async () => {
    recordingFunction('ok');
    const { arn } = await createMachine({
      One: { Type: 'Pass', Next: 'Call' },
      Call: { Type: 'Task', Resource: LAMBDA, Parameters: { FunctionName: 'f' }, Next: 'Three' },
      Three: { Type: 'Pass', End: true },
    });
    const execution = await start(arn);
    await twin.executionEnded(execution);
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn: execution, maxResults: 3, nextToken }),
      );
      expect(page.events!.length).toBeLessThanOrEqual(3);
      events.push(...page.events!);
      nextToken = page.nextToken;
    } while (nextToken);
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events[4].taskScheduledEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke',
      region: 'us-east-1',
      parameters: '{"FunctionName":"f"}',
    });
    expect(events[0].timestamp).toBeInstanceOf(Date);
    const reversed = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: execution, reverseOrder: true, maxResults: 1 }),
    );
    expect(reversed.events!.map((e) => e.type)).toEqual(['ExecutionSucceeded']);
    expect(twin.transitions(execution)).toBe(3);
  });
});

describe('a compiled Towerless workflow', () => {
  const prefix = 'arn:aws:states:us-east-1:123456789012:stateMachine:';
  const target: DeploymentTarget = {
    cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/towerless',
    taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/towerless-runner:1',
    containerName: 'runner',
    subnets: ['subnet-0abc'],
    securityGroups: ['sg-0abc'],
    assignPublicIp: false,
    approvalFunction: 'arn:aws:lambda:us-east-1:123456789012:function:towerless-approval',
    syncFunction: 'arn:aws:lambda:us-east-1:123456789012:function:towerless-sync',
    recordFunction: 'arn:aws:lambda:us-east-1:123456789012:function:towerless-record',
    stateMachineArnPrefix: prefix,
  };

  /** Deploys a workflow as the stack does: the machine, a version, and the live alias on it. */
  async function deploy(workflow: string): Promise<string> {
    const guide = loadBundle('examples/guide').bundle;
    const { definition } = compileWorkflow(guide, workflow, { target });
    const name = stateMachineName(workflow);
    const { stateMachineVersionArn } = await sfn.send(
      new CreateStateMachineCommand({
        name,
        definition: JSON.stringify(definition),
        roleArn: ROLE,
        publish: true,
      }),
    );
    const { stateMachineAliasArn } = await sfn.send(
      new CreateStateMachineAliasCommand({
        name: LIVE_ALIAS,
        routingConfiguration: [{ stateMachineVersionArn, weight: 100 }],
      }),
    );
    return stateMachineAliasArn!;
  }

  it('runs nested workflows to success, every job answered through its task token', async () => {
    await deploy('Full Deployment Pipeline');
    const alias = await deploy('Multi-Region Deployment');
    const jobs: string[] = [];
    const records: unknown[] = [];
    runTask = async (request) => {
      const environment = (
        request as { overrides: { containerOverrides: { environment: { name: string; value: string }[] }[] } }
      ).overrides.containerOverrides[0].environment;
      const value = (name: string) => environment.find((e) => e.name === name)!.value;
      jobs.push(value('TOWERLESS_NODE'));
      // The runner answers once it has started: after RunTask returned.
      setTimeout(
        () =>
          void sfn.send(
            new SendTaskSuccessCommand({ taskToken: value('TOWERLESS_TASK_TOKEN'), output: '{}' }),
          ),
        1,
      );
      return {
        tasks: [{ taskArn: `arn:aws:ecs:us-east-1:123456789012:task/towerless/${randomUUID()}` }],
        failures: [],
      };
    };
    invokeFunction = async (name, payload) => {
      expect(name).toBe(target.recordFunction);
      records.push(payload);
      // A spawn record returns the nested workflow job's id.
      return (payload as { action: string }).action === 'spawn' ? { id: randomUUID() } : {};
    };
    const execution = await start(alias, { wj: { id: randomUUID() }, anc: '|', o: { s: {}, f: {} } });
    const ended = await twin.executionEnded(execution);
    expect(ended.status).toBe('SUCCEEDED');
    // Two nested pipelines; each runs provision, configure, deploy and notify (no rollback).
    expect(jobs).toHaveLength(8);
    expect(jobs.filter((j) => j.endsWith('/deploy'))).toHaveLength(2);
    expect(records).toContainEqual(expect.objectContaining({ action: 'finish', status: 'successful' }));
    expect(twin.transitions(execution)).toBeGreaterThan(5);
  });
});
