import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { nodeTaskOf } from '../compiler/target';
import { isFinished } from '../jobs/job-status';
import type { JobStore } from '../store/job-store';
import type { NodeJobRecord } from '../store/records';
import { RUNNER_STOPPED_ERROR } from '../runner/failure';
import { ignoreClosedTask } from '../runner/task-callback';

/**
 * A runner task that stopped (EventBridge's "ECS Task State Change", lastStatus STOPPED) fails its
 * node's task token at once: a container that died without reporting (out of memory, killed, no
 * capacity, image not pulled) fails its node in seconds instead of at the heartbeat timeout. A
 * runner that reported first has spent its token, and Step Functions answers TaskTimedOut.
 */
export interface StoppedTask {
  readonly taskArn?: string;
  /** When the task was created and stopped (ISO 8601, as the event gives them). */
  readonly createdAt?: string;
  readonly stoppedAt?: string;
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
  const job = ownJob(await store.getNodeJob(workflowJob, node), task);
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

/**
 * The node's job, if this task ran it. A node that retries (docs/semantics.md §13.12) has one job
 * per attempt, each spawned by its own task: a job created before this task was is an earlier
 * attempt's, one created after it stopped a later attempt's (its stop event came late).
 */
function ownJob(job: NodeJobRecord | undefined, task: StoppedTask): NodeJobRecord | undefined {
  const created = job?.created && Date.parse(job.created);
  if (!job || !created) return job;
  if (task.createdAt && created < Date.parse(task.createdAt)) return undefined;
  if (task.stoppedAt && created > Date.parse(task.stoppedAt)) return undefined;
  return job;
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
