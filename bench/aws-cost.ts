import { DynamoDBClient, GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileWorkflow } from '../lib/compiler/compile';
import type { TaskBinding } from '../lib/compiler/emit';
import { towerlessApp } from '../lib/infra/app';
import { fixedApproval } from '../lib/local/approvals';
import { prepareDataFolder } from '../lib/local/data-folder';
import { LocalEngine } from '../lib/local/engine';
import { runWorkflowLocally } from '../lib/local/run-locally';
import { forcedOutcomeHandlers } from '../lib/local/simulate';
import { listenOnSocket, privateSocket, socketClientConfig } from '../lib/local/unix-socket';
import { workflowCompiler } from '../lib/local/workflow-compiler';
import { loadBundle } from '../lib/model';
import { FileSecretProvider } from '../lib/runner/secrets';
import { DynamoJobStore } from '../lib/store/dynamo-job-store';
import { KeySealer } from '../lib/store/sealer';
import { ensureTable, tableDefinition } from '../lib/store/table';
import { CLOUDWATCH_ALWAYS_FREE, US_EAST_1_PRICES as PRICE } from './aws-prices';

/**
 * What one run of the guide's Full Deployment Pipeline costs in AWS (us-east-1, on-demand, no free
 * tier), and what the stack costs a month with nothing running. Counted, not guessed, where this
 * machine can count: state transitions on the local engine, the executed task states' bindings,
 * the DynamoDB request units of a real local run (same store code as AWS) against dynalite, the
 * playbooks' real durations, the function and task sizes and the always-billed resources from the
 * synthesized stack. What cannot be counted here is an assumption, listed in the output.
 */

const WORKFLOW = 'Full Deployment Pipeline';
const ROOT = join(__dirname, '..');

/** Fargate bills from the image pull: start-up seconds before the runner's own work (assumption). */
const FARGATE_START_SECONDS = 30;
/** Fargate's minimum billed duration per task. */
const FARGATE_MINIMUM_SECONDS = 60;
/** How often a client polls a launched job's status (awx.awx's wait interval; assumption). */
const POLL_INTERVAL_SECONDS = 2;
/** Billed milliseconds per invocation, warm or cold averaged (assumption; no AWS to measure). */
const LAMBDA_BILLED_MS: Record<string, number> = {
  api: 200,
  record: 100,
  approval: 100,
  sync: 100,
  lifecycle: 300,
  'task-watcher': 100,
  // Renders AWX's messages in a child process and calls Slack or SES.
  notifier: 1000,
};
/** Writes closer than this land in one stream poll, so one notifier batch (assumption: ~4 polls/s per shard). */
const STREAM_BURST_MS = 250;
/** The notifier's event source mapping batch size (lib/infra/table-stream.ts). */
const STREAM_BATCH_SIZE = 10;

type Item = Record<string, AttributeValue>;

/** One JSON line, full precision (dollars per run are fractions of a cent). */
function emit(object: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(object)}\n`);
}

// ---------------------------------------------------------------------------------------------
// (a) and (b): transitions and task invocations of the compiled ASL, all nodes successful.

interface Simulated {
  readonly transitions: number;
  readonly states: string[];
  readonly tasks: Readonly<Record<string, TaskBinding>>;
}

async function simulateTransitions(): Promise<Simulated> {
  const { bundle } = loadBundle(join(ROOT, 'examples/guide'));
  const compiled = compileWorkflow(bundle, WORKFLOW);
  const states: string[] = [];
  const engine = new LocalEngine(workflowCompiler(bundle), forcedOutcomeHandlers({}), {
    observer: { stateEntered: (event) => states.push(event.state) },
  });
  const { status } = await engine.run({ workflowName: WORKFLOW });
  await new Promise((done) => setImmediate(done)); // let the event log drain
  if (status !== 'successful') throw new Error(`simulation ended ${status}`);
  return { transitions: states.length, states, tasks: compiled.tasks };
}

// ---------------------------------------------------------------------------------------------
// (c) and (d): a real local run, its DynamoDB requests counted.

interface DynamoCount {
  writeUnits: number;
  readUnits: number;
  indexWriteUnits: number;
  requests: Record<string, number>;
  writeTimes: number[];
}

// dynalite's own item size, the one its ConsumedCapacity uses (AWS's rule: names plus values).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { itemSize } = require('dynalite/db') as { itemSize: (item: Item) => number };

const KEY_NAMES = ['pk', 'sk'];
const INDEXES = (tableDefinition('').GlobalSecondaryIndexes ?? []).map((index) => ({
  keys: index.KeySchema!.map((key) => key.AttributeName!),
  all: index.Projection?.ProjectionType === 'ALL',
}));

/** The write units a change of one item costs in each GSI (AWS's rules for global secondary indexes). */
function indexWriteUnits(before: Item | undefined, after: Item | undefined): number {
  let units = 0;
  for (const index of INDEXES) {
    const projected = (item: Item | undefined): Item | undefined => {
      if (!item || !index.keys.every((name) => name in item)) return undefined;
      if (index.all) return item;
      return Object.fromEntries([...KEY_NAMES, ...index.keys].map((name) => [name, item[name]]));
    };
    const old = projected(before);
    const now = projected(after);
    const size = (item: Item) => Math.max(1, Math.ceil(itemSize(item) / 1024));
    if (!old && !now) continue;
    if (!old) units += size(now!);
    else if (!now) units += size(old);
    else if (index.keys.some((name) => JSON.stringify(old[name]) !== JSON.stringify(now[name])))
      units += size(old) + size(now);
    else if (JSON.stringify(old) !== JSON.stringify(now)) units += size(now);
  }
  return units;
}

/** The keys an item write names: one for Put/Update/Delete, each request of a BatchWriteItem. */
function writtenKeys(command: string, input: Record<string, unknown>): { table: string; key: Item }[] {
  const keyOf = (item: Item): Item => ({ pk: item.pk, sk: item.sk });
  if (command === 'PutItemCommand')
    return [{ table: input.TableName as string, key: keyOf(input.Item as Item) }];
  if (command === 'UpdateItemCommand' || command === 'DeleteItemCommand')
    return [{ table: input.TableName as string, key: input.Key as Item }];
  if (command === 'BatchWriteItemCommand') {
    const requests = input.RequestItems as Record<
      string,
      { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]
    >;
    return Object.entries(requests).flatMap(([table, list]) =>
      list.map((request) => ({
        table,
        key: request.PutRequest ? keyOf(request.PutRequest.Item) : request.DeleteRequest!.Key,
      })),
    );
  }
  return [];
}

/**
 * Counts every request's units: the table's from dynalite's ConsumedCapacity (asked of each
 * request), the indexes' from the items before and after each write (read by a second client,
 * uncounted). A conditional write that fails still costs its units in AWS: counted from the item.
 */
function countRequests(client: DynamoDBClient, raw: DynamoDBClient): DynamoCount {
  const count: DynamoCount = {
    writeUnits: 0,
    readUnits: 0,
    indexWriteUnits: 0,
    requests: {},
    writeTimes: [],
  };
  const read = async (table: string, key: Item) =>
    (await raw.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      const input = args.input as Record<string, unknown>;
      count.requests[command] = (count.requests[command] ?? 0) + 1;
      if (['DescribeTableCommand', 'CreateTableCommand', 'UpdateTableCommand'].includes(command))
        return next(args);
      input.ReturnConsumedCapacity = 'TOTAL';
      const written = writtenKeys(command, input);
      const before = await Promise.all(written.map((w) => read(w.table, w.key)));
      let output: { output: Record<string, unknown> };
      try {
        output = (await next(args)) as unknown as typeof output;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException')
          count.writeUnits += Math.max(1, Math.ceil(itemSize(before[0] ?? {}) / 1024));
        throw error;
      }
      const consumed = output.output.ConsumedCapacity as
        { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;
      const units = [consumed ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
      if (written.length > 0) {
        count.writeUnits += units;
        count.writeTimes.push(performance.now());
        const after = await Promise.all(written.map((w) => read(w.table, w.key)));
        written.forEach((_, i) => (count.indexWriteUnits += indexWriteUnits(before[i], after[i])));
      } else count.readUnits += units;
      return output as never;
    },
    { step: 'initialize', name: 'benchCountUnits', priority: 'high' },
  );
  return count;
}

interface RealRun {
  readonly dynamo: DynamoCount;
  readonly transitions: number;
  /** Each executed job node's wall time (s), from its start to its end on the local engine. */
  readonly nodeSeconds: Record<string, number>;
  /** The workflow job record's size in bytes (what a status poll reads). */
  readonly jobItemBytes: number;
}

async function realRun(): Promise<RealRun> {
  const dynalite = (await import('dynalite')).default as (options: object) => Server;
  const socket = privateSocket(undefined, 'store.sock');
  const server = dynalite({ createTableMs: 0, updateTableMs: 0 });
  await listenOnSocket(server, socket.path);
  const client = new DynamoDBClient(socketClientConfig(socket.path));
  const raw = new DynamoDBClient(socketClientConfig(socket.path));
  try {
    await ensureTable(client, 'towerless');
    const dynamo = countRequests(client, raw);
    const store = new DynamoJobStore(client, 'towerless', new KeySealer(randomBytes(32)));
    const secretsFile = join(ROOT, '.towerless', 'secrets.yml');
    const started = new Map<string, number>();
    const nodeSeconds: Record<string, number> = {};
    let transitions = 0;
    const baseDir = resolve(ROOT, 'examples/guide');
    const job = await runWorkflowLocally(
      {
        store,
        secrets: new FileSecretProvider(existsSync(secretsFile) ? secretsFile : '/dev/null'),
        data: prepareDataFolder(mkdtempSync(join(tmpdir(), 'towerless-cost-'))),
        approvals: fixedApproval('approved'),
        observer: {
          stateEntered: () => transitions++,
          nodeStarted: (event) => started.set(event.node, performance.now()),
          nodeFinished: (event) => {
            if (event.kind === 'job')
              nodeSeconds[event.node] = (performance.now() - started.get(event.node)!) / 1000;
          },
        },
      },
      {
        bundle: loadBundle(baseDir).bundle,
        baseDir,
        workflow: WORKFLOW,
        // The survey's defaults, as the guide launches it.
        body: { extra_vars: { app_version: 'latest', target_env: 'staging' } },
      },
    );
    await new Promise((done) => setImmediate(done));
    if (job.status !== 'successful') throw new Error(`the local run ended ${job.status}`);
    const item = (
      await raw.send(
        new GetItemCommand({ TableName: 'towerless', Key: { pk: { S: `WJ#${job.id}` }, sk: { S: 'JOB' } } }),
      )
    ).Item;
    return { dynamo, transitions, nodeSeconds, jobItemBytes: item ? itemSize(item) : 0 };
  } finally {
    client.destroy();
    raw.destroy();
    await new Promise<void>((done) => server.close(() => done()));
    socket.remove();
  }
}

// ---------------------------------------------------------------------------------------------
// The synthesized stack: sizes of what runs, and what is billed by the month.

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

function synthesizedTemplate(): Record<string, Resource> {
  const { app, stack } = towerlessApp();
  const template = app.synth().getStackByName(stack.stackName).template as {
    Resources: Record<string, Resource>;
  };
  return template.Resources;
}

/** Memory (MB) of each Towerless function, by its name in the stack (the Name tag's suffix). */
function functionMemory(resources: Record<string, Resource>): Record<string, number> {
  const memory: Record<string, number> = {};
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const props = resource.Properties ?? {};
    const arm = JSON.stringify(props.Architectures ?? []).includes('arm64');
    for (const name of Object.keys(LAMBDA_BILLED_MS)) {
      const construct = name.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());
      if (id.startsWith(construct) && arm) memory[name] = Number(props.MemorySize ?? 128);
    }
  }
  return memory;
}

function runnerTask(resources: Record<string, Resource>): { vcpu: number; gb: number; arch: string } {
  const task = Object.values(resources).find((r) => r.Type === 'AWS::ECS::TaskDefinition');
  const props = task!.Properties as {
    Cpu: string;
    Memory: string;
    RuntimePlatform?: { CpuArchitecture?: string };
  };
  return {
    vcpu: Number(props.Cpu) / 1024,
    gb: Number(props.Memory) / 1024,
    arch: props.RuntimePlatform?.CpuArchitecture ?? 'X86_64',
  };
}

/** Resources billed by the hour whatever runs: none may be in the stack. */
const COMPUTE_BILLED = [
  'AWS::EC2::NatGateway',
  'AWS::EC2::Instance',
  'AWS::EC2::EIP',
  'AWS::ECS::Service',
  'AWS::AutoScaling::AutoScalingGroup',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::ElasticLoadBalancing::LoadBalancer',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::ElastiCache::CacheCluster',
  'AWS::EC2::ClientVpnEndpoint',
];

function idleCost(resources: Record<string, Resource>) {
  const list = Object.values(resources);
  const computeFound = list.filter((r) => COMPUTE_BILLED.includes(r.Type)).map((r) => r.Type);
  const interfaceEndpoints = list.filter(
    (r) => r.Type === 'AWS::EC2::VPCEndpoint' && r.Properties?.VpcEndpointType === 'Interface',
  );
  const provisioned = list.filter(
    (r) =>
      (r.Type === 'AWS::Lambda::Alias' || r.Type === 'AWS::Lambda::Version') &&
      r.Properties?.ProvisionedConcurrencyConfig !== undefined,
  );
  const provisionedTables = list.filter(
    (r) =>
      (r.Type === 'AWS::DynamoDB::Table' || r.Type === 'AWS::DynamoDB::GlobalTable') &&
      r.Properties?.BillingMode !== 'PAY_PER_REQUEST',
  );
  const problems = [
    ...computeFound,
    ...interfaceEndpoints.map(() => 'Interface VPC endpoint'),
    ...provisioned.map(() => 'provisioned concurrency'),
    ...provisionedTables.map(() => 'provisioned DynamoDB capacity'),
  ];
  if (problems.length > 0) throw new Error(`idle compute is billed: ${problems.join(', ')}`);

  const ofType = (type: string) => list.filter((r) => r.Type === type);
  const secrets = ofType('AWS::SecretsManager::Secret').length;
  const kmsKeys = ofType('AWS::KMS::Key').length;
  // An alarm on one metric reads one; a metric-math alarm, each metric its expression reads.
  const alarmMetrics = ofType('AWS::CloudWatch::Alarm')
    .map((alarm) => alarm.Properties?.Metrics as { MetricStat?: unknown }[] | undefined)
    .reduce((sum, metrics) => sum + (metrics ? metrics.filter((m) => m.MetricStat).length : 1), 0);
  const dashboards = ofType('AWS::CloudWatch::Dashboard').map(dashboardMetrics);
  const freeDashboards = dashboards.filter((metrics) => metrics <= CLOUDWATCH_ALWAYS_FREE.dashboardMetrics);
  const billed = (count: number, free: number, price: number) => Math.max(0, count - free) * price;
  const charges = [
    {
      item: 'CloudWatch alarm metrics',
      count: alarmMetrics,
      usd: billed(alarmMetrics, CLOUDWATCH_ALWAYS_FREE.alarmMetrics, PRICE.cloudwatchAlarmMonth),
      usd_without_free_tier: alarmMetrics * PRICE.cloudwatchAlarmMonth,
    },
    {
      item: `CloudWatch dashboards (metrics: ${dashboards.join(', ')})`,
      count: dashboards.length,
      usd: billed(
        dashboards.length,
        Math.min(freeDashboards.length, CLOUDWATCH_ALWAYS_FREE.dashboards),
        PRICE.cloudwatchDashboardMonth,
      ),
      usd_without_free_tier: dashboards.length * PRICE.cloudwatchDashboardMonth,
    },
    {
      item: 'KMS customer managed keys',
      count: kmsKeys,
      usd: kmsKeys * PRICE.kmsCustomerKeyMonth,
      usd_without_free_tier: kmsKeys * PRICE.kmsCustomerKeyMonth,
    },
  ];
  const storage = [
    // Secrets Manager bills each secret stored, by the month: the service's own three, and one
    // per secret input the user keeps (credentials, notification tokens).
    {
      item: "Secrets Manager secrets (the service's own)",
      count: secrets,
      usd: secrets * PRICE.secretsManagerSecretMonth,
    },
  ];
  return {
    compute: 0,
    charges,
    storage,
    usd: charges.reduce((sum, i) => sum + i.usd, 0),
    usdWithoutFreeTier: charges.reduce((sum, i) => sum + i.usd_without_free_tier, 0),
    storageUsd: storage.reduce((sum, i) => sum + i.usd, 0),
    notCounted:
      'storage by size: the DynamoDB table and its point-in-time recovery, log groups (VPC flow logs included, kept 3 months), the runner image in ECR: ~0 with no runs',
  };
}

/** How many metrics a dashboard shows (its body's tokens, such as function names, set aside). */
function dashboardMetrics(dashboard: Resource): number {
  const body = dashboard.Properties?.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
  const text =
    typeof body === 'string'
      ? body
      : body['Fn::Join'][1]
          .map((part) => (typeof part === 'string' ? part : 'token'))
          .join(body['Fn::Join'][0]);
  const widgets = (JSON.parse(text) as { widgets: { properties: { metrics?: unknown[] } }[] }).widgets;
  return widgets.reduce((sum, widget) => sum + (widget.properties.metrics?.length ?? 0), 0);
}

// ---------------------------------------------------------------------------------------------

export async function awsCostBenchmarks(): Promise<void> {
  const simulated = await simulateTransitions();
  const executed = simulated.states.map((state) => simulated.tasks[state]).filter(Boolean);
  const real = await realRun();
  if (real.transitions !== simulated.transitions)
    throw new Error(`transitions: simulated ${simulated.transitions}, real run ${real.transitions}`);
  const resources = synthesizedTemplate();
  const memory = functionMemory(resources);
  const task = runnerTask(resources);
  if (task.arch !== 'ARM64') throw new Error(`the runner is ${task.arch}: ARM prices do not apply`);

  // Job nodes: Fargate tasks. Lambda-backed task states: record (finish, spawn, expire, reject),
  // approval, sync.
  const jobNodes = executed.filter(
    (b) => b.role === 'node' && b.kind !== 'approval' && b.kind !== 'workflow',
  ).length;
  const invocations: Record<string, number> = {
    record: executed.filter((b) => ['finish', 'spawn', 'expire', 'reject'].includes(b.role)).length,
    approval: executed.filter((b) => b.role === 'node' && b.kind === 'approval').length,
    sync: executed.filter((b) => b.role === 'sync').length,
    // One execution-ended event per execution (nested ones included: one per spawn).
    lifecycle: 1 + executed.filter((b) => b.role === 'spawn').length,
    // One ECS "STOPPED" task state change per runner task.
    'task-watcher': jobNodes,
  };

  // Stream batches: writes within STREAM_BURST_MS of each other form one burst.
  const bursts: number[] = [];
  let last = -Infinity;
  for (const time of real.dynamo.writeTimes) {
    if (time - last > STREAM_BURST_MS) bursts.push(0);
    bursts[bursts.length - 1]++;
    last = time;
  }
  invocations.notifier = bursts.reduce((sum, records) => sum + Math.ceil(records / STREAM_BATCH_SIZE), 0);

  // Fargate: the start-up, then the node's measured run, billed per second, one minute at least.
  const taskSeconds = Object.values(real.nodeSeconds).map((seconds) =>
    Math.max(FARGATE_MINIMUM_SECONDS, Math.ceil(FARGATE_START_SECONDS + seconds)),
  );
  if (taskSeconds.length !== jobNodes)
    throw new Error(`job nodes: ${jobNodes} executed states, ${taskSeconds.length} in the real run`);
  const billedTaskSeconds = taskSeconds.reduce((a, b) => a + b, 0);
  const fargateVcpuSeconds = billedTaskSeconds * task.vcpu;
  const fargateGbSeconds = billedTaskSeconds * task.gb;

  // The API: one launch, then status polls while the (sequential) pipeline runs in AWS.
  const awsWallSeconds = Object.values(real.nodeSeconds).reduce((a, s) => a + FARGATE_START_SECONDS + s, 0);
  const polls = Math.ceil(awsWallSeconds / POLL_INTERVAL_SECONDS);
  const apiRequests = 1 + polls;
  invocations.api = apiRequests;
  // A status poll reads the workflow job record once, strongly consistent (estimate from its size).
  const pollReadUnits = polls * Math.max(1, Math.ceil(real.jobItemBytes / 4096));

  const lambdaInvocations = Object.values(invocations).reduce((a, b) => a + b, 0);
  const lambdaGbSeconds = Object.entries(invocations).reduce(
    (sum, [name, count]) => sum + (count * LAMBDA_BILLED_MS[name] * (memory[name] ?? 512)) / 1024 / 1000,
    0,
  );
  const dynamodbWrites = real.dynamo.writeUnits + real.dynamo.indexWriteUnits;
  const dynamodbReads = real.dynamo.readUnits + pollReadUnits;

  const usd = {
    transitions: simulated.transitions * PRICE.stepFunctionsStandardTransition,
    lambda_invocations: lambdaInvocations * PRICE.lambdaRequest,
    lambda_gb_seconds: lambdaGbSeconds * PRICE.lambdaArmGbSecond,
    fargate_vcpu_seconds: (fargateVcpuSeconds / 3600) * PRICE.fargateArmVcpuHour,
    fargate_gb_seconds: (fargateGbSeconds / 3600) * PRICE.fargateArmGbHour,
    dynamodb_writes: dynamodbWrites * PRICE.dynamodbWriteRequestUnit,
    dynamodb_reads: dynamodbReads * PRICE.dynamodbReadRequestUnit,
    api_requests: apiRequests * PRICE.apiGatewayHttpRequest,
  };
  const total = Object.values(usd).reduce((a, b) => a + b, 0);
  const idle = idleCost(resources);

  emit({ name: 'aws_cost_usd_per_full_pipeline_run', value: total, unit: 'USD (us-east-1, on-demand)' });
  emit({
    name: 'aws_idle_cost_usd_per_month',
    value: idle.compute + idle.usd,
    unit: 'USD/month, beyond storage',
  });
  emit({
    name: 'aws_idle_cost_usd_per_month_without_free_tier',
    value: idle.compute + idle.usdWithoutFreeTier,
    unit: 'USD/month, beyond storage',
  });
  emit({ name: 'aws_idle_storage_usd_per_month', value: idle.storageUsd, unit: 'USD/month' });
  emit({
    name: 'aws_cost_breakdown',
    per_run: {
      transitions: simulated.transitions,
      lambda_invocations: lambdaInvocations,
      lambda_invocations_by_function: invocations,
      lambda_gb_seconds: lambdaGbSeconds,
      fargate_tasks: taskSeconds.length,
      fargate_billed_seconds_by_task: taskSeconds,
      fargate_vcpu_seconds: fargateVcpuSeconds,
      fargate_gb_seconds: fargateGbSeconds,
      dynamodb_writes: dynamodbWrites,
      dynamodb_writes_table: real.dynamo.writeUnits,
      dynamodb_writes_indexes: real.dynamo.indexWriteUnits,
      dynamodb_reads: dynamodbReads,
      dynamodb_reads_run: real.dynamo.readUnits,
      dynamodb_reads_status_polls: pollReadUnits,
      dynamodb_requests_by_operation: real.dynamo.requests,
      api_requests: apiRequests,
      usd,
    },
    measured: {
      node_seconds_local: real.nodeSeconds,
      workflow_job_item_bytes: real.jobItemBytes,
      stream_write_bursts: bursts.length,
      function_memory_mb: memory,
      runner_task: task,
    },
    idle: idle.charges,
    idle_storage: idle.storage,
    idle_not_counted: idle.notCounted,
    assumptions: [
      `Fargate bills ${FARGATE_START_SECONDS} s of start-up per task (from the image pull) plus the node's local wall time, at least ${FARGATE_MINIMUM_SECONDS} s`,
      `Lambda billed duration per invocation (ms): ${JSON.stringify(LAMBDA_BILLED_MS)}`,
      `one notifier invocation per ${STREAM_BATCH_SIZE} stream records of each burst of table writes less than ${STREAM_BURST_MS} ms apart`,
      `1 launch plus one status poll every ${POLL_INTERVAL_SECONDS} s of the AWS run (start-up plus local node time, nodes in sequence): ${polls} polls, each a strongly consistent read of the workflow job record`,
      'one lifecycle invocation per execution end, one task-watcher invocation per runner task stop',
      'no free tiers per run; CloudWatch Logs ingestion, X-Ray, Secrets Manager calls by the runner and data transfer not counted',
      "idle: CloudWatch's always-free allowances (10 alarm metrics, 3 dashboards of up to 50 metrics) taken by this stack alone",
    ],
  });
}

if (require.main === module) {
  awsCostBenchmarks().catch((error: unknown) => {
    process.stderr.write(`aws-cost failed: ${(error as Error).stack}\n`);
    process.exitCode = 1;
  });
}
