import { Hono } from 'hono';
import type { UserRecord } from '../access/accounts';
import type { CatalogRecord, Fields } from '../catalog/catalog-store';
import type { ResourceKind } from '../catalog/kinds';
import { BodyFields, jsonBody } from './body';
import type { ApiEnv, ApiServices } from './context';
import { filterList } from './filters';
import { paginate } from './pagination';
import { resourceId } from './routes/resource-id';

type Serialized = Record<string, unknown>;

/**
 * What makes one AWX resource's routes: its kind, how its fields are read from a request, how it
 * is written and shown, and who may change it. Everything else (list with filters and pages,
 * 201/204 codes, 404 before 400) is the same for every resource, so it is written once here.
 */
export interface ResourceSpec<T extends CatalogRecord> {
  readonly kind: ResourceKind;
  /** Reads a create (`partial` false) or update body; reports every field problem in one 400. */
  readonly read: (fields: BodyFields, partial: boolean) => Partial<Fields<T>>;
  /** Makes the serializer of one request (it may cache what several records share). */
  readonly serializer: (services: ApiServices) => (record: T) => Serialized | Promise<Serialized>;
  /** Throws ForbiddenError when `user` may not create, change or delete this kind. */
  readonly mayChange: (user: UserRecord) => void;
  /** The records a list shows (by default, all of the kind). */
  readonly list?: (services: ApiServices) => Promise<T[]>;
  /** Creates the record from what `read` accepted (by default, the catalog's create). */
  readonly create?: (services: ApiServices, fields: Partial<Fields<T>>, body: Serialized) => Promise<T>;
  /** Changes the record from what `read` accepted (by default, the catalog's update). */
  readonly update?: (
    services: ApiServices,
    id: number,
    fields: Partial<Fields<T>>,
    body: Serialized,
  ) => Promise<T>;
  /** Deletes the record (by default, the catalog's delete). */
  readonly remove?: (services: ApiServices, id: number) => Promise<void>;
  /** Fields searched by `?search=`. */
  readonly searchable?: readonly string[];
}

/** Reads a body by the spec, reporting every problem at once. */
export function readBody<T extends CatalogRecord>(
  spec: Pick<ResourceSpec<T>, 'read'>,
  body: Serialized,
  partial: boolean,
): Partial<Fields<T>> {
  const fields = new BodyFields(body, partial);
  const read = spec.read(fields, partial);
  fields.check();
  return Object.fromEntries(Object.entries(read).filter(([, value]) => value !== undefined)) as Partial<
    Fields<T>
  >;
}

/** A page of serialized records, filtered and ordered as the query asks. */
export async function listPage<T>(
  c: Parameters<typeof paginate>[0],
  records: readonly T[],
  serialize: (record: T) => Serialized | Promise<Serialized>,
  searchable?: readonly string[],
) {
  const all = await Promise.all(records.map(serialize));
  return paginate(c, filterList(all, new URL(c.req.url).searchParams, searchable));
}

export function resourceRoutes<T extends CatalogRecord>(spec: ResourceSpec<T>): Hono<ApiEnv> {
  return new Hono<ApiEnv>()
    .get('/', async (c) => {
      const services = c.get('services');
      const records = spec.list ? await spec.list(services) : await services.catalog.list<T>(spec.kind);
      return c.json(await listPage(c, records, spec.serializer(services), spec.searchable));
    })
    .post('/', async (c) => {
      spec.mayChange(c.get('user'));
      const body = await jsonBody(c);
      const fields = readBody(spec, body, false);
      const services = c.get('services');
      const created = spec.create
        ? await spec.create(services, fields, body)
        : await services.catalog.create<T>(spec.kind, fields as Fields<T>);
      return c.json(await spec.serializer(services)(created), 201);
    })
    .get('/:id/', async (c) => {
      const services = c.get('services');
      return c.json(await spec.serializer(services)(await services.catalog.get<T>(spec.kind, resourceId(c))));
    })
    .on(['PUT', 'PATCH'], '/:id/', async (c) => {
      spec.mayChange(c.get('user'));
      const id = resourceId(c);
      const services = c.get('services');
      await services.catalog.get(spec.kind, id); // 404 before 400
      const body = await jsonBody(c);
      const fields = readBody(spec, body, c.req.method === 'PATCH');
      const updated = spec.update
        ? await spec.update(services, id, fields, body)
        : await services.catalog.update<T>(spec.kind, id, fields);
      return c.json(await spec.serializer(services)(updated));
    })
    .delete('/:id/', async (c) => {
      spec.mayChange(c.get('user'));
      const services = c.get('services');
      const id = resourceId(c);
      if (spec.remove) await spec.remove(services, id);
      else await services.catalog.delete(spec.kind, id);
      return c.body(null, 204);
    });
}
