import type { WorkflowJobRecord, WorkflowJobStatus } from '../store/records';

/**
 * What AWX derives from a job's status and times (docs/semantics.md §2.4, §7): whether it has
 * ended, whether it can still be canceled, `failed` and `elapsed`.
 */
const FINAL: readonly WorkflowJobStatus[] = ['successful', 'failed', 'error', 'canceled'];

export function isFinished(status: WorkflowJobStatus): boolean {
  return FINAL.includes(status);
}

/** AWX's `failed` field: true for failed, error and canceled. */
export function isFailed(status: string): boolean {
  return status === 'failed' || status === 'error' || status === 'canceled';
}

/** Seconds from `started` to `finished`, or to `now` while it runs; 0 before it starts. */
export function elapsedSeconds(
  job: Pick<WorkflowJobRecord, 'started' | 'finished'>,
  now: number = Date.now(),
): number {
  if (!job.started) return 0;
  const end = job.finished ? Date.parse(job.finished) : now;
  return Math.max(0, (end - Date.parse(job.started)) / 1000);
}
