import { nodeKindOf, type NodeKind } from '../../semantics/graph';
import { canRetry, RETRY_LIMITS } from '../../semantics/retries';
import type { FieldReader } from '../field-reader';
import { readSurveySpec } from '../survey-spec';
import type { ApprovalTemplate, UnifiedJobTemplateType, WorkflowJobTemplate, WorkflowNode } from '../types';
import { readBase, readNotificationLists, readPromptFlags } from './common';

/** Finds what a node's `unified_job_template` name points at; reports unknown or ambiguous names. */
export type TemplateResolver = (
  reader: FieldReader,
  field: string,
  name: string,
  declaredType: UnifiedJobTemplateType | undefined,
) => UnifiedJobTemplateType | undefined;

const TEMPLATE_TYPES: Record<string, UnifiedJobTemplateType> = {
  job_template: 'job_template',
  workflow_job_template: 'workflow_job_template',
  project: 'project',
  inventory_source: 'inventory_source',
  workflow_approval: 'workflow_approval',
  workflow_approval_template: 'workflow_approval',
};

export function readWorkflowJobTemplate(reader: FieldReader, resolve: TemplateResolver): WorkflowJobTemplate {
  // Object.assign, not several spreads: see readJobTemplate.
  const template: WorkflowJobTemplate = Object.assign(
    readBase(reader),
    readPromptFlags(reader),
    readNotificationLists(reader),
    {
      extra_vars: reader.vars('extra_vars'),
      survey_enabled: reader.boolean('survey_enabled'),
      survey_spec: readSurveySpec(reader),
      allow_simultaneous: reader.boolean('allow_simultaneous'),
      inventory: reader.nullableString('inventory'),
      limit: reader.string('limit'),
      scm_branch: reader.string('scm_branch'),
      job_tags: reader.string('job_tags'),
      skip_tags: reader.string('skip_tags'),
      labels: reader.strings('labels'),
      notification_templates_approvals: reader.strings('notification_templates_approvals'),
      webhook_service: reader.oneOf('webhook_service', ['', 'github', 'gitlab', 'bitbucket_dc'] as const, ''),
      webhook_credential: reader.nullableString('webhook_credential'),
      workflow_nodes: reader.list('workflow_nodes').map((node) => readNode(node, resolve)),
    },
  );
  if (template.survey_enabled && !template.survey_spec) {
    reader.warn('survey_enabled', true, 'survey is enabled but there is no survey_spec; no survey applies');
  }
  return template;
}

function readNode(reader: FieldReader, resolve: TemplateResolver): WorkflowNode {
  const identifier = reader.requiredString('identifier');
  const related = reader.mapping('related');
  const relatedReader = related ? reader.child(related, 'related.') : undefined;
  const edges = (kind: 'success_nodes' | 'failure_nodes' | 'always_nodes') => [
    ...identifiers(reader, kind),
    ...(relatedReader ? identifiers(relatedReader, kind) : []),
  ];
  const { unified_job_template, approval } = readTemplate(reader, resolve);
  const node: WorkflowNode = {
    identifier,
    unified_job_template,
    approval,
    success_nodes: edges('success_nodes'),
    failure_nodes: edges('failure_nodes'),
    always_nodes: edges('always_nodes'),
    all_parents_must_converge: reader.boolean('all_parents_must_converge'),
    ...readRetries(reader, unified_job_template),
    extra_data: reader.vars('extra_data'),
    inventory: reader.nullableString('inventory'),
    scm_branch: reader.nullableString('scm_branch'),
    job_type: reader.nullableString('job_type'),
    job_tags: reader.nullableString('job_tags'),
    skip_tags: reader.nullableString('skip_tags'),
    limit: reader.nullableString('limit'),
    diff_mode: reader.nullableBoolean('diff_mode'),
    verbosity: reader.nullableInteger('verbosity'),
    forks: reader.nullableInteger('forks'),
    job_slice_count: reader.nullableInteger('job_slice_count'),
    timeout: reader.nullableInteger('timeout'),
    credentials: [
      ...reader.strings('credentials'),
      ...(relatedReader ? relatedReader.strings('credentials') : []),
    ],
    origin: reader.source,
  };
  relatedReader?.ignore('labels', 'instance_groups');
  relatedReader?.finish();
  reader.ignore(
    'workflow_job_template',
    'organization',
    'lookup_organization',
    'state',
    'execution_environment',
    'labels',
    'instance_groups',
  );
  reader.finish();
  return node;
}

const NOT_RETRIED: Partial<Record<NodeKind, string>> = {
  approval: 'an approval',
  workflow: 'a nested workflow (its own nodes may retry)',
  missing: 'a node without a template',
};

/** docs/semantics.md §13.12: retries of a job's failure, refused on a node that runs no job of its own. */
function readRetries(
  reader: FieldReader,
  template: WorkflowNode['unified_job_template'],
): Pick<WorkflowNode, 'max_retries' | 'retry_delay' | 'retry_backoff_rate'> {
  const { maxRetries, delaySeconds, backoffRate } = RETRY_LIMITS;
  const retries = {
    max_retries: reader.integer('max_retries', maxRetries.fallback, maxRetries.min, maxRetries.max),
    retry_delay: reader.integer('retry_delay', delaySeconds.fallback, delaySeconds.min, delaySeconds.max),
    retry_backoff_rate: reader.number(
      'retry_backoff_rate',
      backoffRate.fallback,
      backoffRate.min,
      backoffRate.max,
    ),
  };
  const kind = nodeKindOf(template);
  if (retries.max_retries > 0 && !canRetry(kind))
    reader.fail(
      'max_retries',
      retries.max_retries,
      `retries only a job template, project or inventory source node's job, not ${NOT_RETRIED[kind]}`,
    );
  return retries;
}

/** Edge lists are identifiers, or `{identifier: x}` objects as AWX exports write them. */
function identifiers(reader: FieldReader, field: string): string[] {
  const value = reader.value(field);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    reader.fail(field, value, 'must be a list of node identifiers');
    return [];
  }
  return value.flatMap((item) => {
    if (typeof item === 'string') return [item];
    if (
      item &&
      typeof item === 'object' &&
      typeof (item as { identifier?: unknown }).identifier === 'string'
    ) {
      return [(item as { identifier: string }).identifier];
    }
    reader.fail(field, item, 'must be a list of node identifiers');
    return [];
  });
}

function readTemplate(
  reader: FieldReader,
  resolve: TemplateResolver,
): Pick<WorkflowNode, 'unified_job_template' | 'approval'> {
  const approvalNode = reader.mapping('approval_node');
  const raw = reader.value('unified_job_template');
  if (approvalNode) {
    if (raw !== undefined && raw !== null)
      reader.fail(
        'approval_node',
        approvalNode,
        'a node has either approval_node or unified_job_template, not both',
      );
    return approval(reader.child(approvalNode, 'approval_node.'));
  }
  if (raw === undefined || raw === null) return { unified_job_template: null, approval: null };
  if (typeof raw === 'string') {
    const type = resolve(reader, 'unified_job_template', raw, undefined);
    return { unified_job_template: type ? { type, name: raw } : null, approval: null };
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    reader.fail('unified_job_template', raw, 'must be a template name or {name, type}');
    return { unified_job_template: null, approval: null };
  }
  const ref = reader.child(raw as Record<string, unknown>, 'unified_job_template.');
  const typeName = ref.string('type');
  const declared = typeName ? TEMPLATE_TYPES[typeName] : undefined;
  if (typeName && !declared)
    ref.fail('type', typeName, `must be one of ${Object.keys(TEMPLATE_TYPES).join(', ')}`);
  if (declared === 'workflow_approval') {
    ref.ignore('type');
    return approval(ref);
  }
  const name = ref.requiredString('name');
  ref.ignore('organization', 'inventory', 'description');
  ref.finish();
  const type = name ? resolve(ref, 'name', name, declared) : undefined;
  return { unified_job_template: type ? { type, name } : null, approval: null };
}

function approval(reader: FieldReader): Pick<WorkflowNode, 'unified_job_template' | 'approval'> {
  const template: ApprovalTemplate = {
    name: reader.requiredString('name'),
    description: reader.string('description'),
    timeout: reader.integer('timeout'),
  };
  reader.ignore('organization');
  reader.finish();
  return { unified_job_template: { type: 'workflow_approval', name: template.name }, approval: template };
}
