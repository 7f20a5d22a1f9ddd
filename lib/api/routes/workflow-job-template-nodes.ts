import { createApprovalTemplate } from '../../catalog/approval-templates';
import { WORKFLOW_APPROVAL_TEMPLATE, WORKFLOW_JOB_TEMPLATE_NODE } from '../../catalog/resources/templates';
import { jsonBody } from '../body';
import { definitionRoutes, definitionSerializer } from '../definition-routes';
import { readDefinitionBody } from '../definition-body';
import { requireAccess } from '../permissions';
import { resourceId } from './resource-id';

/**
 * `/api/v2/workflow_job_template_nodes/`: nodes, their edges (`success_nodes`... associations,
 * checked for cycles) and `create_approval_template`, which makes a node an approval node.
 */
export const workflowJobTemplateNodes = definitionRoutes(WORKFLOW_JOB_TEMPLATE_NODE).post(
  '/:id/create_approval_template/',
  async (c) => {
    const services = c.get('services');
    const node = await services.definitions.get(WORKFLOW_JOB_TEMPLATE_NODE, resourceId(c));
    await requireAccess(c, 'change', 'workflow_job_template_node', node);
    const values = readDefinitionBody(WORKFLOW_APPROVAL_TEMPLATE, await jsonBody(c));
    const template = await createApprovalTemplate(services.definitions, resourceId(c), values);
    return c.json(await definitionSerializer(WORKFLOW_APPROVAL_TEMPLATE, services)(template), 201);
  },
);
