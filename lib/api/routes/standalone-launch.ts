import type { Context, Hono } from 'hono';
import type { Definition } from '../../catalog/definition';
import type { StandaloneKind } from '../../catalog/projection';
import { NotAllowedError, NotFoundError } from '../../errors';
import type { StandaloneLaunched } from '../../launch/launch-standalone';
import type { Action } from '../../access/roles';
import { nodeJobType } from '../../store/records';
import { actorOf } from '../actor';
import { jsonBody } from '../body';
import type { ApiEnv } from '../context';
import { requireAccess } from '../permissions';
import { JobSerializer } from '../serializers/jobs';
import { resourceId } from './resource-id';

/**
 * Launching a job template on its own (`POST job_templates/{id}/launch/`, 201) and updating a
 * project or inventory source (`POST …/{id}/update/`, 202), as AWX answers them: the new job's
 * fields, its id under its type's name (`job`, `project_update`, `inventory_update`) and, for a
 * launch, the fields it ignored. Each runs as a standalone job (lib/launch/launch-standalone.ts).
 */
export interface StandaloneRoute {
  readonly kind: StandaloneKind;
  /** `launch` or `update`. */
  readonly path: string;
  /** The role action that allows it: execute a template, update a project or source. */
  readonly action: Action;
  readonly status: 201 | 202;
  /** What `GET` on the path answers. */
  readonly describe: (record: Record<string, unknown>) => Record<string, unknown>;
  /** Whether the record can run at all (a manual project has no update: 405, as in AWX). */
  readonly runnable?: (record: Record<string, unknown>) => boolean;
}

export function addStandaloneRoute(
  router: Hono<ApiEnv>,
  definition: Definition,
  route: StandaloneRoute,
): void {
  const record = async (c: Context<ApiEnv>, action: Action) => {
    const found = await c.get('services').definitions.get(definition, resourceId(c));
    await requireAccess(c, action, route.kind, found);
    return found;
  };
  router
    .get(`/:id/${route.path}/`, async (c) => c.json(route.describe(await record(c, 'read'))))
    .post(`/:id/${route.path}/`, async (c) => {
      const found = await record(c, route.action);
      if (route.runnable && !route.runnable(found)) throw new NotAllowedError('Method "POST" not allowed.');
      const body = route.kind === 'job_template' ? await jsonBody(c) : undefined;
      const launched = await c
        .get('services')
        .launcher.launchStandalone(route.kind, found.id, body, actorOf(c.get('user')));
      return standaloneLaunched(c, launched, route.status);
    });
}

/** The answer to a standalone launch: the job as AWX shows it, with its id under its type's name. */
export async function standaloneLaunched(
  c: Context<ApiEnv>,
  launched: StandaloneLaunched,
  status: 201 | 202,
) {
  const { jobs, catalog } = c.get('services');
  const job = await jobs.findNodeJob(launched.job);
  if (!job) throw new NotFoundError(`job ${launched.job} not found`);
  const shown = await new JobSerializer(jobs, catalog).nodeJob(job);
  const type = nodeJobType(job.kind) ?? 'job';
  return c.json({ [type]: job.id, ignored_fields: launched.ignored, ...shown }, status, {
    Location: shown.url as string,
  });
}
