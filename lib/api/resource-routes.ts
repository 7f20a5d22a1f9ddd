import { Hono } from 'hono';
import type { UserRecord } from '../access/accounts';
import type { CatalogRecord, Fields } from '../catalog/catalog-store';
import type { ResourceKind } from '../catalog/kinds';
import { BodyFields, jsonBody } from './body';
import type { ApiEnv, ApiServices } from './context';
import { filterList } from './filters';
import { paginate } from './pagination';
import { resourceId } from './routes/resource-id';

/**
 * What makes one AWX resource's routes: its kind, how its fields are read from a request, how it
 * is written and shown, and who may change it. Everything else (list with filters and pages,
 * 201/204 codes, 404 before 400) is the same for every resource, so it is written once here.
 */
export interface ResourceSpec<T extends CatalogRecord> {
  readonly kind: ResourceKind;
  /** Reads a create (`partial` false) or update body; reports every field problem in one 400. */
  readonly read: (fields: BodyFields, partial: boolean) => Partial<Fields<T>>;
  readonly serialize: (record: T) => Record<string, unknown>;
  /** Throws ForbiddenError when `user` may not create, change or delete this kind. */
  readonly mayChange: (user: UserRecord) => void;
  /** Creates the record from what `read` accepted (by default, the catalog's create). */
  readonly create?: (
    services: ApiServices,
    fields: Partial<Fields<T>>,
    body: Record<string, unknown>,
  ) => Promise<T>;
  /** Changes the record from what `read` accepted (by default, the catalog's update). */
  readonly update?: (
    services: ApiServices,
    id: number,
    fields: Partial<Fields<T>>,
    body: Record<string, unknown>,
  ) => Promise<T>;
  /** Fields searched by `?search=`. */
  readonly searchable?: readonly string[];
}

export function resourceRoutes<T extends CatalogRecord>(spec: ResourceSpec<T>): Hono<ApiEnv> {
  const fieldsOf = async (body: Record<string, unknown>, partial: boolean) => {
    const fields = new BodyFields(body, partial);
    const read = spec.read(fields, partial);
    fields.check();
    return Object.fromEntries(Object.entries(read).filter(([, value]) => value !== undefined)) as Partial<
      Fields<T>
    >;
  };
  return new Hono<ApiEnv>()
    .get('/', async (c) => {
      const all = (await c.get('services').catalog.list<T>(spec.kind)).map(spec.serialize);
      return c.json(paginate(c, filterList(all, new URL(c.req.url).searchParams, spec.searchable)));
    })
    .post('/', async (c) => {
      spec.mayChange(c.get('user'));
      const body = await jsonBody(c);
      const fields = await fieldsOf(body, false);
      const services = c.get('services');
      const created = spec.create
        ? await spec.create(services, fields, body)
        : await services.catalog.create<T>(spec.kind, fields as Fields<T>);
      return c.json(spec.serialize(created), 201);
    })
    .get('/:id/', async (c) =>
      c.json(spec.serialize(await c.get('services').catalog.get<T>(spec.kind, resourceId(c)))),
    )
    .on(['PUT', 'PATCH'], '/:id/', async (c) => {
      spec.mayChange(c.get('user'));
      const id = resourceId(c);
      const { catalog } = c.get('services');
      await catalog.get(spec.kind, id); // 404 before 400
      const body = await jsonBody(c);
      const fields = await fieldsOf(body, c.req.method === 'PATCH');
      const updated = spec.update
        ? await spec.update(c.get('services'), id, fields, body)
        : await catalog.update<T>(spec.kind, id, fields);
      return c.json(spec.serialize(updated));
    })
    .delete('/:id/', async (c) => {
      spec.mayChange(c.get('user'));
      await c.get('services').catalog.delete(spec.kind, resourceId(c));
      return c.body(null, 204);
    });
}
