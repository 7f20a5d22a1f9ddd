import { ECSClient } from '@aws-sdk/client-ecs';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { jsonObjectOf, UnreadableRequest } from '../../lib/local/json-request';

/**
 * The local twin of Amazon ECS on Fargate, for the runner's tasks: an HTTP server on 127.0.0.1
 * speaking ECS's AWS JSON 1.1 protocol (`X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Op>`),
 * reached by the SDK's real ECSClient. It registers task definitions and runs each task's
 * container as a child process of this one (by default the runner image's bundled entrypoint,
 * `node runner-image/dist/entrypoint.cjs`), with the environment a Fargate task would have.
 * StopTask stops it as ECS does (SIGTERM, then SIGKILL after the stop timeout); every task state
 * change is told as EventBridge's "ECS Task State Change" event. Requests are not
 * signature-checked, and clusters exist when named.
 */

export interface EcsTwinOptions {
  readonly region?: string;
  readonly account?: string;
  /**
   * The container's ENTRYPOINT as [program, ...arguments], whatever the task definition's image;
   * a container override's `command` is appended (Docker's CMD). The runner image's by default.
   */
  readonly entrypoint?: readonly string[];
  /**
   * Added to every task's environment below the task definition's: what the image and the
   * platform give it (in AWS, the task role gives credentials; here, the twins' endpoints).
   */
  readonly taskEnvironment?: Readonly<Record<string, string>>;
  /** ECS's stopTimeout: seconds from StopTask's SIGTERM to SIGKILL (30 by default). */
  readonly stopTimeoutSeconds?: number;
  /**
   * The clusters' default capacity provider strategy (a RunTask with neither a launch type nor a
   * strategy uses it), as the stack sets it; without one, such a RunTask asks for EC2.
   */
  readonly defaultCapacityProvider?: 'FARGATE' | 'FARGATE_SPOT';
  /**
   * EventBridge's "ECS Task State Change" events, after each change: lastStatus RUNNING when the
   * container started, RUNNING with desiredStatus STOPPED on StopTask, then STOPPED.
   */
  readonly onTaskStateChange?: (event: EcsTaskStateChange) => void;
}

export interface EcsTaskStateChange {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'ECS Task State Change';
  readonly source: 'aws.ecs';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  /** The task as DescribeTasks shows it, timestamps as ISO strings. */
  readonly detail: EcsTaskDetail;
}

export interface EcsTaskDetail {
  readonly clusterArn: string;
  readonly taskArn: string;
  readonly taskDefinitionArn: string;
  readonly lastStatus: string;
  readonly desiredStatus: string;
  readonly stopCode?: string;
  readonly stoppedReason?: string;
  readonly containers: readonly {
    readonly name: string;
    readonly exitCode?: number;
    readonly lastStatus: string;
    readonly reason?: string;
  }[];
  readonly overrides: {
    readonly containerOverrides: readonly {
      readonly name?: string;
      readonly environment?: readonly { readonly name?: string; readonly value?: string }[];
    }[];
  };
  readonly group: string;
  readonly launchType?: string;
  readonly startedAt?: string;
  readonly stoppedAt?: string;
  readonly [field: string]: unknown;
}

export interface EcsTwin {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  /** A client bound to the twin. */
  readonly client: ECSClient;
  /** The ARNs of the tasks RunTask started, in order. */
  tasks(): readonly string[];
  /** The container's stdout lines so far (the CloudWatch Logs stream of the task). */
  logs(taskArn: string): readonly string[];
  /** The container's stderr lines so far (awslogs keeps them in the same stream). */
  errors(taskArn: string): readonly string[];
  /** Resolves with the task's DescribeTasks description once it has STOPPED. */
  stopped(taskArn: string): Promise<Record<string, unknown>>;
  /**
   * Kills the task's container at once (SIGKILL), as a crash or the kernel's out-of-memory killer
   * would; `reason` is the container's (e.g. `OutOfMemoryError: Container killed due to memory usage`).
   */
  crash(taskArn: string, reason?: string): void;
  /** Kills the tasks still running, then closes the server. */
  close(): Promise<void>;
}

const TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.';
const MAX_BODY_BYTES = 1 << 20;
const RUNNER_ENTRYPOINT = [process.execPath, join(__dirname, '../../runner-image/dist/entrypoint.cjs')];

/** An error answered as `{"__type": type, "message": message}` with HTTP 400, as ECS does. */
export class EcsError extends Error {
  constructor(
    /** ClientException, InvalidParameterException, ... */
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

type Request = Record<string, unknown>;
type KeyValue = { name?: string; value?: string };
type Tag = { key?: string; value?: string };
interface ContainerDefinition {
  readonly name: string;
  readonly image: string;
  readonly environment?: readonly KeyValue[];
  readonly [field: string]: unknown;
}
interface TaskDefinition {
  readonly taskDefinitionArn: string;
  readonly family: string;
  readonly revision: number;
  readonly containerDefinitions: readonly ContainerDefinition[];
  readonly requiresCompatibilities?: readonly string[];
  readonly networkMode?: string;
  readonly [field: string]: unknown;
}
interface ContainerOverride {
  readonly name?: string;
  readonly environment?: readonly KeyValue[];
  readonly command?: readonly string[];
  readonly [field: string]: unknown;
}

interface Task {
  readonly arn: string;
  readonly clusterArn: string;
  readonly definition: TaskDefinition;
  readonly container: ContainerDefinition;
  readonly request: Request;
  readonly launchType: string;
  readonly capacityProviderName?: string;
  readonly group: string;
  readonly createdAt: Date;
  readonly stdout: string[];
  readonly stderr: string[];
  readonly ended: Promise<void>;
  process?: ChildProcess;
  lastStatus: 'PROVISIONING' | 'RUNNING' | 'STOPPED';
  desiredStatus: 'RUNNING' | 'STOPPED';
  version: number;
  startedAt?: Date;
  stoppingAt?: Date;
  stoppedAt?: Date;
  stopCode?: string;
  stoppedReason?: string;
  exitCode?: number;
  containerReason?: string;
  killTimer?: NodeJS.Timeout;
}

export async function startEcsTwin(options: EcsTwinOptions = {}): Promise<EcsTwin> {
  const ecs = new Ecs(options);
  const server = createServer((request, response) => void answer(ecs, request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new ECSClient({
    endpoint,
    region: ecs.region,
    credentials: { accessKeyId: 'twin', secretAccessKey: 'twin' },
  });
  return {
    endpoint,
    client,
    tasks: () => [...ecs.tasks.keys()],
    logs: (arn) => ecs.task(arn).stdout,
    errors: (arn) => ecs.task(arn).stderr,
    stopped: async (arn) => {
      const task = ecs.task(arn);
      await task.ended;
      return ecs.describe(task);
    },
    crash: (arn, reason) => ecs.crash(ecs.task(arn), reason),
    close: async () => {
      await ecs.killAll();
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

class Ecs {
  readonly region: string;
  readonly account: string;
  readonly tasks = new Map<string, Task>();
  private readonly definitions = new Map<string, TaskDefinition[]>();
  /** Each task definition's tags, by ARN: ECS keeps them beside the definition, not in it. */
  private readonly tags = new Map<string, Tag[]>();
  private closing = false;

  constructor(private readonly options: EcsTwinOptions) {
    this.region = options.region ?? 'us-east-1';
    this.account = options.account ?? '123456789012';
  }

  readonly operations: Record<string, (input: Request) => Record<string, unknown>> = {
    RegisterTaskDefinition: (input) => {
      const taskDefinition = this.register(input);
      return { taskDefinition, tags: this.tags.get(taskDefinition.taskDefinitionArn) ?? [] };
    },
    DescribeTaskDefinition: (input) => {
      const taskDefinition = this.definition(requiredText(input, 'taskDefinition'), 'describe');
      // Tags only when asked for, as ECS answers.
      const asked = Array.isArray(input.include) && input.include.includes('TAGS');
      return {
        taskDefinition,
        ...(asked ? { tags: this.tags.get(taskDefinition.taskDefinitionArn) ?? [] } : {}),
      };
    },
    RunTask: (input) => this.run(input),
    StopTask: (input) => {
      const task = this.named(input.cluster, requiredText(input, 'task'));
      this.stop(task, optionalText(input, 'reason') ?? 'Task stopped by user');
      return { task: this.describe(task) };
    },
    DescribeTasks: (input) => {
      const names = input.tasks;
      if (!Array.isArray(names) || names.length === 0 || names.length > 100)
        throw new EcsError('InvalidParameterException', 'Tasks cannot be empty.');
      const cluster = this.clusterArn(input.cluster);
      const found = names.map((name) => ({ name: String(name), task: this.find(cluster, String(name)) }));
      return {
        tasks: found.flatMap(({ task }) => (task ? [this.describe(task)] : [])),
        failures: found.flatMap(({ name, task }) => (task ? [] : [{ arn: name, reason: 'MISSING' }])),
      };
    },
  };

  task(arn: string): Task {
    const task = this.tasks.get(arn);
    if (!task) throw new Error(`the ECS twin ran no task ${arn}`);
    return task;
  }

  private register(input: Request): TaskDefinition {
    const family = requiredText(input, 'family');
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(family))
      throw new EcsError(
        'ClientException',
        'Family contains invalid characters: only letters, numbers, hyphens and underscores are allowed.',
      );
    const containers = input.containerDefinitions;
    if (!Array.isArray(containers) || containers.length === 0)
      throw new EcsError('ClientException', 'Container list cannot be empty.');
    for (const container of containers as Request[]) {
      if (!container.name)
        throw new EcsError('ClientException', 'Container.name should not be null or empty.');
      if (!container.image)
        throw new EcsError('ClientException', 'Container.image should not be null or empty.');
    }
    // One process per task: a task of several containers would need several.
    if (containers.length > 1)
      throw new EcsError('ClientException', 'The ECS twin runs task definitions of one container.');
    const compatibilities = (input.requiresCompatibilities as string[] | undefined) ?? [];
    if (compatibilities.includes('FARGATE')) {
      if (input.networkMode !== 'awsvpc')
        throw new EcsError('ClientException', "Fargate only supports network mode 'awsvpc'.");
      if (!input.cpu)
        throw new EcsError('ClientException', "Fargate requires that 'cpu' be defined at the task level.");
      if (!input.memory)
        throw new EcsError('ClientException', "Fargate requires that 'memory' be defined at the task level.");
    }
    const revisions = this.definitions.get(family) ?? [];
    const revision = revisions.length + 1;
    const definition: TaskDefinition = {
      ...input,
      taskDefinitionArn: `arn:aws:ecs:${this.region}:${this.account}:task-definition/${family}:${revision}`,
      family,
      revision,
      containerDefinitions: (containers as ContainerDefinition[]).map((c) => ({ essential: true, ...c })),
      status: 'ACTIVE',
      compatibilities: ['EC2', ...(input.networkMode === 'awsvpc' ? ['FARGATE'] : [])],
      registeredAt: new Date(),
    };
    delete (definition as Request).tags;
    this.tags.set(definition.taskDefinitionArn, (input.tags as Tag[] | undefined) ?? []);
    this.definitions.set(family, [...revisions, definition]);
    return definition;
  }

  /** By ARN, `family:revision` or `family` (its latest revision). */
  private definition(reference: string, use: 'describe' | 'run'): TaskDefinition {
    const match = /^(?:arn:aws:ecs:[^:]+:\d+:task-definition\/)?([A-Za-z0-9_-]+)(?::(\d+))?$/.exec(reference);
    const revisions = match ? this.definitions.get(match[1]) : undefined;
    const found = revisions && (match![2] ? revisions[Number(match![2]) - 1] : revisions.at(-1));
    if (!found)
      throw new EcsError(
        'ClientException',
        use === 'run' ? 'TaskDefinition not found.' : 'Unable to describe task definition.',
      );
    return found;
  }

  private run(input: Request): Record<string, unknown> {
    const clusterArn = this.clusterArn(input.cluster);
    const definition = this.definition(requiredText(input, 'taskDefinition'), 'run');
    const strategy = input.capacityProviderStrategy as { capacityProvider?: string }[] | undefined;
    if (input.launchType && strategy?.length)
      throw new EcsError(
        'InvalidParameterException',
        'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
      );
    const capacityProviderName =
      strategy?.[0]?.capacityProvider ??
      (input.launchType ? undefined : this.options.defaultCapacityProvider);
    if (capacityProviderName && !['FARGATE', 'FARGATE_SPOT'].includes(capacityProviderName))
      throw new EcsError(
        'InvalidParameterException',
        `The specified capacity provider ${capacityProviderName} was not found.`,
      );
    const launchType = capacityProviderName ? 'FARGATE' : String(input.launchType ?? 'EC2');
    if (launchType !== 'FARGATE')
      throw new EcsError('InvalidParameterException', 'The ECS twin runs Fargate tasks only.');
    if (!(definition.compatibilities as string[]).includes('FARGATE'))
      throw new EcsError(
        'InvalidParameterException',
        'Task definition does not support launch_type FARGATE.',
      );
    const vpc = (input.networkConfiguration as { awsvpcConfiguration?: { subnets?: string[] } } | undefined)
      ?.awsvpcConfiguration;
    if (!vpc)
      throw new EcsError(
        'InvalidParameterException',
        "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
      );
    if (!vpc.subnets?.length) throw new EcsError('InvalidParameterException', 'subnets can not be empty.');
    const overrides = (input.overrides as { containerOverrides?: ContainerOverride[] } | undefined) ?? {};
    for (const override of overrides.containerOverrides ?? [])
      if (!definition.containerDefinitions.some((c) => c.name === override.name))
        throw new EcsError(
          'InvalidParameterException',
          `Override for container named ${String(override.name)} is not a container in the TaskDefinition.`,
        );
    const count = Number(input.count ?? 1);
    if (!Number.isInteger(count) || count < 1 || count > 10)
      throw new EcsError('InvalidParameterException', 'Count must be between 1 and 10.');
    const tasks = Array.from({ length: count }, () =>
      this.start({
        arn: `arn:aws:ecs:${this.region}:${this.account}:task/${clusterArn.slice(clusterArn.indexOf('/') + 1)}/${randomBytes(16).toString('hex')}`,
        clusterArn,
        definition,
        container: definition.containerDefinitions[0],
        request: input,
        launchType,
        capacityProviderName,
        group: optionalText(input, 'group') ?? `family:${definition.family}`,
      }),
    );
    return { tasks: tasks.map((task) => this.describe(task)), failures: [] };
  }

  private start(
    fields: Pick<
      Task,
      | 'arn'
      | 'clusterArn'
      | 'definition'
      | 'container'
      | 'request'
      | 'launchType'
      | 'capacityProviderName'
      | 'group'
    >,
  ): Task {
    let ended!: () => void;
    const task: Task = {
      ...fields,
      createdAt: new Date(),
      stdout: [],
      stderr: [],
      ended: new Promise<void>((resolve) => (ended = resolve)),
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      version: 1,
    };
    this.tasks.set(task.arn, task);
    const override = this.override(task);
    const [program, ...args] = this.options.entrypoint ?? RUNNER_ENTRYPOINT;
    // A container starts on a fresh file system: its own working folder.
    const cwd = mkdtempSync(join(tmpdir(), 'towerless-ecs-task-'));
    const child = spawn(program, [...args, ...(override?.command ?? [])], {
      cwd,
      env: this.environment(task, override),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: the container's processes, killed together (killContainer).
      detached: true,
    });
    task.process = child;
    createInterface({ input: child.stdout }).on('line', (line) => task.stdout.push(line));
    createInterface({ input: child.stderr }).on('line', (line) => task.stderr.push(line));
    child.once('spawn', () => {
      task.lastStatus = 'RUNNING';
      task.startedAt = new Date();
      this.changed(task);
    });
    const finish = (exitCode: number | undefined) => {
      if (task.lastStatus === 'STOPPED') return;
      this.stopped(task, exitCode, cwd);
      ended();
    };
    child.once('error', (error) => {
      // The program could not start: ECS says CannotStartContainerError.
      if (task.lastStatus !== 'PROVISIONING') return;
      task.stopCode = 'TaskFailedToStart';
      task.stoppedReason = `CannotStartContainerError: ${error.message}`;
      finish(undefined);
    });
    // `close`, not `exit`: the last lines of output are in. Killed by a signal, a container's
    // exit code is 128 + the signal's number (137 for SIGKILL), as Docker reports it.
    child.once('close', (code, signal) => {
      // The container ends with its main process: whatever it left running dies with it.
      killContainer(child);
      task.stopCode ??= 'EssentialContainerExited';
      task.stoppedReason ??= 'Essential container in task exited';
      finish(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
    return task;
  }

  /** Fargate's own variables, the image's, what the test adds, the task definition's, the overrides'. */
  private environment(task: Task, override: ContainerOverride | undefined): Record<string, string> {
    const pairs = (list: readonly KeyValue[] | undefined) =>
      Object.fromEntries((list ?? []).map((e) => [String(e.name), String(e.value ?? '')]));
    return {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      AWS_EXECUTION_ENV: 'AWS_ECS_FARGATE',
      AWS_REGION: this.region,
      AWS_DEFAULT_REGION: this.region,
      ...this.options.taskEnvironment,
      ...pairs(task.container.environment),
      ...pairs(override?.environment),
    };
  }

  private override(task: Task): ContainerOverride | undefined {
    const overrides =
      (task.request.overrides as { containerOverrides?: ContainerOverride[] } | undefined) ?? {};
    return overrides.containerOverrides?.find((o) => o.name === task.container.name);
  }

  private stop(task: Task, reason: string): void {
    if (task.desiredStatus === 'STOPPED') return;
    task.desiredStatus = 'STOPPED';
    task.stopCode = 'UserInitiated';
    task.stoppedReason = reason;
    task.stoppingAt = new Date();
    this.changed(task);
    if (!task.process || task.lastStatus === 'STOPPED') return;
    task.process.kill('SIGTERM');
    task.killTimer = setTimeout(
      () => killContainer(task.process!),
      (this.options.stopTimeoutSeconds ?? 30) * 1000,
    );
  }

  crash(task: Task, reason?: string): void {
    if (reason) task.containerReason = reason;
    if (task.process) killContainer(task.process);
  }

  /** Kills what still runs, telling no one: the test is over. */
  async killAll(): Promise<void> {
    this.closing = true;
    const running = [...this.tasks.values()].filter((task) => task.lastStatus !== 'STOPPED');
    for (const task of running) if (task.process) killContainer(task.process);
    await Promise.all(running.map((task) => task.ended));
  }

  private stopped(task: Task, exitCode: number | undefined, cwd: string): void {
    clearTimeout(task.killTimer);
    rmSync(cwd, { recursive: true, force: true });
    task.exitCode = exitCode;
    task.lastStatus = 'STOPPED';
    task.desiredStatus = 'STOPPED';
    task.stoppingAt ??= new Date();
    task.stoppedAt = new Date();
    this.changed(task);
  }

  private changed(task: Task): void {
    task.version += 1;
    if (this.closing) return;
    // Events carry timestamps as ISO strings.
    const detail = JSON.parse(JSON.stringify(this.describe(task))) as EcsTaskDetail;
    this.options.onTaskStateChange?.({
      version: '0',
      id: randomUUID(),
      'detail-type': 'ECS Task State Change',
      source: 'aws.ecs',
      account: this.account,
      time: new Date().toISOString(),
      region: this.region,
      resources: [task.arn],
      detail: { ...detail, updatedAt: new Date().toISOString() },
    });
  }

  /** DescribeTasks' view of the task; dates are Date objects (epoch seconds on the wire, ISO in events). */
  describe(task: Task): Record<string, unknown> {
    const overrides =
      (task.request.overrides as
        { containerOverrides?: ContainerOverride[]; cpu?: string; memory?: string } | undefined) ?? {};
    const vpc = (task.request.networkConfiguration as { awsvpcConfiguration?: { subnets?: string[] } })
      .awsvpcConfiguration!;
    return withoutUndefined({
      taskArn: task.arn,
      clusterArn: task.clusterArn,
      taskDefinitionArn: task.definition.taskDefinitionArn,
      lastStatus: task.lastStatus,
      desiredStatus: task.desiredStatus,
      launchType: task.launchType,
      capacityProviderName: task.capacityProviderName,
      platformVersion: '1.4.0',
      platformFamily: 'Linux',
      availabilityZone: `${this.region}a`,
      group: task.group,
      startedBy: optionalText(task.request, 'startedBy'),
      // A task-level override sizes the task, as ECS shows it.
      cpu: overrides.cpu ?? task.definition.cpu,
      memory: overrides.memory ?? task.definition.memory,
      version: task.version,
      createdAt: task.createdAt,
      startedAt: task.startedAt,
      stoppingAt: task.stoppingAt,
      stoppedAt: task.stoppedAt,
      stopCode: task.stopCode,
      stoppedReason: task.stoppedReason,
      connectivity: task.lastStatus === 'PROVISIONING' ? undefined : 'CONNECTED',
      attachments: [
        {
          id: task.arn.slice(task.arn.lastIndexOf('/') + 1),
          type: 'ElasticNetworkInterface',
          status: task.lastStatus === 'STOPPED' ? 'DELETED' : 'ATTACHED',
          details: [{ name: 'subnetId', value: vpc.subnets![0] }],
        },
      ],
      containers: [
        withoutUndefined({
          containerArn: `arn:aws:ecs:${this.region}:${this.account}:container/${task.arn.slice(task.arn.indexOf('task/') + 5)}/${task.container.name}`,
          taskArn: task.arn,
          name: task.container.name,
          image: task.container.image,
          lastStatus: task.lastStatus === 'PROVISIONING' ? 'PENDING' : task.lastStatus,
          exitCode: task.exitCode,
          reason: task.containerReason,
        }),
      ],
      overrides: withoutUndefined({
        containerOverrides: overrides.containerOverrides ?? [],
        inferenceAcceleratorOverrides: [],
        cpu: overrides.cpu,
        memory: overrides.memory,
      }),
    });
  }

  private clusterArn(cluster: unknown): string {
    const name = typeof cluster === 'string' && cluster ? cluster : 'default';
    if (name.startsWith('arn:')) {
      if (!/^arn:aws:ecs:[^:]+:\d+:cluster\/[A-Za-z0-9_-]+$/.test(name))
        throw new EcsError('InvalidParameterException', 'Invalid cluster identifier.');
      return name;
    }
    return `arn:aws:ecs:${this.region}:${this.account}:cluster/${name}`;
  }

  /** A task by ARN or id, in its cluster. */
  private find(clusterArn: string, name: string): Task | undefined {
    const cluster = clusterArn.slice(clusterArn.indexOf('/') + 1);
    const arn = name.startsWith('arn:')
      ? name
      : `arn:aws:ecs:${this.region}:${this.account}:task/${cluster}/${name}`;
    const task = this.tasks.get(arn);
    return task?.clusterArn === clusterArn ? task : undefined;
  }

  private named(cluster: unknown, name: string): Task {
    const task = this.find(this.clusterArn(cluster), name);
    if (!task) throw new EcsError('InvalidParameterException', 'The referenced task was not found.');
    return task;
  }
}

/**
 * SIGKILL to every process of the container (its process group), as Docker kills a container;
 * SIGTERM, as ECS stops one, goes to its main process only.
 */
function killContainer(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is gone already.
  }
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

function requiredText(input: Request, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '')
    throw new EcsError('InvalidParameterException', `${field} can not be blank.`);
  return value;
}

function optionalText(input: Request, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new EcsError('InvalidParameterException', `${field} must be a string.`);
  return value;
}

async function answer(ecs: Ecs, request: IncomingMessage, response: ServerResponse): Promise<void> {
  let status = 200;
  let body: Record<string, unknown>;
  try {
    const target = request.headers['x-amz-target'];
    const name =
      typeof target === 'string' && target.startsWith(TARGET_PREFIX)
        ? target.slice(TARGET_PREFIX.length)
        : '';
    if (request.method !== 'POST' || !Object.hasOwn(ecs.operations, name))
      throw new EcsError('UnknownOperationException', `the ECS twin does not do ${String(target)}`);
    body = ecs.operations[name](await serviceJsonOf(request));
  } catch (error) {
    const known = error instanceof EcsError;
    status = known ? 400 : 500;
    body = { __type: known ? error.type : 'ServerException', message: (error as Error).message };
  }
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
    ...(request.complete ? {} : { connection: 'close' }),
  });
  response.end(toWire(body));
}

/** Timestamps travel as epoch seconds in AWS JSON 1.1. */
function toWire(body: unknown): string {
  return JSON.stringify(body, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  });
}

async function serviceJsonOf(request: IncomingMessage): Promise<Request> {
  try {
    return (await jsonObjectOf(request, MAX_BODY_BYTES)) as Request;
  } catch (error) {
    if (error instanceof UnreadableRequest) throw new EcsError('ClientException', error.message);
    throw error;
  }
}
