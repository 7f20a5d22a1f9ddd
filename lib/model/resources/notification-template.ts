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
  'awssns',
] as const;

/**
 * Configuration keys that hold secrets, per notification type: AWX's `init_parameters` of type
 * `password` (awx/main/notifications/*_backend.py), the ones AWX encrypts and shows as
 * `$encrypted$`. Three more than AWX: Mattermost's and Rocket.Chat's target URLs, and Slack's
 * `webhook_url` (a Towerless addition), are incoming-webhook URLs whose path is the token (whoever
 * has the URL may post), so they are kept like passwords,
 * though the awx.awx module then reports those templates changed on every run, as it reports
 * AWX's password fields. A webhook's `headers` is an object AWX shows as it is; a header that
 * must stay secret is given as a reference (`{secret: <name>}`), which any key may hold.
 */
const SECRET_KEYS: Record<(typeof NOTIFICATION_TYPES)[number], readonly string[]> = {
  email: ['password'],
  slack: ['token', 'webhook_url'],
  webhook: ['password'],
  mattermost: ['mattermost_url'],
  rocketchat: ['rocketchat_url'],
  pagerduty: ['token'],
  grafana: ['grafana_key'],
  irc: ['password'],
  twilio: ['account_token'],
  awssns: ['aws_secret_access_key', 'aws_session_token'],
};

/** Whether `key` of a `notificationType` configuration holds a secret (a reference, never a value). */
export function isSecretConfigurationKey(notificationType: string, key: string): boolean {
  return (
    Object.hasOwn(SECRET_KEYS, notificationType) &&
    SECRET_KEYS[notificationType as keyof typeof SECRET_KEYS].includes(key)
  );
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
        style,
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
