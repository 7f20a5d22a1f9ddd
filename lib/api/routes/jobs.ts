import { Hono, type Context } from 'hono';
import { NotFoundError } from '../../errors';
import type { NodeJobRecord, NodeJobType } from '../../store/records';
import { nodeJobType } from '../../store/records';
import type { ApiEnv } from '../context';
import { requireOnJob } from '../permissions';
import { listPage } from '../resource-routes';
import { serializeJobEvents, jobOfEvent } from '../serializers/job-events';
import { EVENT_LISTS, JobSerializer } from '../serializers/jobs';
import { resourceId } from './resource-id';

/**
 * The jobs a workflow's nodes run, listed by AWX type: `/jobs/` (playbook runs),
 * `/project_updates/`, `/inventory_updates/`; each with artifacts, host status counts, stdout
 * and its events.
 */
export function nodeJobRoutes(type: NodeJobType): Hono<ApiEnv> {
  return new Hono<ApiEnv>()
    .get('/', async (c) => {
      const { jobs, catalog } = c.get('services');
      const serializer = new JobSerializer(jobs, catalog);
      return c.json(
        await listPage(c, await jobs.listNodeJobs(type), (job) => serializer.nodeJob(job), ['name']),
      );
    })
    .get('/:id/', async (c) => {
      const { jobs, catalog } = c.get('services');
      return c.json(new JobSerializer(jobs, catalog).nodeJob(await nodeJob(c, type)));
    })
    .get('/:id/stdout/', async (c) => {
      const job = await nodeJob(c, type);
      const content = job.stdout ?? '';
      const format = c.req.query('format') ?? 'txt';
      if (format === 'json') {
        const lines = content === '' ? 0 : content.split('\n').length;
        return c.json({ range: { start: 0, end: lines, absolute_end: lines }, content });
      }
      return c.text(content);
    })
    .get(`/:id/${EVENT_LISTS[type]}/`, async (c) => {
      const events = await jobEvents(c, await nodeJob(c, type));
      // AWX searches events in their output only.
      return c.json(await listPage(c, events, (event) => event, ['stdout']));
    });
}

/** `/api/v2/job_events/{id}/`: one event of a playbook job (its id names its job). */
export const jobEventRoutes = new Hono<ApiEnv>().get('/:id/', async (c) => {
  const id = resourceId(c);
  const events = await jobEvents(c, await nodeJob(c, 'job', jobOfEvent(id)));
  const event = events.find((shown) => shown.id === id);
  if (!event) throw new NotFoundError(`job event ${id} not found`);
  return c.json(event);
});

async function nodeJob(c: Context<ApiEnv>, type: NodeJobType, id = resourceId(c)): Promise<NodeJobRecord> {
  const job = await c.get('services').jobs.findNodeJob(id);
  if (!job || nodeJobType(job.kind) !== type) throw new NotFoundError(`${type} ${id} not found`);
  return job;
}

/** A job's events as AWX shows them, for a caller who may read the workflow job it ran in. */
async function jobEvents(c: Context<ApiEnv>, job: NodeJobRecord): Promise<Record<string, unknown>[]> {
  const { jobs, catalog, events } = c.get('services');
  await requireOnJob(c, 'read', (await jobs.getWorkflowJob(job.workflowJob))!);
  const shown = new JobSerializer(jobs, catalog).nodeJob(job);
  return serializeJobEvents(shown, await events.events(job.workflowJob, job.node));
}
