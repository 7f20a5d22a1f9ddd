import { Accounts } from '../access/accounts';
import { CatalogStore } from '../catalog/catalog-store';
import { DefinitionCatalog } from '../catalog/definitions';
import { ensureDefaultOrganization } from '../catalog/organization';
import type { RecordTable } from '../store/record-table';
import type { ApiServices } from './context';

/**
 * The services behind the API on one table, with what every AWX has from its first start (the
 * organization Default) in place.
 */
export async function createApiServices(table: RecordTable): Promise<ApiServices> {
  const catalog = new CatalogStore(table);
  await ensureDefaultOrganization(catalog);
  return { catalog, accounts: new Accounts(catalog, table), definitions: new DefinitionCatalog(catalog) };
}
