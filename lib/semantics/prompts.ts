import type { WorkflowJobTemplate, WorkflowNode, WorkflowPrompts } from '../model/types';

/**
 * Non-variable prompts of a workflow job (docs/semantics.md §4.2, §5, §8): inventory, limit,
 * scm_branch, job_tags and skip_tags.
 */
const FIELDS = [
  ['inventory', 'ask_inventory_on_launch'],
  ['limit', 'ask_limit_on_launch'],
  ['scm_branch', 'ask_scm_branch_on_launch'],
  ['job_tags', 'ask_tags_on_launch'],
  ['skip_tags', 'ask_skip_tags_on_launch'],
] as const;

/** A top-level workflow job: the template's own values, replaced by accepted launch prompts. */
export function workflowJobPrompts(
  workflow: WorkflowJobTemplate,
  launch: WorkflowPrompts = {},
): WorkflowPrompts {
  const prompts: Record<string, string> = {};
  for (const [field] of FIELDS) {
    const value = launch[field] ?? workflow[field] ?? '';
    if (value) prompts[field] = value;
  }
  return prompts;
}

/**
 * A nested workflow job: the node's values combined with the outer workflow job's (the outer
 * wins), kept only where the inner workflow asks for the field; the inner template's own values
 * fill the rest. So outer values reach the inner jobs only if both levels prompt (§5).
 */
export function nestedWorkflowPrompts(
  inner: WorkflowJobTemplate,
  node: WorkflowNode,
  outer: WorkflowPrompts = {},
): WorkflowPrompts {
  const launch: Record<string, string> = {};
  for (const [field, flag] of FIELDS) {
    const value = outer[field] ?? node[field] ?? undefined;
    if (inner[flag] && value) launch[field] = value;
  }
  return workflowJobPrompts(inner, launch);
}
