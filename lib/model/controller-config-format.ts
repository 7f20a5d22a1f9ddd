import { LAUNCH_PROMPTS, WORKFLOW_PROMPT_FLAGS } from './launch-prompts';
import { NODE_PROMPT_FIELDS } from './prompts';

/**
 * The variable format of redhat-cop's controller_configuration collection (now
 * infra.aap_configuration; docs/formats.md "controller_configuration variables"): lists of objects
 * under variables such as `controller_templates`, each item the arguments its role passes to an
 * awx.awx module. The tables follow the roles' `tasks/main.yml` (controller_configuration 2.x,
 * infra.aap_configuration 2.x): which fields a role reads, under which names, and what it sends.
 */

/** How a field of an item stands to the Bundle's field. */
export type ItemField =
  /**
   * Sent as it is, under the Bundle's name `to` when the role takes an alias. `dict`: the module
   * takes a mapping, and Ansible turns JSON text into one; `list`: the module takes a list, and
   * Ansible splits text at its commas (module-conversions.ts). `doubledBraces`: AWX renders the field's
   * text itself, and the role turns the escape `{  {` into `{{` before sending it.
   */
  | {
      readonly role: 'value';
      readonly to?: string;
      readonly dict?: true;
      readonly list?: true;
      readonly doubledBraces?: true;
    }
  /** A name, or `{name: ...}` as AWX exports write references (the role sends `.name`). */
  | { readonly role: 'reference'; readonly to?: string }
  /** AWX's, and the Bundle has no place for it: dropped, with a note where it is set. */
  | { readonly role: 'unused' }
  /** How the role or the module behaves (waits, lookups, module options): defines nothing. */
  | { readonly role: 'behaviour' }
  /** Read by the loader itself (state, new_name, copy_from, an inventory part's inventory, nodes). */
  | { readonly role: 'special' };

/** The objects of one variable, or the nodes of one workflow. */
export interface ItemKind {
  /** What the items are, for messages: `job template`. */
  readonly label: string;
  /** The awx.awx module the role calls with each item. */
  readonly module: string;
  readonly fields: Readonly<Record<string, ItemField>>;
  /** What the role (or the module) reads under `related`, as AWX exports write it. */
  readonly related: Readonly<Record<string, ItemField>>;
}

/** Where the Bundle keeps a variable's objects: a kind of its own, or inside their inventory. */
export type ConfigTarget =
  | 'projects'
  | 'inventories'
  | 'credential_types'
  | 'credentials'
  | 'job_templates'
  | 'workflow_job_templates'
  | 'notification_templates'
  | 'schedules'
  | 'execution_environments'
  | 'instance_groups'
  | 'hosts'
  | 'groups'
  | 'inventory_sources';

export interface ConfigVariable {
  /** The collection's variable, and the name its 1.x releases (redhat_cop.tower_configuration) used. */
  readonly name: string;
  readonly legacy: string;
  /** The collection's role that applies it (its README documents the fields). */
  readonly role: string;
  readonly target: ConfigTarget;
  readonly items: ItemKind;
}

const VALUE: ItemField = { role: 'value' };
const DICT: ItemField = { role: 'value', dict: true };
const AWX_TEMPLATE: ItemField = { role: 'value', doubledBraces: true };
const REFERENCE: ItemField = { role: 'reference' };
const UNUSED: ItemField = { role: 'unused' };
const BEHAVIOUR: ItemField = { role: 'behaviour' };
const SPECIAL: ItemField = { role: 'special' };
const alias = (to: string): ItemField => ({ role: 'value', to });

/** What every role reads to find, rename, copy or delete the object. */
const IDENTITY = { name: VALUE, new_name: SPECIAL, copy_from: SPECIAL, state: SPECIAL };
const NAMED = { ...IDENTITY, description: VALUE };
const OWNED = { ...NAMED, organization: REFERENCE };
const NOTIFICATION_LISTS = [
  'notification_templates_started',
  'notification_templates_success',
  'notification_templates_error',
];
const notifications = (field: ItemField) =>
  Object.fromEntries(NOTIFICATION_LISTS.map((list) => [list, field]));
const flags = (names: readonly string[]) => Object.fromEntries(names.map((flag) => [flag, VALUE]));

/**
 * The prompts a node saves (the model's list) as the node modules take them; credentials apart, as
 * the workflow_job_template module reads a schema node's only under `related`.
 */
const NODE_PROMPTS = {
  ...Object.fromEntries(
    NODE_PROMPT_FIELDS.filter((field) => field !== 'credentials').map((field) => [field, VALUE]),
  ),
  inventory: REFERENCE,
  extra_data: DICT,
  execution_environment: UNUSED,
  instance_groups: UNUSED,
  labels: UNUSED,
};

const CREDENTIAL_TYPE: ItemKind = {
  label: 'credential type',
  module: 'credential_type',
  fields: {
    ...NAMED,
    kind: VALUE,
    inputs: DICT,
    injectors: { role: 'value', dict: true, doubledBraces: true },
  },
  related: {},
};

const CREDENTIAL: ItemKind = {
  label: 'credential',
  module: 'credential',
  fields: {
    ...OWNED,
    credential_type: REFERENCE,
    inputs: DICT,
    // A personal credential's owner: the Bundle keeps credentials by organization only.
    user: UNUSED,
    team: UNUSED,
    update_secrets: BEHAVIOUR,
  },
  related: {},
};

const NOTIFICATION_TEMPLATE: ItemKind = {
  label: 'notification template',
  module: 'notification_template',
  fields: {
    ...OWNED,
    notification_type: VALUE,
    notification_configuration: DICT,
    messages: { role: 'value', dict: true, doubledBraces: true },
  },
  related: {},
};

const PROJECT: ItemKind = {
  label: 'project',
  module: 'project',
  fields: {
    ...OWNED,
    scm_type: VALUE,
    scm_url: VALUE,
    scm_branch: VALUE,
    scm_refspec: VALUE,
    credential: REFERENCE,
    scm_credential: { role: 'reference', to: 'credential' },
    scm_clean: VALUE,
    scm_delete_on_update: VALUE,
    scm_update_on_launch: VALUE,
    scm_update_cache_timeout: VALUE,
    allow_override: VALUE,
    local_path: VALUE,
    // Sent as written: the role reads no `{name: ...}` here.
    default_environment: VALUE,
    signature_validation_credential: UNUSED,
    scm_track_submodules: UNUSED,
    timeout: UNUSED,
    job_timeout: UNUSED,
    custom_virtualenv: UNUSED,
    // Projects send no notifications in Towerless.
    ...notifications(UNUSED),
    wait: BEHAVIOUR,
    update_project: BEHAVIOUR,
    interval: BEHAVIOUR,
  },
  related: {},
};

const INVENTORY: ItemKind = {
  label: 'inventory',
  module: 'inventory',
  fields: {
    ...OWNED,
    variables: AWX_TEMPLATE,
    kind: VALUE,
    host_filter: UNUSED,
    instance_groups: UNUSED,
    input_inventories: UNUSED,
    prevent_instance_group_fallback: UNUSED,
  },
  related: {},
};

const HOST: ItemKind = {
  label: 'host',
  module: 'host',
  fields: { ...IDENTITY, inventory: SPECIAL, description: UNUSED, enabled: VALUE, variables: AWX_TEMPLATE },
  related: {},
};

const GROUP: ItemKind = {
  label: 'group',
  module: 'group',
  fields: {
    ...IDENTITY,
    inventory: SPECIAL,
    description: UNUSED,
    variables: AWX_TEMPLATE,
    hosts: VALUE,
    children: VALUE,
    preserve_existing_hosts: BEHAVIOUR,
    preserve_existing_children: BEHAVIOUR,
  },
  related: {},
};

const INVENTORY_SOURCE: ItemKind = {
  label: 'inventory source',
  module: 'inventory_source',
  fields: {
    ...NAMED,
    inventory: SPECIAL,
    // The inventory's organization, to find the inventory by name.
    organization: BEHAVIOUR,
    source: VALUE,
    source_path: VALUE,
    source_vars: AWX_TEMPLATE,
    source_project: REFERENCE,
    credential: REFERENCE,
    enabled_var: VALUE,
    host_filter: VALUE,
    overwrite: VALUE,
    overwrite_vars: VALUE,
    update_on_launch: VALUE,
    update_cache_timeout: VALUE,
    enabled_value: UNUSED,
    limit: UNUSED,
    scm_branch: UNUSED,
    execution_environment: UNUSED,
    custom_virtualenv: UNUSED,
    timeout: UNUSED,
    verbosity: UNUSED,
    ...notifications(UNUSED),
  },
  related: {},
};

const JOB_TEMPLATE: ItemKind = {
  label: 'job template',
  module: 'job_template',
  fields: {
    ...OWNED,
    job_type: VALUE,
    inventory: REFERENCE,
    project: REFERENCE,
    playbook: VALUE,
    credentials: VALUE,
    forks: VALUE,
    limit: VALUE,
    verbosity: VALUE,
    extra_vars: VALUE,
    job_tags: VALUE,
    skip_tags: VALUE,
    diff_mode: VALUE,
    scm_branch: VALUE,
    timeout: VALUE,
    job_slice_count: VALUE,
    become_enabled: VALUE,
    allow_simultaneous: VALUE,
    ...flags(LAUNCH_PROMPTS.map((prompt) => prompt.flag)),
    ask_tags: alias('ask_tags_on_launch'),
    ask_skip_tags: alias('ask_skip_tags_on_launch'),
    survey_enabled: VALUE,
    survey_spec: DICT,
    survey: { role: 'value', to: 'survey_spec', dict: true },
    ...notifications(VALUE),
    execution_environment: REFERENCE,
    instance_groups: VALUE,
    labels: UNUSED,
    custom_virtualenv: UNUSED,
    force_handlers: UNUSED,
    start_at_task: UNUSED,
    use_fact_cache: UNUSED,
    host_config_key: UNUSED,
    prevent_instance_group_fallback: UNUSED,
    webhook_service: UNUSED,
    webhook_credential: UNUSED,
  },
  related: { credentials: VALUE, survey_spec: DICT, labels: UNUSED, ...notifications(VALUE) },
};

const WORKFLOW_JOB_TEMPLATE: ItemKind = {
  label: 'workflow job template',
  module: 'workflow_job_template',
  fields: {
    ...OWNED,
    extra_vars: VALUE,
    allow_simultaneous: VALUE,
    inventory: REFERENCE,
    limit: VALUE,
    scm_branch: VALUE,
    job_tags: VALUE,
    skip_tags: VALUE,
    labels: VALUE,
    ...flags(WORKFLOW_PROMPT_FLAGS),
    ask_tags: alias('ask_tags_on_launch'),
    ask_skip_tags: alias('ask_skip_tags_on_launch'),
    webhook_service: VALUE,
    webhook_credential: REFERENCE,
    survey_enabled: VALUE,
    survey_spec: DICT,
    survey: { role: 'value', to: 'survey_spec', dict: true },
    ...notifications(VALUE),
    notification_templates_approvals: VALUE,
    workflow_nodes: SPECIAL,
    simplified_workflow_nodes: SPECIAL,
    // Nodes the workflow already has in AWX: here there are none.
    destroy_current_nodes: BEHAVIOUR,
    destroy_current_schema: BEHAVIOUR,
  },
  related: {
    labels: VALUE,
    survey_spec: DICT,
    workflow_nodes: SPECIAL,
    ...notifications(VALUE),
    notification_templates_approvals: VALUE,
  },
};

const SCHEDULE: ItemKind = {
  label: 'schedule',
  module: 'schedule',
  fields: {
    ...NAMED,
    // Finds the template by name in this organization.
    organization: VALUE,
    unified_job_template: VALUE,
    rrule: VALUE,
    enabled: VALUE,
    extra_data: DICT,
    inventory: VALUE,
    scm_branch: VALUE,
    job_tags: VALUE,
    skip_tags: VALUE,
    limit: VALUE,
    credentials: UNUSED,
    execution_environment: UNUSED,
    forks: UNUSED,
    instance_groups: UNUSED,
    job_slice_count: UNUSED,
    labels: UNUSED,
    timeout: UNUSED,
    job_type: UNUSED,
    diff_mode: UNUSED,
    verbosity: UNUSED,
  },
  related: {},
};

const EXECUTION_ENVIRONMENT: ItemKind = {
  label: 'execution environment',
  module: 'execution_environment',
  // The registry credential is the task execution role's business on Fargate.
  fields: { ...OWNED, image: VALUE, pull: VALUE, credential: UNUSED },
  related: {},
};

const INSTANCE_GROUP: ItemKind = {
  label: 'instance group',
  module: 'instance_group',
  fields: {
    ...IDENTITY,
    is_container_group: VALUE,
    max_concurrent_jobs: VALUE,
    max_forks: VALUE,
    pod_spec_override: VALUE,
    // Which of AWX's own instances and clusters run the group's jobs.
    credential: UNUSED,
    policy_instance_percentage: UNUSED,
    policy_instance_minimum: UNUSED,
    policy_instance_list: UNUSED,
    instances: UNUSED,
  },
  related: {},
};

/** A node's links: identifiers, or `{identifier: ...}` as AWX exports write them. */
const EDGES = { success_nodes: VALUE, failure_nodes: VALUE, always_nodes: VALUE };
const LIST: ItemField = { role: 'value', list: true };
/** Links given to the workflow_job_template_node module as its options: lists, as Ansible makes them. */
const NODE_OPTION_EDGES = { success_nodes: LIST, failure_nodes: LIST, always_nodes: LIST };

/**
 * `workflow_nodes`: the awx.awx workflow_job_template module's schema, AWX's export of a node. The
 * module reads the node's template as `{name, type}` and its links only under `related`.
 */
export const SCHEMA_NODE: ItemKind = {
  label: 'workflow node',
  module: 'workflow_job_template',
  fields: {
    identifier: VALUE,
    unified_job_template: SPECIAL,
    all_parents_must_converge: VALUE,
    max_retries: VALUE,
    retry_delay: VALUE,
    retry_backoff_rate: VALUE,
    state: SPECIAL,
    ...NODE_PROMPTS,
    // What an export writes of the node itself; the module reads neither.
    workflow_job_template: BEHAVIOUR,
    natural_key: BEHAVIOUR,
  },
  related: { ...EDGES, credentials: VALUE, labels: UNUSED, instance_groups: UNUSED },
};

/**
 * `simplified_workflow_nodes`: one workflow_job_template_node call per node, then one per node with
 * links (the role's `add_workflows_schema.yml`). The template is a name; links are identifiers.
 */
export const SIMPLIFIED_NODE: ItemKind = {
  label: 'workflow node',
  module: 'workflow_job_template_node',
  fields: {
    identifier: VALUE,
    unified_job_template: REFERENCE,
    approval_node: VALUE,
    all_parents_must_converge: VALUE,
    max_retries: VALUE,
    retry_delay: VALUE,
    retry_backoff_rate: VALUE,
    state: SPECIAL,
    credentials: LIST,
    ...NODE_OPTION_EDGES,
    ...NODE_PROMPTS,
    workflow_job_template: BEHAVIOUR,
    lookup_organization: BEHAVIOUR,
  },
  related: { ...EDGES, credentials: VALUE, labels: UNUSED },
};

/**
 * The variables Towerless reads, in the order the collection's dispatch role applies them
 * (controller_configuration 2.x `roles/dispatch/defaults/main.yml`): what others refer to first,
 * an inventory's hosts before its groups, workflows after their templates, schedules last.
 */
export const CONFIG_VARIABLES: readonly ConfigVariable[] = [
  {
    name: 'controller_instance_groups',
    legacy: 'tower_instance_groups',
    role: 'instance_groups',
    target: 'instance_groups',
    items: INSTANCE_GROUP,
  },
  {
    name: 'controller_credential_types',
    legacy: 'tower_credential_types',
    role: 'credential_types',
    target: 'credential_types',
    items: CREDENTIAL_TYPE,
  },
  {
    name: 'controller_credentials',
    legacy: 'tower_credentials',
    role: 'credentials',
    target: 'credentials',
    items: CREDENTIAL,
  },
  {
    name: 'controller_execution_environments',
    legacy: 'tower_execution_environments',
    role: 'execution_environments',
    target: 'execution_environments',
    items: EXECUTION_ENVIRONMENT,
  },
  {
    name: 'controller_notifications',
    legacy: 'tower_notifications',
    role: 'notification_templates',
    target: 'notification_templates',
    items: NOTIFICATION_TEMPLATE,
  },
  {
    name: 'controller_projects',
    legacy: 'tower_projects',
    role: 'projects',
    target: 'projects',
    items: PROJECT,
  },
  {
    name: 'controller_inventories',
    legacy: 'tower_inventories',
    role: 'inventories',
    target: 'inventories',
    items: INVENTORY,
  },
  {
    name: 'controller_inventory_sources',
    legacy: 'tower_inventory_sources',
    role: 'inventory_sources',
    target: 'inventory_sources',
    items: INVENTORY_SOURCE,
  },
  { name: 'controller_hosts', legacy: 'tower_hosts', role: 'hosts', target: 'hosts', items: HOST },
  { name: 'controller_groups', legacy: 'tower_groups', role: 'groups', target: 'groups', items: GROUP },
  {
    name: 'controller_templates',
    legacy: 'tower_templates',
    role: 'job_templates',
    target: 'job_templates',
    items: JOB_TEMPLATE,
  },
  {
    name: 'controller_workflows',
    legacy: 'tower_workflows',
    role: 'workflow_job_templates',
    target: 'workflow_job_templates',
    items: WORKFLOW_JOB_TEMPLATE,
  },
  {
    name: 'controller_schedules',
    legacy: 'tower_schedules',
    role: 'schedules',
    target: 'schedules',
    items: SCHEDULE,
  },
];

/** Every variable name read, the legacy ones included. */
export const CONFIG_VARIABLE_NAMES: readonly string[] = CONFIG_VARIABLES.flatMap((variable) => [
  variable.name,
  variable.legacy,
]);

/**
 * The collections' other lists, by their dispatch roles (and the 1.x releases' `tower_` names):
 * users, teams, organizations, labels, settings, launches... The Bundle has no place for them.
 */
export const UNMODELLED_VARIABLES: ReadonlySet<string> = new Set(
  [
    'settings',
    'instances',
    'organizations',
    'labels',
    'user_accounts',
    'teams',
    'roles',
    'rbac',
    'credential_input_sources',
    'applications',
    'bulk_hosts',
    'launch_jobs',
    'workflow_launch_jobs',
    'bulk_launch_jobs',
    'ad_hoc_commands',
    'ad_hoc_commands_cancel',
    'cancel_jobs',
    'configuration_dispatcher_roles',
  ].flatMap((list) => [`controller_${list}`, `tower_${list}`]),
);

/**
 * The namespaces of the collections' variables (controller_configuration's `controller_`, its 1.x
 * `tower_`, infra.aap_configuration's `aap_`, `gateway_`, `ah_` and `eda_`): a file holding one is
 * a file of this format. Lists among them that Towerless does not read (users, teams,
 * organizations, labels, settings, ...) are skipped, one warning each.
 */
export const COLLECTION_PREFIX = /^(?:controller|tower|aap|gateway|hub|ah|eda)_/;

/**
 * The variable a wildcard part belongs to: with `dispatch_include_wildcard_vars: true`,
 * infra.aap_configuration's dispatch role appends to each list every variable whose name its
 * pattern finds (Ansible's `varnames` lookup of `controller_projects.*`, a search, so any name
 * holding the list's name: `controller_projects_dev`, `controller_projects_all`), in the order
 * Ansible holds the variables, before applying the list. Only the collection's own names take
 * parts; the 1.x `tower_` names never did.
 */
export function wildcardBase(name: string): ConfigVariable | undefined {
  return CONFIG_VARIABLES.find((variable) => name !== variable.name && name.includes(variable.name));
}
