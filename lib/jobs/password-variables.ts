import type { Bundle, WorkflowJobTemplate } from '../model/types';
import { passwordVariables } from '../semantics/variables';

/**
 * The variables any survey in the workflow's reach asks as a password: its own, its job
 * templates' and its nested workflows'. A launch variable of that name is a secret wherever it
 * goes (with `ask_variables_on_launch` it reaches those templates' jobs), so the workflow job
 * record keeps it sealed (docs/semantics.md §6.3).
 */
export function reachablePasswordVariables(
  bundle: Bundle,
  workflow: WorkflowJobTemplate,
  seen = new Set<string>(),
): string[] {
  if (seen.has(workflow.name)) return [];
  seen.add(workflow.name);
  const variables = passwordVariables(workflow);
  for (const node of workflow.workflow_nodes) {
    const target = node.unified_job_template;
    if (target?.type === 'job_template') {
      const template = bundle.job_templates.find((t) => t.name === target.name);
      if (template) variables.push(...passwordVariables(template));
    } else if (target?.type === 'workflow_job_template') {
      const nested = bundle.workflow_job_templates.find((w) => w.name === target.name);
      if (nested) variables.push(...reachablePasswordVariables(bundle, nested, seen));
    }
  }
  return variables;
}
