/**
 * What the `argument_spec` of each awx.awx module that defines a resource says about reading a
 * task's arguments statically, in one table: the aliases Ansible renames to their option, the
 * options whose type makes Ansible convert text (`list`, `dict`), and the options AWX has that
 * Towerless does not use. test/model/module-arguments.test.ts checks the aliases and types against
 * the installed awx.awx collection's modules, so a module gaining an alias fails it.
 */
export interface ModuleArguments {
  /** Alias → the option it names (`aliases=[...]`). */
  readonly aliases: Readonly<Record<string, string>>;
  /** `type='list', elements='str'`: names, or identifiers. */
  readonly lists: readonly string[];
  /** `type='list', elements='dict'`. */
  readonly dictLists: readonly string[];
  /** `type='dict'`. */
  readonly dicts: readonly string[];
  /** AWX's, and Towerless has no use for them: noted, dropped. */
  readonly unused: readonly string[];
}

const NOTIFICATIONS = [
  'notification_templates_started',
  'notification_templates_success',
  'notification_templates_error',
];

/** Where a job runs, as a node or a schedule prompts for it: in Towerless, its template decides. */
const PLACEMENT = ['execution_environment', 'instance_groups'];

/** The `ask_<field>` aliases of the `ask_<field>_on_launch` flags. */
const askAliases = (...fields: string[]) =>
  Object.fromEntries(fields.map((field) => [`ask_${field}`, `ask_${field}_on_launch`]));

export const MODULE_ARGUMENTS: Readonly<Record<string, ModuleArguments>> = {
  project: {
    aliases: { scm_credential: 'credential', scm_allow_override: 'allow_override', job_timeout: 'timeout' },
    lists: NOTIFICATIONS,
    dictLists: [],
    dicts: [],
    // Projects send no notifications in Towerless, and update within their job's timeout.
    unused: [
      'timeout',
      'custom_virtualenv',
      'signature_validation_credential',
      'scm_track_submodules',
      ...NOTIFICATIONS,
    ],
  },
  inventory: {
    aliases: {},
    lists: ['instance_groups', 'input_inventories'],
    dictLists: [],
    dicts: ['variables'],
    unused: ['instance_groups', 'prevent_instance_group_fallback', 'host_filter', 'input_inventories'],
  },
  host: { aliases: {}, lists: [], dictLists: [], dicts: ['variables'], unused: [] },
  group: {
    aliases: { groups: 'children', preserve_existing_groups: 'preserve_existing_children' },
    lists: ['hosts', 'children'],
    dictLists: [],
    dicts: ['variables'],
    unused: [],
  },
  inventory_source: {
    aliases: {},
    lists: NOTIFICATIONS,
    dictLists: [],
    dicts: ['source_vars'],
    unused: [
      'execution_environment',
      'custom_virtualenv',
      'enabled_value',
      'limit',
      'timeout',
      'verbosity',
      'scm_branch',
      ...NOTIFICATIONS,
    ],
  },
  credential_type: { aliases: {}, lists: [], dictLists: [], dicts: ['inputs', 'injectors'], unused: [] },
  credential: {
    aliases: {},
    lists: [],
    dictLists: [],
    dicts: ['inputs'],
    // A personal credential's owner: Towerless keeps credentials by organization only.
    unused: ['user', 'team'],
  },
  notification_template: {
    aliases: {},
    lists: [],
    dictLists: [],
    dicts: ['notification_configuration', 'messages'],
    unused: [],
  },
  job_template: {
    aliases: {
      force_handlers_enabled: 'force_handlers',
      fact_caching_enabled: 'use_fact_cache',
      ask_extra_vars: 'ask_variables_on_launch',
      ...askAliases(
        'diff_mode',
        'limit',
        'tags',
        'skip_tags',
        'job_type',
        'verbosity',
        'inventory',
        'credential',
        'execution_environment',
        'forks',
        'instance_groups',
        'job_slice_count',
        'labels',
        'timeout',
      ),
      diff_mode_enabled: 'diff_mode',
      concurrent_jobs_enabled: 'allow_simultaneous',
    },
    lists: ['credentials', 'instance_groups', 'labels', ...NOTIFICATIONS],
    dictLists: [],
    dicts: ['extra_vars', 'survey_spec'],
    // A job template's labels only tag it in AWX's lists: the model keeps a workflow's labels only.
    unused: [
      'custom_virtualenv',
      'use_fact_cache',
      'force_handlers',
      'host_config_key',
      'start_at_task',
      'prevent_instance_group_fallback',
      'webhook_service',
      'webhook_credential',
      'labels',
    ],
  },
  workflow_job_template: {
    aliases: {
      survey: 'survey_spec',
      ...askAliases('labels', 'tags', 'skip_tags'),
      schema: 'workflow_nodes',
      destroy_current_schema: 'destroy_current_nodes',
    },
    lists: ['labels', ...NOTIFICATIONS, 'notification_templates_approvals'],
    dictLists: ['workflow_nodes'],
    dicts: ['extra_vars', 'survey_spec'],
    unused: [],
  },
  workflow_job_template_node: {
    aliases: { workflow: 'workflow_job_template' },
    lists: ['success_nodes', 'always_nodes', 'failure_nodes', 'credentials', 'instance_groups', 'labels'],
    dictLists: [],
    dicts: ['extra_data', 'approval_node'],
    unused: [...PLACEMENT, 'labels'],
  },
  // The registry credential is the task execution role's business on Fargate.
  execution_environment: { aliases: {}, lists: [], dictLists: [], dicts: [], unused: ['credential'] },
  // Which of AWX's own instances and clusters run the group's jobs.
  instance_group: {
    aliases: {},
    lists: ['policy_instance_list', 'instances'],
    dictLists: [],
    dicts: [],
    unused: [
      'credential',
      'policy_instance_percentage',
      'policy_instance_minimum',
      'policy_instance_list',
      'instances',
    ],
  },
  schedule: {
    aliases: {},
    lists: ['instance_groups', 'labels', 'credentials'],
    dictLists: [],
    dicts: ['extra_data'],
    // The prompts a schedule saves beyond those the model's schedules keep.
    unused: [
      ...PLACEMENT,
      'forks',
      'job_slice_count',
      'labels',
      'timeout',
      'credentials',
      'job_type',
      'diff_mode',
      'verbosity',
    ],
  },
};
