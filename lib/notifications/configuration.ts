import { ENCRYPTED } from '../catalog/shown-secrets';
import { isSecretRef } from '../model/resources/credential';
import {
  isSecretConfigurationKey,
  NOTIFICATION_CLASSES,
  type NotificationType,
} from '../model/resources/notification-template';
import type { SecretProvider } from '../runner/secrets';

type Configuration = Readonly<Record<string, unknown>>;

/**
 * The configuration a backend sends with: AWX's defaults filled in and every secret reference
 * (a secret key's kept value, or a reference given for any key or header) read from the secrets
 * provider, only for the send and never written anywhere.
 */
export async function sendingConfiguration(
  type: NotificationType,
  configuration: Configuration,
  secrets: SecretProvider,
): Promise<Record<string, unknown>> {
  const read = async (value: unknown) => (isSecretRef(value) ? secrets.get(value.secret) : value);
  const resolved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(withDefaults(type, configuration))) {
    resolved[key] =
      key === 'headers' && isMapping(value)
        ? Object.fromEntries(
            await Promise.all(Object.entries(value).map(async ([name, item]) => [name, await read(item)])),
          )
        : await read(value);
  }
  return resolved;
}

/** A configuration with AWX's defaults (and Towerless's assumed values) filled in for the fields it leaves out. */
export function withDefaults(
  type: NotificationType,
  configuration: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const filled: Record<string, unknown> = { ...configuration };
  for (const [field, parameter] of Object.entries(NOTIFICATION_CLASSES[type].parameters)) {
    if (Object.hasOwn(filled, field)) continue;
    if ('default' in parameter) filled[field] = parameter.default;
    else if ('assumed' in parameter) filled[field] = parameter.assumed;
  }
  return filled;
}

/**
 * Where a template's messages go, as a notification record shows it (AWX's `recipients`: the
 * recipient field as text, a list as Python prints it); a secret one (a chat webhook URL) masked.
 */
export function shownRecipients(type: NotificationType, configuration: Configuration): string {
  const field = NOTIFICATION_CLASSES[type].recipients;
  const value = configuration[field];
  if (isSecretRef(value) || isSecretConfigurationKey(type, field)) return ENCRYPTED;
  if (Array.isArray(value)) return `[${value.map((item) => `'${String(item)}'`).join(', ')}]`;
  return value === undefined || value === null ? '' : String(value);
}

/** A JSON object (not an array, not null): what a configuration, `messages` or a JSON body must be. */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
