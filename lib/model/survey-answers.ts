import { ENCRYPTED } from './survey-spec';
import type { SurveyQuestion, SurveySpec, Vars } from './types';

/**
 * Survey answer validation at launch (docs/semantics.md §6.2, `_survey_element_validation`), shared by
 * launches, schedules and node `extra_data` checks.
 */
export interface SurveyCheck {
  /** Answers that passed their question's validation. */
  readonly accepted: Vars;
  readonly errors: readonly string[];
}

export function checkSurveyAnswers(
  spec: SurveySpec,
  answers: Vars,
  options: { enforceRequired: boolean },
): SurveyCheck {
  const accepted: Vars = {};
  const errors: string[] = [];
  for (const question of spec.spec) {
    const present = Object.prototype.hasOwnProperty.call(answers, question.variable);
    const value = answers[question.variable];
    if (!present) {
      if (options.enforceRequired && question.required) errors.push(`'${question.variable}' value missing`);
      continue;
    }
    if (question.type === 'password' && value === ENCRYPTED && question.default !== undefined) {
      accepted[question.variable] = question.default;
      continue;
    }
    const problem = answerProblem(question, value);
    if (problem) errors.push(problem);
    else accepted[question.variable] = value;
  }
  return { accepted, errors };
}

/** The defaults AWX applies: non-null and valid for their own question (so multiselect defaults never apply). */
export function surveyDefaults(spec: SurveySpec): Vars {
  const defaults: Vars = {};
  for (const question of spec.spec) {
    if (question.default === undefined || question.default === null) continue;
    if (question.type === 'multiplechoice' && question.default === '') continue;
    if (!answerProblem(question, question.default)) defaults[question.variable] = question.default;
  }
  return defaults;
}

export function surveyVariables(spec: SurveySpec | null): Set<string> {
  return new Set(spec?.spec.map((q) => q.variable) ?? []);
}

function answerProblem(question: SurveyQuestion, value: unknown): string | undefined {
  const name = question.variable;
  const shown = JSON.stringify(question.type === 'password' ? '$encrypted$' : value);
  switch (question.type) {
    case 'text':
    case 'textarea':
    case 'password': {
      if (typeof value !== 'string') return `Value ${shown} for '${name}' expected to be a string.`;
      return boundsProblem(question, value.length, shown, 'length is ');
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value))
        return `Value ${shown} for '${name}' expected to be an integer.`;
      return boundsProblem(question, value, shown, '');
    case 'float':
      if (typeof value !== 'number') return `Value ${shown} for '${name}' expected to be a numeric type.`;
      return boundsProblem(question, value, shown, '');
    case 'multiplechoice':
      if (typeof value !== 'string' || !question.choices?.includes(value)) {
        return `Value ${shown} for '${name}' expected to be one of ${JSON.stringify(question.choices ?? [])}.`;
      }
      return undefined;
    case 'multiselect': {
      if (!Array.isArray(value)) return `'${name}' value ${shown} is not a list.`;
      const wrong = value.filter((v) => typeof v !== 'string' || !question.choices?.includes(v));
      return wrong.length > 0
        ? `Value ${JSON.stringify(wrong[0])} for '${name}' expected to be one of ${JSON.stringify(question.choices ?? [])}.`
        : undefined;
    }
  }
}

function boundsProblem(
  question: SurveyQuestion,
  measure: number,
  shown: string,
  unit: string,
): string | undefined {
  const { min, max, variable } = question;
  if (min !== undefined && min !== null && measure < min) {
    return `'${variable}' value ${shown} is too small (${unit}${measure} must be at least ${min}).`;
  }
  if (max !== undefined && max !== null && measure > max) {
    return `'${variable}' value ${shown} is too large (${unit}${measure} must be no more than ${max}).`;
  }
  return undefined;
}
