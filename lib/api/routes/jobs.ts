import { Hono, type Context } from 'hono';
import { NotFoundError } from '../../errors';
import type { NodeJobRecord, NodeJobType } from '../../store/records';
import { nodeJobType } from '../../store/records';
import type { ApiEnv } from '../context';
import { listPage } from '../resource-routes';
import { JobSerializer } from '../serializers/jobs';
import { resourceId } from './resource-id';

/**
 * The jobs a workflow's nodes run, listed by AWX type: `/jobs/` (playbook runs),
 * `/project_updates/`, `/inventory_updates/`; each with artifacts, host status counts and stdout.
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
    });
}

async function nodeJob(c: Context<ApiEnv>, type: NodeJobType): Promise<NodeJobRecord> {
  const id = resourceId(c);
  const job = await c.get('services').jobs.findNodeJob(id);
  if (!job || nodeJobType(job.kind) !== type) throw new NotFoundError(`${type} ${id} not found`);
  return job;
}
