import type { FieldReader } from '../field-reader';
import { readSurveySpec } from '../survey-spec';
import type { JobTemplate } from '../types';
import { JOB_TEMPLATE_PROMPT_FLAGS } from '../launch-prompts';
import { readBase, readFlags, readNotificationLists } from './common';

export function readJobTemplate(reader: FieldReader): JobTemplate {
  // Object.assign, not an object literal with several spreads: V8 builds those through a slow path
  // that made reading 100,000 templates take minutes.
  const template: JobTemplate = Object.assign(
    readBase(reader),
    readFlags(reader, JOB_TEMPLATE_PROMPT_FLAGS),
    readNotificationLists(reader),
    {
      job_type: reader.oneOf('job_type', ['run', 'check'] as const, 'run'),
      project: reader.nullableString('project'),
      playbook: reader.string('playbook'),
      inventory: reader.nullableString('inventory'),
      credentials: [...reader.strings('credentials'), ...reader.strings('credential')],
      scm_branch: reader.string('scm_branch'),
      extra_vars: reader.vars('extra_vars'),
      job_tags: reader.string('job_tags'),
      skip_tags: reader.string('skip_tags'),
      limit: reader.string('limit'),
      forks: reader.integer('forks'),
      verbosity: reader.integer('verbosity'),
      timeout: reader.integer('timeout'),
      become_enabled: reader.boolean('become_enabled'),
      diff_mode: reader.boolean('diff_mode'),
      job_slice_count: reader.integer('job_slice_count', 1, 1),
      allow_simultaneous: reader.boolean('allow_simultaneous'),
      survey_enabled: reader.boolean('survey_enabled'),
      survey_spec: readSurveySpec(reader),
      execution_environment: reader.nullableString('execution_environment'),
      instance_groups: reader.strings('instance_groups'),
    },
  );
  if (template.verbosity > 5) reader.fail('verbosity', template.verbosity, 'must be between 0 and 5');
  if (!template.playbook) reader.fail('playbook', '', 'is required');
  if (!template.project) reader.fail('project', null, 'is required');
  return template;
}
