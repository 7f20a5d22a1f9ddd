import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { NodeRunFailure } from '../lib/runner/failure';
import { runNode } from '../lib/runner/run-node';
import { SecretsManagerProvider, type SecretProvider } from '../lib/runner/secrets';
import { TaskCallback } from '../lib/runner/task-callback';
import { DynamoJobStore } from '../lib/store/dynamo-job-store';
import type { JobStore } from '../lib/store/job-store';

/**
 * The runner container (ECS Fargate): runs the node named by the compiled state machine's
 * container overrides and reports to its task token. Environment:
 *   TOWERLESS_TASK_TOKEN   the `.waitForTaskToken` token
 *   TOWERLESS_NODE         `<workflow job id>/<node identifier>`
 *   TOWERLESS_TABLE        the DynamoDB table (job records and the launch's definitions)
 * Events are written to stdout as JSON lines (CloudWatch Logs); secrets never are.
 */
export interface RunnerEnvironment {
  readonly store: JobStore;
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
  const token = env.TOWERLESS_TASK_TOKEN;
  const address = env.TOWERLESS_NODE;
  const slash = address?.indexOf('/') ?? -1;
  if (!token || !address || slash < 1) {
    runtime.write(
      JSON.stringify({
        level: 'error',
        message: 'TOWERLESS_TASK_TOKEN and TOWERLESS_NODE (<workflow job>/<node>) are required',
      }),
    );
    return 2;
  }
  const [workflowJob, node] = [address.slice(0, slash), address.slice(slash + 1)];
  const callback = new TaskCallback(runtime.sfn, token);
  callback.startHeartbeats();
  let failure: NodeRunFailure | undefined;
  try {
    const bundle = await runtime.store.getDefinitions(workflowJob);
    if (!bundle) throw new NodeRunFailure(`workflow job ${workflowJob} has no saved definitions`, 'error');
    await runNode({
      bundle,
      baseDir: runtime.workDir,
      store: runtime.store,
      secrets: runtime.secrets,
      cacheDir: `${runtime.workDir}/projects`,
      workflowJob,
      node,
      signal: runtime.signal,
      onEvent: (event) => runtime.write(JSON.stringify(event)),
    });
  } catch (error) {
    // runNode scrubs and wraps its failures; anything else is named without its text.
    failure =
      error instanceof NodeRunFailure
        ? error
        : new NodeRunFailure('runner error before the node started', 'error');
    runtime.write(
      JSON.stringify({ level: 'error', workflow_job: workflowJob, node, message: failure.message }),
    );
  }
  try {
    if (failure) await callback.fail(failure.errorName, failure.message);
    else await callback.succeed();
  } catch (error) {
    // The workflow no longer waits for this token (timed out, canceled): nothing left to tell.
    runtime.write(
      JSON.stringify({
        level: 'error',
        workflow_job: workflowJob,
        node,
        message: `could not report to Step Functions: ${(error as Error).name}`,
      }),
    );
    return 3;
  }
  return failure ? 1 : 0;
}

/* c8 ignore start: process wiring, exercised in the image */
if (require.main === module) {
  const controller = new AbortController();
  process.on('SIGTERM', () => controller.abort('stopped')); // ECS StopTask
  runContainer(process.env, {
    store: new DynamoJobStore(new DynamoDBClient({}), process.env.TOWERLESS_TABLE ?? 'towerless'),
    secrets: new SecretsManagerProvider(),
    sfn: new SFNClient({}),
    workDir: process.env.TOWERLESS_WORK_DIR ?? '/tmp/towerless',
    write: (line) => process.stdout.write(`${line}\n`),
    signal: controller.signal,
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stdout.write(
        `${JSON.stringify({ level: 'error', message: `runner crashed: ${(error as Error).name}` })}\n`,
      );
      process.exit(70);
    },
  );
}
