import { JOB_TEMPLATE_PROMPT_FLAGS, WORKFLOW_PROMPT_FLAGS } from '../../model/launch-prompts';
import type { FieldSpec, FieldTable } from '../fields';

/** `name` and `description`, as most AWX objects have them. */
export const NAMED: FieldTable = {
  name: { type: 'string', required: true, max: 512 },
  description: { type: 'string' },
};

export const ORGANIZATION = { type: 'reference', kinds: ['organization'] } as const satisfies FieldSpec;

/** The `ask_*_on_launch` flags (from the one prompt table, docs/semantics.md §4.4). */
export function promptFlags(flags: readonly string[]): FieldTable {
  return Object.fromEntries(flags.map((flag) => [flag, { type: 'boolean', default: false }]));
}

export const JOB_TEMPLATE_FLAGS = promptFlags(JOB_TEMPLATE_PROMPT_FLAGS);
export const WORKFLOW_FLAGS = promptFlags(WORKFLOW_PROMPT_FLAGS);

/** AWX's three notification lists of a template (the workflow's fourth is for approvals). */
export const NOTIFICATION_LISTS = {
  notification_templates_started: 'notification_template',
  notification_templates_success: 'notification_template',
  notification_templates_error: 'notification_template',
} as const;

/** What a template can run on: the kinds AWX's unified job templates are. */
export const UNIFIED_JOB_TEMPLATE_KINDS = [
  'job_template',
  'workflow_job_template',
  'project',
  'inventory_source',
  'workflow_approval_template',
] as const;

/**
 * What AWX shows of a template's last run. Runs are not linked back to templates yet, so a
 * template reads as never run; clients only display these.
 */
export function templateStatus(): Record<string, unknown> {
  return { status: 'never updated', last_job_run: null, last_job_failed: false, next_job_run: null };
}
