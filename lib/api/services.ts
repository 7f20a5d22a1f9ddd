import { Accounts } from '../access/accounts';
import { RoleGrants } from '../access/role-grants';
import { CatalogStore } from '../catalog/catalog-store';
import { DefinitionCatalog } from '../catalog/definitions';
import { CredentialStore } from '../catalog/credential-inputs';
import { ensureManagedCredentialTypes } from '../catalog/credential-types';
import { ensureDefaultOrganization } from '../catalog/organization';
import { CredentialSecrets } from '../runner/credential-secrets';
import type { SecretWriter } from '../runner/secret-writer';
import type { ExecutionPort } from '../execution/execution-port';
import { CatalogLauncher } from '../launch/catalog-launcher';
import type { JobStore } from '../store/job-store';
import type { RecordTable } from '../store/record-table';
import type { ApiServices } from './context';

/**
 * The services behind the API on one table, with what every AWX has from its first start (the
 * organization Default, the managed credential types) in place.
 */
/** Where jobs run and are recorded, for the API. */
export interface JobServices {
  readonly jobs: JobStore;
  readonly execution: ExecutionPort;
  /** The folder local projects' `local_path` is under (AWX's PROJECTS_ROOT). */
  readonly projectsRoot: string;
}

export async function createApiServices(
  table: RecordTable,
  secrets: SecretWriter,
  { jobs, execution, projectsRoot }: JobServices,
): Promise<ApiServices> {
  const catalog = new CatalogStore(table);
  await ensureDefaultOrganization(catalog);
  await ensureManagedCredentialTypes(catalog);
  const definitions = new DefinitionCatalog(catalog);
  return {
    catalog,
    accounts: new Accounts(catalog, table),
    grants: new RoleGrants(table),
    definitions,
    credentials: new CredentialStore(definitions, new CredentialSecrets(secrets)),
    jobs,
    execution,
    launcher: new CatalogLauncher(catalog, jobs, execution, projectsRoot),
  };
}
