import type { Definition } from '../catalog/definition';
import type { KeptSecretRecords } from '../catalog/kept-secret-records';
import type { ApiServices } from './context';
import { definitionRoutes } from './definition-routes';

/**
 * The routes of a kind whose secrets are kept out of the store (docs/secrets.md): its field
 * table's routes, with creates, updates and deletes through the kind's KeptSecretRecords.
 */
export function keptSecretRoutes(
  definition: Definition,
  records: (services: ApiServices) => KeptSecretRecords,
) {
  return definitionRoutes(definition, {
    create: (services, values) => records(services).create(values),
    update: (services, id, values) => records(services).update(id, values),
    remove: (services, id) => records(services).delete(id),
  });
}
