import { checkSurveyAnswers } from './survey-answers';
import type { JobTemplate, NodePrompts, Vars, WorkflowJobTemplate } from './types';

type Prompted = Pick<
  JobTemplate | WorkflowJobTemplate,
  'ask_variables_on_launch' | 'survey_enabled' | 'survey_spec'
>;

export interface VariableAcceptance {
  readonly accepted: Vars;
  /** Keys refused: not prompted for, or an invalid survey answer (with the reason). */
  readonly refused: ReadonlyMap<string, string>;
}

/**
 * Which of `vars` a template accepts as prompted variables (AWX `_accept_or_ignore_variables`):
 * everything when it asks for variables; otherwise only valid answers to its enabled survey.
 */
export function acceptVariables(template: Prompted, vars: Vars): VariableAcceptance {
  if (template.ask_variables_on_launch) return { accepted: { ...vars }, refused: new Map() };
  const refused = new Map<string, string>();
  const survey = template.survey_enabled ? template.survey_spec : null;
  const surveyed: Vars = {};
  for (const [key, value] of Object.entries(vars)) {
    if (survey?.spec.some((q) => q.variable === key)) surveyed[key] = value;
    else refused.set(key, 'not a survey question and variables are not prompted on launch');
  }
  if (!survey) return { accepted: {}, refused };
  const check = checkSurveyAnswers(survey, surveyed, { enforceRequired: false });
  for (const key of Object.keys(surveyed)) {
    if (!(key in check.accepted))
      refused.set(key, check.errors.find((e) => e.includes(`'${key}'`)) ?? 'invalid survey answer');
  }
  return { accepted: check.accepted, refused };
}

/** Node prompt fields and the `ask_*_on_launch` flag each needs on a job template. */
export const JOB_TEMPLATE_PROMPTS: Readonly<Partial<Record<keyof NodePrompts, keyof JobTemplate>>> = {
  inventory: 'ask_inventory_on_launch',
  scm_branch: 'ask_scm_branch_on_launch',
  job_type: 'ask_job_type_on_launch',
  job_tags: 'ask_tags_on_launch',
  skip_tags: 'ask_skip_tags_on_launch',
  limit: 'ask_limit_on_launch',
  diff_mode: 'ask_diff_mode_on_launch',
  verbosity: 'ask_verbosity_on_launch',
  forks: 'ask_forks_on_launch',
  job_slice_count: 'ask_job_slice_count_on_launch',
  timeout: 'ask_timeout_on_launch',
  credentials: 'ask_credential_on_launch',
};

/** A workflow job template can only carry these (docs/semantics.md §4.2). */
export const WORKFLOW_PROMPTS: Readonly<Partial<Record<keyof NodePrompts, keyof WorkflowJobTemplate>>> = {
  inventory: 'ask_inventory_on_launch',
  scm_branch: 'ask_scm_branch_on_launch',
  job_tags: 'ask_tags_on_launch',
  skip_tags: 'ask_skip_tags_on_launch',
  limit: 'ask_limit_on_launch',
};
