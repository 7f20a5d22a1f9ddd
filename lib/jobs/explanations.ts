/**
 * The `job_explanation` texts a job ends with, as AWX words them where AWX has the case
 * (docs/semantics.md §2, §3).
 */
export const NO_ERROR_HANDLING = 'No error handling paths found, marking workflow as failed';

export const WORKFLOW_CANCELED = 'The workflow job was canceled';

export function approvalExpired(name: string, id: number, timeout: number): string {
  return `The approval node ${name} (${id}) has expired after ${timeout} seconds.`;
}

export function approvalDenied(name: string): string {
  return `Denied: ${name}`;
}

/** An attempt of a retried node whose end was never recorded (docs/semantics.md §13.12). */
export const LOST_ATTEMPT = "The node's next attempt started before this one recorded its end";
