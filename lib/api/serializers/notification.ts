import type { NotificationRecord } from '../../store/notification-store';
import { envelope } from './envelope';

/**
 * A notification as AWX's NotificationSerializer shows it: the envelope without name and
 * description, a webhook's body shown as the JSON it sent (its `body` key when it has one), and
 * no `subject` for webhook and awssns, which send none.
 */
export function serializeNotification(record: NotificationRecord, templateName: string | undefined) {
  const shown: Record<string, unknown> = {
    ...envelope(
      'notification',
      'notifications',
      record,
      { notification_template: `/notification_templates/${record.notification_template}` },
      templateName === undefined
        ? {}
        : { notification_template: { id: record.notification_template, name: templateName } },
    ),
    notification_template: record.notification_template,
    error: record.error,
    status: record.status,
    notifications_sent: record.notifications_sent,
    notification_type: record.notification_type,
    recipients: record.recipients,
    subject: record.subject,
    body: shownBody(record),
  };
  if (record.notification_type === 'webhook' || record.notification_type === 'awssns') delete shown.subject;
  return shown;
}

function shownBody({ notification_type: type, body }: NotificationRecord): unknown {
  if (!['webhook', 'pagerduty', 'awssns'].includes(type)) return body;
  if (typeof body === 'object' && body !== null && 'body' in body) return (body as { body: unknown }).body;
  if (typeof body !== 'string') return body;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : body;
  } catch {
    return body;
  }
}
