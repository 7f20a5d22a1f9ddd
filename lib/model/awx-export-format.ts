import { LAUNCH_PROMPTS, WORKFLOW_PROMPT_FLAGS } from './launch-prompts';

/**
 * The AWX export format (docs/formats.md "AWX exports"): what `awx export` and the awx.awx
 * collection's export module write, AWX 21.14. One table for the loader (export → Bundle) and the
 * writer (Bundle → export): per kind, the fields AWX's API takes when it creates one (what awxkit
 * exports), and the related lists awxkit exports with them.
 */

/** The lists of an export, in awxkit's order. */
export const EXPORT_LISTS = [
  'users',
  'organizations',
  'teams',
  'credential_types',
  'credentials',
  'notification_templates',
  'projects',
  'inventory',
  'inventory_sources',
  'job_templates',
  'workflow_job_templates',
  'execution_environments',
  'applications',
  'schedules',
] as const;

export type ExportList = (typeof EXPORT_LISTS)[number];

/** The lists the Bundle has no place for: skipped when read (one warning each), never written. */
export const UNMODELLED_LISTS: readonly ExportList[] = ['users', 'organizations', 'teams', 'applications'];

/** An AWX `type`, as natural keys name it. */
export type ExportType =
  | 'organization'
  | 'credential_type'
  | 'credential'
  | 'notification_template'
  | 'project'
  | 'inventory'
  | 'host'
  | 'group'
  | 'inventory_source'
  | 'job_template'
  | 'workflow_job_template'
  | 'workflow_job_template_node'
  | 'schedule'
  | 'label'
  | 'execution_environment';

/** A field of an exported object, and how it stands to the Bundle's field of the same name. */
export type ExportField =
  /** The same value on both sides; `emptyIsNull`: AWX's null where the Bundle has ''. */
  | { readonly role: 'value'; readonly emptyIsNull?: boolean }
  /** Variables: YAML or JSON text in AWX, a mapping in the Bundle. */
  | { readonly role: 'vars' }
  /** A natural key in the export, a name in the Bundle. */
  | { readonly role: 'reference'; readonly type: ExportType }
  /** The natural key of the object this one belongs to (a host's inventory): the Bundle nests it. */
  | { readonly role: 'parent' }
  /** AWX's, and the Bundle has no place for it: written with AWX's default, dropped when read. */
  | { readonly role: 'unused'; readonly awxDefault: unknown }
  /** Read and written by the loader and the writer themselves. */
  | { readonly role: 'special' };

/** A list under an exported object's `related`. */
export type ExportRelation =
  /** Natural keys in the export, the Bundle's list of names of the same name. */
  | { readonly role: 'names'; readonly type: ExportType }
  /** AWX's, and the Bundle has no place for it: written empty, dropped when read. */
  | { readonly role: 'unused' }
  /** Read and written by the loader and the writer themselves. */
  | { readonly role: 'special' };

export interface ExportKind {
  readonly type: ExportType;
  readonly fields: Readonly<Record<string, ExportField>>;
  readonly related: Readonly<Record<string, ExportRelation>>;
}

const VALUE: ExportField = { role: 'value' };
const NULL_WHEN_EMPTY: ExportField = { role: 'value', emptyIsNull: true };
const VARS: ExportField = { role: 'vars' };
const PARENT: ExportField = { role: 'parent' };
const SPECIAL = { role: 'special' } as const;
const reference = (type: ExportType): ExportField => ({ role: 'reference', type });
const unused = (awxDefault: unknown): ExportField => ({ role: 'unused', awxDefault });
const names = (type: ExportType): ExportRelation => ({ role: 'names', type });
const UNUSED_LIST: ExportRelation = { role: 'unused' };

const NAMED = { name: VALUE, description: VALUE };
const OWNED = { ...NAMED, organization: reference('organization') };

const NOTIFICATIONS = {
  notification_templates_started: names('notification_template'),
  notification_templates_success: names('notification_template'),
  notification_templates_error: names('notification_template'),
};
const UNUSED_NOTIFICATIONS = {
  notification_templates_started: UNUSED_LIST,
  notification_templates_success: UNUSED_LIST,
  notification_templates_error: UNUSED_LIST,
};

/** The prompts a node saves (AWX's launch configuration), all the Bundle's but the environment. */
const NODE_PROMPTS = {
  extra_data: VALUE,
  inventory: reference('inventory'),
  scm_branch: VALUE,
  job_type: VALUE,
  job_tags: VALUE,
  skip_tags: VALUE,
  limit: VALUE,
  diff_mode: VALUE,
  verbosity: VALUE,
  execution_environment: unused(null),
  forks: VALUE,
  job_slice_count: VALUE,
  timeout: VALUE,
};

const flags = (flagNames: readonly string[]) => Object.fromEntries(flagNames.map((flag) => [flag, VALUE]));

/** Every kind the Bundle holds, by its AWX type. */
export const EXPORT_KINDS = {
  credential_type: {
    type: 'credential_type',
    fields: { ...NAMED, kind: VALUE, inputs: SPECIAL, injectors: SPECIAL },
    related: {},
  },
  credential: {
    type: 'credential',
    fields: { ...OWNED, credential_type: reference('credential_type'), inputs: SPECIAL },
    related: {},
  },
  notification_template: {
    type: 'notification_template',
    fields: { ...OWNED, notification_type: VALUE, notification_configuration: SPECIAL, messages: VALUE },
    related: {},
  },
  project: {
    type: 'project',
    fields: {
      ...NAMED,
      local_path: VALUE,
      scm_type: VALUE,
      scm_url: VALUE,
      scm_branch: VALUE,
      scm_refspec: VALUE,
      scm_clean: VALUE,
      scm_track_submodules: unused(false),
      scm_delete_on_update: VALUE,
      credential: reference('credential'),
      timeout: unused(0),
      organization: reference('organization'),
      scm_update_on_launch: VALUE,
      scm_update_cache_timeout: VALUE,
      allow_override: VALUE,
      default_environment: reference('execution_environment'),
      signature_validation_credential: unused(null),
    },
    related: UNUSED_NOTIFICATIONS,
  },
  inventory: {
    type: 'inventory',
    fields: {
      ...OWNED,
      kind: VALUE,
      host_filter: unused(null),
      variables: VARS,
      prevent_instance_group_fallback: unused(false),
    },
    related: { hosts: SPECIAL, groups: SPECIAL, labels: UNUSED_LIST },
  },
  host: {
    type: 'host',
    fields: {
      name: VALUE,
      description: unused(''),
      inventory: PARENT,
      enabled: VALUE,
      instance_id: unused(''),
      variables: VARS,
    },
    // A host's groups are its groups' hosts, seen from the host.
    related: { groups: SPECIAL },
  },
  group: {
    type: 'group',
    fields: { name: VALUE, description: unused(''), inventory: PARENT, variables: VARS },
    related: { hosts: SPECIAL, children: SPECIAL },
  },
  inventory_source: {
    type: 'inventory_source',
    fields: {
      ...NAMED,
      source: VALUE,
      source_path: VALUE,
      source_vars: VARS,
      scm_branch: unused(''),
      credential: reference('credential'),
      enabled_var: VALUE,
      enabled_value: unused(''),
      host_filter: VALUE,
      overwrite: VALUE,
      overwrite_vars: VALUE,
      timeout: unused(0),
      verbosity: unused(1),
      execution_environment: unused(null),
      // Top-level in an export: the loader puts each source in its inventory.
      inventory: SPECIAL,
      update_on_launch: VALUE,
      update_cache_timeout: VALUE,
      source_project: reference('project'),
    },
    // `credentials` is AWX showing `credential` again (as long as the source never ran).
    related: { ...UNUSED_NOTIFICATIONS, schedules: SPECIAL, credentials: SPECIAL },
  },
  job_template: {
    type: 'job_template',
    // No `organization`: AWX takes a job template's from its project (it is in the natural key).
    // No instance groups: awxkit exports none, nor a template's list of them.
    fields: {
      ...NAMED,
      job_type: VALUE,
      inventory: reference('inventory'),
      project: reference('project'),
      playbook: VALUE,
      scm_branch: VALUE,
      forks: VALUE,
      limit: VALUE,
      verbosity: VALUE,
      extra_vars: VARS,
      job_tags: VALUE,
      force_handlers: unused(false),
      skip_tags: VALUE,
      start_at_task: unused(''),
      timeout: VALUE,
      use_fact_cache: unused(false),
      execution_environment: reference('execution_environment'),
      host_config_key: unused(''),
      ...flags(LAUNCH_PROMPTS.map((prompt) => prompt.flag)),
      survey_enabled: VALUE,
      become_enabled: VALUE,
      diff_mode: VALUE,
      allow_simultaneous: VALUE,
      job_slice_count: VALUE,
      webhook_service: unused(''),
      webhook_credential: unused(null),
      prevent_instance_group_fallback: unused(false),
    },
    related: {
      labels: UNUSED_LIST,
      credentials: names('credential'),
      schedules: SPECIAL,
      ...NOTIFICATIONS,
      survey_spec: SPECIAL,
    },
  },
  workflow_job_template: {
    type: 'workflow_job_template',
    fields: {
      ...OWNED,
      extra_vars: VARS,
      survey_enabled: VALUE,
      allow_simultaneous: VALUE,
      ...flags(WORKFLOW_PROMPT_FLAGS),
      inventory: reference('inventory'),
      // AWX keeps these as prompts, null until set.
      limit: NULL_WHEN_EMPTY,
      scm_branch: NULL_WHEN_EMPTY,
      skip_tags: NULL_WHEN_EMPTY,
      job_tags: NULL_WHEN_EMPTY,
      webhook_service: VALUE,
      webhook_credential: reference('credential'),
    },
    related: {
      labels: SPECIAL,
      ...NOTIFICATIONS,
      notification_templates_approvals: names('notification_template'),
      survey_spec: SPECIAL,
      schedules: SPECIAL,
      workflow_nodes: SPECIAL,
    },
  },
  workflow_job_template_node: {
    type: 'workflow_job_template_node',
    fields: {
      ...NODE_PROMPTS,
      workflow_job_template: PARENT,
      // Read as the model reads {name, type}; left out for an approval node, whose template awxkit
      // writes under related.create_approval_template.
      unified_job_template: SPECIAL,
      all_parents_must_converge: VALUE,
      identifier: VALUE,
    },
    related: {
      credentials: names('credential'),
      success_nodes: SPECIAL,
      failure_nodes: SPECIAL,
      always_nodes: SPECIAL,
      create_approval_template: SPECIAL,
    },
  },
  schedule: {
    type: 'schedule',
    fields: {
      ...NAMED,
      extra_data: VALUE,
      inventory: reference('inventory'),
      scm_branch: VALUE,
      job_type: unused(null),
      job_tags: VALUE,
      skip_tags: VALUE,
      limit: VALUE,
      diff_mode: unused(null),
      verbosity: unused(null),
      execution_environment: unused(null),
      forks: unused(null),
      job_slice_count: unused(null),
      timeout: unused(null),
      unified_job_template: SPECIAL,
      enabled: VALUE,
      rrule: VALUE,
    },
    related: { credentials: UNUSED_LIST },
  },
  label: {
    type: 'label',
    fields: { name: VALUE, organization: reference('organization') },
    related: {},
  },
  execution_environment: {
    type: 'execution_environment',
    // The registry credential is the task execution role's business on Fargate.
    fields: { ...OWNED, image: VALUE, credential: unused(null), pull: VALUE },
    related: {},
  },
} as const satisfies Partial<Record<ExportType, ExportKind>>;

export type ExportedKind = keyof typeof EXPORT_KINDS;

/** The kinds a schedule's `unified_job_template` may name. */
export const TEMPLATE_TYPES = [
  'job_template',
  'workflow_job_template',
  'project',
  'inventory_source',
] as const;
