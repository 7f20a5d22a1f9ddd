import type { JobStore } from '../store/job-store';
import { finishWorkflowJob } from './workflow-jobs';

/**
 * Ends every unfinished workflow job with `status` (its node jobs still pending or running and
 * its approvals still waiting end with it). Used when a process starts (jobs of a process that
 * died) and when one must quit at once (a second Ctrl-C).
 */
export async function endUnfinishedJobs(
  store: JobStore,
  status: 'error' | 'canceled',
  explanation: string,
): Promise<number> {
  const jobs = await store.unfinishedWorkflowJobs();
  for (const job of jobs) await finishWorkflowJob(store, job.id, status, { explanation });
  return jobs.length;
}
