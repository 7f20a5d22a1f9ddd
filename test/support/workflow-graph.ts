import type { WorkflowJobTemplate } from '../../lib/model';

/**
 * A workflow as AWX holds it, for comparing what a definition format reads with what AWX would
 * hold: one line per node, its kind and template, the ALL flag, then its edges by kind.
 */
export function workflowGraph(workflow: WorkflowJobTemplate): string[] {
  return workflow.workflow_nodes.map((node) => {
    const runs = node.approval
      ? `approval '${node.approval.name}' (${node.approval.timeout}s)`
      : `${node.unified_job_template?.type} '${node.unified_job_template?.name}'`;
    const edges = (['success', 'failure', 'always'] as const)
      .map((kind) => [kind, node[`${kind}_nodes`]] as const)
      .filter(([, targets]) => targets.length > 0)
      .map(([kind, targets]) => ` ${kind}: ${targets.join(', ')}`);
    return `${node.identifier}: ${runs}${node.all_parents_must_converge ? ' ALL' : ''}${edges.join(';')}`;
  });
}

/** The bundle's workflow job template of that name; an error naming those it has when none is. */
export function workflowNamed(
  bundle: { readonly workflow_job_templates: readonly WorkflowJobTemplate[] },
  name: string,
): WorkflowJobTemplate {
  const found = bundle.workflow_job_templates.find((workflow) => workflow.name === name);
  if (!found)
    throw new Error(`no workflow '${name}': ${bundle.workflow_job_templates.map((w) => w.name).join(', ')}`);
  return found;
}
