import { Hono, type Context } from 'hono';
import { ForbiddenError } from '../errors';
import type { CatalogRecord, Fields } from '../catalog/catalog-store';
import type { ResourceKind } from '../catalog/kinds';
import { BodyFields, jsonBody } from './body';
import type { ApiEnv, ApiServices } from './context';
import { filterList } from './filters';
import { paginate } from './pagination';
import { FORBIDDEN } from './permissions';
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
  /** Who may do what (docs/api.md "Roles"): each throws ForbiddenError, or answers visibility. */
  readonly authorize: Authorization<T>;
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

export interface Authorization<T> {
  /** Creating with these fields (their organization decides, for most kinds). */
  create(c: Context<ApiEnv>, fields: Partial<T>): void | Promise<void>;
  /** Changing or deleting this record. */
  change(c: Context<ApiEnv>, record: T): void | Promise<void>;
  /** Deleting this record, where it differs from changing it. */
  remove?(c: Context<ApiEnv>, record: T): void | Promise<void>;
  /** Whether the caller sees this record (lists leave out the rest; its detail answers 403). */
  read(c: Context<ApiEnv>, record: T): boolean | Promise<boolean>;
}

/** The records of a list the caller may see. */
export async function visibleTo<T>(
  c: Context<ApiEnv>,
  records: readonly T[],
  read: (c: Context<ApiEnv>, record: T) => boolean | Promise<boolean>,
): Promise<T[]> {
  const shown = await Promise.all(records.map((record) => read(c, record)));
  return records.filter((_, index) => shown[index]);
}

export function resourceRoutes<T extends CatalogRecord>(spec: ResourceSpec<T>): Hono<ApiEnv> {
  return new Hono<ApiEnv>()
    .get('/', async (c) => {
      const services = c.get('services');
      const records = spec.list ? await spec.list(services) : await services.catalog.list<T>(spec.kind);
      const visible = await visibleTo(c, records, spec.authorize.read);
      return c.json(await listPage(c, visible, spec.serializer(services), spec.searchable));
    })
    .post('/', async (c) => {
      const body = await jsonBody(c);
      const fields = readBody(spec, body, false);
      await spec.authorize.create(c, fields as Partial<T>);
      const services = c.get('services');
      const created = spec.create
        ? await spec.create(services, fields, body)
        : await services.catalog.create<T>(spec.kind, fields as Fields<T>);
      return c.json(await spec.serializer(services)(created), 201);
    })
    .get('/:id/', async (c) => {
      const services = c.get('services');
      const record = await services.catalog.get<T>(spec.kind, resourceId(c));
      if (!(await spec.authorize.read(c, record))) throw new ForbiddenError(FORBIDDEN);
      return c.json(await spec.serializer(services)(record));
    })
    .on(['PUT', 'PATCH'], '/:id/', async (c) => {
      const id = resourceId(c);
      const services = c.get('services');
      await spec.authorize.change(c, await services.catalog.get<T>(spec.kind, id)); // 404, 403, then 400
      const body = await jsonBody(c);
      const fields = readBody(spec, body, c.req.method === 'PATCH');
      const updated = spec.update
        ? await spec.update(services, id, fields, body)
        : await services.catalog.update<T>(spec.kind, id, fields);
      return c.json(await spec.serializer(services)(updated));
    })
    .delete('/:id/', async (c) => {
      const services = c.get('services');
      const id = resourceId(c);
      const record = await services.catalog.get<T>(spec.kind, id);
      if (spec.authorize.remove) await spec.authorize.remove(c, record);
      else await spec.authorize.change(c, record);
      if (spec.remove) await spec.remove(services, id);
      else await services.catalog.delete(spec.kind, id);
      return c.body(null, 204);
    });
}
