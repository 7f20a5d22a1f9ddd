import type { Definition } from '../definition';
import { projectOrganization } from '../job-template-organization';
import { NAMED, NOTIFICATION_LISTS, ORGANIZATION, templateStatus } from './common';

export const PROJECT: Definition = {
  kind: 'project',
  type: 'project',
  path: 'projects',
  fields: {
    ...NAMED,
    organization: ORGANIZATION,
    scm_type: { type: 'string', choices: ['', 'git', 'svn', 'insights', 'archive'] },
    scm_url: { type: 'string', max: 1024 },
    scm_branch: { type: 'string', max: 256 },
    scm_refspec: { type: 'string', max: 1024 },
    scm_clean: { type: 'boolean', default: false },
    scm_track_submodules: { type: 'boolean', default: false },
    scm_delete_on_update: { type: 'boolean', default: false },
    scm_update_on_launch: { type: 'boolean', default: false },
    scm_update_cache_timeout: { type: 'integer', min: 0, default: 0 },
    allow_override: { type: 'boolean', default: false },
    local_path: { type: 'string', max: 1024 },
    credential: { type: 'reference', kinds: ['credential'] },
    signature_validation_credential: { type: 'reference', kinds: ['credential'] },
    default_environment: { type: 'reference', kinds: ['execution_environment'] },
    timeout: { type: 'integer', min: 0, default: 0 },
  },
  associations: NOTIFICATION_LISTS,
  saving: projectOrganization,
  computed: (record) => ({
    ...templateStatus(),
    scm_revision: record.scm_revision ?? '',
    last_update_failed: false,
    last_updated: null,
    custom_virtualenv: null,
  }),
  links: ['update', 'project_updates', 'playbooks', 'inventory_files', 'copy', 'activity_stream'],
  // Two projects never share a folder in AWX: a copy is given none.
  copy: { discard: ['local_path'] },
  children: {
    schedules: { kind: 'schedule', field: 'unified_job_template' },
  },
};
