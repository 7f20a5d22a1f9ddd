import type { ExportType } from './awx-export-format';

/**
 * Natural keys: how an AWX export names an object, in place of its id (docs/formats.md "AWX
 * exports"). awxkit writes the fields of the kind's natural key, each reference among them as a
 * natural key too, then `type`.
 */
export type NaturalKey = { readonly type: string } & Readonly<Record<string, unknown>>;

export function organizationKey(name: string): NaturalKey {
  return { name, type: 'organization' };
}

/** Execution environments are named across organizations, as organizations are. */
export function executionEnvironmentKey(name: string): NaturalKey {
  return { name, type: 'execution_environment' };
}

/** Kinds named within an organization: projects, inventories, templates, notification templates, labels. */
export function ownedKey(type: ExportType, organization: string | null, name: string): NaturalKey {
  return { organization: organization === null ? null : organizationKey(organization), name, type };
}

export function credentialTypeKey(name: string, kind: string): NaturalKey {
  return { name, kind, type: 'credential_type' };
}

export function credentialKey(
  organization: string | null,
  name: string,
  credentialType: NaturalKey,
): NaturalKey {
  return {
    ...ownedKey('credential', organization, name),
    credential_type: credentialType,
    type: 'credential',
  };
}

/** Hosts, groups and inventory sources are named within their inventory. */
export function inventoryPartKey(
  type: 'host' | 'group' | 'inventory_source',
  name: string,
  inventory: NaturalKey,
): NaturalKey {
  return { name, inventory, type };
}

export function scheduleKey(template: NaturalKey, name: string): NaturalKey {
  return { unified_job_template: template, name, type: 'schedule' };
}

export function nodeKey(workflow: NaturalKey, identifier: string): NaturalKey {
  return { workflow_job_template: workflow, identifier, type: 'workflow_job_template_node' };
}

/** Whether `value` is a natural key: a mapping with a string `type`. */
export function isNaturalKey(value: unknown): value is NaturalKey {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof (value as { type?: unknown }).type === 'string'
  );
}

/**
 * The name a natural key gives an object of one of `types` (`identifier` for a node), or undefined
 * when `value` is not such a key.
 */
export function keyedName(value: unknown, types: readonly string[]): string | undefined {
  if (!isNaturalKey(value) || !types.includes(value.type)) return undefined;
  const name = value.type === 'workflow_job_template_node' ? value.identifier : value.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** One text per natural key, whatever the order of its keys: two copies of one object compare equal. */
export function keyIdentity(key: unknown): string {
  return JSON.stringify(key, (_, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
}
