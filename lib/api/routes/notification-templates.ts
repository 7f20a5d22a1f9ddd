import { NOTIFICATION_TEMPLATE } from '../../catalog/resources/others';
import { keptSecretRoutes } from '../kept-secret-routes';

/**
 * `/api/v2/notification_templates/`: notification templates whose secret configuration (a slack
 * `token`, an email `password`...) is write-only, as credentials' secret inputs are: kept through
 * the secrets writer, shown as `$encrypted$` (docs/secrets.md).
 */
export const notificationTemplates = keptSecretRoutes(
  NOTIFICATION_TEMPLATE,
  (services) => services.notificationTemplates,
);
