import {
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type RunTaskCommandInput,
} from '@aws-sdk/client-ecs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployedExecution, deployedRuntime, type DeployedRuntime } from '../../lib/aws/deployed-runtime';
import { HEARTBEAT_ENVIRONMENT } from '../../lib/compiler/target';
import { FUNCTION_ENVIRONMENT } from '../../lib/infra/function-environment';
import { isFinished } from '../../lib/jobs/job-status';
import { launchWorkflow } from '../../lib/launch/launch-workflow';
import { loadBundle } from '../../lib/model';
import type { Bundle } from '../../lib/model/types';
import type { WorkflowJobRecord } from '../../lib/store/records';
import { until } from '../support/eventually';
import { gitProject } from '../support/git-project';
import { startAwsTwin, type AwsTwin } from '../twins/aws-twin';
import { startEcsTwin, type EcsTwin } from '../twins/ecs-twin';
import { invokeByArn, loadHandlers, type FunctionHandler } from '../twins/deployed-functions';
import { lambdaContext } from '../twins/lambda-context';

/**
 * Runner tasks as ECS runs them, on the AWS twin and the ECS twin: each job node's
 * `ecs:runTask.waitForTaskToken` goes to the ECS twin through the real ECSClient, which starts
 * the runner image's bundled entrypoint as a child process with a Fargate task's environment; the
 * runner reports to its task token over the wire, and stopped tasks reach the task watcher as
 * EventBridge's "ECS Task State Change" events.
 */
const root = join(__dirname, '../..');
/**
 * The compiled tasks' HeartbeatSeconds is 300 and launches cannot lower it: the containers are told
 * 3 (beats every second), as a machine compiled with `heartbeatSeconds: 3` would tell them.
 */
const HEARTBEAT_SECONDS = '3';

let twin: AwsTwin;
let ecs: EcsTwin;
let handlers: Record<string, FunctionHandler> = {};
let runtime: DeployedRuntime;
let bundle: Bundle;
let baseDir: string;
/** What the stack's functions threw when EventBridge called them (none expected). */
const eventErrors: unknown[] = [];

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, 'scripts/build-cli.mjs'), '--runner']);
  const repo = gitProject({
    'ok.yml':
      '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.set_stats: { data: { done: yes }, per_host: false }\n',
    'slow.yml':
      '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.pause: { seconds: 120 }\n',
  });
  baseDir = mkdtempSync(join(tmpdir(), 'towerless-runner-tasks-'));
  writeFileSync(
    join(baseDir, 'bundle.yml'),
    `projects: [{ name: P, scm_type: git, scm_url: ${repo.url} }]
inventories: [{ name: I, hosts: { localhost: { ansible_connection: local, ansible_python_interpreter: /usr/bin/python3 } } }]
job_templates:
  - { name: Ok, project: P, inventory: I, playbook: ok.yml }
  - { name: Slow, project: P, inventory: I, playbook: slow.yml }
  - { name: Placed, project: P, inventory: I, playbook: ok.yml, execution_environment: Team EE, instance_groups: [spot] }
execution_environments:
  - { name: Team EE, image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/team-runner:7 }
instance_groups:
  - name: spot
    is_container_group: true
    pod_spec_override: |
      spec:
        nodeSelector: { eks.amazonaws.com/capacityType: SPOT }
        containers: [{ resources: { requests: { cpu: '2', memory: 3Gi } } }]
workflow_job_templates:
  - name: Pipeline
    workflow_nodes:
      - { identifier: first, unified_job_template: Ok, success_nodes: [second] }
      - { identifier: second, unified_job_template: Ok }
  - name: Guarded
    workflow_nodes:
      - { identifier: slow, unified_job_template: Slow, failure_nodes: [cleanup] }
      - { identifier: cleanup, unified_job_template: Ok }
  - name: Long
    workflow_nodes:
      - { identifier: slow, unified_job_template: Slow }
  - name: Placement
    workflow_nodes:
      - { identifier: placed, unified_job_template: Placed }
`,
  );
  bundle = loadBundle(join(baseDir, 'bundle.yml')).bundle;
  twin = await startAwsTwin({
    invokeFunction: (arn, payload) => invokeByArn(handlers)(arn, payload),
    runTask: (request) => ecs.client.send(new RunTaskCommand(request as unknown as RunTaskCommandInput)),
    onExecutionStatusChange: (event) => deliver('lifecycle', event),
  });
  handlers = await loadHandlers(['record', 'approval', 'sync', 'lifecycle', 'task-watcher']);
  const pick = (...names: string[]) =>
    Object.fromEntries(names.map((name) => [name, twin.environment[name]]));
  ecs = await startEcsTwin({
    // The stack's cluster runs tasks on Fargate unless told otherwise.
    defaultCapacityProvider: 'FARGATE',
    region: twin.environment.AWS_REGION,
    // What the image sets (runner-image/Dockerfile), and what AWS gives the task: the endpoints
    // stand for AWS itself, the keys for the task role's credentials.
    taskEnvironment: {
      TOWERLESS_WORK_DIR: mkdtempSync(join(tmpdir(), 'towerless-runner-work-')),
      ANSIBLE_HOST_KEY_CHECKING: 'False',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...pick(
        'AWS_REGION',
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_ENDPOINT_URL_DYNAMODB',
        'AWS_ENDPOINT_URL_SECRETS_MANAGER',
        'AWS_ENDPOINT_URL_SFN',
      ),
    },
    // The stack's RunnerTaskStopped rule: the runner cluster's stopped tasks, to the task watcher.
    onTaskStateChange: (event) => {
      if (event.detail.lastStatus === 'STOPPED' && event.detail.clusterArn === twin.target.cluster)
        deliver('task-watcher', event);
    },
  });
  // The runner's task definition as lib/infra/runner.ts makes it; its ARN is the target's.
  const { taskDefinition } = await ecs.client.send(
    new RegisterTaskDefinitionCommand({
      family: 'towerless-runner',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '1024',
      memory: '2048',
      runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
      containerDefinitions: [
        {
          name: twin.target.containerName,
          image: 'towerless-runner',
          environment: [
            ...[FUNCTION_ENVIRONMENT.table, FUNCTION_ENVIRONMENT.sealingKeySecret].map((name) => ({
              name,
              value: twin.environment[name],
            })),
            // The stack gives the compiled heartbeat; a short one here, so a stopped execution is
            // noticed at the runner's next beat within the test.
            { name: HEARTBEAT_ENVIRONMENT, value: HEARTBEAT_SECONDS },
          ],
        },
      ],
    }),
  );
  expect(taskDefinition!.taskDefinitionArn).toBe(twin.target.taskDefinition);
  // The deployer registers a task definition per execution environment image with ECS.
  process.env.AWS_ENDPOINT_URL_ECS = ecs.endpoint;
  runtime = await deployedRuntime();
}, 60_000);

afterAll(async () => {
  await ecs?.close();
  await twin?.close();
});

/** EventBridge delivering an event to a function of the stack. */
function deliver(name: string, event: unknown): void {
  handlers[name](event, lambdaContext(name)).catch((error: unknown) => eventErrors.push(error));
}

async function launch(workflow: string): Promise<WorkflowJobRecord> {
  const execution = deployedExecution(runtime, process.env);
  return launchWorkflow({ store: runtime.store, execution }, { bundle, baseDir, workflow, body: {} });
}

async function ended(id: number, ms = 30_000): Promise<WorkflowJobRecord> {
  return until(async () => {
    const job = await runtime.store.getWorkflowJob(id);
    return job && isFinished(job.status) ? job : undefined;
  }, ms);
}

/** The ECS task running the node, found as an operator would: DescribeTasks, by its overrides. */
async function taskOf(workflowJob: number, node: string): Promise<string> {
  return until(async () => {
    if (ecs.tasks().length === 0) return undefined;
    const { tasks } = await ecs.client.send(
      new DescribeTasksCommand({ cluster: twin.target.cluster, tasks: [...ecs.tasks()] }),
    );
    return tasks!.find((task) =>
      task.overrides!.containerOverrides![0].environment!.some(
        (e) => e.name === 'TOWERLESS_NODE' && e.value === `${workflowJob}/${node}`,
      ),
    )?.taskArn;
  }, 20_000);
}

/** Until the task's playbook has started its (two-minute) pause. */
async function pausing(task: string): Promise<void> {
  await until(
    async () =>
      ecs.logs(task).some((line) => line.includes('"playbook_on_task_start"') && line.includes('pause')) ||
      undefined,
    30_000,
  );
}

describe('runner tasks on the ECS twin', () => {
  it('runs a job workflow end to end: each node a container that reports to its task token', async () => {
    const job = await launch('Pipeline');
    expect((await ended(job.id)).status).toBe('successful');
    const nodes = await runtime.store.nodeJobs(job.id);
    expect(nodes.map((n) => [n.node, n.status])).toEqual([
      ['first', 'successful'],
      ['second', 'successful'],
    ]);
    expect(nodes[0].artifacts).toEqual({ done: true });
    for (const node of ['first', 'second']) {
      const task = await taskOf(job.id, node);
      expect(await ecs.stopped(task)).toMatchObject({
        stopCode: 'EssentialContainerExited',
        containers: [{ name: twin.target.containerName, exitCode: 0 }],
      });
      expect(ecs.logs(task).map((line) => (JSON.parse(line) as { event?: string }).event)).toContain(
        'playbook_on_stats',
      );
    }
    expect(eventErrors).toEqual([]);
  }, 60_000);

  it("runs a node in its execution environment's image, sized and on Spot as its instance group's pod spec asks", async () => {
    const placedTask = async () => {
      const job = await launch('Placement');
      expect((await ended(job.id)).status).toBe('successful');
      const { tasks } = await ecs.client.send(
        new DescribeTasksCommand({ cluster: twin.target.cluster, tasks: [await taskOf(job.id, 'placed')] }),
      );
      return tasks![0];
    };
    const task = await placedTask();
    expect(task).toMatchObject({
      capacityProviderName: 'FARGATE_SPOT',
      cpu: '2048',
      memory: '4096',
      containers: [{ image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/team-runner:7' }],
    });
    expect(task.taskDefinitionArn).toMatch(/:task-definition\/towerless-runner-ee-[0-9a-f]{12}:1$/);
    const { taskDefinition } = await ecs.client.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: task.taskDefinitionArn }),
    );
    // The runner's definition with the image replaced: same roles, environment and size.
    const runner = (
      await ecs.client.send(new DescribeTaskDefinitionCommand({ taskDefinition: twin.target.taskDefinition }))
    ).taskDefinition!;
    expect({ ...taskDefinition!.containerDefinitions![0], image: 'runner' }).toEqual({
      ...runner.containerDefinitions![0],
      image: 'runner',
    });
    // A second launch finds the registered definition instead of registering another.
    expect((await placedTask()).taskDefinitionArn).toBe(task.taskDefinitionArn);
    expect(eventErrors).toEqual([]);
  }, 60_000);

  it('fails the node of a runner killed mid-playbook through the task watcher, in seconds', async () => {
    const job = await launch('Guarded');
    const task = await taskOf(job.id, 'slow');
    await pausing(task);
    const killed = Date.now();
    ecs.crash(task);
    const done = await ended(job.id);
    // Well within the 300-s heartbeat timeout that would otherwise notice the dead container.
    expect(Date.now() - killed).toBeLessThan(20_000);
    expect(await ecs.stopped(task)).toMatchObject({ containers: [{ exitCode: 137 }] });
    const slow = await runtime.store.getNodeJob(job.id, 'slow');
    expect(slow).toMatchObject({ status: 'error' });
    expect(slow!.job_explanation).toBe(
      "The runner's task stopped before it reported: EssentialContainerExited; Essential container in task exited; exit code 137",
    );
    // The failure path ran: the failure was handled.
    expect(await runtime.store.getNodeJob(job.id, 'cleanup')).toMatchObject({ status: 'successful' });
    expect(done.status).toBe('successful');
    expect(eventErrors).toEqual([]);
  }, 60_000);

  it('cancels the playbook of a workflow that was stopped: the next heartbeat fails, the container exits', async () => {
    const job = await launch('Long');
    const task = await taskOf(job.id, 'slow');
    await pausing(task);
    const canceled = Date.now();
    // What a cancel does: StopExecution, the job recorded canceled.
    expect(await deployedExecution(runtime, process.env).cancel(job.id)).toBe(true);
    const stopped = await ecs.stopped(task);
    // A beat a second (a third of 3 s), then ansible-runner's cancel.
    expect(Date.now() - canceled).toBeLessThan(15_000);
    expect(stopped).toMatchObject({ stopCode: 'EssentialContainerExited', containers: [{ exitCode: 3 }] });
    expect(ecs.logs(task).at(-1)).toContain('the workflow no longer waits for this node (TaskTimedOut)');
    expect(ecs.logs(task).some((line) => line.includes('"playbook_on_stats"'))).toBe(false);
    expect(await runtime.store.getNodeJob(job.id, 'slow')).toMatchObject({ status: 'canceled' });
    expect((await ended(job.id)).status).toBe('canceled');
    expect(eventErrors).toEqual([]);
  }, 60_000);
});
