import { TowerlessError } from '../errors';
import { RETRIED_STATUSES } from '../semantics/retries';

/**
 * Why a node failed, in words for the job record and the terminal. Thrown anywhere in a node run;
 * the message must never contain a secret value.
 */
export class NodeRunFailure extends TowerlessError {
  constructor(
    message: string,
    /** The job status AWX would show: failed (the default), error, or canceled. */
    readonly status: 'failed' | 'error' | 'canceled' = 'failed',
  ) {
    super(message);
  }

  get errorName(): string {
    return nodeErrorName(this.status);
  }
}

/** The Step Functions error name a node's task fails with: NodeFailed, NodeError or NodeCanceled. */
export function nodeErrorName(status: 'failed' | 'error' | 'canceled'): string {
  return `Node${status[0].toUpperCase()}${status.slice(1)}`;
}

/**
 * The error a node fails with when its runner's task stopped before it reported (the task watcher,
 * lib/execution/task-watcher.ts): its job ended `error`, so the failure edge runs, and it retries.
 */
export const RUNNER_STOPPED_ERROR = 'RunnerStopped';

/** The errors of a node's task whose job failed or ended in error: those a node's retries retry. */
export const RETRIED_NODE_ERRORS: readonly string[] = [
  ...RETRIED_STATUSES.map(nodeErrorName),
  RUNNER_STOPPED_ERROR,
];
