import { flagOf, type WorkflowPromptField } from '../model/launch-prompts';
import type { WorkflowJobTemplate, WorkflowNode, WorkflowPrompts } from '../model/types';

/**
 * Non-variable prompts of a workflow job (docs/semantics.md §4.2, §5, §8): inventory, limit,
 * scm_branch, job_tags and skip_tags, each with its flag from the one prompt table.
 */
const FIELDS = (
  [
    'inventory',
    'limit',
    'scm_branch',
    'job_tags',
    'skip_tags',
  ] as const satisfies readonly (keyof WorkflowPrompts & WorkflowPromptField)[]
).map((field) => [field, flagOf(field) as keyof WorkflowJobTemplate] as const);

/**
 * A prompted value as AWX applies it to a job: the workflow job's value wins over the node's, and
 * either applies only where the template asks for the field; otherwise the template's own value.
 */
export function promptedValue<T>(
  asks: boolean,
  values: { readonly workflow?: T | null; readonly node: T | null; readonly template: T },
): T {
  return asks ? (values.workflow ?? values.node ?? values.template) : values.template;
}

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
