import { WORKFLOW_FAILED_ERROR } from '../compiler/emit';
import { workflowJobOfExecution } from '../compiler/target';
import { isFinished } from '../jobs/job-status';
import { endWorkflowJob } from '../jobs/nested-workflow-jobs';
import type { JobStore } from '../store/job-store';
import type { WorkflowJobRecord } from '../store/records';

/**
 * An execution's end as EventBridge reports it ("Step Functions Execution Status Change"). A
 * machine records its workflow job's end itself when it gets there (lib/compiler/emit.ts); an
 * execution stopped, timed out or broken never does, so its end is recorded from here: no job is
 * left `running` whatever ended its execution. docs/deploying.md maps the statuses.
 */
export interface ExecutionStatusChange {
  readonly executionArn: string;
  readonly name: string;
  readonly status: string;
  readonly error?: string | null;
  readonly cause?: string | null;
}

export interface ExecutionEnd {
  /** The job the execution ran; undefined when it was not a Towerless job's. */
  readonly job?: WorkflowJobRecord;
  /** True when this event recorded the end (the machine had not). */
  readonly recorded: boolean;
}

export async function recordExecutionEnd(
  store: JobStore,
  change: ExecutionStatusChange,
): Promise<ExecutionEnd> {
  const id = workflowJobOfExecution(change.name);
  const job = id === undefined ? undefined : await store.getWorkflowJob(id);
  if (!job || change.status === 'RUNNING') return { job, recorded: false };
  if (isFinished(job.status)) return { job, recorded: false };
  const [status, explanation] = jobEnd(change);
  await endWorkflowJob(store, job, status, explanation);
  return { job: (await store.getWorkflowJob(job.id))!, recorded: true };
}

function jobEnd(change: ExecutionStatusChange): ['successful' | 'failed' | 'canceled' | 'error', string?] {
  switch (change.status) {
    case 'SUCCEEDED':
      return ['successful'];
    case 'ABORTED':
      return ['canceled'];
    case 'TIMED_OUT':
      return ['failed', 'The workflow job ran longer than its execution may'];
    default:
      // A Fail state of the machine is the workflow's own failure; any other error is ours.
      return change.error === WORKFLOW_FAILED_ERROR
        ? ['failed']
        : ['error', `The workflow's execution failed: ${change.error ?? 'unknown error'}`];
  }
}
