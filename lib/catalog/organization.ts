import type { CatalogRecord, CatalogStore } from './catalog-store';

export interface OrganizationRecord extends CatalogRecord {
  readonly name: string;
  readonly description: string;
  readonly max_hosts: number;
  readonly default_environment: number | null;
}

/** What every AWX has from its first start: the organization `Default`. */
export async function ensureDefaultOrganization(catalog: CatalogStore): Promise<void> {
  if (await catalog.findByName('organization', 'Default')) return;
  await catalog.create<OrganizationRecord>('organization', {
    name: 'Default',
    description: '',
    max_hosts: 0,
    default_environment: null,
  });
}
