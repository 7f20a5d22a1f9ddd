import { Hono, type Context } from 'hono';
import { NotAllowedError, NotFoundError } from '../../errors';
import type { WorkflowJobRecord } from '../../store/records';
import type { ApiEnv } from '../context';
import { listedWorkflowJobs } from '../job-lists';
import { listPage, visibleTo } from '../resource-routes';
import { JobSerializer } from '../serializers/jobs';
import { actorOf } from '../actor';
import { mayOnJob, requireOnJob } from '../permissions';
import { jobNotificationsPage } from './notifications';
import { resourceId } from './resource-id';

/**
 * `/api/v2/workflow_jobs/`: workflow jobs (nested ones included) with AWX's fields, their nodes,
 * cancel and relaunch. What a job is comes from the store; cancel goes through the execution port.
 */
export const workflowJobs = new Hono<ApiEnv>()
  .get('/', async (c) => {
    const { jobs, catalog } = c.get('services');
    const serializer = new JobSerializer(jobs, catalog);
    return c.json(
      await listPage(
        c,
        await visibleTo(c, await listedWorkflowJobs(jobs), (context, job) => mayOnJob(context, 'read', job)),
        (job) => serializer.workflowJob(job),
        ['name'],
      ),
    );
  })
  .get('/:id/', async (c) => {
    const { jobs, catalog } = c.get('services');
    return c.json(await new JobSerializer(jobs, catalog).workflowJob(await workflowJob(c)));
  })
  .get('/:id/workflow_nodes/', async (c) => {
    const { jobs, catalog } = c.get('services');
    const job = await workflowJob(c);
    const nodes = await jobs.workflowJobNodes(job.id);
    const serializer = new JobSerializer(jobs, catalog);
    return c.json(
      await listPage(c, nodes, (node) => serializer.workflowJobNode(node, nodes), ['identifier']),
    );
  })
  .get('/:id/cancel/', async (c) => {
    const description = await c.get('services').execution.describe((await workflowJob(c)).id);
    return c.json({ can_cancel: description?.canCancel ?? false });
  })
  .post('/:id/cancel/', async (c) => {
    const job = await workflowJob(c);
    await requireOnJob(c, 'execute', job);
    if (!(await c.get('services').execution.cancel(job.id)))
      throw new NotAllowedError(`workflow job ${job.id} has ended: it cannot be canceled`);
    return c.body(null, 202);
  })
  .get('/:id/relaunch/', async (c) => {
    await workflowJob(c);
    return c.json({});
  })
  .get('/:id/notifications/', async (c) => c.json(await jobNotificationsPage(c, (await workflowJob(c)).id)))
  .post('/:id/relaunch/', async (c) => {
    const services = c.get('services');
    const job = await workflowJob(c);
    await requireOnJob(c, 'execute', job);
    const relaunched = await services.launcher.relaunch(job, actorOf(c.get('user')));
    const shown = await new JobSerializer(services.jobs, services.catalog).workflowJob(relaunched);
    return c.json(shown, 201, { Location: shown.url as string });
  });

/** The workflow job of the path, if the user may read it (as AWX shows it: not a standalone carrier). */
export async function workflowJob(c: Context<ApiEnv>): Promise<WorkflowJobRecord> {
  const id = resourceId(c);
  const job = await c.get('services').jobs.getWorkflowJob(id);
  if (!job || job.standalone) throw new NotFoundError(`workflow job ${id} not found`);
  await requireOnJob(c, 'read', job);
  return job;
}
