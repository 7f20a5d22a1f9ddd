import { InvalidError } from '../errors';
import { configurationProblems, type NotificationType } from '../model/resources/notification-template';
import { isMapping } from './configuration';
import type { TemplateSandbox } from './sandbox';

/**
 * AWX's checks of a notification template when it is saved (NotificationTemplateSerializer's
 * `validate` and `validate_messages`, awx/api/serializers.py), with its messages: a
 * configuration missing a field its type needs, or holding a value of the wrong type, is
 * refused as `{"non_field_errors": [...]}`; messages of the wrong shape, or that cannot be
 * rendered, as `{"messages": [...]}` (docs/notifications.md "Types and fields").
 */
export async function checkNotificationTemplate(
  sandbox: TemplateSandbox,
  values: Readonly<Record<string, unknown>>,
  current: Readonly<Record<string, unknown>> | undefined,
): Promise<void> {
  const type = (values.notification_type ?? current?.notification_type) as NotificationType;
  const configurationErrors =
    'notification_configuration' in values
      ? configurationProblems(type, values.notification_configuration)
      : [];
  if (configurationErrors.length > 0)
    throw new InvalidError('invalid notification configuration', { non_field_errors: configurationErrors });
  const messageErrors = 'messages' in values ? await messageProblems(sandbox, type, values.messages) : [];
  if (messageErrors.length > 0)
    throw new InvalidError('invalid notification messages', { messages: messageErrors });
}

const EVENTS = ['started', 'success', 'error', 'workflow_approval'];
const APPROVAL_EVENTS = ['running', 'approved', 'timed_out', 'denied'];

/** AWX's words for the problems of `messages`, each message rendered against AWX's sample job. */
export async function messageProblems(
  sandbox: TemplateSandbox,
  type: NotificationType,
  messages: unknown,
): Promise<string[]> {
  if (messages === null || messages === undefined) return [];
  const problems: string[] = [];
  const collected: string[] = [];
  const checkMessages = (event: string, entry: Record<string, unknown>) => {
    for (const [part, message] of Object.entries(entry)) {
      if (part !== 'message' && part !== 'body') {
        problems.push(`Message type '${part}' invalid, must be either 'message' or 'body'`);
        continue;
      }
      if (message === null) continue;
      if (typeof message !== 'string') {
        problems.push(`Expected string for '${part}', found ${pythonType(message)}, `);
        continue;
      }
      if (part === 'message' && message.includes('\n')) {
        problems.push(`Messages cannot contain newlines (found newline in ${event} event)`);
        continue;
      }
      collected.push(message);
    }
  };
  if (!isMapping(messages)) {
    problems.push(`Expected dict for 'messages' field, found ${pythonType(messages)}`);
    return problems;
  }
  for (const [event, entry] of Object.entries(messages)) {
    if (!EVENTS.includes(event)) {
      problems.push(
        `Event '${event}' invalid, must be one of 'started', 'success', 'error', or 'workflow_approval'`,
      );
      continue;
    }
    if (entry === null) continue;
    if (!isMapping(entry)) {
      problems.push(`Expected dict for event '${event}', found ${pythonType(entry)}`);
      continue;
    }
    if (event !== 'workflow_approval') {
      checkMessages(event, entry);
      continue;
    }
    for (const [subevent, subentry] of Object.entries(entry)) {
      if (!APPROVAL_EVENTS.includes(subevent)) {
        problems.push(
          `Workflow Approval event '${subevent}' invalid, must be one of 'running', 'approved', 'timed_out', or 'denied'`,
        );
        continue;
      }
      if (subentry === null) continue;
      if (!isMapping(subentry)) {
        problems.push(
          `Expected dict for workflow approval event '${subevent}', found ${pythonType(subentry)}`,
        );
        continue;
      }
      checkMessages(event, subentry);
    }
  }
  for (const message of collected) {
    const result = await sandbox.render(message, CONTEXT_STUB, { strict: true });
    if ('error' in result)
      problems.push(
        result.error.startsWith('Field ')
          ? result.error
          : `Unable to render message '${message}': ${result.error}`,
      );
  }
  if (type === 'webhook')
    for (const [event, entry] of Object.entries(messages)) {
      const body = isMapping(entry) ? entry.body : undefined;
      if (typeof body !== 'string' || body === '') continue;
      const result = await sandbox.render(body, CONTEXT_STUB, { strict: true });
      if ('error' in result)
        problems.push(
          `Webhook body for '${event}' is not valid. The following gave an error (${result.error}).`,
        );
    }
  return problems;
}

/**
 * AWX's JobNotificationMixin.context_stub(): a sample job messages are rendered against when
 * saved, so a message naming a field no job has is refused then, not silently blank later.
 * Towerless adds `job.extra_vars` and an approval's `approve_url` and `deny_url`.
 */
const CONTEXT_STUB: Record<string, unknown> = {
  job: {
    allow_simultaneous: false,
    artifacts: {},
    controller_node: 'foo_controller',
    created: '2018-11-13T06:04:00+00:00',
    custom_virtualenv: 'my_venv',
    description: 'Sample job description',
    diff_mode: false,
    elapsed: 0.403018,
    execution_node: 'awx',
    extra_vars: {},
    failed: false,
    finished: false,
    force_handlers: false,
    forks: 0,
    host_status_counts: {
      skipped: 1,
      ok: 5,
      changed: 3,
      failures: 0,
      dark: 0,
      failed: false,
      processed: 0,
      rescued: 0,
    },
    id: 42,
    job_explanation: 'Sample job explanation',
    job_slice_count: 1,
    job_slice_number: 0,
    job_tags: '',
    job_type: 'run',
    launch_type: 'workflow',
    limit: 'bar_limit',
    modified: '2018-12-13T06:04:00+00:00',
    name: 'Stub JobTemplate',
    playbook: 'ping.yml',
    scm_branch: '',
    scm_revision: '',
    skip_tags: '',
    start_at_task: '',
    started: '2019-07-29T17:38:14.137461Z',
    status: 'running',
    summary_fields: {
      created_by: { first_name: '', id: 1, last_name: '', username: 'admin' },
      instance_group: { id: 1, name: 'tower' },
      inventory: {
        description: 'Sample inventory description',
        id: 17,
        name: 'Stub Inventory',
        organization_id: 121,
      },
      job_template: { description: 'Sample job template description', id: 39, name: 'Stub JobTemplate' },
      labels: { count: 0, results: [] },
      project: {
        description: 'Sample project description',
        id: 38,
        name: 'Stub project',
        scm_type: 'git',
        status: 'successful',
      },
      unified_job_template: {
        description: 'Sample unified job template description',
        id: 39,
        name: 'Stub Job Template',
        unified_job_type: 'job',
      },
    },
    timeout: 0,
    type: 'job',
    url: '/api/v2/jobs/13/',
    use_fact_cache: false,
    verbosity: 0,
  },
  job_friendly_name: 'Job',
  url: 'https://towerless.example.com/api/v2/jobs/1010/',
  approval_status: 'approved',
  approval_node_name: 'Approve Me',
  workflow_url: 'https://towerless.example.com/api/v2/workflow_jobs/1010/',
  approve_url: 'https://towerless.example.com/api/towerless/approval_links/1/approve/',
  deny_url: 'https://towerless.example.com/api/towerless/approval_links/1/deny/',
  job_metadata: JSON.stringify({ id: 42, name: 'Stub Job Template', status: 'running' }, null, 4),
};

/** How Python names a value's type in AWX's messages (`<class 'int'>`). */
function pythonType(value: unknown): string {
  const name =
    value === null
      ? 'NoneType'
      : Array.isArray(value)
        ? 'list'
        : typeof value === 'number'
          ? Number.isInteger(value)
            ? 'int'
            : 'float'
          : typeof value === 'boolean'
            ? 'bool'
            : typeof value === 'string'
              ? 'str'
              : 'dict';
  return `<class '${name}'>`;
}
