import { Hono } from 'hono';
import { definitionOf } from '../../catalog/resources';
import { UNIFIED_JOB_TEMPLATE_KINDS } from '../../catalog/resources/common';
import type { ApiEnv } from '../context';
import { definitionSerializer } from '../definition-routes';
import { listPage } from '../resource-routes';

/**
 * `/api/v2/unified_job_templates/`: every template of any type in one list (one id space), each
 * shown as its own kind shows it; `type` tells them apart. Clients find a node's template by name
 * here.
 */
export const unifiedJobTemplates = new Hono<ApiEnv>().get('/', async (c) => {
  const services = c.get('services');
  const kinds = UNIFIED_JOB_TEMPLATE_KINDS.map((kind) => definitionOf(kind)!);
  const serialized = (
    await Promise.all(
      kinds.map(async (definition) => {
        const serialize = definitionSerializer(definition, services);
        return Promise.all((await services.definitions.list(definition)).map(serialize));
      }),
    )
  )
    .flat()
    .sort((a, b) => (a.id as number) - (b.id as number));
  return c.json(await listPage(c, serialized, (item) => item));
});
