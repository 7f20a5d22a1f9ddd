/**
 * The typed bundle: every resource Towerless knows, with AWX's field names and defaults
 * (as the awx.awx modules and /api/v2 spell them), so AWX users already know the shape.
 */

import type { JobTemplatePromptFlags, PromptFlags } from './launch-prompts';

/** Where a resource or field came from, for error messages. */
export interface SourceRef {
  readonly file: string;
  readonly line?: number;
  /**
   * Not in the files: one of AWX's default objects or a `--catalog` server's, read because the
   * files name it (lib/model/reading-base.ts). It resolves references; apply leaves it to the server.
   */
  readonly base?: boolean;
}

export type Vars = Record<string, unknown>;

/** A pointer to a secret value: a Secrets Manager name/ARN in AWS, a key of the secrets file locally. */
export interface SecretRef {
  readonly secret: string;
}

export interface ResourceBase {
  readonly name: string;
  readonly description: string;
  readonly organization: string;
  /** Where the resource is defined (file and line). */
  readonly origin: SourceRef;
}

export interface Project extends ResourceBase {
  /** '' (manual: playbooks in local_path) or 'git'. */
  readonly scm_type: '' | 'git';
  readonly scm_url: string;
  readonly scm_branch: string;
  readonly scm_refspec: string;
  readonly scm_clean: boolean;
  readonly scm_delete_on_update: boolean;
  readonly scm_update_on_launch: boolean;
  readonly scm_update_cache_timeout: number;
  readonly allow_override: boolean;
  readonly local_path: string;
  readonly credential: string | null;
  /** The execution environment of its templates that name none (AWX's `default_environment`). */
  readonly default_environment: string | null;
}

export interface InventoryHost {
  readonly name: string;
  readonly variables: Vars;
  readonly enabled: boolean;
}

export interface InventoryGroup {
  readonly name: string;
  readonly variables: Vars;
  readonly hosts: readonly string[];
  readonly children: readonly string[];
}

export interface InventorySource extends ResourceBase {
  readonly inventory: string;
  /** AWX source kinds: scm, ec2, file, script, constructed, ... */
  readonly source: string;
  readonly source_path: string;
  readonly source_project: string | null;
  readonly source_vars: Vars;
  readonly credential: string | null;
  readonly update_on_launch: boolean;
  readonly update_cache_timeout: number;
  readonly overwrite: boolean;
  readonly overwrite_vars: boolean;
  readonly enabled_var: string;
  readonly host_filter: string;
}

export interface Inventory extends ResourceBase {
  readonly variables: Vars;
  readonly kind: '' | 'smart' | 'constructed';
  readonly hosts: readonly InventoryHost[];
  readonly groups: readonly InventoryGroup[];
  readonly inventory_sources: readonly InventorySource[];
}

export type CredentialInput = string | number | boolean | SecretRef;

/** One input of a custom credential type (AWX `inputs.fields[]`). */
export interface CredentialTypeField {
  /** The name templates use: `{{ id }}`. */
  readonly id: string;
  readonly label: string;
  readonly type: 'string' | 'boolean';
  /** Secret inputs are only ever secret references in a definition, and scrubbed from every output. */
  readonly secret: boolean;
  readonly multiline: boolean;
  /** `ssh_private_key` values get a final newline when injected, as AWX does. */
  readonly format: 'ssh_private_key' | 'url' | null;
  readonly choices: readonly string[] | null;
  readonly default?: string | boolean;
  readonly help_text: string;
}

/** A value of an `extra_vars` injector: a template, or lists and mappings of them. */
export type InjectorValue = string | readonly InjectorValue[] | { readonly [key: string]: InjectorValue };

/** What a custom credential type injects (AWX `injectors`); every string is a Jinja template. */
export interface CredentialTypeInjectors {
  /** Environment variable name → template. */
  readonly env: Readonly<Record<string, string>>;
  /** Extra variables (keys are templates too); below every other variable of the job. */
  readonly extra_vars: Readonly<Record<string, InjectorValue>>;
  /** `template` (one file) or `template.<name>` (several) → the file's content template. */
  readonly file: Readonly<Record<string, string>>;
}

/** A custom credential type (AWX `credential_types`, kind cloud or net). */
export interface CredentialType {
  readonly name: string;
  readonly description: string;
  readonly kind: 'cloud' | 'net';
  readonly inputs: { readonly fields: readonly CredentialTypeField[]; readonly required: readonly string[] };
  readonly injectors: CredentialTypeInjectors;
  readonly origin: SourceRef;
}

export interface Credential extends ResourceBase {
  readonly credential_type: string;
  readonly inputs: Readonly<Record<string, CredentialInput>>;
}

export type SurveyQuestionType =
  'text' | 'textarea' | 'password' | 'integer' | 'float' | 'multiplechoice' | 'multiselect';

export interface SurveyQuestion {
  readonly question_name: string;
  readonly question_description: string;
  readonly variable: string;
  readonly type: SurveyQuestionType;
  readonly required: boolean;
  readonly default?: unknown;
  readonly min?: number | null;
  readonly max?: number | null;
  /** Normalised to a list (AWX accepts a newline-separated string too). */
  readonly choices?: readonly string[];
}

export interface SurveySpec {
  readonly name: string;
  readonly description: string;
  readonly spec: readonly SurveyQuestion[];
}

/** Launch-time prompt flags (derived from the one table in launch-prompts.ts). */
export type { JobTemplatePromptFlags, PromptFlags };

export interface NotificationLists {
  readonly notification_templates_started: readonly string[];
  readonly notification_templates_success: readonly string[];
  readonly notification_templates_error: readonly string[];
}

export interface JobTemplate extends ResourceBase, JobTemplatePromptFlags, NotificationLists {
  readonly job_type: 'run' | 'check';
  readonly project: string | null;
  readonly playbook: string;
  readonly inventory: string | null;
  readonly credentials: readonly string[];
  readonly scm_branch: string;
  readonly extra_vars: Vars;
  readonly job_tags: string;
  readonly skip_tags: string;
  readonly limit: string;
  readonly forks: number;
  readonly verbosity: number;
  readonly timeout: number;
  readonly become_enabled: boolean;
  readonly diff_mode: boolean;
  readonly job_slice_count: number;
  readonly allow_simultaneous: boolean;
  readonly survey_enabled: boolean;
  readonly survey_spec: SurveySpec | null;
  /** The execution environment its jobs run in; null: its project's default, else the runner's own. */
  readonly execution_environment: string | null;
  /** Where its jobs run, first choice first (AWX's order); the first sizes and places the task. */
  readonly instance_groups: readonly string[];
}

/**
 * AWX's execution environment: the image a template's jobs run in. On Fargate the image is a
 * Towerless runner image (docs/placement.md); AWX's own images run as the runner's.
 */
export interface ExecutionEnvironment extends ResourceBase {
  readonly image: string;
  readonly pull: '' | 'always' | 'missing' | 'never';
  /** One of AWX's own images (a default object), run as the runner's image. */
  readonly managed: boolean;
}

/** What a container group's pod spec asks of a Fargate task (docs/placement.md). */
export interface TaskCapacity {
  /** vCPUs the pod requests or is limited to, the larger; undefined: the runner's default. */
  readonly cpu?: number;
  /** MiB likewise. */
  readonly memoryMiB?: number;
  /** Spot capacity: the pod's node selector asks for it. */
  readonly spot: boolean;
  /** Subnets and security groups of the pod's `towerless.io/` annotations; empty: the stack's. */
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
}

/** AWX's instance group. A container group's pod spec sizes and places its jobs' Fargate tasks. */
export interface InstanceGroup {
  readonly name: string;
  readonly origin: SourceRef;
  readonly is_container_group: boolean;
  readonly max_concurrent_jobs: number;
  readonly max_forks: number;
  readonly pod_spec_override: string;
  /** The pod spec read, once, when the group is (lib/model/resources/pod-spec.ts). */
  readonly capacity: TaskCapacity;
}

export type UnifiedJobTemplateType =
  'job_template' | 'workflow_job_template' | 'project' | 'inventory_source' | 'workflow_approval';

export interface ApprovalTemplate {
  readonly name: string;
  readonly description: string;
  /** Seconds; 0 = never expires. */
  readonly timeout: number;
}

export type EdgeKind = 'success' | 'failure' | 'always';

/** Prompted values a node saves for its template (AWX workflow job template node fields). */
export interface NodePrompts {
  readonly extra_data: Vars;
  readonly inventory: string | null;
  readonly scm_branch: string | null;
  readonly job_type: string | null;
  readonly job_tags: string | null;
  readonly skip_tags: string | null;
  readonly limit: string | null;
  readonly diff_mode: boolean | null;
  readonly verbosity: number | null;
  readonly forks: number | null;
  readonly job_slice_count: number | null;
  readonly timeout: number | null;
  readonly credentials: readonly string[];
}

export interface WorkflowNode extends NodePrompts {
  readonly identifier: string;
  /**
   * What the node runs. `null` models AWX's node whose template was deleted: it fails when reached
   * without creating a job (docs/semantics.md §1.2).
   */
  readonly unified_job_template: { readonly type: UnifiedJobTemplateType; readonly name: string } | null;
  readonly approval: ApprovalTemplate | null;
  readonly success_nodes: readonly string[];
  readonly failure_nodes: readonly string[];
  readonly always_nodes: readonly string[];
  readonly all_parents_must_converge: boolean;
  /** Times its job runs again when it fails (docs/semantics.md §13.12); 0: never. */
  readonly max_retries: number;
  /** Seconds before the first retry. */
  readonly retry_delay: number;
  /** What each further retry's delay is multiplied by. */
  readonly retry_backoff_rate: number;
  readonly origin: SourceRef;
}

export interface WorkflowJobTemplate extends ResourceBase, PromptFlags, NotificationLists {
  readonly extra_vars: Vars;
  readonly survey_enabled: boolean;
  readonly survey_spec: SurveySpec | null;
  readonly allow_simultaneous: boolean;
  readonly inventory: string | null;
  readonly limit: string;
  readonly scm_branch: string;
  readonly job_tags: string;
  readonly skip_tags: string;
  readonly labels: readonly string[];
  readonly notification_templates_approvals: readonly string[];
  readonly webhook_service: '' | 'github' | 'gitlab' | 'bitbucket_dc';
  readonly webhook_credential: string | null;
  readonly workflow_nodes: readonly WorkflowNode[];
}

export interface NotificationTemplate extends ResourceBase {
  readonly notification_type: string;
  readonly notification_configuration: Readonly<Record<string, unknown>>;
  readonly messages: Readonly<Record<string, unknown>> | null;
}

export interface Schedule extends ResourceBase {
  readonly unified_job_template: string;
  readonly rrule: string;
  readonly enabled: boolean;
  readonly extra_data: Vars;
  readonly inventory: string | null;
  readonly limit: string | null;
  readonly scm_branch: string | null;
  readonly job_tags: string | null;
  readonly skip_tags: string | null;
}

/**
 * The non-variable prompts a workflow job carries (docs/semantics.md §4.2, §8): they override node
 * values for every child template that prompts for the field.
 */
export interface WorkflowPrompts {
  readonly inventory?: string;
  readonly limit?: string;
  readonly scm_branch?: string;
  readonly job_tags?: string;
  readonly skip_tags?: string;
}

export interface Bundle {
  readonly projects: readonly Project[];
  readonly inventories: readonly Inventory[];
  readonly credential_types: readonly CredentialType[];
  readonly credentials: readonly Credential[];
  readonly job_templates: readonly JobTemplate[];
  readonly workflow_job_templates: readonly WorkflowJobTemplate[];
  readonly notification_templates: readonly NotificationTemplate[];
  readonly schedules: readonly Schedule[];
  readonly execution_environments: readonly ExecutionEnvironment[];
  readonly instance_groups: readonly InstanceGroup[];
}

export const RESOURCE_KINDS = [
  'projects',
  'inventories',
  'credential_types',
  'credentials',
  'job_templates',
  'workflow_job_templates',
  'notification_templates',
  'schedules',
  'execution_environments',
  'instance_groups',
] as const;

export type ResourceKind = (typeof RESOURCE_KINDS)[number];
