import { Hono } from 'hono';
import { NotFoundError } from '../../errors';
import type { ApiEnv } from '../context';
import { listedWorkflowJobs } from '../job-lists';
import { listPage } from '../resource-routes';
import { JobSerializer } from '../serializers/jobs';
import { resourceId } from './resource-id';

/** `/api/v2/workflow_job_nodes/`: the nodes of every workflow job, and one node. */
export const workflowJobNodes = new Hono<ApiEnv>()
  .get('/', async (c) => {
    const { jobs, catalog } = c.get('services');
    const serializer = new JobSerializer(jobs, catalog);
    const perJob = await Promise.all(
      (await listedWorkflowJobs(jobs)).map(async (job) => {
        const nodes = await jobs.workflowJobNodes(job.id);
        return Promise.all(nodes.map((node) => serializer.workflowJobNode(node, nodes)));
      }),
    );
    return c.json(await listPage(c, perJob.flat(), (node) => node, ['identifier']));
  })
  .get('/:id/', async (c) => {
    const { jobs, catalog } = c.get('services');
    const id = resourceId(c);
    const node = await jobs.getWorkflowJobNode(id);
    if (!node) throw new NotFoundError(`workflow job node ${id} not found`);
    const siblings = await jobs.workflowJobNodes(node.workflowJob);
    return c.json(await new JobSerializer(jobs, catalog).workflowJobNode(node, siblings));
  });
