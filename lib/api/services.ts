import { Accounts } from '../access/accounts';
import { CatalogStore } from '../catalog/catalog-store';
import { DefinitionCatalog } from '../catalog/definitions';
import { CredentialStore } from '../catalog/credential-inputs';
import { ensureManagedCredentialTypes } from '../catalog/credential-types';
import { ensureDefaultOrganization } from '../catalog/organization';
import { CredentialSecrets } from '../runner/credential-secrets';
import type { SecretWriter } from '../runner/secret-writer';
import type { RecordTable } from '../store/record-table';
import type { ApiServices } from './context';

/**
 * The services behind the API on one table, with what every AWX has from its first start (the
 * organization Default, the managed credential types) in place.
 */
export async function createApiServices(table: RecordTable, secrets: SecretWriter): Promise<ApiServices> {
  const catalog = new CatalogStore(table);
  await ensureDefaultOrganization(catalog);
  await ensureManagedCredentialTypes(catalog);
  const definitions = new DefinitionCatalog(catalog);
  return {
    catalog,
    accounts: new Accounts(catalog, table),
    definitions,
    credentials: new CredentialStore(definitions, new CredentialSecrets(secrets)),
  };
}
