import type { FieldReader } from './field-reader';
import type { SurveyQuestion, SurveyQuestionType, SurveySpec } from './types';

export const SURVEY_TYPES: readonly SurveyQuestionType[] = [
  'text',
  'textarea',
  'password',
  'integer',
  'float',
  'multiplechoice',
  'multiselect',
];

const STRING_DEFAULT_TYPES = new Set<SurveyQuestionType>([
  'text',
  'textarea',
  'password',
  'multiplechoice',
  'multiselect',
]);
export const ENCRYPTED = '$encrypted$';

/**
 * Reads `survey_spec` with AWX's save-time rules (docs/semantics.md §6.1,
 * `JobTemplateSurveySpec._validate_spec_data`). Returns null when absent or empty.
 */
export function readSurveySpec(reader: FieldReader): SurveySpec | null {
  const raw = reader.value('survey_spec');
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'object' && !Array.isArray(raw) && Object.keys(raw).length === 0) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    reader.fail('survey_spec', raw, 'must be a mapping with name, description and spec');
    return null;
  }
  const spec = reader.child(raw as Record<string, unknown>, 'survey_spec.');
  for (const key of ['name', 'description'] as const) {
    if (typeof spec.raw[key] !== 'string')
      spec.fail(key, spec.raw[key], `'${key}' missing from survey spec (must be a string)`);
  }
  const name = spec.string('name');
  const description = spec.string('description');
  const items = spec.value('spec');
  spec.finish();
  if (!Array.isArray(items)) {
    spec.fail('spec', items, "'spec' must be a list of items");
    return null;
  }
  if (items.length === 0) {
    spec.fail('spec', items, "'spec' doesn't contain any items");
    return null;
  }
  const questions: SurveyQuestion[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      spec.fail('spec', item, `survey question ${index} is not a mapping`);
      return;
    }
    const question = readQuestion(spec.child(item as Record<string, unknown>, `spec[${index}].`), index);
    if (!question) return;
    if (seen.has(question.variable)) {
      spec.fail(
        `spec`,
        question.variable,
        `'variable' '${question.variable}' duplicated in survey question ${index}`,
      );
      return;
    }
    seen.add(question.variable);
    questions.push(question);
  });
  return { name, description, spec: questions };
}

function readQuestion(q: FieldReader, index: number): SurveyQuestion | undefined {
  let valid = true;
  const invalid = (field: string, message: string) => {
    q.fail(field, q.raw[field], message);
    valid = false;
  };
  for (const key of ['question_name', 'variable', 'type'] as const) {
    if (typeof q.raw[key] !== 'string' || q.raw[key] === '')
      invalid(key, `'${key}' missing from survey question ${index}`);
  }
  if (typeof q.raw.required !== 'boolean')
    invalid('required', `'required' missing or not a boolean in survey question ${index}`);
  const type = q.string('type') as SurveyQuestionType;
  if (q.raw.type && !SURVEY_TYPES.includes(type)) {
    invalid('type', `'${type}' in survey question ${index} is not one of ${SURVEY_TYPES.join(', ')}`);
  }
  for (const bound of ['min', 'max'] as const) {
    const value = q.raw[bound];
    if (value !== undefined && value !== null && !Number.isInteger(value)) {
      invalid(bound, `'${bound}' must be an integer or null in survey question ${index}`);
    }
  }
  const choices = readChoices(q, type, index, invalid);
  const fallback = q.raw.default;
  if (fallback !== undefined && fallback !== null && fallback !== '') {
    checkDefault(type, fallback, choices, index, (message) => invalid('default', message));
  }
  const question: SurveyQuestion = {
    question_name: q.string('question_name'),
    question_description: q.string('question_description'),
    variable: q.string('variable'),
    type,
    required: q.value('required') === true,
    ...(fallback !== undefined ? { default: q.value('default') } : {}),
    min: (q.value('min') as number | null | undefined) ?? null,
    max: (q.value('max') as number | null | undefined) ?? null,
    ...(choices ? { choices } : {}),
  };
  // Keys AWX keeps without reading them: the UI's `new_question`, and `index`, which AWX's own
  // API tests and the awx.awx collection's send.
  q.ignore('new_question', 'index', 'choices');
  q.finish();
  return valid ? question : undefined;
}

function readChoices(
  q: FieldReader,
  type: SurveyQuestionType,
  index: number,
  invalid: (field: string, message: string) => void,
): string[] | undefined {
  if (type !== 'multiplechoice' && type !== 'multiselect') return undefined;
  const raw = q.raw.choices;
  const list = typeof raw === 'string' ? raw.split('\n') : Array.isArray(raw) ? raw.map(String) : undefined;
  const choices = list?.map((c) => c.trim()).filter((c) => c !== '');
  if (!choices || choices.length === 0) {
    invalid(
      'choices',
      `survey question ${index} of type ${type} needs 'choices' (a list or newline-separated string)`,
    );
    return undefined;
  }
  return choices;
}

function checkDefault(
  type: SurveyQuestionType,
  value: unknown,
  choices: string[] | undefined,
  index: number,
  invalid: (message: string) => void,
): void {
  if (value === ENCRYPTED) {
    invalid(
      `'$encrypted$' is a reserved keyword and may not be used as a default in survey question ${index}`,
    );
    return;
  }
  if (STRING_DEFAULT_TYPES.has(type) && typeof value !== 'string') {
    invalid(`default value for survey question ${index} of type ${type} must be a string`);
    return;
  }
  if (type === 'integer' && !Number.isInteger(value)) {
    invalid(`default value for survey question ${index} of type integer must be an integer`);
    return;
  }
  if (type === 'float' && (typeof value !== 'number' || typeof value === 'boolean')) {
    invalid(`default value for survey question ${index} of type float must be a number`);
    return;
  }
  if (!choices) return;
  const defaults =
    type === 'multiselect'
      ? String(value)
          .split('\n')
          .filter((v) => v !== '')
      : [String(value)];
  if (type === 'multiplechoice' && String(value).includes('\n')) {
    invalid(`multiplechoice survey question ${index} allows at most one default`);
    return;
  }
  const unknown = defaults.filter((d) => !choices.includes(d));
  if (unknown.length > 0)
    invalid(
      `default ${unknown.map((u) => `'${u}'`).join(', ')} is not one of the choices of survey question ${index}`,
    );
}
