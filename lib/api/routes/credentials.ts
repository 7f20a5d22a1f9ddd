import { CREDENTIAL } from '../../catalog/resources/credential';
import { keptSecretRoutes } from '../kept-secret-routes';

/**
 * `/api/v2/credentials/`: credentials whose secret inputs are write-only: kept through the secrets
 * writer, shown as `$encrypted$` (docs/secrets.md).
 */
export const credentials = keptSecretRoutes(CREDENTIAL, (services) => services.credentials);
