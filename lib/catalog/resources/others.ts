import { InvalidError } from '../../errors';
import { readInstanceGroup } from '../../model/resources/instance-group';
import { Recurrence } from '../../schedules/occurrences';
import { scheduleTimes } from '../../schedules/schedule-times';
import type { Definition } from '../definition';
import { readWithModel } from '../model-check';
import { shownSecrets } from '../shown-secrets';
import { NAMED, ORGANIZATION, UNIFIED_JOB_TEMPLATE_KINDS } from './common';

export const ORGANIZATION_DEFINITION: Definition = {
  kind: 'organization',
  type: 'organization',
  path: 'organizations',
  fields: {
    ...NAMED,
    max_hosts: { type: 'integer', min: 0, default: 0 },
    default_environment: { type: 'reference', kinds: ['execution_environment'] },
  },
  associations: {
    instance_groups: 'instance_group',
    galaxy_credentials: 'credential',
    notification_templates_started: 'notification_template',
    notification_templates_success: 'notification_template',
    notification_templates_error: 'notification_template',
    notification_templates_approvals: 'notification_template',
  },
  links: ['users', 'admins', 'access_list', 'activity_stream'],
  children: {
    teams: { kind: 'team', field: 'organization' },
    projects: { kind: 'project', field: 'organization' },
    inventories: { kind: 'inventory', field: 'organization' },
    job_templates: { kind: 'job_template', field: 'organization' },
    workflow_job_templates: { kind: 'workflow_job_template', field: 'organization' },
    credentials: { kind: 'credential', field: 'organization' },
    notification_templates: { kind: 'notification_template', field: 'organization' },
    execution_environments: { kind: 'execution_environment', field: 'organization' },
  },
};

export const LABEL: Definition = {
  kind: 'label',
  type: 'label',
  path: 'labels',
  fields: { name: NAMED.name, organization: { ...ORGANIZATION, required: true } },
};

export const NOTIFICATION_TEMPLATE: Definition = {
  kind: 'notification_template',
  type: 'notification_template',
  path: 'notification_templates',
  fields: {
    ...NAMED,
    organization: { ...ORGANIZATION, required: true },
    notification_type: {
      type: 'string',
      required: true,
      choices: [
        'email',
        'grafana',
        'irc',
        'mattermost',
        'pagerduty',
        'rocketchat',
        'slack',
        'twilio',
        'webhook',
        'awssns',
      ],
    },
    notification_configuration: { type: 'object' },
    messages: { type: 'object', nullable: true },
  },
  computed: (record) => ({ notification_configuration: shownSecrets(record.notification_configuration) }),
  links: ['test', 'notifications', 'copy'],
};

export const SCHEDULE: Definition = {
  kind: 'schedule',
  type: 'schedule',
  path: 'schedules',
  fields: {
    ...NAMED,
    rrule: { type: 'string', required: true },
    unified_job_template: { type: 'reference', kinds: UNIFIED_JOB_TEMPLATE_KINDS, required: true },
    enabled: { type: 'boolean', default: true },
    extra_data: { type: 'object' },
    inventory: { type: 'reference', kinds: ['inventory'] },
    scm_branch: { type: 'string' },
    job_type: { type: 'string', choices: ['', 'run', 'check'] },
    job_tags: { type: 'string' },
    skip_tags: { type: 'string' },
    limit: { type: 'string' },
    diff_mode: { type: 'boolean', default: false },
    verbosity: { type: 'integer', min: 0, max: 5, default: null },
    forks: { type: 'integer', min: 0, default: null },
    job_slice_count: { type: 'integer', min: 0, default: null },
    timeout: { type: 'integer', default: null },
    execution_environment: { type: 'reference', kinds: ['execution_environment'] },
  },
  associations: { credentials: 'credential', labels: 'label', instance_groups: 'instance_group' },
  // AWX's rrule rules (400 `{"rrule": [...]}`), whatever the route; a missing INTERVAL is
  // accepted (docs/schedules.md, Validation).
  saving: async (_definitions, values) => {
    if (typeof values.rrule === 'string') Recurrence.parse(values.rrule);
    return values;
  },
  computed: (record) => ({
    ...scheduleTimes(String(record.rrule), record.enabled !== false),
    extra_data: shownSecrets(record.extra_data),
  }),
};

export const EXECUTION_ENVIRONMENT: Definition = {
  kind: 'execution_environment',
  type: 'execution_environment',
  path: 'execution_environments',
  fields: {
    ...NAMED,
    organization: ORGANIZATION,
    image: { type: 'string', required: true, max: 1024 },
    credential: { type: 'reference', kinds: ['credential'] },
    pull: { type: 'string', choices: ['', 'always', 'missing', 'never'] },
  },
  // AWX's own image for its project updates is `managed`: shown, never set through the API.
  computed: (record) => ({ managed: record.managed === true }),
  locked: (record, action) =>
    record.managed && action === 'delete' ? 'You do not have permission to perform this action.' : undefined,
  links: ['copy', 'activity_stream'],
};

export const INSTANCE_GROUP: Definition = {
  kind: 'instance_group',
  type: 'instance_group',
  path: 'instance_groups',
  fields: {
    name: NAMED.name,
    max_concurrent_jobs: { type: 'integer', min: 0, default: 0 },
    max_forks: { type: 'integer', min: 0, default: 0 },
    policy_instance_percentage: { type: 'integer', min: 0, max: 100, default: 0 },
    policy_instance_minimum: { type: 'integer', min: 0, default: 0 },
    is_container_group: { type: 'boolean', default: false },
    credential: { type: 'reference', kinds: ['credential'] },
    pod_spec_override: { type: 'string' },
  },
  // The pod spec a launch would refuse is refused as it is saved, by the model's own rules, in
  // AWX's 400 (`{"pod_spec_override": [...]}`).
  saving: async (_definitions, values, current) => {
    const { errors } = readWithModel({ ...current, ...values }, 'instance group', readInstanceGroup);
    if (errors.pod_spec_override)
      throw new InvalidError(`pod_spec_override: ${errors.pod_spec_override.join('; ')}`, {
        pod_spec_override: errors.pod_spec_override,
      });
    return values;
  },
};

export const TEAM: Definition = {
  kind: 'team',
  type: 'team',
  path: 'teams',
  fields: { ...NAMED, organization: { ...ORGANIZATION, required: true } },
  links: ['users', 'roles', 'object_roles', 'access_list', 'activity_stream'],
};
