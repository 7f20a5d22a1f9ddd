import { afterAll, describe, expect, it } from 'vitest';
import { InvalidError } from '../../lib/errors';
import { configurationProblems } from '../../lib/model/resources/notification-template';
import { checkNotificationTemplate } from '../../lib/notifications/validation';
import { TemplateSandbox } from '../../lib/notifications/sandbox';

const sandbox = new TemplateSandbox();
afterAll(() => sandbox.close());

async function problems(values: Record<string, unknown>, current?: Record<string, unknown>) {
  try {
    await checkNotificationTemplate(sandbox, values, current);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidError);
    return (error as InvalidError).fields;
  }
}

describe('configurationProblems', () => {
  it("names missing fields, wrong types and empty lists with AWX's words", () => {
    expect(configurationProblems('slack', {})).toEqual([
      "Missing required fields for Notification Configuration: ['token', 'channels'].",
    ]);
    expect(configurationProblems('slack', { token: 'x', channels: [] })).toEqual([
      "No values specified for field 'channels'",
    ]);
    expect(configurationProblems('email', { host: 'h', port: '25', recipients: 'a@b' })).toEqual([
      "Missing required fields for Notification Configuration: ['username', 'password', 'sender'].",
      "Configuration field 'port' incorrect type, expected int.",
      "Configuration field 'recipients' incorrect type, expected list.",
    ]);
    expect(configurationProblems('webhook', { url: 'http://h', headers: {}, http_method: 'GET' })).toEqual([
      "HTTP method must be either 'POST' or 'PUT'.",
    ]);
    expect(configurationProblems('webhook', { headers: {} })).toEqual([
      "Missing required fields for Notification Configuration: ['url'].",
    ]);
    expect(
      configurationProblems('mattermost', {
        mattermost_url: { secret: 'mm' },
        mattermost_no_verify_ssl: false,
      }),
    ).toEqual([]);
    expect(configurationProblems('slack', { webhook_url: 'https://hooks.slack.com/x' })).toEqual([]);
    // The AWX guide's email template: use_ssl left out, taken as false (AWX would refuse it).
    expect(
      configurationProblems('email', {
        host: 'smtp.example.com',
        port: 587,
        username: 'notifications@example.com',
        password: { secret: 'smtp' },
        sender: 'notifications@example.com',
        recipients: ['devops@example.com'],
        use_tls: true,
      }),
    ).toEqual([]);
  });
});

describe('checkNotificationTemplate', () => {
  it('answers as AWX: configuration problems as non_field_errors, message problems under messages', async () => {
    expect(
      await problems({ notification_type: 'slack', notification_configuration: { token: 't' } }),
    ).toEqual({
      non_field_errors: ["Missing required fields for Notification Configuration: ['channels']."],
    });
    expect(
      await problems({
        notification_type: 'slack',
        notification_configuration: { token: 't', channels: ['#a'] },
        messages: {
          started: { message: 'a\nb' },
          bogus: {},
          success: { subject: 'x', message: 5 },
          workflow_approval: { running: { message: '{{ job.id }}' }, later: null },
          error: { message: '{{ nope }}' },
        },
      }),
    ).toEqual({
      messages: [
        'Messages cannot contain newlines (found newline in started event)',
        "Event 'bogus' invalid, must be one of 'started', 'success', 'error', or 'workflow_approval'",
        "Message type 'subject' invalid, must be either 'message' or 'body'",
        "Expected string for 'message', found <class 'int'>, ",
        "Workflow Approval event 'later' invalid, must be one of 'running', 'approved', 'timed_out', or 'denied'",
        "Field 'nope' unavailable",
      ],
    });
    expect(await problems({ messages: 'x' }, { notification_type: 'email' })).toEqual({
      messages: ["Expected dict for 'messages' field, found <class 'str'>"],
    });
  });

  it('refuses a message that cannot be rendered, or runs for ever, without hanging', async () => {
    const found = await problems({
      notification_type: 'webhook',
      messages: { success: { message: '{% for %}', body: '{% for i in range(100000000) %}{% endfor %}' } },
    });
    expect(found?.messages).toEqual([
      expect.stringMatching(/^Unable to render message '\{% for %\}': /),
      expect.stringMatching(/^Unable to render message '\{% for i in range/),
      expect.stringMatching(
        /^Webhook body for 'success' is not valid\. The following gave an error \(.+\)\.$/,
      ),
    ]);
  });

  it('accepts good templates, and a patch that leaves the configuration alone', async () => {
    expect(
      await problems({
        notification_type: 'webhook',
        notification_configuration: { url: 'https://h', headers: {} },
        messages: { success: { message: '{{ job.name }}', body: '{"id": {{ job.id }}}' }, error: null },
      }),
    ).toBeUndefined();
    expect(await problems({ name: 'renamed' }, { notification_type: 'email' })).toBeUndefined();
  });
});
