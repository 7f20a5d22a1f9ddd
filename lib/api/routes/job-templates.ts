import { JOB_TEMPLATE } from '../../catalog/resources/templates';
import type { DefinitionRecord } from '../../catalog/definition';
import { JOB_TEMPLATE_PROMPT_FLAGS } from '../../model/launch-prompts';
import { definitionRoutes } from '../definition-routes';
import { variablesNeededToStart } from './launch-description';
import { addStandaloneRoute } from './standalone-launch';
import { addSurveySpecRoutes } from './survey-spec';

/**
 * `/api/v2/job_templates/`: job templates, their survey and associations, and launch (AWX's job
 * template launch rules, docs/semantics.md §4.4: what is not prompted is ignored; 201 with `job`).
 */
export const jobTemplates = definitionRoutes(JOB_TEMPLATE);
addSurveySpecRoutes(jobTemplates, JOB_TEMPLATE);
addStandaloneRoute(jobTemplates, JOB_TEMPLATE, {
  kind: 'job_template',
  path: 'launch',
  action: 'execute',
  status: 201,
  describe: (template) => describeLaunch(template as DefinitionRecord),
});

/** What `GET …/launch/` tells a client before it launches (AWX's JobLaunchSerializer). */
function describeLaunch(template: DefinitionRecord): Record<string, unknown> {
  const needed = variablesNeededToStart(template);
  const inventoryNeeded = template.inventory == null && template.ask_inventory_on_launch !== true;
  return {
    ...Object.fromEntries(JOB_TEMPLATE_PROMPT_FLAGS.map((flag) => [flag, template[flag] === true])),
    can_start_without_user_input: needed.length === 0 && !inventoryNeeded,
    passwords_needed_to_start: [],
    variables_needed_to_start: needed,
    survey_enabled: template.survey_enabled === true,
    credential_needed_to_start: false,
    inventory_needed_to_start: inventoryNeeded,
    job_template_data: { id: template.id, name: template.name, description: template.description },
    defaults: {
      extra_vars: template.extra_vars ?? '',
      diff_mode: template.diff_mode ?? false,
      limit: template.limit ?? '',
      job_tags: template.job_tags ?? '',
      skip_tags: template.skip_tags ?? '',
      job_type: template.job_type ?? 'run',
      verbosity: template.verbosity ?? 0,
      scm_branch: template.scm_branch ?? '',
      forks: template.forks ?? 0,
      timeout: template.timeout ?? 0,
      job_slice_count: template.job_slice_count ?? 1,
      inventory: { id: template.inventory ?? null },
      credentials: ((template.credentials as number[] | undefined) ?? []).map((id) => ({ id })),
    },
  };
}
