import { checkSurveyAnswers } from './survey-answers';
import { flagOf, isWorkflowPrompt, type PromptField, type PromptFlag } from './launch-prompts';
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

/** The prompted fields a workflow node carries (AWX's node also has labels, EEs, instance groups). */
export const NODE_PROMPT_FIELDS = [
  'inventory',
  'scm_branch',
  'job_type',
  'job_tags',
  'skip_tags',
  'limit',
  'diff_mode',
  'verbosity',
  'forks',
  'job_slice_count',
  'timeout',
  'credentials',
] as const satisfies readonly (keyof NodePrompts & PromptField)[];

type NodePromptField = (typeof NODE_PROMPT_FIELDS)[number];

/** Node prompt fields and the `ask_*_on_launch` flag each needs on a job template. */
export const JOB_TEMPLATE_PROMPTS: Readonly<Partial<Record<keyof NodePrompts, PromptFlag>>> =
  Object.fromEntries(NODE_PROMPT_FIELDS.map((field) => [field, flagOf(field)]));

/** A workflow job template can only carry these (docs/semantics.md §4.2). */
export const WORKFLOW_PROMPTS: Readonly<Partial<Record<keyof NodePrompts, PromptFlag>>> = Object.fromEntries(
  NODE_PROMPT_FIELDS.filter((field: NodePromptField) => isWorkflowPrompt(field)).map((field) => [
    field,
    flagOf(field),
  ]),
);
