import type { FieldReader } from '../field-reader';
import type { NotificationTemplate } from '../types';
import { isSecretRef, slug, toSecretReference } from './credential';
import { readBase, type SecretStyle } from './common';

export const NOTIFICATION_TYPES = [
  'email',
  'slack',
  'webhook',
  'mattermost',
  'rocketchat',
  'pagerduty',
  'grafana',
  'irc',
  'twilio',
] as const;

/** Configuration keys that hold secrets, per notification type (AWX `init_parameters` with password type). */
const SECRET_KEYS: Record<string, readonly string[]> = {
  email: ['password'],
  slack: ['token'],
  webhook: ['password', 'headers'],
  mattermost: ['mattermost_url'],
  rocketchat: ['rocketchat_url'],
  pagerduty: ['token'],
  grafana: ['grafana_key'],
  irc: ['password'],
  twilio: ['account_token'],
};

/** Whether `key` of a `notificationType` configuration holds a secret (a reference, never a value). */
export function isSecretConfigurationKey(notificationType: string, key: string): boolean {
  return (SECRET_KEYS[notificationType] ?? []).includes(key);
}

export function readNotificationTemplate(reader: FieldReader, style: SecretStyle): NotificationTemplate {
  const base = readBase(reader);
  const notificationType = reader.oneOf('notification_type', NOTIFICATION_TYPES, 'email');
  const raw = reader.mapping('notification_configuration') ?? {};
  const configuration: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const secret = isSecretConfigurationKey(notificationType, key);
    if (!secret || isSecretRef(value)) {
      configuration[key] = value;
    } else if (style === 'native') {
      reader
        .child(raw, 'notification_configuration.')
        .fail(key, undefined, 'is a secret: give a reference {secret: <name>} instead of a value');
    } else {
      const secretRef = toSecretReference(
        reader.child(raw, 'notification_configuration.'),
        key,
        value,
        `towerless/notifications/${slug(base.name)}/${key}`,
      );
      configuration[key] = secretRef;
    }
  }
  return {
    ...base,
    notification_type: notificationType,
    notification_configuration: configuration,
    messages: reader.mapping('messages') ?? null,
  };
}
