import { SFNClient } from '@aws-sdk/client-sfn';
import { mkdirSync } from 'node:fs';
import { openDeployedRuntime } from '../lib/aws/deployed-runtime';
import { setting } from '../lib/aws/function-settings';
import { nodeTaskOf } from '../lib/compiler/target';
import { spawnNodeJob } from '../lib/jobs/node-jobs';
import { definitionsOf } from '../lib/jobs/workflow-jobs';
import { NodeRunFailure } from '../lib/runner/failure';
import { runNode } from '../lib/runner/run-node';
import { SecretsManagerProvider, type SecretProvider } from '../lib/runner/secrets';
import { heartbeatSecondsOf, TaskCallback } from '../lib/runner/task-callback';
import type { JobStore } from '../lib/store/job-store';

/**
 * The runner container (ECS Fargate): runs the node named by the compiled state machine's
 * container overrides and reports to its task token. Environment:
 *   TOWERLESS_TASK_TOKEN   the `.waitForTaskToken` token
 *   TOWERLESS_NODE         `<workflow job id>/<node identifier>`
 *   TOWERLESS_HEARTBEAT_SECONDS  the task's HeartbeatSeconds (the runner beats at a third of it)
 *   TOWERLESS_TABLE        the DynamoDB table (job records and the launch's definitions)
 *   TOWERLESS_SEALING_KEY_SECRET  the Secrets Manager secret holding the table's sealing key
 * Events are written to stdout as JSON lines (CloudWatch Logs); secrets never are.
 * A heartbeat answered that the task no longer waits (the execution was stopped, the task timed
 * out) cancels the node's run as a cancel does, and the container exits without reporting.
 */
export interface RunnerEnvironment {
  /** Opens the store (reading its sealing key), inside the node's error handling. */
  readonly openStore: () => Promise<JobStore>;
  readonly secrets: SecretProvider;
  readonly sfn: SFNClient;
  readonly workDir: string;
  readonly write: (line: string) => void;
  readonly signal: AbortSignal;
}

export async function runContainer(
  env: Readonly<Record<string, string | undefined>>,
  runtime: RunnerEnvironment,
): Promise<number> {
  const task = nodeTaskOf((name) => env[name]);
  if (!task) {
    runtime.write(
      JSON.stringify({
        level: 'error',
        message: 'TOWERLESS_TASK_TOKEN and TOWERLESS_NODE (<workflow job id>/<node>) are required',
      }),
    );
    return 2;
  }
  const { token, workflowJob, node } = task;
  const log = (level: string, message: string) =>
    runtime.write(JSON.stringify({ level, workflow_job: workflowJob, node, message }));
  const callback = new TaskCallback(runtime.sfn, token, heartbeatSecondsOf(env), (error) =>
    log('warn', `heartbeat failed (${error.name}); the next beat retries`),
  );
  callback.startHeartbeats();
  // Stopped (SIGTERM) or abandoned by its workflow: either cancels the run.
  const signal = AbortSignal.any([runtime.signal, callback.released]);
  let failure: NodeRunFailure | undefined;
  try {
    const scratchDir = `${runtime.workDir}/scratch`;
    mkdirSync(scratchDir, { recursive: true, mode: 0o700 });
    const store = await runtime.openStore().catch((error: Error) => {
      const reason = error instanceof NodeRunFailure ? error.message : error.name;
      throw new NodeRunFailure(`cannot open the job store: ${reason}`, 'error');
    });
    const job = await store.getWorkflowJob(workflowJob);
    const bundle = await definitionsOf(store, workflowJob);
    if (!job || !bundle)
      throw new NodeRunFailure(`workflow job ${workflowJob} has no saved definitions`, 'error');
    // The container is the first to reach its node: it spawns the node's job, then runs it.
    const spawned = await spawnNodeJob(
      store,
      { bundle, workflowJob, workflowName: job.name, node },
      { status: 'pending' },
    );
    await runNode({
      bundle,
      baseDir: runtime.workDir,
      store,
      secrets: runtime.secrets,
      cacheDir: `${runtime.workDir}/projects`,
      scratchDir,
      workflowJob: job,
      job: spawned,
      signal,
      onEvent: (event) => runtime.write(JSON.stringify(event)),
    });
  } catch (error) {
    // runNode scrubs and wraps its failures; anything else is named without its text.
    failure =
      error instanceof NodeRunFailure
        ? error
        : new NodeRunFailure('runner error before the node started', 'error');
    log('error', failure.message);
  }
  if (callback.released.aborted) {
    const answer = (callback.released.reason as Error).name;
    log('error', `the workflow no longer waits for this node (${answer}): its run was canceled`);
    return 3;
  }
  try {
    if (failure) await callback.fail(failure.errorName, failure.message);
    else await callback.succeed();
  } catch (error) {
    // The workflow no longer waits for this token (timed out, canceled): nothing left to tell.
    log('error', `could not report to Step Functions: ${(error as Error).name}`);
    return 3;
  }
  return failure ? 1 : 0;
}

/* c8 ignore start: process wiring, exercised in the image */
async function main(): Promise<number> {
  const controller = new AbortController();
  process.on('SIGTERM', () => controller.abort('stopped')); // ECS StopTask
  return runContainer(process.env, {
    // The store as every deployed function opens it, its sealing key read from Secrets Manager; a
    // missing setting or key fails the node (reported to its task token), never the container
    // silently.
    openStore: async () => {
      try {
        setting(process.env, 'table');
        setting(process.env, 'sealingKeySecret');
      } catch (error) {
        throw new NodeRunFailure((error as Error).message, 'error');
      }
      return (await openDeployedRuntime(process.env)).store;
    },
    secrets: new SecretsManagerProvider(),
    sfn: new SFNClient({}),
    workDir: process.env.TOWERLESS_WORK_DIR ?? '/tmp/towerless',
    write: (line) => process.stdout.write(`${line}\n`),
    signal: controller.signal,
  });
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stdout.write(
        `${JSON.stringify({ level: 'error', message: `runner crashed: ${(error as Error).name}` })}\n`,
      );
      process.exit(70);
    },
  );
}
