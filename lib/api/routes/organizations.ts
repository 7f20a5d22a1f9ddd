import { Hono } from 'hono';
import { BodyFields, jsonBody } from '../body';
import type { ApiEnv } from '../context';
import { filterList } from '../filters';
import { paginate } from '../pagination';
import { requireSuperuser } from '../permissions';
import type { OrganizationRecord } from '../../catalog/organization';
import { serializeOrganization } from '../serializers/organization';
import { resourceId } from './resource-id';

/** `/api/v2/organizations/`: AWX's organizations (the Default one exists from the first start). */
export const organizations = new Hono<ApiEnv>()
  .get('/', async (c) => {
    const all = (await c.get('services').catalog.list<OrganizationRecord>('organization')).map(
      serializeOrganization,
    );
    return c.json(paginate(c, filterList(all, new URL(c.req.url).searchParams)));
  })
  .post('/', async (c) => {
    requireSuperuser(c.get('user'));
    const fields = organizationFields(await jsonBody(c), false);
    const created = await c.get('services').catalog.create<OrganizationRecord>('organization', {
      description: '',
      max_hosts: 0,
      default_environment: null,
      ...fields,
      name: fields.name!,
      organization: null,
    });
    return c.json(serializeOrganization(created), 201);
  })
  .get('/:id/', async (c) => {
    const record = await c.get('services').catalog.get<OrganizationRecord>('organization', resourceId(c));
    return c.json(serializeOrganization(record));
  })
  .on(['PUT', 'PATCH'], '/:id/', async (c) => {
    requireSuperuser(c.get('user'));
    const id = resourceId(c);
    await c.get('services').catalog.get('organization', id); // 404 before 400
    const fields = organizationFields(await jsonBody(c), c.req.method === 'PATCH');
    const updated = await c.get('services').catalog.update<OrganizationRecord>('organization', id, fields);
    return c.json(serializeOrganization(updated));
  })
  .delete('/:id/', async (c) => {
    requireSuperuser(c.get('user'));
    await c.get('services').catalog.delete('organization', resourceId(c));
    return c.body(null, 204);
  });

function organizationFields(body: Record<string, unknown>, partial: boolean): Partial<OrganizationRecord> {
  const fields = new BodyFields(body, partial);
  const read = {
    name: fields.string('name', { required: true, max: 512 }),
    description: fields.string('description'),
    max_hosts: fields.integer('max_hosts', { min: 0, fallback: 0 }),
  };
  fields.check();
  return Object.fromEntries(Object.entries(read).filter(([, value]) => value !== undefined));
}
