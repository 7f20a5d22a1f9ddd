import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadBundle } from '../../lib/model';
import { checkSurveyAnswers, surveyDefaults } from '../../lib/model/survey-answers';
import type { SurveyQuestion, SurveySpec } from '../../lib/model/types';
import { tempBundle } from '../support/files';

function surveyErrors(spec: string): string[] {
  const yaml = `workflow_job_templates:\n  - name: W\n    survey_enabled: true\n    survey_spec:\n${spec.replace(/^/gm, '      ')}\n`;
  return loadBundle(tempBundle({ 'w.yml': yaml })).diagnostics.errors.map(formatDiagnostic);
}

const question = (fields: string) =>
  `name: S\ndescription: d\nspec:\n  - { question_name: Q, variable: v, required: false, ${fields} }`;

describe('docs/semantics.md §6.1 survey spec rules at save time', () => {
  it('accepts the guide survey', () => {
    expect(
      surveyErrors(
        'name: Deployment Parameters\ndescription: d\nspec:\n  - { question_name: V, variable: app_version, type: text, required: true, default: latest }\n  - { question_name: E, variable: target_env, type: multiplechoice, choices: [development, staging], required: true, default: staging }',
      ),
    ).toEqual([]);
  });
  it.each([
    [
      'name missing',
      'description: d\nspec: [{ question_name: Q, variable: v, type: text, required: true }]',
      "'name' missing",
    ],
    ['empty spec', 'name: S\ndescription: d\nspec: []', "'spec' doesn't contain any items"],
    ['unknown type', question('type: date'), "'date' in survey question 0 is not one of"],
    [
      'required not boolean',
      'name: S\ndescription: d\nspec:\n  - { question_name: Q, variable: v, type: text, required: "yes" }',
      "'required' missing or not a boolean",
    ],
    [
      'duplicate variable',
      'name: S\ndescription: d\nspec:\n  - { question_name: Q, variable: v, type: text, required: true }\n  - { question_name: R, variable: v, type: text, required: true }',
      "'variable' 'v' duplicated",
    ],
    ['non-string default for text', question('type: text, default: 5'), 'must be a string'],
    ['non-integer default for integer', question('type: integer, default: "5"'), 'must be an integer'],
    ['min not integer', question('type: integer, min: 1.5'), "'min' must be an integer or null"],
    ['multiplechoice without choices', question('type: multiplechoice'), "needs 'choices'"],
    [
      'default outside the choices',
      question('type: multiplechoice, choices: [a, b], default: c'),
      "default 'c' is not one of the choices",
    ],
    [
      'two multiplechoice defaults',
      question('type: multiplechoice, choices: "a\\nb", default: "a\\nb"'),
      'at most one default',
    ],
    ['$encrypted$ default', question('type: password, default: $encrypted$'), 'reserved keyword'],
  ])('refuses: %s', (_name, spec, message) => {
    expect(surveyErrors(spec).join('\n')).toContain(message);
  });
});

const spec = (questions: Partial<SurveyQuestion>[]): SurveySpec => ({
  name: 's',
  description: '',
  spec: questions.map(
    (q, i) =>
      ({
        question_name: `q${i}`,
        question_description: '',
        variable: `v${i}`,
        type: 'text',
        required: false,
        ...q,
      }) as SurveyQuestion,
  ),
});

describe('docs/semantics.md §6.2 answers (§11.18)', () => {
  it('a required answer must be present even if a default exists', () => {
    expect(
      checkSurveyAnswers(spec([{ required: true, default: 'x' }]), {}, { enforceRequired: true }).errors,
    ).toEqual(["'v0' value missing"]);
    expect(
      checkSurveyAnswers(spec([{ required: true }]), { v0: '' }, { enforceRequired: true }).errors,
    ).toEqual([]);
  });
  it('text length bounds are inclusive and max: 0 rejects every non-empty string', () => {
    const s = spec([{ min: 2, max: 3 }, { max: 0 }]);
    expect(checkSurveyAnswers(s, { v0: 'ab', v1: '' }, { enforceRequired: true }).errors).toEqual([]);
    expect(checkSurveyAnswers(s, { v0: 'a', v1: 'x' }, { enforceRequired: true }).errors).toHaveLength(2);
  });
  it('integers must be integers (no strings, no booleans), floats numbers', () => {
    const s = spec([{ type: 'integer', min: 1, max: 5 }, { type: 'float' }]);
    expect(checkSurveyAnswers(s, { v0: '3', v1: true }, { enforceRequired: true }).errors).toHaveLength(2);
    expect(checkSurveyAnswers(s, { v0: 6 }, { enforceRequired: true }).errors[0]).toContain('too large');
    expect(checkSurveyAnswers(s, { v0: 5, v1: 1.5 }, { enforceRequired: true }).errors).toEqual([]);
  });
  it('multiplechoice and multiselect answers must come from the choices', () => {
    const s = spec([
      { type: 'multiplechoice', choices: ['a', 'b'] },
      { type: 'multiselect', choices: ['a', 'b'] },
    ]);
    expect(checkSurveyAnswers(s, { v0: '', v1: ['a', 'c'] }, { enforceRequired: true }).errors).toHaveLength(
      2,
    );
    expect(checkSurveyAnswers(s, { v0: 'b', v1: [] }, { enforceRequired: true }).errors).toEqual([]);
  });
  it('password answer $encrypted$ means the default', () => {
    expect(
      checkSurveyAnswers(
        spec([{ type: 'password', required: true, default: 's3' }]),
        { v0: '$encrypted$' },
        { enforceRequired: true },
      ).accepted,
    ).toEqual({ v0: 's3' });
  });
  it('defaults apply only when valid; multiselect defaults never apply (AWX quirk)', () => {
    expect(
      surveyDefaults(
        spec([
          { default: 'ok' },
          { type: 'integer', max: 3, default: 9 },
          { type: 'multiselect', choices: ['a'], default: 'a' },
          { type: 'multiplechoice', choices: ['a'], default: '' },
        ]),
      ),
    ).toEqual({ v0: 'ok' });
  });
});
