import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES, type ConfigVariable } from '../model/controller-config-format';
import { installedCollection } from './installed-collections';
import { RENDER_ACTION } from './render-action';

/**
 * Playbooks that configure AWX through the roles of redhat-cop's controller_configuration (now
 * infra.aap_configuration) call `dispatch` or one role per object kind; those collections are not
 * packaged for Debian and need a network to install. When one is missing, the reader gives Ansible
 * a stand-in of it (docs/reading.md "Configuration roles"): roles of the same names whose only task
 * hands back the variables the real role would apply, as Ansible renders them at that point of the
 * play (with the play's vars, include_vars, inventory and -e). The reader then applies them as the
 * controller_configuration loader reads such variables (lib/model/controller-config-loader.ts).
 */

/** The action of the stand-in roles; its result's `msg` is JSON: `{values, failures}`. */
export const CAPTURE_ACTION = 'towerless_capture';

interface ConfigurationCollection {
  readonly namespace: string;
  readonly name: string;
  /** The role that applies a variable, in this collection's naming. */
  readonly roleOf: (variable: ConfigVariable) => string;
  /** Roles that apply what Towerless does not model (users, settings, launches...): they do nothing here. */
  readonly otherRoles: readonly string[];
  /** The variable listing the roles `dispatch` runs (a playbook may narrow it). */
  readonly dispatcherRoles: string;
  /** Whether `dispatch` appends the variables' wildcard parts (`dispatch_include_wildcard_vars`). */
  readonly wildcards: boolean;
}

const CONTROLLER_CONFIGURATION_OTHER_ROLES = [
  'settings',
  'instances',
  'instance_groups',
  'organizations',
  'labels',
  'users',
  'teams',
  'roles',
  'credential_input_sources',
  'execution_environments',
  'applications',
  'bulk_host_create',
  'bulk_job_launch',
  'job_launch',
  'workflow_launch',
  'project_update',
  'inventory_source_update',
  'ad_hoc_command',
  'ad_hoc_command_cancel',
  'jobs_cancel',
  'license',
  'filetree_read',
  'filetree_create',
  'object_diff',
  'meta_dependency_check',
];

/** controller_configuration 2.x (and its earlier redhat_cop name): roles named by object kind. */
const controllerConfiguration = (namespace: string): ConfigurationCollection => ({
  namespace,
  name: 'controller_configuration',
  roleOf: (variable) => variable.role,
  otherRoles: CONTROLLER_CONFIGURATION_OTHER_ROLES,
  dispatcherRoles: 'controller_configuration_dispatcher_roles',
  wildcards: false,
});

const COLLECTIONS: readonly ConfigurationCollection[] = [
  controllerConfiguration('redhat_cop'),
  controllerConfiguration('infra'),
  {
    namespace: 'infra',
    name: 'aap_configuration',
    // infra.aap_configuration prefixes the controller's roles; its groups role is host_groups.
    roleOf: (variable) => `controller_${variable.role === 'groups' ? 'host_groups' : variable.role}`,
    otherRoles: [
      ...CONTROLLER_CONFIGURATION_OTHER_ROLES.map((role) => `controller_${role}`),
      'gateway_organizations',
      'gateway_users',
      'gateway_teams',
      'gateway_settings',
      'gateway_applications',
      'gateway_authenticators',
      'gateway_authenticator_maps',
      'gateway_http_ports',
      'gateway_role_definitions',
      'gateway_role_team_assignments',
      'gateway_role_user_assignments',
      'gateway_routes',
      'gateway_service_clusters',
      'gateway_service_keys',
      'gateway_service_nodes',
      'gateway_services',
      'global_vars',
      'ansible_config',
      'collect_async_status',
    ],
    dispatcherRoles: 'aap_configuration_dispatcher_roles',
    wildcards: true,
  },
];

/**
 * Writes a stand-in of each configuration collection this machine does not have into the
 * collections folder `root` (the reader's overlay, lib/reader/in-process-modules.ts).
 */
export function writeConfigurationRoles(root: string): void {
  for (const collection of COLLECTIONS) {
    if (installedCollection(collection.namespace, collection.name)) continue;
    const base = join(root, 'ansible_collections', collection.namespace, collection.name);
    writeFile(join(base, 'plugins', 'action', `${CAPTURE_ACTION}.py`), RENDER_ACTION);
    writeFile(join(base, 'meta', 'runtime.yml'), 'requires_ansible: ">=2.9"\n');
    const capture = `${collection.namespace}.${collection.name}.${CAPTURE_ACTION}`;
    for (const variable of CONFIG_VARIABLES)
      writeRole(base, collection.roleOf(variable), { [capture]: { names: [variable.name] } });
    for (const role of collection.otherRoles) writeRole(base, role, { 'ansible.builtin.meta': 'noop' });
    writeRole(base, 'dispatch', { [capture]: dispatchArguments(collection) });
  }
}

/**
 * What `dispatch` hands back: the variables of the roles it runs (all, unless the playbook narrows
 * the dispatcher's list), with their wildcard parts when the collection's dispatch appends them.
 */
function dispatchArguments(collection: ConfigurationCollection) {
  const byRole = Object.fromEntries(
    CONFIG_VARIABLES.map((variable) => [collection.roleOf(variable), variable.name]),
  );
  const all = CONFIG_VARIABLES.map((variable) => variable.name);
  const listed = collection.dispatcherRoles;
  return {
    names: `{{ (${listed} | map(attribute='role') | map('extract', ${JSON.stringify(byRole)}) | select('defined') | list) if ${listed} is defined else ${JSON.stringify(all)} }}`,
    ...(collection.wildcards
      ? { wildcards: '{{ dispatch_include_wildcard_vars | default(false) | bool }}' }
      : {}),
  };
}

function writeRole(base: string, role: string, task: Record<string, unknown>): void {
  writeFile(
    join(base, 'roles', role, 'tasks', 'main.yml'),
    JSON.stringify([{ name: `${role} (Towerless reads its variables)`, ...task }]),
  );
}

function writeFile(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}
