import { CREDENTIAL } from '../../catalog/resources/credential';
import { definitionRoutes } from '../definition-routes';

/**
 * `/api/v2/credentials/`: credentials whose secret inputs are write-only: kept through the secrets
 * writer, shown as `$encrypted$` (docs/secrets.md).
 */
export const credentials = definitionRoutes(CREDENTIAL, {
  create: (services, values) => services.credentials.create(values),
  update: (services, id, values) => services.credentials.update(id, values),
  remove: (services, id) => services.credentials.delete(id),
});
