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
    const missing = options.enforceRequired && question.required;
    if (question.type === 'password' && value === ENCRYPTED) {
      // `$encrypted$` stands for the default; without one it is no answer.
      if (question.default !== undefined && question.default !== null)
        accepted[question.variable] = question.default;
      else if (missing) errors.push(`'${question.variable}' value missing`);
      continue;
    }
    if (!present) {
      if (missing) errors.push(`'${question.variable}' value missing`);
      continue;
    }
    const problems = answerProblems(question, value);
    if (problems.length > 0) errors.push(...problems);
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
    if (answerProblems(question, question.default).length === 0)
      defaults[question.variable] = question.default;
  }
  return defaults;
}

export function surveyVariables(spec: SurveySpec | null): Set<string> {
  return new Set(spec?.spec.map((q) => q.variable) ?? []);
}

/**
 * AWX's words for a wrong answer (`_survey_element_validation`), values shown as Python prints
 * them; except a password's value, which is never shown (`$encrypted$` instead).
 */
function answerProblems(question: SurveyQuestion, value: unknown): string[] {
  const name = question.variable;
  const shown = question.type === 'password' ? ENCRYPTED : pythonText(value);
  const choices = pythonText(question.choices ?? []);
  switch (question.type) {
    case 'text':
    case 'textarea':
    case 'password':
      if (typeof value !== 'string') return [`Value ${shown} for '${name}' expected to be a string.`];
      return boundsProblems(question, value.length, shown, 'length is ');
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value))
        return [`Value ${shown} for '${name}' expected to be an integer.`];
      return boundsProblems(question, value, shown);
    case 'float':
      if (typeof value !== 'number') return [`Value ${shown} for '${name}' expected to be a numeric type.`];
      return boundsProblems(question, value, shown);
    case 'multiplechoice':
      return typeof value === 'string' && question.choices?.includes(value)
        ? []
        : [`Value ${shown} for '${name}' expected to be one of ${choices}.`];
    case 'multiselect':
      if (!Array.isArray(value)) return [`'${name}' value is expected to be a list.`];
      return value
        .filter((v) => typeof v !== 'string' || !question.choices?.includes(v))
        .map((v) => `Value ${pythonText(v)} for '${name}' expected to be one of ${choices}.`);
  }
}

/** AWX names the length only when a text is too short. */
function boundsProblems(question: SurveyQuestion, measure: number, shown: string, length = ''): string[] {
  const { min, max, variable } = question;
  const problems: string[] = [];
  if (min !== undefined && min !== null && measure < min)
    problems.push(
      `'${variable}' value ${shown} is too small (${length ? `${length}${measure} ` : ''}must be at least ${min}).`,
    );
  if (max !== undefined && max !== null && measure > max)
    problems.push(`'${variable}' value ${shown} is too large (must be no more than ${max}).`);
  return problems;
}

/** A value as Python's `%s` prints it: AWX's messages are formatted that way. */
function pythonText(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const escaped = value.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`);
    return `${quote}${escaped}${quote}`;
  }
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value)
      .map(([key, item]) => `${pythonRepr(key)}: ${pythonRepr(item)}`)
      .join(', ')}}`;
  return String(value);
}
