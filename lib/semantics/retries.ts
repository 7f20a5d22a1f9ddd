import type { JobStatus } from './evaluator';
import type { NodeKind } from './graph';

/**
 * Node retries (docs/semantics.md §13.12): a node's job that fails runs again, up to
 * `max_retries` times, after `retry_delay` seconds growing by `retry_backoff_rate` each time. The
 * outcome is the last attempt's; a job that succeeds is not run again. AWX has no retries: an
 * AWX fork added `max_retries`, whose name Towerless takes so that its configurations carry over.
 */
export interface RetryPolicy {
  readonly maxRetries: number;
  readonly delaySeconds: number;
  readonly backoffRate: number;
}

/** What a definition may ask for, and what it gets when it asks nothing. */
export const RETRY_LIMITS = {
  maxRetries: { min: 0, max: 100, fallback: 0 },
  // Step Functions waits at least a second between attempts (IntervalSeconds ≥ 1).
  delaySeconds: { min: 1, max: 86_400, fallback: 1 },
  backoffRate: { min: 1, max: 10, fallback: 2 },
} as const;

/**
 * Only a job's own failure retries: never an approval (denied or timed out), a nested workflow
 * (its nodes have retries of their own), a node whose template is missing, or a cancel.
 */
export function canRetry(kind: NodeKind): boolean {
  return kind === 'job' || kind === 'project_sync' || kind === 'inventory_sync';
}

/** The job statuses after which a job runs again while it has retries left. */
export const RETRIED_STATUSES = ['failed', 'error'] as const satisfies readonly JobStatus[];

export function retriesAfter(status: JobStatus): boolean {
  return (RETRIED_STATUSES as readonly JobStatus[]).includes(status);
}

/** Seconds between the end of an attempt and the start of retry number `retry` (1-based). */
export function retryDelay(policy: RetryPolicy, retry: number): number {
  return policy.delaySeconds * policy.backoffRate ** (retry - 1);
}
