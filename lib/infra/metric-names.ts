/**
 * The custom metrics the handlers emit (Powertools Metrics, embedded metric format) and the stack's
 * dashboard and alarms read: one place, so a renamed metric cannot leave an alarm watching nothing.
 * It imports nothing, so a handler that reads it bundles no CDK code.
 */
export const METRIC_NAMESPACE = 'Towerless';

/** The one dimension every metric carries (Powertools' `serviceName`). */
export const METRIC_SERVICE_DIMENSION = { name: 'service', value: 'towerless' } as const;

export const METRICS = {
  /** A workflow job ended successful (Count). */
  workflowJobsSucceeded: 'WorkflowJobsSucceeded',
  /** A workflow job ended failed or in error (Count). */
  workflowJobsFailed: 'WorkflowJobsFailed',
  /** A workflow job was canceled (Count). */
  workflowJobsCanceled: 'WorkflowJobsCanceled',
  /** How long a workflow job ran, from start to end (Seconds). */
  workflowJobDuration: 'WorkflowJobDuration',
  /** A node's job ended failed (Count). */
  nodeJobsFailed: 'NodeJobsFailed',
  /** An approval reached its timeout without a decision (Count). */
  approvalsTimedOut: 'ApprovalsTimedOut',
  /** A runner task stopped without reporting, so the task watcher failed its node (Count). */
  tasksStoppedByWatcher: 'TasksStoppedByWatcher',
  /** A function's invocation failed or was about to time out, whichever function it was (Count). */
  functionErrors: 'FunctionErrors',
} as const;

/** The unit each metric is emitted with (CloudWatch's unit names). */
export const METRIC_UNITS: { readonly [K in keyof typeof METRICS]: 'Count' | 'Seconds' } = {
  workflowJobsSucceeded: 'Count',
  workflowJobsFailed: 'Count',
  workflowJobsCanceled: 'Count',
  workflowJobDuration: 'Seconds',
  nodeJobsFailed: 'Count',
  approvalsTimedOut: 'Count',
  tasksStoppedByWatcher: 'Count',
  functionErrors: 'Count',
};
