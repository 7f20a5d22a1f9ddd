import type { DefinitionRecord } from '../../catalog/definition';

type SurveySpec = { spec?: { required?: boolean; variable: string; default?: unknown }[] } | null;

/** The survey questions a launch must answer: required, enabled, and with no default. */
export function variablesNeededToStart(template: DefinitionRecord): string[] {
  const survey = template.survey_enabled ? (template.survey_spec as SurveySpec) : null;
  return (survey?.spec ?? [])
    .filter((question) => question.required && (question.default === undefined || question.default === ''))
    .map((question) => question.variable);
}
