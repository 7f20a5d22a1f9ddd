import { WORKFLOW_JOB_TEMPLATE } from '../../catalog/resources/templates';
import { definitionRoutes } from '../definition-routes';
import { addSurveySpecRoutes } from './survey-spec';

/** `/api/v2/workflow_job_templates/`: workflows, their survey, nodes and associations. */
export const workflowJobTemplates = definitionRoutes(WORKFLOW_JOB_TEMPLATE);
addSurveySpecRoutes(workflowJobTemplates, WORKFLOW_JOB_TEMPLATE);
