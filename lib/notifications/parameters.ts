import { NOTIFICATION_TYPES } from '../model/resources/notification-template';

export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** The value types of AWX's configuration fields (NotificationTemplateSerializer.type_map). */
export type ParameterType = 'string' | 'int' | 'bool' | 'list' | 'password' | 'object';

export interface Parameter {
  readonly type: ParameterType;
  /** Given when the configuration leaves the field out; a field without one is required. */
  readonly default?: unknown;
}

export interface NotificationClass {
  readonly parameters: Readonly<Record<string, Parameter>>;
  /** The field naming where messages go (AWX's `recipient_parameter`), shown on notification records. */
  readonly recipients: string;
}

/**
 * AWX's `init_parameters` per notification type (awx/main/notifications/*_backend.py): the
 * fields a configuration must have, their types and defaults (docs/notifications.md).
 */
export const NOTIFICATION_CLASSES: Readonly<Record<NotificationType, NotificationClass>> = {
  email: {
    parameters: {
      host: { type: 'string' },
      port: { type: 'int' },
      username: { type: 'string' },
      password: { type: 'password' },
      use_tls: { type: 'bool' },
      use_ssl: { type: 'bool' },
      sender: { type: 'string' },
      recipients: { type: 'list' },
      timeout: { type: 'int', default: 30 },
    },
    recipients: 'recipients',
  },
  slack: { parameters: { token: { type: 'password' }, channels: { type: 'list' } }, recipients: 'channels' },
  webhook: {
    parameters: {
      url: { type: 'string' },
      http_method: { type: 'string', default: 'POST' },
      disable_ssl_verification: { type: 'bool', default: false },
      username: { type: 'string', default: '' },
      password: { type: 'password', default: '' },
      headers: { type: 'object' },
    },
    recipients: 'url',
  },
  mattermost: {
    parameters: { mattermost_url: { type: 'string' }, mattermost_no_verify_ssl: { type: 'bool' } },
    recipients: 'mattermost_url',
  },
  rocketchat: {
    parameters: { rocketchat_url: { type: 'string' }, rocketchat_no_verify_ssl: { type: 'bool' } },
    recipients: 'rocketchat_url',
  },
  pagerduty: {
    parameters: {
      subdomain: { type: 'string' },
      token: { type: 'password' },
      service_key: { type: 'string' },
      client_name: { type: 'string' },
    },
    recipients: 'service_key',
  },
  grafana: {
    parameters: { grafana_url: { type: 'string' }, grafana_key: { type: 'password' } },
    recipients: 'grafana_url',
  },
  irc: {
    parameters: {
      server: { type: 'string' },
      port: { type: 'int' },
      nickname: { type: 'string' },
      password: { type: 'password' },
      use_ssl: { type: 'bool' },
      targets: { type: 'list' },
    },
    recipients: 'targets',
  },
  twilio: {
    parameters: {
      account_sid: { type: 'string' },
      account_token: { type: 'password' },
      from_number: { type: 'string' },
      to_numbers: { type: 'list' },
    },
    recipients: 'to_numbers',
  },
  awssns: {
    parameters: {
      aws_region: { type: 'string', default: '' },
      aws_access_key_id: { type: 'string', default: '' },
      aws_secret_access_key: { type: 'password', default: '' },
      aws_session_token: { type: 'password', default: '' },
      sns_topic_arn: { type: 'string', default: '' },
    },
    recipients: 'sns_topic_arn',
  },
};

export function isNotificationType(value: unknown): value is NotificationType {
  return typeof value === 'string' && Object.hasOwn(NOTIFICATION_CLASSES, value);
}

/** A configuration with AWX's defaults filled in for the fields it leaves out (what is sent with). */
export function withDefaults(
  type: NotificationType,
  configuration: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const filled: Record<string, unknown> = { ...configuration };
  for (const [field, parameter] of Object.entries(NOTIFICATION_CLASSES[type].parameters))
    if (!Object.hasOwn(filled, field) && 'default' in parameter) filled[field] = parameter.default;
  return filled;
}
