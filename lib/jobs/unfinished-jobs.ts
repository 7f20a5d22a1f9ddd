import type { JobStore } from '../store/job-store';
import { finishWorkflowJob } from './workflow-jobs';

/**
 * Ends every unfinished workflow job with `status`, with its node jobs still pending or running
 * and its approvals still waiting. Used when a process starts (jobs of a process that died) and
 * when one must quit at once (a second Ctrl-C).
 */
export async function endUnfinishedJobs(
  store: JobStore,
  status: 'error' | 'canceled',
  explanation: string,
): Promise<number> {
  const jobs = await store.unfinishedWorkflowJobs();
  const finished = new Date().toISOString();
  for (const job of jobs) {
    for (const node of await store.nodeJobs(job.id)) {
      if (node.status !== 'pending' && node.status !== 'running') continue;
      if (node.kind === 'workflow_approval' && node.id !== null)
        await store.decideApproval(node.id, { status: 'canceled', by: null, at: finished });
      await store.putNodeJob({ ...node, status, finished, job_explanation: explanation });
    }
    await finishWorkflowJob(store, job.id, status, { explanation });
  }
  return jobs.length;
}
