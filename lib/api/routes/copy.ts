import { Hono, type Context } from 'hono';
import type { Action } from '../../access/roles';
import type { KeepReference } from '../../catalog/copy';
import type { Definition, DefinitionRecord } from '../../catalog/definition';
import type { ResourceKind } from '../../catalog/kinds';
import { DEFINITIONS } from '../../catalog/resources';
import { ForbiddenError } from '../../errors';
import { jsonBody } from '../body';
import type { ApiEnv } from '../context';
import { readDefinitionBody } from '../definition-body';
import { definitionAuthorization, definitionSerializer } from '../definition-routes';
import { accessOf, requireAccess } from '../permissions';
import { resourceId } from './resource-id';

/**
 * What the caller must be allowed on what a copy's parts refer to, for the parts to go on
 * referring to it (AWX's workflow copy: use an inventory or a credential, start a template).
 */
const USED_AS: Partial<Record<ResourceKind, Action>> = {
  inventory: 'use',
  credential: 'use',
  job_template: 'execute',
  workflow_job_template: 'execute',
  project: 'update',
  inventory_source: 'update',
};

/** The lists of a workflow's `GET …/copy/` naming what its copy would leave out, by kind. */
const UNABLE_TO_COPY: Readonly<Record<string, readonly ResourceKind[]>> = {
  templates_unable_to_copy: ['job_template', 'workflow_job_template', 'project', 'inventory_source'],
  credentials_unable_to_copy: ['credential'],
  inventories_unable_to_copy: ['inventory'],
};

/**
 * `/api/v2/<kind>/<id>/copy/` of every kind that links `copy` (docs/api.md "Copies"). GET says
 * whether the caller may copy (reading the original; creating in its organization); POST
 * `{"name": ...}` copies (lib/catalog/copy.ts) and answers the copy as its detail shows it.
 */
export function copyRoutes(): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();
  for (const definition of DEFINITIONS) {
    if (!definition.links?.includes('copy')) continue;
    const path = `/${definition.path}/:id/copy/`;
    routes.get(path, async (c) => {
      const { definitions, copies } = c.get('services');
      const record = await definitions.get(definition, resourceId(c));
      await requireAccess(c, 'read', definition.kind, record);
      const can = await mayCreate(c, definition, record);
      if (!definition.copy?.checkParts) return c.json({ can_copy: can });
      const withheld = can ? await copies.withheld(definition, record, usedByCaller(c)) : [];
      const lists = Object.entries(UNABLE_TO_COPY).map(([list, kinds]) => [
        list,
        can ? withheld.filter(({ kind }) => kinds.includes(kind)).map(({ record }) => record.name) : ['all'],
      ]);
      return c.json({
        can_copy: can,
        can_copy_without_user_input: can && withheld.length === 0,
        ...Object.fromEntries(lists),
      });
    });
    routes.post(path, async (c) => {
      const services = c.get('services');
      const record = await services.definitions.get(definition, resourceId(c));
      await requireAccess(c, 'read', definition.kind, record);
      await definitionAuthorization(definition).create(c, record);
      // The name as a create reads it, with the same messages.
      const { name } = readDefinitionBody(
        { ...definition, fields: { name: definition.fields.name } },
        await jsonBody(c),
      );
      const copy = await services.copies.copy(definition, record.id, name as string, usedByCaller(c));
      const shown = await definitionSerializer(definition, services)(copy);
      return c.json(shown, 201, { Location: shown.url as string });
    });
  }
  return routes;
}

/** Whether the caller may create the copy: what creating the original would take. */
async function mayCreate(
  c: Context<ApiEnv>,
  definition: Definition,
  record: DefinitionRecord,
): Promise<boolean> {
  try {
    await definitionAuthorization(definition).create(c, record);
    return true;
  } catch (error) {
    if (error instanceof ForbiddenError) return false;
    throw error;
  }
}

/** Keeps what the caller may use as a copy's parts use it. */
function usedByCaller(c: Context<ApiEnv>): KeepReference {
  return async ({ kind, record }) => {
    const action = USED_AS[kind];
    return action === undefined || (await accessOf(c)).can(action, kind, record);
  };
}
