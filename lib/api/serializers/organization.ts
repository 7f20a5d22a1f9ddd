import type { OrganizationRecord } from '../../catalog/organization';
import { envelope } from './envelope';

export function serializeOrganization(record: OrganizationRecord): Record<string, unknown> {
  return {
    ...envelope('organization', 'organizations', record, {
      users: 'users',
      teams: 'teams',
      projects: 'projects',
      inventories: 'inventories',
      job_templates: 'job_templates',
      workflow_job_templates: 'workflow_job_templates',
      credentials: 'credentials',
    }),
    name: record.name,
    description: record.description,
    max_hosts: record.max_hosts,
    custom_virtualenv: null,
    default_environment: record.default_environment,
  };
}
