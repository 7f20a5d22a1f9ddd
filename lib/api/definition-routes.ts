import type { Context, Hono } from 'hono';
import { CONTAINERS } from '../access/access';
import { hasRoles, roleFields, roleId } from '../access/roles';
import type { Definition, DefinitionRecord } from '../catalog/definition';
import { definitionOf } from '../catalog/resources';
import { InvalidError } from '../errors';
import { BodyFields, jsonBody } from './body';
import type { ApiEnv, ApiServices } from './context';
import { readDefinitionBody, readDefinitionFields } from './definition-body';
import { accessOf, requireAccess, requireCreate } from './permissions';
import {
  listPage,
  resourceRoutes,
  visibleTo,
  type Authorization,
  type ResourceSpec,
} from './resource-routes';
import { resourceId } from './routes/resource-id';
import { ReferenceLookup, serializeDefinition } from './serializers/definition';
import { serializeRole } from './serializers/role';

/** The serializer of one request for a kind (references looked up once per request). */
export function definitionSerializer(definition: Definition, services: ApiServices) {
  const lookup = new ReferenceLookup(services.catalog);
  return (record: DefinitionRecord) => serializeDefinition(definition, record, lookup);
}

/** Who may do what to a kind's records, from the roles (lib/access). */
export function definitionAuthorization(definition: Definition): Authorization<DefinitionRecord> {
  return {
    create: async (c, fields) => {
      const parent = CONTAINERS[definition.kind];
      if (parent && typeof fields[parent.field] === 'number') {
        const found = await c
          .get('services')
          .catalog.findAmong<DefinitionRecord>(parent.kinds, fields[parent.field] as number);
        if (found) return requireAccess(c, 'change', found.kind, found.record);
      }
      // In the organization the record will have (a job template's is its project's).
      const { definitions } = c.get('services');
      const saved = definition.saving ? await definition.saving(definitions, fields, undefined) : fields;
      return requireCreate(c, definition.kind, saved.organization);
    },
    change: (c, record) => requireAccess(c, 'change', definition.kind, record),
    read: async (c, record) => (await accessOf(c)).can('read', definition.kind, record),
  };
}

/** A page of the records of `target` with these ids, those the caller may read. */
async function membersPage(c: Context<ApiEnv>, target: Definition, ids: readonly number[]) {
  const services = c.get('services');
  const members = await Promise.all(
    ids.map((id) => services.catalog.find<DefinitionRecord>(target.kind, id)),
  );
  const present = members.filter((member) => member !== undefined);
  const visible = await visibleTo(c, present, definitionAuthorization(target).read);
  return listPage(c, visible, definitionSerializer(target, services), target.searchable);
}

/**
 * The routes of a kind described by its field table (lib/catalog/resources): the collection and
 * its objects, the association lists (`POST {"id": N}` associates, with `"disassociate": true`
 * takes away; a body without `id` creates the object and associates it), the sub-lists of the
 * objects that refer to it, and the lists AWX computes (read only).
 */
export function definitionRoutes(
  definition: Definition,
  writes: Partial<Pick<ResourceSpec<DefinitionRecord>, 'create' | 'update' | 'remove'>> = {},
): Hono<ApiEnv> {
  const authorization = definitionAuthorization(definition);
  const routes = resourceRoutes<DefinitionRecord>({
    kind: definition.kind,
    authorize: authorization,
    searchable: definition.searchable,
    serializer: (services) => definitionSerializer(definition, services),
    read: (fields, partial) => readDefinitionFields(definition, fields, partial) as Partial<DefinitionRecord>,
    create: (services, fields) => services.definitions.create(definition, fields),
    update: (services, id, fields) => services.definitions.update(definition, id, fields),
    remove: (services, id) => services.definitions.delete(definition, id),
    ...writes,
  });
  /** The record of the path, once the caller may `action` it. */
  const recordOf = async (c: Context<ApiEnv>, action: 'read' | 'change') => {
    const record = await c.get('services').definitions.get(definition, resourceId(c));
    await requireAccess(c, action, definition.kind, record);
    return record;
  };
  for (const [relation, kind] of Object.entries(definition.associations ?? {})) {
    const target = definitionOf(kind)!;
    routes.get(`/:id/${relation}/`, async (c) => {
      const record = await recordOf(c, 'read');
      return c.json(await membersPage(c, target, (record[relation] as number[] | undefined) ?? []));
    });
    routes.post(`/:id/${relation}/`, async (c) => {
      const services = c.get('services');
      const { id } = await recordOf(c, 'change');
      const body = await jsonBody(c);
      if (body.id === undefined) {
        const created = await services.definitions.create(target, readDefinitionBody(target, body));
        await services.definitions.associate(definition, id, relation, created.id);
        return c.json(await definitionSerializer(target, services)(created), 201);
      }
      const fields = new BodyFields(body);
      const targetId = fields.id('id', true);
      const remove = fields.boolean('disassociate', { fallback: false });
      fields.check();
      await services.definitions.associate(definition, id, relation, targetId!, remove);
      return c.body(null, 204);
    });
  }
  for (const [relation, { kind, field }] of Object.entries(definition.children ?? {})) {
    const child = definitionOf(kind)!;
    routes.get(`/:id/${relation}/`, async (c) => {
      const services = c.get('services');
      const { id } = await recordOf(c, 'read');
      const members = (await services.definitions.list(child)).filter((record) => record[field] === id);
      const visible = await visibleTo(c, members, definitionAuthorization(child).read);
      return c.json(await listPage(c, visible, definitionSerializer(child, services), child.searchable));
    });
    routes.post(`/:id/${relation}/`, async (c) => {
      const services = c.get('services');
      const { id } = await recordOf(c, 'change');
      const body = { ...(await jsonBody(c)), [field]: id };
      if (body.id !== undefined) throw new InvalidError(`${relation} are created here, not associated`);
      const created = await services.definitions.create(child, readDefinitionBody(child, body));
      return c.json(await definitionSerializer(child, services)(created), 201);
    });
  }
  for (const [relation, { kind, ids }] of Object.entries(definition.computedLists ?? {})) {
    const target = definitionOf(kind)!;
    routes.get(`/:id/${relation}/`, async (c) => {
      const record = await recordOf(c, 'read');
      return c.json(await membersPage(c, target, await ids(c.get('services').definitions, record)));
    });
  }
  const kind = definition.kind;
  if (hasRoles(kind))
    routes.get('/:id/object_roles/', async (c) => {
      const record = await recordOf(c, 'read');
      const shown = roleFields(kind).map((field) =>
        serializeRole(roleId(kind, record.id, field), String(record.name)),
      );
      return c.json(await listPage(c, shown, (role) => role));
    });
  return routes;
}
