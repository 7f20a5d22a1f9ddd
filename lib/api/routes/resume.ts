import { Hono } from 'hono';
import { actorOf } from '../actor';
import { authenticate } from '../auth';
import { BodyFields, jsonBody } from '../body';
import type { ApiEnv } from '../context';
import { requireOnJob } from '../permissions';
import { JobSerializer } from '../serializers/jobs';
import { workflowJob } from './workflow-jobs';

/** Towerless's own endpoints on workflow jobs (AWX cannot resume one). */
export const TOWERLESS_WORKFLOW_JOBS_PATH = '/api/towerless/workflow_jobs';

/**
 * `POST /api/towerless/workflow_jobs/{id}/resume/` with `{"from": [node identifiers]}` (optional):
 * the resuming workflow job (docs/semantics.md §13.11), 201 as AWX answers a relaunch. Who may
 * relaunch a job may resume it. 409 when the job runs, succeeded or was resumed already.
 */
export const resumeRoutes = new Hono<ApiEnv>().use('*', authenticate).post('/:id/resume/', async (c) => {
  const services = c.get('services');
  const job = await workflowJob(c);
  await requireOnJob(c, 'execute', job);
  const fields = new BodyFields(await jsonBody(c));
  const from = fields.strings('from');
  fields.check();
  const resumed = await services.launcher.resume(job.id, from!, actorOf(c.get('user')));
  const shown = await new JobSerializer(services.jobs, services.catalog).workflowJob(resumed);
  return c.json(shown, 201, { Location: shown.url as string });
});
