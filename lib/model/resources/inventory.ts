import type { FieldReader } from '../field-reader';
import type { Inventory, InventoryGroup, InventoryHost, InventorySource } from '../types';
import { readBase } from './common';

export const INVENTORY_SOURCE_KINDS = [
  'file',
  'scm',
  'script',
  'constructed',
  'ec2',
  'gce',
  'azure_rm',
  'vmware',
  'satellite6',
  'openstack',
  'rhv',
  'controller',
  'insights',
  'terraform',
  'openshift_virtualization',
] as const;

export function readInventory(reader: FieldReader): Inventory {
  const base = readBase(reader);
  return {
    ...base,
    variables: reader.vars('variables'),
    kind: reader.oneOf('kind', ['', 'smart', 'constructed'] as const, ''),
    hosts: readHosts(reader),
    groups: readGroups(reader),
    inventory_sources: reader
      .list('inventory_sources')
      .map((source) => readInventorySource(source, base.name)),
  };
}

/** `hosts` as a mapping `{name: vars}` (Ansible's own YAML inventory habit) or a list of AWX host objects. */
function readHosts(reader: FieldReader): InventoryHost[] {
  const raw = reader.raw.hosts;
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    reader.value('hosts');
    return Object.entries(raw).map(([name, variables]) => {
      const host = reader.child({ variables }, `hosts.${name}.`);
      return { name, variables: host.vars('variables'), enabled: true };
    });
  }
  return reader.list('hosts').map((host) => {
    const read = {
      name: host.requiredString('name'),
      variables: host.vars('variables'),
      enabled: host.boolean('enabled', true),
    };
    host.ignore('inventory', 'state', 'description');
    host.finish();
    return read;
  });
}

function readGroups(reader: FieldReader): InventoryGroup[] {
  const raw = reader.raw.groups;
  const entries: FieldReader[] =
    raw && typeof raw === 'object' && !Array.isArray(raw)
      ? (reader.value('groups'),
        Object.entries(raw).map(([name, body]) =>
          reader.child({ name, ...((body as Record<string, unknown>) ?? {}) }, `groups.${name}.`),
        ))
      : reader.list('groups');
  return entries.map((group) => {
    const read: InventoryGroup = {
      name: group.requiredString('name'),
      variables: group.has('vars') ? group.vars('vars') : group.vars('variables'),
      hosts: group.strings('hosts'),
      children: group.strings('children'),
    };
    group.ignore('inventory', 'state', 'description');
    group.finish();
    return read;
  });
}

export function readInventorySource(reader: FieldReader, inventory: string): InventorySource {
  const source: InventorySource = {
    ...readBase(reader),
    inventory,
    source: reader.oneOf('source', INVENTORY_SOURCE_KINDS, 'file'),
    source_path: reader.string('source_path'),
    source_project: reader.nullableString('source_project'),
    source_vars: reader.vars('source_vars'),
    credential: reader.nullableString('credential'),
    update_on_launch: reader.boolean('update_on_launch'),
    update_cache_timeout: reader.integer('update_cache_timeout'),
    overwrite: reader.boolean('overwrite'),
    overwrite_vars: reader.boolean('overwrite_vars'),
    enabled_var: reader.string('enabled_var'),
    host_filter: reader.string('host_filter'),
  };
  reader.ignore('inventory', 'state');
  reader.finish();
  return source;
}
