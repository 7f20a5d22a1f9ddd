import { isDeepStrictEqual } from 'node:util';
import { LAUNCH_PROMPTS } from '../model/launch-prompts';
import { checkSurveyAnswers } from '../model/survey-answers';
import type { Vars, WorkflowJobTemplate } from '../model/types';
import { parseExtraVars } from './launch-body';

/**
 * AWX's rules for what a workflow launch may set (`WorkflowJobTemplate._accept_or_ignore_job_kwargs`
 * with no exclusions; docs/semantics.md §4.4, §6.2). Unlike a job template launch, everything the
 * template does not prompt for is an error, not ignored.
 */
export interface LaunchValues {
  readonly extra_vars?: unknown;
  /** Resolved to the inventory's name. */
  readonly inventory?: string;
  readonly limit?: string;
  readonly scm_branch?: string;
  readonly job_tags?: string;
  readonly skip_tags?: string;
  /** Resolved labels. */
  readonly labels?: readonly { readonly id: number; readonly name: string }[];
}

export interface LaunchAcceptance {
  /** Accepted launch variables (valid survey answers, and the rest when variables are prompted). */
  readonly variables: Vars;
  /** Accepted prompted fields. */
  readonly fields: Omit<LaunchValues, 'extra_vars'>;
  /** AWX's 400 body: field → messages. Empty when the launch may go ahead. */
  readonly errors: Readonly<Record<string, string[]>>;
}

/** The prompts a workflow template has, in AWX's order (variables first). */
const WORKFLOW_PROMPTS = LAUNCH_PROMPTS.filter(
  (prompt): prompt is Extract<(typeof LAUNCH_PROMPTS)[number], { workflow: true }> => prompt.workflow,
);

const NOT_PROMPTED = 'Field is not configured to prompt on launch.';

export function acceptLaunch(workflow: WorkflowJobTemplate, values: LaunchValues): LaunchAcceptance {
  const errors: Record<string, string[]> = {};
  const fields: Record<string, unknown> = {};
  let variables: Vars = {};
  for (const { flag, field } of WORKFLOW_PROMPTS) {
    if (field === 'extra_vars') {
      variables = acceptVariables(workflow, values.extra_vars ?? {}, errors);
      continue;
    }
    const given = values[field];
    if (given === undefined) continue;
    // A value equal to the template's own is no change: neither accepted nor refused.
    if (isDeepStrictEqual(given, workflow[field as keyof WorkflowJobTemplate])) continue;
    if (workflow[flag]) fields[field] = given;
    else errors[field] = [NOT_PROMPTED];
  }
  return { variables, fields, errors };
}

/** AWX `_accept_or_ignore_variables`, with required survey answers enforced (an API launch). */
function acceptVariables(
  workflow: WorkflowJobTemplate,
  raw: unknown,
  errors: Record<string, string[]>,
): Vars {
  let given: Vars;
  try {
    given = parseExtraVars(raw);
  } catch (error) {
    errors.extra_vars = [(error as Error).message];
    return {};
  }
  const rest: Vars = { ...given };
  const accepted: Vars = {};
  const survey = workflow.survey_enabled ? workflow.survey_spec : null;
  if (survey) {
    const check = checkSurveyAnswers(survey, given, { enforceRequired: true });
    for (const { variable } of survey.spec) {
      delete rest[variable];
      if (variable in check.accepted) accepted[variable] = check.accepted[variable];
    }
    if (check.errors.length > 0) errors.variables_needed_to_start = [...check.errors];
  }
  if (workflow.ask_variables_on_launch) return { ...accepted, ...rest };
  // Keys whose value is the template's own are dropped without a word.
  const refused = Object.keys(rest).filter((key) => !isDeepStrictEqual(rest[key], workflow.extra_vars[key]));
  if (refused.length > 0)
    errors.extra_vars = [
      `Variables ${refused.join(', ')} are not allowed on launch. Check the Prompt on Launch setting on the Workflow Job Template to include Extra Variables.`,
    ];
  return accepted;
}
