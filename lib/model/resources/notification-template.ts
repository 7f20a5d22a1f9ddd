import type { FieldReader } from '../field-reader';
import type { NotificationTemplate } from '../types';
import { isSecretRef, slug, toSecretReference } from './credential';
import { readBase, type SecretStyle } from './common';
import { isMapping } from '../controller-config-items';

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

export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** The value types of AWX's configuration fields (NotificationTemplateSerializer.type_map). */
export type ParameterType = 'string' | 'int' | 'bool' | 'list' | 'password' | 'object';

export interface Parameter {
  readonly type: ParameterType;
  /** Given when the configuration leaves the field out; a field without one is required. */
  readonly default?: unknown;
  /**
   * A field AWX requires but the AWX workflow guide leaves out: Towerless takes this value when it
   * is missing, and a bundle gets a warning (an error under `--strict`), as for a schedule
   * without INTERVAL (docs/notifications.md "Types and fields").
   */
  readonly assumed?: unknown;
}

export interface NotificationClass {
  readonly parameters: Readonly<Record<string, Parameter>>;
  /** The field naming where messages go (AWX's `recipient_parameter`), shown on notification records. */
  readonly recipients: string;
}

/**
 * AWX's `init_parameters` per notification type (awx/main/notifications/*_backend.py): the
 * fields a configuration must have, their types and defaults, and which are passwords
 * (docs/notifications.md).
 */
export const NOTIFICATION_CLASSES: Readonly<Record<NotificationType, NotificationClass>> = {
  email: {
    parameters: {
      host: { type: 'string' },
      port: { type: 'int' },
      username: { type: 'string' },
      password: { type: 'password' },
      use_tls: { type: 'bool', assumed: false },
      use_ssl: { type: 'bool', assumed: false },
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

/**
 * Configuration keys that hold a token in a URL (whoever has the URL may post): Mattermost's and
 * Rocket.Chat's target URLs, and Slack's `webhook_url` (a Towerless addition), kept like
 * passwords though AWX shows them as they are; the awx.awx module then reports those templates
 * changed on every run, as it reports AWX's password fields.
 */
const TOKEN_URLS: Partial<Record<NotificationType, readonly string[]>> = {
  mattermost: ['mattermost_url'],
  rocketchat: ['rocketchat_url'],
  slack: ['webhook_url'],
};

/**
 * Whether `key` of a `notificationType` configuration holds a secret (a reference, never a
 * value): AWX's `password` parameters, the ones it encrypts and shows as `$encrypted$`, and the
 * token-bearing URLs. A webhook's `headers` is an object AWX shows as it is; a header that must
 * stay secret is given as a reference (`{secret: <name>}`), which any key may hold.
 */
export function isSecretConfigurationKey(notificationType: string, key: string): boolean {
  if (!isNotificationType(notificationType)) return false;
  const { parameters } = NOTIFICATION_CLASSES[notificationType];
  return (
    (Object.hasOwn(parameters, key) && parameters[key].type === 'password') ||
    (TOKEN_URLS[notificationType] ?? []).includes(key)
  );
}

export function isNotificationType(value: unknown): value is NotificationType {
  return typeof value === 'string' && Object.hasOwn(NOTIFICATION_CLASSES, value);
}

/**
 * AWX's words for the problems of a configuration (NotificationTemplateSerializer.validate): a
 * field missing, of the wrong type, an empty list, a method a webhook cannot use; none when it is
 * fine. The API answers them as AWX does, bundles report them as errors.
 */
export function configurationProblems(type: NotificationType, configuration: unknown): string[] {
  const given = isMapping(configuration) ? configuration : {};
  const problems: string[] = [];
  const missing: string[] = [];
  const wrongType: [string, ParameterType][] = [];
  for (const [field, parameter] of Object.entries(NOTIFICATION_CLASSES[type]?.parameters ?? {})) {
    // Slack's token and channels may give way to an incoming webhook (a Towerless addition).
    if (type === 'slack' && isPresent(given.webhook_url) && !Object.hasOwn(given, field)) continue;
    if (!Object.hasOwn(given, field)) {
      if (!('default' in parameter) && !('assumed' in parameter)) missing.push(field);
      continue;
    }
    const value = given[field];
    if (!hasType(value, parameter.type)) {
      wrongType.push([field, parameter.type]);
      continue;
    }
    if (parameter.type === 'list' && (value as unknown[]).length < 1)
      problems.push(`No values specified for field '${field}'`);
    if (field === 'http_method' && !['put', 'post'].includes(String(value).toLowerCase()))
      problems.push("HTTP method must be either 'POST' or 'PUT'.");
  }
  if (missing.length > 0)
    problems.push(`Missing required fields for Notification Configuration: ${pythonList(missing)}.`);
  for (const [field, expected] of wrongType)
    problems.push(`Configuration field '${field}' incorrect type, expected ${expected}.`);
  return problems;
}

/** The fields AWX requires that a configuration leaves out and Towerless assumes, with their values. */
export function assumedFields(type: NotificationType, configuration: unknown): [string, unknown][] {
  const given = isMapping(configuration) ? configuration : {};
  return Object.entries(NOTIFICATION_CLASSES[type]?.parameters ?? {})
    .filter(([field, parameter]) => 'assumed' in parameter && !Object.hasOwn(given, field))
    .map(([field, parameter]) => [field, parameter.assumed]);
}

function hasType(value: unknown, type: ParameterType): boolean {
  switch (type) {
    // A secret is kept by reference: `{secret: <name>}` stands for any string.
    case 'string':
    case 'password':
      return typeof value === 'string' || isSecretRef(value);
    case 'int':
      return Number.isInteger(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'list':
      return Array.isArray(value);
    case 'object':
      return isMapping(value);
  }
}

/** A list of names as Python prints it: `['host', 'port']`. */
function pythonList(names: readonly string[]): string {
  return `[${names.map((name) => `'${name}'`).join(', ')}]`;
}

function isPresent(value: unknown): boolean {
  return (typeof value === 'string' && value !== '') || isSecretRef(value);
}

export function readNotificationTemplate(reader: FieldReader, style: SecretStyle): NotificationTemplate {
  const base = readBase(reader);
  const notificationType = reader.oneOf('notification_type', NOTIFICATION_TYPES, 'email');
  const given = reader.mapping('notification_configuration');
  const raw = given ?? {};
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
  // As AWX, a configuration is checked when one is given (the API checks the same).
  if (given) {
    for (const problem of configurationProblems(notificationType, configuration))
      reader.fail('notification_configuration', undefined, problem);
    for (const [field, value] of assumedFields(notificationType, configuration))
      reader.diagnostics.awxRefuses({
        source: reader.sourceOf('notification_configuration'),
        resource: reader.resource,
        field: `notification_configuration.${field}`,
        value: undefined,
        message: `AWX requires ${field}; Towerless takes ${JSON.stringify(value)}`,
      });
  }
  return {
    ...base,
    notification_type: notificationType,
    notification_configuration: configuration,
    messages: reader.mapping('messages') ?? null,
  };
}
