import type { Definition } from '../definition';
import { allHosts, potentialChildren } from '../group-tree';
import { checkSmartInventory } from '../smart-inventory';
import { NAMED, ORGANIZATION } from './common';

export const INVENTORY: Definition = {
  kind: 'inventory',
  type: 'inventory',
  path: 'inventories',
  fields: {
    ...NAMED,
    organization: { ...ORGANIZATION, required: true },
    kind: { type: 'string', choices: ['', 'smart', 'constructed'], nullable: true, default: '' },
    host_filter: { type: 'string', nullable: true },
    variables: { type: 'vars' },
    prevent_instance_group_fallback: { type: 'boolean', default: false },
  },
  associations: { instance_groups: 'instance_group', labels: 'label' },
  saving: checkSmartInventory,
  links: ['root_groups', 'update_inventory_sources', 'copy', 'activity_stream'],
  // AWX copies the hosts and groups, not the sources.
  copy: { associations: ['instance_groups'], parts: ['hosts', 'groups'] },
  children: {
    hosts: { kind: 'host', field: 'inventory' },
    groups: { kind: 'group', field: 'inventory' },
    inventory_sources: { kind: 'inventory_source', field: 'inventory' },
  },
};

export const HOST: Definition = {
  kind: 'host',
  type: 'host',
  path: 'hosts',
  fields: {
    ...NAMED,
    inventory: { type: 'reference', kinds: ['inventory'], required: true },
    enabled: { type: 'boolean', default: true },
    instance_id: { type: 'string', max: 1024 },
    variables: { type: 'vars' },
  },
  associations: { groups: 'group' },
  links: ['activity_stream'],
};

export const GROUP: Definition = {
  kind: 'group',
  type: 'group',
  path: 'groups',
  fields: {
    ...NAMED,
    inventory: { type: 'reference', kinds: ['inventory'], required: true },
    variables: { type: 'vars' },
  },
  associations: { hosts: 'host', children: 'group' },
  computedLists: {
    all_hosts: { kind: 'host', ids: allHosts },
    potential_children: { kind: 'group', ids: potentialChildren },
  },
  links: ['activity_stream'],
};

export const INVENTORY_SOURCE: Definition = {
  kind: 'inventory_source',
  type: 'inventory_source',
  path: 'inventory_sources',
  fields: {
    ...NAMED,
    inventory: { type: 'reference', kinds: ['inventory'], required: true },
    source: {
      type: 'string',
      choices: [
        'file',
        'constructed',
        'scm',
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
      ],
      default: 'scm',
    },
    source_path: { type: 'string', max: 1024 },
    source_project: { type: 'reference', kinds: ['project'] },
    source_vars: { type: 'vars' },
    scm_branch: { type: 'string', max: 1024 },
    credential: { type: 'reference', kinds: ['credential'] },
    enabled_var: { type: 'string' },
    enabled_value: { type: 'string' },
    host_filter: { type: 'string' },
    overwrite: { type: 'boolean', default: false },
    overwrite_vars: { type: 'boolean', default: false },
    update_on_launch: { type: 'boolean', default: false },
    update_cache_timeout: { type: 'integer', min: 0, default: 0 },
    timeout: { type: 'integer', min: 0, default: 0 },
    verbosity: { type: 'integer', min: 0, max: 2, default: 1 },
    limit: { type: 'string' },
    execution_environment: { type: 'reference', kinds: ['execution_environment'] },
  },
  associations: {
    notification_templates_started: 'notification_template',
    notification_templates_success: 'notification_template',
    notification_templates_error: 'notification_template',
  },
  links: ['update', 'inventory_updates', 'hosts', 'groups', 'activity_stream'],
  children: {
    schedules: { kind: 'schedule', field: 'unified_job_template' },
  },
};
