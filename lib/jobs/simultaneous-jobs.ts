import type { WorkflowJobRecord } from '../store/records';

/**
 * docs/semantics.md §8: a job of a template that does not allow simultaneous jobs waits while an
 * earlier job of the same template is running or waiting to start. Nested jobs do not count: they
 * run as part of their outer job.
 */
export function holdsBack(earlier: WorkflowJobRecord, job: WorkflowJobRecord): boolean {
  return (
    !job.allow_simultaneous &&
    !earlier.parent &&
    earlier.id !== job.id &&
    templateKey(earlier) === templateKey(job)
  );
}

/** Jobs of one template: its catalog id when known (unified job templates share one id space), else its name. */
function templateKey(job: WorkflowJobRecord): string {
  const id = job.standalone?.unified_job_template ?? job.workflow_job_template;
  return id !== null ? `id:${id}` : `name:${job.name}`;
}
