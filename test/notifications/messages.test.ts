import { afterAll, describe, expect, it } from 'vitest';
import { buildMessage } from '../../lib/notifications/messages';
import { TemplateSandbox } from '../../lib/notifications/sandbox';

const sandbox = new TemplateSandbox();
afterAll(() => sandbox.close());

const jobContext = {
  job: { id: 7, name: 'Deploy', status: 'successful', launch_type: 'manual', extra_vars: { region: 'eu' } },
  job_friendly_name: 'Workflow Job',
  url: 'http://t/api/v2/workflow_jobs/7/',
  job_metadata: '{\n    "id": 7\n}',
};
const approvalContext = {
  approval_status: 'pending',
  approval_node_name: 'Gate',
  workflow_url: 'http://t/api/v2/workflow_jobs/7/',
  job_metadata: '{}',
  approve_url: 'http://t/a',
  deny_url: 'http://t/d',
};
const success = { approval: false, event: 'success' } as const;

describe('buildMessage', () => {
  it("uses AWX's default messages per type", async () => {
    expect(await buildMessage(sandbox, 'email', null, success, jobContext)).toEqual({
      subject: "Workflow Job #7 'Deploy' successful: http://t/api/v2/workflow_jobs/7/",
      body: 'Workflow Job #7 had status successful, view details at http://t/api/v2/workflow_jobs/7/\n\n{\n    "id": 7\n}',
    });
    expect(await buildMessage(sandbox, 'webhook', null, success, jobContext)).toEqual({
      subject: '',
      body: '{\n    "id": 7\n}',
    });
    const slack = await buildMessage(sandbox, 'slack', null, success, jobContext);
    expect(slack.subject).toBe("Workflow Job #7 'Deploy' successful: http://t/api/v2/workflow_jobs/7/");
    // AWX's text for a blank body (issue 13983), which chat types never send.
    expect(slack.body).toContain('The template rendering return a blank body.');
    expect(
      await buildMessage(sandbox, 'slack', null, { approval: true, event: 'running' }, approvalContext),
    ).toEqual({
      subject:
        'The approval node "Gate" needs review. This node can be viewed at: http://t/api/v2/workflow_jobs/7/',
      body: '',
    });
    expect(
      (await buildMessage(sandbox, 'webhook', null, { approval: true, event: 'denied' }, approvalContext))
        .body,
    ).toBe('{"body":"The approval node \\"Gate\\" was denied. http://t/api/v2/workflow_jobs/7/"}');
  });

  it('renders custom messages with job variables and approval links', async () => {
    const messages = {
      success: {
        message: '{{ job.name }} ok in {{ job.extra_vars.region }} ({{ job.launch_type }})',
        body: null,
      },
      workflow_approval: {
        running: { message: 'Review {{ approval_node_name }}: {{ approve_url }} / {{ deny_url }}' },
      },
    };
    expect((await buildMessage(sandbox, 'slack', messages, success, jobContext)).subject).toBe(
      'Deploy ok in eu (manual)',
    );
    expect(
      (await buildMessage(sandbox, 'slack', messages, { approval: true, event: 'running' }, approvalContext))
        .subject,
    ).toBe('Review Gate: http://t/a / http://t/d');
  });

  it('falls back to the default for a message that fails, runs too long or is too large', async () => {
    const fallback = "Workflow Job #7 'Deploy' successful: http://t/api/v2/workflow_jobs/7/";
    for (const message of ['{% for', '{% for i in range(100000000) %}x{% endfor %}', 'x'.repeat(70_000)])
      expect(
        (await buildMessage(sandbox, 'slack', { success: { message } }, success, jobContext)).subject,
      ).toBe(fallback);
  });
});
