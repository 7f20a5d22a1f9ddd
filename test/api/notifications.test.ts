import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endedWorkflowJob, pendingApproval } from '../support/api-waits';
import { eventually } from '../support/eventually';
import { tempBundle } from '../support/files';
import { startHttpReceiver, type HttpReceiver } from '../support/http-receiver';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { localCatalog } from '../support/local-catalog';
import { storeContents } from '../support/stored-secrets';
import { openApiFixture, type ApiFixture } from './api-fixture';

type Obj = Record<string, unknown> & { id: number };
type Page = { count: number; results: Obj[] };
const V2 = '/api/v2';
const SLACK_TOKEN = 'xoxb-e2e-canary';

let api: ApiFixture;
let hook: HttpReceiver;
let failing: HttpReceiver;
let slackApi: HttpReceiver;
let smtp: SmtpReceiver;
let organization: number;
let templates: { hook: number; slack: number; mail: number; broken: number };
let flow: number;
let hello: number;

beforeAll(async () => {
  hook = await startHttpReceiver();
  failing = await startHttpReceiver(() => ({ status: 500 }));
  slackApi = await startHttpReceiver((request) => ({
    status: 200,
    body:
      request.headers.authorization === `Bearer ${SLACK_TOKEN}`
        ? { ok: true }
        : { ok: false, error: 'invalid_auth' },
  }));
  smtp = await startSmtpReceiver();
  const root = tempBundle({
    'demo/hello.yml':
      '- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.builtin.debug:\n        msg: hi\n',
  });
  api = await openApiFixture({ projectsRoot: root, slackApiUrl: `${slackApi.url}/api` });
  const catalog = await localCatalog(api);
  organization = catalog.organization;
  const template = (
    name: string,
    notification_type: string,
    notification_configuration: unknown,
    messages?: unknown,
  ) =>
    api.json<Obj>('POST', `${V2}/notification_templates/`, {
      name,
      organization,
      notification_type,
      notification_configuration,
      ...(messages ? { messages } : {}),
    });
  templates = {
    hook: (
      await template('Hook', 'webhook', { url: `${hook.url}/awx`, headers: { 'X-Source': 'towerless' } })
    ).id,
    slack: (
      await template(
        'Slack',
        'slack',
        { token: SLACK_TOKEN, channels: ['#ops'] },
        { workflow_approval: { running: { message: 'Review {{ approval_node_name }}' } } },
      )
    ).id,
    mail: (
      await template(
        'Mail',
        'email',
        {
          host: '127.0.0.1',
          port: smtp.port,
          username: '',
          password: '',
          use_tls: false,
          use_ssl: false,
          sender: 'towerless@example.com',
          recipients: ['ops@example.com'],
        },
        { success: { message: '{{ job.name }} #{{ job.id }} {{ job.status }} ({{ job.launch_type }})' } },
      )
    ).id,
    broken: (await template('Broken', 'webhook', { url: `${failing.url}/down`, headers: {} })).id,
  };
  hello = (
    await api.json<Obj>('POST', `${V2}/job_templates/`, {
      name: 'Hello',
      organization,
      project: catalog.project,
      inventory: catalog.inventory,
      playbook: 'hello.yml',
    })
  ).id;
  flow = (await api.json<Obj>('POST', `${V2}/workflow_job_templates/`, { name: 'Flow', organization })).id;
  const first = await api.json<Obj>('POST', `${V2}/workflow_job_templates/${flow}/workflow_nodes/`, {
    identifier: 'first',
    unified_job_template: hello,
  });
  const gate = await api.json<Obj>('POST', `${V2}/workflow_job_templates/${flow}/workflow_nodes/`, {
    identifier: 'gate',
  });
  await api.json('POST', `${V2}/workflow_job_template_nodes/${gate.id}/create_approval_template/`, {
    name: 'Gate',
    timeout: 0,
  });
  await api.json(
    'POST',
    `${V2}/workflow_job_template_nodes/${first.id}/success_nodes/`,
    { id: gate.id },
    204,
  );
  const associate = (path: string, list: string, id: number) =>
    api.json('POST', `${V2}/${path}/notification_templates_${list}/`, { id }, 204);
  await associate(`workflow_job_templates/${flow}`, 'started', templates.slack);
  await associate(`workflow_job_templates/${flow}`, 'success', templates.hook);
  await associate(`workflow_job_templates/${flow}`, 'success', templates.mail);
  await associate(`workflow_job_templates/${flow}`, 'success', templates.broken);
  await associate(`workflow_job_templates/${flow}`, 'approvals', templates.slack);
  await associate(`job_templates/${hello}`, 'success', templates.hook);
  // The organization's list adds to the workflow's.
  await associate(`organizations/${organization}`, 'error', templates.hook);
}, 60_000);

afterAll(async () => {
  await api?.close();
  await Promise.all([hook, failing, slackApi].map((receiver) => receiver?.close()));
  await smtp?.close();
});

describe('notifications of a served workflow', () => {
  it('tell of the workflow, its job and its approval as AWX does, and never hold up the workflow', async () => {
    const launched = await api.json<Obj>('POST', `${V2}/workflow_job_templates/${flow}/launch/`, {});
    const id = launched.id;
    const approval = await pendingApproval(api, id);
    await api.services.notifications.idle();
    await api.json('POST', `${V2}/workflow_approvals/${approval.id}/approve/`, {}, 204);
    const ended = await endedWorkflowJob(api, id, 60_000);
    expect(ended.status).toBe('successful');
    // The end is told once its record is written, so it may be queued after the API shows it:
    // wait for what it sends (the broken receiver's three attempts included), then for the rest.
    await Promise.all([slackApi.waitFor(3), hook.waitFor(2), failing.waitFor(3)]);
    await eventually(() => smtp.mails.length > 0, 10_000);
    await api.services.notifications.idle();

    // Slack: started (AWX's default message), the approval requested (custom, with link buttons), approved.
    const slack = slackApi.received.map((request) => JSON.parse(request.body));
    expect(slackApi.received.every((r) => r.path === '/api/chat.postMessage')).toBe(true);
    expect(slack.map((message) => message.text)).toEqual([
      `Workflow Job #${id} 'Flow' running: http://localhost/api/v2/workflow_jobs/${id}/`,
      'Review Gate',
      `The approval node "Gate" was approved. http://localhost/api/v2/workflow_jobs/${id}/`,
    ]);
    expect(slack[1].channel).toBe('ops');
    const buttons = slack[1].blocks[1].elements as { url: string; text: { text: string } }[];
    expect(buttons.map((button) => button.text.text)).toEqual(['Approve', 'Deny']);
    expect(buttons[0].url).toMatch(
      new RegExp(`^http://localhost/api/towerless/approval_links/${approval.id}/approve/\\?signature=`),
    );
    expect(buttons[1].url).toMatch(new RegExp(`/approval_links/${approval.id}/deny/`));

    // The webhook: the job template's success (the node's job), then the workflow's, as AWX's job data.
    const posted = hook.received.map((request) => JSON.parse(request.body));
    expect(hook.received.every((r) => r.headers['x-source'] === 'towerless' && r.method === 'POST')).toBe(
      true,
    );
    const jobData = posted.find((body) => body.name === 'Hello');
    expect(jobData).toMatchObject({
      status: 'successful',
      playbook: 'hello.yml',
      inventory: 'Local',
      project: 'Demo',
    });
    expect(jobData.hosts.localhost).toMatchObject({ ok: 1, failures: 0 });
    const workflowData = posted.find((body) => body.name === 'Flow');
    expect(workflowData).toMatchObject({
      id,
      status: 'successful',
      url: `http://localhost/api/v2/workflow_jobs/${id}/`,
    });
    expect(workflowData.body).toMatch(
      /^Workflow job summary:\n\n- node #\d+ spawns job #\d+, "Hello", which finished with status successful\./,
    );

    // Email: the custom subject, AWX's default body.
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0].recipients).toEqual(['ops@example.com']);
    expect(smtp.mails[0].subject).toBe(`Flow #${id} successful (manual)`);
    expect(smtp.mails[0].text).toContain(
      `Workflow Job #${id} had status successful, view details at http://localhost/api/v2/workflow_jobs/${id}/`,
    );

    // The broken receiver got three attempts; its notification failed, the workflow did not.
    expect(failing.received).toHaveLength(3);
    const broken = await api.json<Page>(
      'GET',
      `${V2}/notification_templates/${templates.broken}/notifications/`,
    );
    expect(broken.results).toEqual([
      expect.objectContaining({
        type: 'notification',
        notification_template: templates.broken,
        status: 'failed',
        error: 'Error sending webhook notification: 500',
        notifications_sent: 0,
        notification_type: 'webhook',
        recipients: `${failing.url}/down`,
      }),
    ]);

    // Per job: the workflow job's and the node job's notifications.
    const ofWorkflow = await api.json<Page>('GET', `${V2}/workflow_jobs/${id}/notifications/`);
    expect(ofWorkflow.results.map((n) => [n.notification_template, n.status]).sort()).toEqual(
      [
        [templates.broken, 'failed'],
        [templates.hook, 'successful'],
        [templates.mail, 'successful'],
        [templates.slack, 'successful'],
      ].sort(),
    );
    const mail = ofWorkflow.results.find((n) => n.notification_template === templates.mail)!;
    expect(mail).toMatchObject({
      subject: `Flow #${id} successful (manual)`,
      recipients: "['ops@example.com']",
      notifications_sent: 1,
    });
    const jobs = await api.json<Page>('GET', `${V2}/jobs/`);
    const job = jobs.results.find((j) => j.name === 'Hello')!;
    const ofJob = await api.json<Page>('GET', `${V2}/jobs/${job.id}/notifications/`);
    expect(ofJob.results.map((n) => n.notification_template)).toEqual([templates.hook]);
    const detail = await api.json<Obj>('GET', `${V2}/notifications/${ofJob.results[0].id}/`);
    expect(detail).toMatchObject({ status: 'successful', body: expect.objectContaining({ name: 'Hello' }) });
    expect(detail).not.toHaveProperty('subject');
    expect(await storeContents(api.session.table)).not.toContain(SLACK_TOKEN);
  }, 120_000);

  it("sends a test notification, answering 202 with AWX's body", async () => {
    const before = hook.received.length;
    const response = await api.call('POST', `${V2}/notification_templates/${templates.hook}/test/`);
    expect(response.status).toBe(202);
    const answer = (await response.json()) as Obj;
    expect(answer.notification).toBe(answer.id);
    expect(response.headers.get('location')).toBe(`/api/v2/notifications/${answer.id}/`);
    await api.services.notifications.idle();
    expect(JSON.parse(hook.received[before].body)).toEqual({
      body: `Test Notification ${templates.hook} http://localhost`,
    });
    const shown = await api.json<Obj>('GET', `${V2}/notifications/${answer.id}/`);
    expect(shown).toMatchObject({ status: 'successful', notifications_sent: 1 });
    const all = await api.json<Page>('GET', `${V2}/notifications/?status=failed`);
    expect(all.results.every((n) => n.status === 'failed')).toBe(true);
  });

  it("refuses bad templates with AWX's answers, whatever the route", async () => {
    const bad = async (path: string, body: unknown, expected: unknown) => {
      const response = await api.call('POST', path, body);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual(expected);
    };
    await bad(
      `${V2}/notification_templates/`,
      {
        name: 'No channel',
        organization,
        notification_type: 'slack',
        notification_configuration: { token: 'x' },
      },
      { non_field_errors: ["Missing required fields for Notification Configuration: ['channels']."] },
    );
    await bad(
      `${V2}/organizations/${organization}/notification_templates/`,
      {
        name: 'Bad port',
        notification_type: 'email',
        notification_configuration: {
          host: 'h',
          port: '25',
          username: '',
          password: '',
          use_tls: false,
          use_ssl: false,
          sender: 's@x',
          recipients: ['r@x'],
        },
      },
      { non_field_errors: ["Configuration field 'port' incorrect type, expected int."] },
    );
    await bad(
      `${V2}/workflow_job_templates/${flow}/notification_templates_error/`,
      {
        name: 'Bad message',
        organization,
        notification_type: 'webhook',
        notification_configuration: { url: 'https://h', headers: {} },
        messages: { error: { message: '{{ job.name }} {{ secret_of_yours }}' } },
      },
      { messages: ["Field 'secret_of_yours' unavailable"] },
    );
    const response = await api.call('PATCH', `${V2}/notification_templates/${templates.hook}/`, {
      notification_configuration: { url: `${hook.url}/awx`, headers: {}, http_method: 'GET' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      non_field_errors: ["HTTP method must be either 'POST' or 'PUT'."],
    });
  });
});
