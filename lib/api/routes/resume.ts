import { Hono } from 'hono';
import { StateConflictError } from '../../errors';
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
 * relaunch a job may resume it. 409 when the job runs, succeeded or was resumed already. `GET`
 * tells whether it can be resumed now, and which nodes a resume would keep and run again.
 */
export const resumeRoutes = new Hono<ApiEnv>()
  .use('*', authenticate)
  // As AWX's GET of a relaunch: whether it can be done, and what it would do (`?from=a,b`).
  .get('/:id/resume/', async (c) => {
    const job = await workflowJob(c);
    const from = c.req.query('from')?.split(',').filter(Boolean) ?? [];
    try {
      const preview = await c.get('services').launcher.resumePreview(job.id, from);
      return c.json({ can_resume: true, kept: preview.kept, runs_again: preview.runsAgain });
    } catch (error) {
      if (!(error instanceof StateConflictError)) throw error;
      return c.json({ can_resume: false, reason: error.message, kept: [], runs_again: [] });
    }
  })
  .post('/:id/resume/', async (c) => {
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
