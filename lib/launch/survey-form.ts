import { ENCRYPTED } from '../model/survey-spec';
import type { SurveyQuestion, Vars, WorkflowJobTemplate } from '../model/types';

/**
 * What AWX's launch form posts for a person (docs/semantics.md §13.7): the form shows each
 * question with its default filled in, so a required question left alone is answered with its
 * default. `towerless run` launches this way; the API takes the body as posted.
 */
export function withSurveyDefaults(workflow: WorkflowJobTemplate, vars: Vars): Vars {
  const survey = workflow.survey_enabled ? workflow.survey_spec : null;
  const filled: Vars = {};
  for (const question of survey?.spec ?? []) {
    const hasDefault = question.default !== undefined && question.default !== null && question.default !== '';
    if (question.required && hasDefault && !(question.variable in vars))
      filled[question.variable] = formValue(question);
  }
  return { ...filled, ...vars };
}

/** A default as the form holds it: passwords as `$encrypted$`, multiselect choices as a list. */
function formValue(question: SurveyQuestion): unknown {
  if (question.type === 'password') return ENCRYPTED;
  if (question.type === 'multiselect' && typeof question.default === 'string')
    return question.default.split('\n').filter((choice) => choice.trim() !== '');
  return question.default;
}
