import type { JobStore } from '../store/job-store';
import type { WorkflowJobRecord } from '../store/records';

/**
 * The workflow jobs the API shows: all but the carriers of standalone jobs (a job template
 * launched on its own runs as the one node of a workflow job that is never shown; its job is).
 */
export async function listedWorkflowJobs(jobs: JobStore): Promise<WorkflowJobRecord[]> {
  return (await jobs.listWorkflowJobs()).filter((job) => !job.standalone);
}
