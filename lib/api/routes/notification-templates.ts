import { NOTIFICATION_TEMPLATE } from '../../catalog/resources/others';
import { definitionRoutes } from '../definition-routes';
import { requireAccess } from '../permissions';
import { serializeNotification } from '../serializers/notification';
import { notificationsPage } from './notifications';
import { resourceId } from './resource-id';

/**
 * `/api/v2/notification_templates/`: notification templates (checked as AWX checks them when
 * saved, by the catalog whatever the route: lib/notifications/validation.ts), their
 * notifications, and a test notification (docs/notifications.md).
 */
export const notificationTemplates = definitionRoutes(NOTIFICATION_TEMPLATE)
  .get('/:id/notifications/', async (c) => {
    const services = c.get('services');
    const template = await services.definitions.get(NOTIFICATION_TEMPLATE, resourceId(c));
    await requireAccess(c, 'read', 'notification_template', template);
    const all = await services.notifications.store.list();
    return c.json(
      await notificationsPage(
        c,
        all.filter((record) => record.notification_template === template.id),
      ),
    );
  })
  .post('/:id/test/', async (c) => {
    const services = c.get('services');
    const template = await services.definitions.get(NOTIFICATION_TEMPLATE, resourceId(c));
    // AWX's `start` permission on a notification template is its `change`.
    await requireAccess(c, 'change', 'notification_template', template);
    const record = await services.notifications.test(template);
    c.header('Location', `/api/v2/notifications/${record.id}/`);
    return c.json({ notification: record.id, ...serializeNotification(record, String(template.name)) }, 202);
  });
