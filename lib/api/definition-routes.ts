import type { Hono } from 'hono';
import type { Definition, DefinitionRecord } from '../catalog/definition';
import { definitionOf } from '../catalog/resources';
import { InvalidError } from '../errors';
import { BodyFields, jsonBody } from './body';
import type { ApiEnv, ApiServices } from './context';
import { readDefinitionBody, readDefinitionFields } from './definition-body';
import { requireSuperuser } from './permissions';
import { listPage, resourceRoutes, type ResourceSpec } from './resource-routes';
import { resourceId } from './routes/resource-id';
import { ReferenceLookup, serializeDefinition } from './serializers/definition';

/** The serializer of one request for a kind (references looked up once per request). */
export function definitionSerializer(definition: Definition, services: ApiServices) {
  const lookup = new ReferenceLookup(services.catalog);
  return (record: DefinitionRecord) => serializeDefinition(definition, record, lookup);
}

/**
 * The routes of a kind described by its field table (lib/catalog/resources): the collection and
 * its objects, the association lists (`POST {"id": N}` associates, with `"disassociate": true`
 * takes away; a body without `id` creates the object and associates it) and the sub-lists of the
 * objects that refer to it.
 */
export function definitionRoutes(
  definition: Definition,
  writes: Partial<Pick<ResourceSpec<DefinitionRecord>, 'create' | 'update' | 'remove'>> = {},
): Hono<ApiEnv> {
  const routes = resourceRoutes<DefinitionRecord>({
    kind: definition.kind,
    mayChange: requireSuperuser,
    searchable: definition.searchable,
    serializer: (services) => definitionSerializer(definition, services),
    read: (fields, partial) => readDefinitionFields(definition, fields, partial) as Partial<DefinitionRecord>,
    create: (services, fields) => services.definitions.create(definition, fields),
    update: (services, id, fields) => services.definitions.update(definition, id, fields),
    remove: (services, id) => services.definitions.delete(definition, id),
    ...writes,
  });
  for (const [relation, kind] of Object.entries(definition.associations ?? {})) {
    const target = definitionOf(kind)!;
    routes.get(`/:id/${relation}/`, async (c) => {
      const services = c.get('services');
      const record = await services.definitions.get(definition, resourceId(c));
      const ids = (record[relation] as number[] | undefined) ?? [];
      const members = await Promise.all(ids.map((id) => services.catalog.find<DefinitionRecord>(kind, id)));
      const present = members.filter((member) => member !== undefined);
      return c.json(await listPage(c, present, definitionSerializer(target, services), target.searchable));
    });
    routes.post(`/:id/${relation}/`, async (c) => {
      requireSuperuser(c.get('user'));
      const services = c.get('services');
      const id = resourceId(c);
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
      const id = resourceId(c);
      await services.definitions.get(definition, id);
      const members = (await services.definitions.list(child)).filter((record) => record[field] === id);
      return c.json(await listPage(c, members, definitionSerializer(child, services), child.searchable));
    });
    routes.post(`/:id/${relation}/`, async (c) => {
      requireSuperuser(c.get('user'));
      const services = c.get('services');
      const id = resourceId(c);
      await services.definitions.get(definition, id);
      const body = { ...(await jsonBody(c)), [field]: id };
      if (body.id !== undefined) throw new InvalidError(`${relation} are created here, not associated`);
      const created = await services.definitions.create(child, readDefinitionBody(child, body));
      return c.json(await definitionSerializer(child, services)(created), 201);
    });
  }
  return routes;
}
