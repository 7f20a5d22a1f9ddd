import type { OrganizationRecord } from '../../catalog/organization';
import { requireSuperuser } from '../permissions';
import { resourceRoutes } from '../resource-routes';
import { serializeOrganization } from '../serializers/organization';

/** `/api/v2/organizations/`: AWX's organizations (the Default one exists from the first start). */
export const organizations = resourceRoutes<OrganizationRecord>({
  kind: 'organization',
  mayChange: requireSuperuser,
  serialize: serializeOrganization,
  read: (fields, partial) => ({
    name: fields.string('name', { required: true, max: 512 }),
    description: fields.string('description'),
    max_hosts: fields.integer('max_hosts', { min: 0, fallback: 0 }),
    ...(partial ? {} : { default_environment: null, organization: null }),
  }),
});
