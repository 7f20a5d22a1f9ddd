import { isMapping } from './configuration';
import type { ApprovalEvent, JobEvent } from './events';
import type { MessageContext } from './job-data';
import type { NotificationType } from '../model/resources/notification-template';
import type { TemplateSandbox } from './sandbox';

/** A message and body template, as a notification template's `messages` gives them per event. */
export interface EventMessages {
  readonly message?: string | null;
  readonly body?: string | null;
}

interface TypeMessages {
  readonly jobs: EventMessages;
  readonly approvals: Readonly<Record<ApprovalEvent, EventMessages>>;
}

/** AWX's CustomNotificationBase texts (awx/main/notifications/custom_notification_base.py). */
const DEFAULT_MSG = "{{ job_friendly_name }} #{{ job.id }} '{{ job.name }}' {{ job.status }}: {{ url }}";
const DEFAULT_BODY =
  '{{ job_friendly_name }} #{{ job.id }} had status {{ job.status }}, view details at {{ url }}\n\n{{ job_metadata }}';
const APPROVAL_MESSAGES: Readonly<Record<ApprovalEvent, string>> = {
  running:
    'The approval node "{{ approval_node_name }}" needs review. This node can be viewed at: {{ workflow_url }}',
  approved: 'The approval node "{{ approval_node_name }}" was approved. {{ workflow_url }}',
  timed_out: 'The approval node "{{ approval_node_name }}" has timed out. {{ workflow_url }}',
  denied: 'The approval node "{{ approval_node_name }}" was denied. {{ workflow_url }}',
};
/** Email's approval bodies differ from its message in one word for `running`, as AWX's do. */
const APPROVAL_BODIES: Readonly<Record<ApprovalEvent, string>> = {
  ...APPROVAL_MESSAGES,
  running:
    'The approval node "{{ approval_node_name }}" needs review. This approval node can be viewed at: {{ workflow_url }}',
};
const JOB_METADATA = '{{ job_metadata }}';

function approvals(entry: (event: ApprovalEvent) => EventMessages): TypeMessages['approvals'] {
  return {
    running: entry('running'),
    approved: entry('approved'),
    timed_out: entry('timed_out'),
    denied: entry('denied'),
  };
}

/** A message only (chat backends: AWX's CustomNotificationBase.default_messages). */
const MESSAGE_ONLY: TypeMessages = {
  jobs: { message: DEFAULT_MSG },
  approvals: approvals((event) => ({ message: APPROVAL_MESSAGES[event] })),
};

/** A body only, the job's data as JSON (AWX's job_metadata_messages: webhook, awssns). */
const JOB_METADATA_ONLY: TypeMessages = {
  jobs: { body: JOB_METADATA },
  approvals: approvals((event) => ({ body: JSON.stringify({ body: APPROVAL_MESSAGES[event] }) })),
};

/** Each type's default messages (its backend's `default_messages` in AWX). */
const DEFAULT_MESSAGES: Readonly<Record<NotificationType, TypeMessages>> = {
  email: {
    jobs: { message: DEFAULT_MSG, body: DEFAULT_BODY },
    approvals: approvals((event) => ({
      message: APPROVAL_MESSAGES[event],
      body: `${APPROVAL_BODIES[event]}\n\n${JOB_METADATA}`,
    })),
  },
  slack: MESSAGE_ONLY,
  mattermost: MESSAGE_ONLY,
  rocketchat: MESSAGE_ONLY,
  irc: MESSAGE_ONLY,
  twilio: MESSAGE_ONLY,
  webhook: JOB_METADATA_ONLY,
  awssns: JOB_METADATA_ONLY,
  pagerduty: { ...MESSAGE_ONLY, jobs: { message: DEFAULT_MSG, body: JOB_METADATA } },
  grafana: { ...MESSAGE_ONLY, jobs: { message: DEFAULT_MSG, body: JOB_METADATA } },
};

/** AWX's body when a job's body renders blank (awx/main/models/notifications.py, issue 13983). */
const BLANK_BODY = [
  'The template rendering return a blank body.',
  'Please check the template.',
  'Refer to https://github.com/ansible/awx/issues/13983',
  'for further information.',
].join('\r\n');

export type MessageEvent =
  | { readonly approval: false; readonly event: JobEvent }
  | { readonly approval: true; readonly event: ApprovalEvent };

/** The notification's subject (AWX's `msg`) and body, rendered. */
export interface BuiltMessage {
  readonly subject: string;
  readonly body: string;
}

/**
 * Builds a notification's subject and body as AWX's build_notification_message does: the
 * template's custom message or body for the event when it has one, else the type's default.
 * A custom template that cannot be rendered (a syntax error, over the time or size limit)
 * falls back to the default, so a notification always says something true.
 */
export async function buildMessage(
  sandbox: TemplateSandbox,
  type: NotificationType,
  messages: unknown,
  which: MessageEvent,
  context: MessageContext,
): Promise<BuiltMessage> {
  const defaults = which.approval
    ? DEFAULT_MESSAGES[type].approvals[which.event]
    : DEFAULT_MESSAGES[type].jobs;
  const custom = customMessages(messages, which);
  const render = async (part: 'message' | 'body') => {
    const template = custom[part];
    if (typeof template === 'string' && template !== '') {
      const result = await sandbox.render(template, context);
      if ('text' in result) return result.text;
    }
    const fallback = defaults[part];
    if (!fallback) return '';
    const result = await sandbox.render(fallback, context);
    return 'text' in result ? result.text : '';
  };
  const subject = await render('message');
  const body = await render('body');
  return { subject, body: !which.approval && body.trim() === '' ? BLANK_BODY : body };
}

/** The template's own messages for the event (`messages.<event>`, `messages.workflow_approval.<event>`). */
function customMessages(messages: unknown, which: MessageEvent): EventMessages {
  const entry = (parent: unknown, key: string): unknown =>
    isMapping(parent) && Object.hasOwn(parent, key) ? parent[key] : undefined;
  const found = which.approval
    ? entry(entry(messages, 'workflow_approval'), which.event)
    : entry(messages, which.event);
  return isMapping(found) ? (found as EventMessages) : {};
}
