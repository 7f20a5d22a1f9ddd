import type { FieldReader } from '../field-reader';
import type { Project } from '../types';
import { readBase } from './common';

export function readProject(reader: FieldReader): Project {
  const project: Project = {
    ...readBase(reader),
    scm_type: reader.oneOf('scm_type', ['', 'git', 'manual'] as const, '') === 'git' ? 'git' : '',
    scm_url: reader.string('scm_url'),
    scm_branch: reader.string('scm_branch'),
    scm_refspec: reader.string('scm_refspec'),
    scm_clean: reader.boolean('scm_clean'),
    scm_delete_on_update: reader.boolean('scm_delete_on_update'),
    scm_update_on_launch: reader.boolean('scm_update_on_launch'),
    scm_update_cache_timeout: reader.integer('scm_update_cache_timeout'),
    allow_override: reader.boolean('allow_override'),
    local_path: reader.string('local_path'),
    credential: reader.nullableString('credential'),
    default_environment: reader.nullableString('default_environment'),
  };
  if (project.scm_type === 'git' && project.scm_url === '')
    reader.fail('scm_url', '', 'is required when scm_type is git');
  if (project.scm_type === '' && project.local_path === '') {
    reader.fail(
      'local_path',
      '',
      "is required for a manual project (scm_type ''); or set scm_type: git and scm_url",
    );
  }
  return project;
}
