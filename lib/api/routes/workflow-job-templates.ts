import { WORKFLOW_JOB_TEMPLATE } from '../../catalog/resources/templates';
import { WORKFLOW_PROMPT_FLAGS } from '../../model/launch-prompts';
import { actorOf } from '../actor';
import { jsonBody } from '../body';
import { definitionRoutes } from '../definition-routes';
import { requireAccess } from '../permissions';
import { JobSerializer } from '../serializers/jobs';
import { addSurveySpecRoutes } from './survey-spec';
import { resourceId } from './resource-id';
import { variablesNeededToStart } from './launch-description';

/**
 * `/api/v2/workflow_job_templates/`: workflows, their survey, nodes and associations, and launch
 * (AWX's launch rules, docs/semantics.md §4.4, §6, §7: 201 with `workflow_job`, or AWX's 400).
 */
export const workflowJobTemplates = definitionRoutes(WORKFLOW_JOB_TEMPLATE)
  .get('/:id/launch/', async (c) => {
    const { definitions } = c.get('services');
    const template = await definitions.get(WORKFLOW_JOB_TEMPLATE, resourceId(c));
    await requireAccess(c, 'read', 'workflow_job_template', template);
    const needed = variablesNeededToStart(template);
    return c.json({
      ...Object.fromEntries(WORKFLOW_PROMPT_FLAGS.map((flag) => [flag, template[flag] === true])),
      can_start_without_user_input: needed.length === 0,
      variables_needed_to_start: needed,
      survey_enabled: template.survey_enabled === true,
      defaults: {
        extra_vars: template.extra_vars ?? '',
        limit: template.limit ?? '',
        scm_branch: template.scm_branch ?? '',
        job_tags: template.job_tags ?? '',
        skip_tags: template.skip_tags ?? '',
      },
      node_templates_missing: [],
      node_prompts_rejected: [],
      workflow_job_template_data: { id: template.id, name: template.name, description: template.description },
    });
  })
  .post('/:id/launch/', async (c) => {
    const services = c.get('services');
    const id = resourceId(c);
    await requireAccess(
      c,
      'execute',
      'workflow_job_template',
      await services.definitions.get(WORKFLOW_JOB_TEMPLATE, id),
    );
    const job = await services.launcher.launch(id, await jsonBody(c), actorOf(c.get('user')));
    const shown = await new JobSerializer(services.jobs, services.catalog).workflowJob(job);
    return c.json({ workflow_job: job.id, ignored_fields: {}, ...shown }, 201, {
      Location: shown.url as string,
    });
  });
addSurveySpecRoutes(workflowJobTemplates, WORKFLOW_JOB_TEMPLATE);
