import type { ApiFixture } from '../api/api-fixture';

type Obj = Record<string, unknown> & { id: number };
const V2 = '/api/v2';
const ENDED = ['successful', 'failed', 'error', 'canceled'];

/** The workflow job once it has ended, as the API shows it. */
export async function endedWorkflowJob(api: ApiFixture, id: number, ms = 15_000): Promise<Obj> {
  const deadline = Date.now() + ms;
  for (;;) {
    const job = await api.json<Obj>('GET', `${V2}/workflow_jobs/${id}/`);
    if (ENDED.includes(job.status as string)) return job;
    if (Date.now() > deadline) throw new Error(`workflow job ${id} is still ${job.status as string}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The pending approval workflow job `job` waits at, as the API shows it. */
export async function pendingApproval(api: ApiFixture, job: number, ms = 15_000): Promise<Obj> {
  const deadline = Date.now() + ms;
  for (;;) {
    const page = await api.json<{ results: Obj[] }>('GET', `${V2}/workflow_approvals/?status=pending`);
    const found = page.results.find(
      (a) => (a.summary_fields as { source_workflow_job: Obj }).source_workflow_job.id === job,
    );
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`workflow job ${job} waits at no approval`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
