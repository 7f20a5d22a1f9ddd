import { Hono } from 'hono';
import type { DefinitionRecord } from '../../catalog/definition';
import { definitionOf } from '../../catalog/resources';
import { UNIFIED_JOB_TEMPLATE_KINDS } from '../../catalog/resources/common';
import type { ApiEnv, ApiServices } from '../context';
import { definitionSerializer } from '../definition-routes';
import { filterList } from '../filters';
import { paginate } from '../pagination';

type Serialized = Record<string, unknown>;

/**
 * `/api/v2/unified_job_templates/`: every template of any type in one list (one id space), each
 * shown as its own kind shows it; `type` tells them apart. Clients find a node's template by name
 * here, with `type` and `organization` (the awx.awx workflow modules).
 */
export const unifiedJobTemplates = new Hono<ApiEnv>().get('/', async (c) => {
  const services = c.get('services');
  const organizationOf = inventoryOrganizations(services);
  const rows = (
    await Promise.all(
      UNIFIED_JOB_TEMPLATE_KINDS.map(async (kind) => {
        const definition = definitionOf(kind)!;
        const serialize = definitionSerializer(definition, services);
        return Promise.all(
          (await services.definitions.list(definition)).map(async (record) => {
            const shown = await serialize(record);
            // An inventory source shows no organization, but has its inventory's in AWX (set
            // from the inventory), which `?organization=` filters on.
            const filtered =
              kind === 'inventory_source' ? { ...shown, organization: await organizationOf(record) } : shown;
            return { shown, filtered };
          }),
        );
      }),
    )
  )
    .flat()
    .sort((a, b) => (a.shown.id as number) - (b.shown.id as number));
  const shownBy = new Map<Serialized, Serialized>(rows.map((row) => [row.filtered, row.shown]));
  const matching = filterList(
    rows.map((row) => row.filtered),
    new URL(c.req.url).searchParams,
  );
  return c.json(
    paginate(
      c,
      matching.map((row) => shownBy.get(row)!),
    ),
  );
});

/** The organization of an inventory source's inventory, each inventory read once. */
function inventoryOrganizations(services: ApiServices) {
  const inventories = new Map<number, Promise<DefinitionRecord | undefined>>();
  return async (source: DefinitionRecord): Promise<unknown> => {
    const id = source.inventory as number;
    if (!inventories.has(id)) inventories.set(id, services.catalog.find<DefinitionRecord>('inventory', id));
    return (await inventories.get(id))?.organization ?? null;
  };
}
