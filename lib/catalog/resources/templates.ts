import { KIND_OF_TEMPLATE } from '../../semantics/graph';
import { canRetry, RETRY_LIMITS } from '../../semantics/retries';
import { savingRules, type Definition } from '../definition';
import { jobTemplateOrganization } from '../job-template-organization';
import { checkWebhookCredential } from '../webhook-credential';
import type { DefinitionRecord } from '../definition';
import type { DefinitionCatalog } from '../definitions';
import { InvalidError } from '../../errors';
import { checkEdge } from '../workflow-edges';
import {
  JOB_TEMPLATE_FLAGS,
  NAMED,
  NOTIFICATION_LISTS,
  ORGANIZATION,
  UNIFIED_JOB_TEMPLATE_KINDS,
  WORKFLOW_FLAGS,
  templateStatus,
} from './common';

export const JOB_TEMPLATE: Definition = {
  kind: 'job_template',
  type: 'job_template',
  path: 'job_templates',
  fields: {
    ...NAMED,
    organization: ORGANIZATION,
    job_type: { type: 'string', choices: ['run', 'check'], default: 'run' },
    inventory: { type: 'reference', kinds: ['inventory'] },
    project: { type: 'reference', kinds: ['project'] },
    playbook: { type: 'string', max: 1024 },
    scm_branch: { type: 'string', max: 1024 },
    forks: { type: 'integer', min: 0, default: 0 },
    limit: { type: 'string' },
    verbosity: { type: 'integer', min: 0, max: 5, default: 0 },
    extra_vars: { type: 'vars' },
    job_tags: { type: 'string' },
    force_handlers: { type: 'boolean', default: false },
    skip_tags: { type: 'string' },
    start_at_task: { type: 'string' },
    timeout: { type: 'integer', min: 0, default: 0 },
    use_fact_cache: { type: 'boolean', default: false },
    execution_environment: { type: 'reference', kinds: ['execution_environment'] },
    host_config_key: { type: 'string', max: 1024 },
    ...JOB_TEMPLATE_FLAGS,
    survey_enabled: { type: 'boolean', default: false },
    become_enabled: { type: 'boolean', default: false },
    diff_mode: { type: 'boolean', default: false },
    allow_simultaneous: { type: 'boolean', default: false },
    custom_virtualenv: { type: 'string' },
    job_slice_count: { type: 'integer', min: 0, default: 1 },
    webhook_service: { type: 'string', choices: ['', 'github', 'gitlab', 'bitbucket_dc'] },
    webhook_credential: { type: 'reference', kinds: ['credential'] },
    prevent_instance_group_fallback: { type: 'boolean', default: false },
  },
  associations: {
    credentials: 'credential',
    labels: 'label',
    instance_groups: 'instance_group',
    ...NOTIFICATION_LISTS,
  },
  computed: templateStatus,
  saving: savingRules(jobTemplateOrganization, checkWebhookCredential),
  links: ['launch', 'survey_spec', 'jobs', 'copy', 'activity_stream'],
  // Not the notification lists: AWX copies none.
  copy: { kept: ['survey_spec'], associations: ['labels', 'instance_groups', 'credentials'] },
  searchable: ['name', 'description', 'playbook'],
  children: {
    schedules: { kind: 'schedule', field: 'unified_job_template' },
  },
};

export const WORKFLOW_JOB_TEMPLATE: Definition = {
  kind: 'workflow_job_template',
  type: 'workflow_job_template',
  path: 'workflow_job_templates',
  fields: {
    ...NAMED,
    organization: ORGANIZATION,
    extra_vars: { type: 'vars' },
    survey_enabled: { type: 'boolean', default: false },
    allow_simultaneous: { type: 'boolean', default: false },
    ...WORKFLOW_FLAGS,
    inventory: { type: 'reference', kinds: ['inventory'] },
    limit: { type: 'string' },
    scm_branch: { type: 'string' },
    job_tags: { type: 'string' },
    skip_tags: { type: 'string' },
    webhook_service: { type: 'string', choices: ['', 'github', 'gitlab', 'bitbucket_dc'] },
    webhook_credential: { type: 'reference', kinds: ['credential'] },
  },
  associations: {
    labels: 'label',
    ...NOTIFICATION_LISTS,
    notification_templates_approvals: 'notification_template',
  },
  computed: templateStatus,
  saving: checkWebhookCredential,
  links: ['launch', 'survey_spec', 'workflow_jobs', 'copy', 'activity_stream', 'access_list'],
  copy: { kept: ['survey_spec'], associations: ['labels'], parts: ['workflow_nodes'], checkParts: true },
  children: {
    schedules: { kind: 'schedule', field: 'unified_job_template' },
    workflow_nodes: { kind: 'workflow_job_template_node', field: 'workflow_job_template' },
  },
};

/** A node's job retries (docs/semantics.md §13.12): a node that runs no job of its own has none. */
async function checkRetries(
  definitions: DefinitionCatalog,
  values: Record<string, unknown>,
  current: DefinitionRecord | undefined,
): Promise<Record<string, unknown>> {
  const merged = { ...current, ...values };
  if (!((merged.max_retries as number) > 0)) return values;
  const target =
    typeof merged.unified_job_template === 'number'
      ? await definitions.store.findAmong(UNIFIED_JOB_TEMPLATE_KINDS, merged.unified_job_template)
      : undefined;
  if (target && canRetry(KIND_OF_TEMPLATE[target.kind])) return values;
  const message = 'Only a job template, project or inventory source node retries its job.';
  throw new InvalidError(message, { max_retries: [message] });
}

function range(limits: { min: number; max: number; fallback: number }) {
  return { min: limits.min, max: limits.max, default: limits.fallback };
}

/** A node's prompts and edges (AWX's workflow job template node). */
export const WORKFLOW_JOB_TEMPLATE_NODE: Definition = {
  kind: 'workflow_job_template_node',
  type: 'workflow_job_template_node',
  path: 'workflow_job_template_nodes',
  fields: {
    workflow_job_template: { type: 'reference', kinds: ['workflow_job_template'], required: true },
    unified_job_template: { type: 'reference', kinds: UNIFIED_JOB_TEMPLATE_KINDS },
    identifier: { type: 'string', max: 512 },
    all_parents_must_converge: { type: 'boolean', default: false },
    // Towerless's node retries (docs/semantics.md §13.12), the AWX fork's `max_retries` among them.
    max_retries: { type: 'integer', ...range(RETRY_LIMITS.maxRetries) },
    retry_delay: { type: 'integer', ...range(RETRY_LIMITS.delaySeconds) },
    retry_backoff_rate: { type: 'float', ...range(RETRY_LIMITS.backoffRate) },
    extra_data: { type: 'object' },
    inventory: { type: 'reference', kinds: ['inventory'] },
    scm_branch: { type: 'string', max: 1024, nullable: true },
    job_type: { type: 'string', choices: ['', 'run', 'check'], nullable: true },
    job_tags: { type: 'string', nullable: true },
    skip_tags: { type: 'string', nullable: true },
    limit: { type: 'string', nullable: true },
    diff_mode: { type: 'boolean', default: null },
    verbosity: { type: 'integer', min: 0, max: 5, default: null },
    forks: { type: 'integer', min: 0, default: null },
    job_slice_count: { type: 'integer', min: 0, default: null },
    timeout: { type: 'integer', default: null },
    execution_environment: { type: 'reference', kinds: ['execution_environment'] },
  },
  associations: {
    success_nodes: 'workflow_job_template_node',
    failure_nodes: 'workflow_job_template_node',
    always_nodes: 'workflow_job_template_node',
    credentials: 'credential',
    labels: 'label',
    instance_groups: 'instance_group',
  },
  checkAssociation: checkEdge,
  saving: checkRetries,
  // AWX shows a node's edges as lists of node ids, besides their association sub-paths.
  computed: (record) => ({
    success_nodes: record.success_nodes ?? [],
    failure_nodes: record.failure_nodes ?? [],
    always_nodes: record.always_nodes ?? [],
  }),
  links: ['create_approval_template'],
  searchable: ['identifier'],
};

export const WORKFLOW_APPROVAL_TEMPLATE: Definition = {
  kind: 'workflow_approval_template',
  type: 'workflow_approval_template',
  path: 'workflow_approval_templates',
  fields: {
    ...NAMED,
    timeout: { type: 'integer', min: 0, default: 0 },
  },
  links: ['approvals'],
  ownedByReferrer: true,
};
