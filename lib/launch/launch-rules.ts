import { isDeepStrictEqual } from 'node:util';
import { LAUNCH_PROMPTS } from '../model/launch-prompts';
import { checkSurveyAnswers } from '../model/survey-answers';
import type { JobTemplate, Vars, WorkflowJobTemplate } from '../model/types';
import { parseExtraVars, type LaunchBody } from './launch-body';

/**
 * AWX's rules for what a launch may set (`_accept_or_ignore_job_kwargs`; docs/semantics.md §4.4,
 * §6.2). A workflow launch is strict: everything its template does not prompt for is an error. A
 * job template launch ignores such fields instead (AWX excludes the "prompts" errors there) and
 * says which in `ignored_fields`, unless it is a saved launch (a schedule), strict as a workflow
 * launch; survey answers are enforced on all.
 */
export type LaunchValues = Omit<LaunchBody, 'inventory' | 'labels' | 'credentials'> & {
  /** Resolved to the inventory's name. */
  readonly inventory?: string;
  /** Resolved labels. */
  readonly labels?: readonly { readonly id: number; readonly name: string }[];
  /** Resolved to the credentials' names (a job template's launch only). */
  readonly credentials?: readonly string[];
};

export interface LaunchAcceptance {
  /** Accepted launch variables (valid survey answers, and the rest when variables are prompted). */
  readonly variables: Vars;
  /** Accepted prompted fields. */
  readonly fields: Omit<LaunchValues, 'extra_vars'>;
  /** Fields a job template launch ignored, with what was given (the variables it did not take). */
  readonly ignored: Readonly<Record<string, unknown>>;
  /** AWX's 400 body: field → messages. Empty when the launch may go ahead. */
  readonly errors: Readonly<Record<string, string[]>>;
}

/** What is launched, and how strictly its launch is read. */
export type Launchable =
  | { readonly kind: 'workflow_job_template'; readonly template: WorkflowJobTemplate }
  | { readonly kind: 'job_template'; readonly template: JobTemplate };

const PROMPTS = {
  workflow_job_template: LAUNCH_PROMPTS.filter((prompt) => prompt.workflow),
  job_template: LAUNCH_PROMPTS,
};
const LABELS = { workflow_job_template: 'Workflow Job Template', job_template: 'Job Template' };

const NOT_PROMPTED = 'Field is not configured to prompt on launch.';

export function acceptLaunch(
  launchable: Launchable,
  values: LaunchValues,
  options: { readonly saved?: boolean } = {},
): LaunchAcceptance {
  const template = launchable.template as unknown as Readonly<Record<string, unknown>>;
  const strict = options.saved === true || launchable.kind === 'workflow_job_template';
  const errors: Record<string, string[]> = {};
  const ignored: Record<string, unknown> = {};
  const fields: Record<string, unknown> = {};
  let variables: Vars = {};
  for (const { flag, field } of PROMPTS[launchable.kind]) {
    if (field === 'extra_vars') {
      const accepted = acceptVariables(launchable, values.extra_vars ?? {}, errors);
      variables = accepted.variables;
      if (Object.keys(accepted.refused).length > 0) {
        if (strict)
          errors.extra_vars = [
            `Variables ${Object.keys(accepted.refused).join(', ')} are not allowed on launch. Check the Prompt on Launch setting on the ${LABELS[launchable.kind]} to include Extra Variables.`,
          ];
        else ignored.extra_vars = accepted.refused;
      }
      continue;
    }
    const given = values[field as keyof LaunchValues];
    if (given === undefined) continue;
    // A value equal to the template's own is no change: neither accepted nor refused.
    if (sameValue(given, template[field])) continue;
    if (template[flag]) fields[field] = given;
    else if (strict) errors[field] = [NOT_PROMPTED];
    else ignored[field] = given;
  }
  return { variables, fields, ignored, errors };
}

function sameValue(given: unknown, own: unknown): boolean {
  // Credentials are a set: the template's, named, in any order.
  if (Array.isArray(given) && Array.isArray(own) && given.every((item) => typeof item === 'string'))
    return isDeepStrictEqual([...given].sort(), [...own].sort());
  return isDeepStrictEqual(given, own);
}

/** AWX `_accept_or_ignore_variables`, with required survey answers enforced (an API launch). */
function acceptVariables(
  { template }: Launchable,
  raw: unknown,
  errors: Record<string, string[]>,
): { variables: Vars; refused: Vars } {
  let given: Vars;
  try {
    given = parseExtraVars(raw);
  } catch (error) {
    errors.extra_vars = [(error as Error).message];
    return { variables: {}, refused: {} };
  }
  const rest: Vars = { ...given };
  const accepted: Vars = {};
  const survey = template.survey_enabled ? template.survey_spec : null;
  if (survey) {
    const check = checkSurveyAnswers(survey, given, { enforceRequired: true });
    for (const { variable } of survey.spec) {
      delete rest[variable];
      if (variable in check.accepted) accepted[variable] = check.accepted[variable];
    }
    if (check.errors.length > 0) errors.variables_needed_to_start = [...check.errors];
  }
  if (template.ask_variables_on_launch) return { variables: { ...accepted, ...rest }, refused: {} };
  // Keys whose value is the template's own are dropped without a word.
  const refused = Object.fromEntries(
    Object.entries(rest).filter(([key, value]) => !isDeepStrictEqual(value, template.extra_vars[key])),
  );
  return { variables: accepted, refused };
}
