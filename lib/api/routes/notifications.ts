import { Hono, type Context } from 'hono';
import type { DefinitionRecord } from '../../catalog/definition';
import { NotFoundError } from '../../errors';
import type { NotificationRecord } from '../../store/notification-store';
import type { ApiEnv } from '../context';
import { accessOf } from '../permissions';
import { listPage } from '../resource-routes';
import { serializeNotification } from '../serializers/notification';
import { resourceId } from './resource-id';

const SEARCHABLE = ['subject', 'notification_type', 'body', 'status'];

/** The notifications whose template the caller may read (AWX's NotificationAccess), with it. */
async function visible(c: Context<ApiEnv>, records: readonly NotificationRecord[]) {
  const { catalog } = c.get('services');
  const access = await accessOf(c);
  const templates = new Map<number, Promise<DefinitionRecord | undefined>>();
  const shown: { record: NotificationRecord; template: DefinitionRecord }[] = [];
  for (const record of records) {
    const id = record.notification_template;
    if (!templates.has(id)) templates.set(id, catalog.find<DefinitionRecord>('notification_template', id));
    const template = await templates.get(id);
    if (template && (await access.can('read', 'notification_template', template)))
      shown.push({ record, template });
  }
  return shown;
}

/** A page of notifications, as the caller may see them. */
export async function notificationsPage(c: Context<ApiEnv>, records: readonly NotificationRecord[]) {
  return listPage(
    c,
    await visible(c, records),
    ({ record, template }) => serializeNotification(record, String(template.name)),
    SEARCHABLE,
  );
}

/** The `notifications/` list of a unified job: what its events sent. */
export async function jobNotificationsPage(c: Context<ApiEnv>, job: number) {
  const all = await c.get('services').notifications.store.list();
  return notificationsPage(
    c,
    all.filter((record) => record.job === job),
  );
}

/** `/api/v2/notifications/`: every notification sent (docs/notifications.md "Records"). */
export const notifications = new Hono<ApiEnv>()
  .get('/', async (c) =>
    c.json(await notificationsPage(c, await c.get('services').notifications.store.list())),
  )
  .get('/:id/', async (c) => {
    const record = await c.get('services').notifications.store.get(resourceId(c));
    const [found] = record ? await visible(c, [record]) : [];
    if (!found) throw new NotFoundError(`notification ${resourceId(c)} not found`);
    return c.json(serializeNotification(found.record, String(found.template.name)));
  });
