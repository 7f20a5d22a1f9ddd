import { MANAGED_CREDENTIAL_TYPES } from '../model/resources/credential-types';
import type { CatalogStore } from './catalog-store';
import type { DefinitionRecord } from './definition';

/**
 * AWX's managed credential types, in the catalog from the first start (in AWX's order, so they get
 * a fresh AWX's ids) and on every start the ones a newer Towerless adds. Clients find them by name
 * (`/credential_types/?name=Machine`); they cannot be changed or deleted.
 */
export async function ensureManagedCredentialTypes(catalog: CatalogStore): Promise<void> {
  for (const type of MANAGED_CREDENTIAL_TYPES) {
    if (await catalog.findByName('credential_type', type.name, { kind: type.kind })) continue;
    await catalog.create<DefinitionRecord>('credential_type', {
      name: type.name,
      description: '',
      kind: type.kind,
      namespace: type.namespace,
      managed: true,
      inputs: type.inputs,
      injectors: type.injectors,
    });
  }
}
