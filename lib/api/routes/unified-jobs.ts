import { Hono } from 'hono';
import type { ApiEnv } from '../context';
import { listedWorkflowJobs } from '../job-lists';
import { listPage } from '../resource-routes';
import { JobSerializer } from '../serializers/jobs';

/** `/api/v2/unified_jobs/`: every job of any type in one list (one id space), in id order. */
export const unifiedJobs = new Hono<ApiEnv>().get('/', async (c) => {
  const { jobs, catalog } = c.get('services');
  const serializer = new JobSerializer(jobs, catalog);
  const shown = [
    ...(await Promise.all((await listedWorkflowJobs(jobs)).map((job) => serializer.workflowJob(job)))),
    ...(
      await Promise.all(
        (['job', 'project_update', 'inventory_update'] as const).map(async (type) =>
          Promise.all((await jobs.listNodeJobs(type)).map((job) => serializer.nodeJob(job))),
        ),
      )
    ).flat(),
    ...(await jobs.listApprovals()).map((approval) => serializer.approval(approval)),
  ].sort((a, b) => (a.id as number) - (b.id as number));
  return c.json(await listPage(c, shown, (item) => item, ['name']));
});
