import type { FieldReader } from '../field-reader';
import { WORKFLOW_PROMPT_FLAGS } from '../launch-prompts';
import type { NotificationLists, PromptFlags, ResourceBase } from '../types';

/**
 * How secret-bearing fields are written: references only (native), AWX module values (awx: what
 * Ansible renders, Jinja included), what an AWX export shows (export: a secret's place kept with
 * '' or `$encrypted$`, docs/formats.md), or values Ansible has rendered already (rendered: the
 * controller_configuration variables read through Ansible, secrets as their lookups gave them).
 */
export type SecretStyle = 'native' | 'awx' | 'export' | 'rendered';

export function readBase(reader: FieldReader): ResourceBase {
  return {
    name: reader.requiredString('name'),
    description: reader.string('description'),
    organization: reader.string('organization', 'Default'),
    origin: reader.source,
  };
}

export function readFlags<K extends string>(reader: FieldReader, flags: readonly K[]): Record<K, boolean> {
  const read = {} as Record<K, boolean>;
  for (const flag of flags) read[flag] = reader.boolean(flag);
  return read;
}

export function readPromptFlags(reader: FieldReader): PromptFlags {
  return readFlags(reader, WORKFLOW_PROMPT_FLAGS);
}

export function readNotificationLists(reader: FieldReader): NotificationLists {
  return {
    notification_templates_started: reader.strings('notification_templates_started'),
    notification_templates_success: reader.strings('notification_templates_success'),
    notification_templates_error: reader.strings('notification_templates_error'),
  };
}
