import { Hono, type Context } from 'hono';
import { NotAllowedError, NotFoundError } from '../../errors';
import type { NodeJobRecord, NodeJobType, WorkflowJobRecord } from '../../store/records';
import { isFinished } from '../../jobs/job-status';
import { nodeJobType } from '../../store/records';
import { actorOf } from '../actor';
import type { ApiEnv } from '../context';
import { requireOnJob } from '../permissions';
import { listPage } from '../resource-routes';
import { serializeJobEvents, jobOfEvent } from '../serializers/job-events';
import { EVENT_LISTS, JobSerializer } from '../serializers/jobs';
import { jobNotificationsPage } from './notifications';
import { resourceId } from './resource-id';
import { standaloneLaunched } from './standalone-launch';

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
      return c.json(await new JobSerializer(jobs, catalog).nodeJob(await nodeJob(c, type)));
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
    .get('/:id/cancel/', async (c) => {
      const job = await nodeJob(c, type);
      const carrier = await carrierOf(c, job);
      // The job the client follows decides: it may have ended a moment before its carrier.
      const description =
        carrier && !isFinished(job.status) && (await c.get('services').execution.describe(carrier.id));
      return c.json({ can_cancel: (description && description.canCancel) ?? false });
    })
    .post('/:id/cancel/', async (c) => {
      const job = await nodeJob(c, type);
      const carrier = await carrierOf(c, job);
      if (!carrier)
        throw new NotAllowedError(`${type} ${job.id} runs in workflow job ${job.workflowJob}: cancel that`);
      await requireOnJob(c, 'execute', carrier);
      if (isFinished(job.status) || !(await c.get('services').execution.cancel(carrier.id)))
        throw new NotAllowedError(`${type} ${job.id} has ended: it cannot be canceled`);
      return c.body(null, 202);
    })
    .get('/:id/relaunch/', async (c) => {
      await nodeJob(c, type);
      return c.json({});
    })
    .get('/:id/notifications/', async (c) =>
      c.json(await jobNotificationsPage(c, (await nodeJob(c, type)).id!)),
    )
    .post('/:id/relaunch/', async (c) => {
      const services = c.get('services');
      const job = await nodeJob(c, type);
      const carrier = await carrierOf(c, job);
      if (!carrier)
        throw new NotAllowedError(`${type} ${job.id} ran in workflow job ${job.workflowJob}: relaunch that`);
      await requireOnJob(c, 'execute', carrier);
      const launched = await services.launcher.relaunchStandalone(carrier, actorOf(c.get('user')));
      return standaloneLaunched(c, launched, 201);
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

/** The workflow job carrying a standalone job, read by a caller who may read it; undefined for a workflow's job. */
async function carrierOf(c: Context<ApiEnv>, job: NodeJobRecord): Promise<WorkflowJobRecord | undefined> {
  if (!job.standalone) return undefined;
  const carrier = (await c.get('services').jobs.getWorkflowJob(job.workflowJob))!;
  await requireOnJob(c, 'read', carrier);
  return carrier;
}

/** A job's events as AWX shows them, for a caller who may read the workflow job it ran in. */
async function jobEvents(c: Context<ApiEnv>, job: NodeJobRecord): Promise<Record<string, unknown>[]> {
  const { jobs, catalog, events } = c.get('services');
  await requireOnJob(c, 'read', (await jobs.getWorkflowJob(job.workflowJob))!);
  const shown = await new JobSerializer(jobs, catalog).nodeJob(job);
  return serializeJobEvents(shown, await events.events(job.workflowJob, job.node));
}
