import type { FieldReader } from '../field-reader';
import type { NotificationLists, PromptFlags, ResourceBase } from '../types';

/** How secret-bearing fields are written: references only (native) or AWX module values (awx). */
export type SecretStyle = 'native' | 'awx';

export function readBase(reader: FieldReader): ResourceBase {
  return {
    name: reader.requiredString('name'),
    description: reader.string('description'),
    organization: reader.string('organization', 'Default'),
    origin: reader.source,
  };
}

const PROMPT_FLAGS = [
  'ask_variables_on_launch',
  'ask_inventory_on_launch',
  'ask_limit_on_launch',
  'ask_scm_branch_on_launch',
  'ask_tags_on_launch',
  'ask_skip_tags_on_launch',
  'ask_labels_on_launch',
] as const;

export function readFlags<K extends string>(reader: FieldReader, flags: readonly K[]): Record<K, boolean> {
  const read = {} as Record<K, boolean>;
  for (const flag of flags) read[flag] = reader.boolean(flag);
  return read;
}

export function readPromptFlags(reader: FieldReader): PromptFlags {
  return readFlags(reader, PROMPT_FLAGS);
}

export function readNotificationLists(reader: FieldReader): NotificationLists {
  return {
    notification_templates_started: reader.strings('notification_templates_started'),
    notification_templates_success: reader.strings('notification_templates_success'),
    notification_templates_error: reader.strings('notification_templates_error'),
  };
}
