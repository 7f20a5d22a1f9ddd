import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { nodeTaskOf } from '../compiler/target';
import { isFinished } from '../jobs/job-status';
import type { JobStore } from '../store/job-store';
import { ignoreClosedTask } from '../runner/task-callback';

/**
 * A runner task that stopped (EventBridge's "ECS Task State Change", lastStatus STOPPED) fails its
 * node's task token at once: a container that died without reporting (out of memory, killed, no
 * capacity, image not pulled) fails its node in seconds instead of at the heartbeat timeout. A
 * runner that reported first has spent its token, and Step Functions answers TaskTimedOut.
 */
export interface StoppedTask {
  readonly taskArn?: string;
  readonly stoppedReason?: string;
  readonly stopCode?: string;
  readonly containers?: readonly {
    readonly name?: string;
    readonly exitCode?: number;
    readonly reason?: string;
  }[];
  readonly overrides?: {
    readonly containerOverrides?: readonly {
      readonly environment?: readonly { readonly name?: string; readonly value?: string }[];
    }[];
  };
}

/** The error its node fails with (the failure edge runs). */
export const RUNNER_STOPPED_ERROR = 'RunnerStopped';

/**
 * Resolves true when the task's node had not ended and was failed by this. A node whose job ended
 * but whose runner stopped before telling Step Functions is resumed as its record says.
 */
export async function failUnreportedTask(
  store: JobStore,
  sfn: SFNClient,
  task: StoppedTask,
): Promise<boolean> {
  const environment = new Map(
    (task.overrides?.containerOverrides ?? [])
      .flatMap((c) => c.environment ?? [])
      .map((e) => [e.name, e.value]),
  );
  const nodeTask = nodeTaskOf((name) => environment.get(name));
  if (!nodeTask) return false;
  const { token, workflowJob, node } = nodeTask;
  const job = await store.getNodeJob(workflowJob, node);
  if (job && isFinished(job.status)) {
    if (job.status === 'successful')
      await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })).catch(ignoreClosedTask);
    else await fail(sfn, token, 'NodeFailed', job.job_explanation ?? `the node's job ended ${job.status}`);
    return false;
  }
  const explanation = `The runner's task stopped before it reported: ${stopReason(task)}`;
  if (job)
    await store.putNodeJob({
      ...job,
      status: 'error',
      finished: new Date().toISOString(),
      job_explanation: explanation,
    });
  return fail(sfn, token, RUNNER_STOPPED_ERROR, explanation);
}

/** Fails the task; false when it no longer waited. */
async function fail(sfn: SFNClient, taskToken: string, error: string, cause: string): Promise<boolean> {
  try {
    await sfn.send(new SendTaskFailureCommand({ taskToken, error, cause }));
    return true;
  } catch (failure) {
    ignoreClosedTask(failure as Error);
    return false;
  }
}

function stopReason(task: StoppedTask): string {
  const exits = (task.containers ?? [])
    .map((c) =>
      [c.exitCode !== undefined ? `exit code ${c.exitCode}` : undefined, c.reason].filter(Boolean).join(', '),
    )
    .filter(Boolean);
  return [task.stopCode, task.stoppedReason, ...exits].filter(Boolean).join('; ') || 'no reason given';
}
