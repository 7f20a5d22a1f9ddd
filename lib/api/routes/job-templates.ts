import { JOB_TEMPLATE } from '../../catalog/resources/templates';
import { definitionRoutes } from '../definition-routes';
import { addSurveySpecRoutes } from './survey-spec';

/** `/api/v2/job_templates/`: job templates, their survey and associations. */
export const jobTemplates = definitionRoutes(JOB_TEMPLATE);
addSurveySpecRoutes(jobTemplates, JOB_TEMPLATE);
