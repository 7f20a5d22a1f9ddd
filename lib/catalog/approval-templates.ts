import type { DefinitionRecord } from './definition';
import type { DefinitionCatalog } from './definitions';
import { WORKFLOW_APPROVAL_TEMPLATE, WORKFLOW_JOB_TEMPLATE_NODE } from './resources/templates';

/**
 * `create_approval_template`: makes the node an approval node, with a new approval template as
 * what it runs (an approval template belongs to its one node).
 */
export async function createApprovalTemplate(
  definitions: DefinitionCatalog,
  nodeId: number,
  values: Record<string, unknown>,
): Promise<DefinitionRecord> {
  await definitions.get(WORKFLOW_JOB_TEMPLATE_NODE, nodeId);
  const template = await definitions.create(WORKFLOW_APPROVAL_TEMPLATE, values);
  await definitions.update(WORKFLOW_JOB_TEMPLATE_NODE, nodeId, { unified_job_template: template.id });
  return template;
}
