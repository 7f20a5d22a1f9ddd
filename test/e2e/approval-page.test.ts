import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalApiServer, type LocalApiServer } from '../../lib/local/local-api-server';
import { openBrowser } from '../support/browser';
import { tempBundle } from '../support/files';
import { startHttpReceiver, type HttpReceiver } from '../support/http-receiver';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { localCatalog, type LocalCatalog } from '../support/local-catalog';

/**
 * The approval page in a real browser (Debian's Chromium): the approvers get an email (through a
 * real SMTP server on loopback) and a Slack message (through a stand-in of Slack's Web API) with
 * Approve and Deny buttons; a person opens one, clicks, and the workflow goes on to its next node;
 * the link then only says it was decided.
 */
type Obj = Record<string, unknown> & { id: number };
const V2 = '/api/v2';
let server: LocalApiServer;
let browser: Browser;
let token: string;
let catalog: LocalCatalog;
let smtp: SmtpReceiver;
let slack: HttpReceiver;
/** The approval notification templates every workflow here notifies. */
let approvers: number[];

async function json<T = Obj>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

async function until<T>(read: () => Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await read();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Gate → (on approval) Deploy, a real playbook run. */
async function gatedDeploy(name: string, timeout: number): Promise<Obj> {
  const deploy = await json('POST', `${V2}/job_templates/`, {
    name: `${name} deploy`,
    project: catalog.project,
    inventory: catalog.inventory,
    playbook: 'hello.yml',
  });
  const workflow = await json('POST', `${V2}/workflow_job_templates/`, {
    name,
    organization: catalog.organization,
  });
  const gate = await json('POST', `${V2}/workflow_job_templates/${workflow.id}/workflow_nodes/`, {
    identifier: 'gate',
  });
  await json('POST', `${V2}/workflow_job_template_nodes/${gate.id}/create_approval_template/`, {
    name: 'Ship it?',
    description: 'Production release',
    timeout,
  });
  const next = await json('POST', `${V2}/workflow_job_templates/${workflow.id}/workflow_nodes/`, {
    identifier: 'deploy',
    unified_job_template: deploy.id,
  });
  await json('POST', `${V2}/workflow_job_template_nodes/${gate.id}/success_nodes/`, { id: next.id });
  for (const id of approvers)
    await json('POST', `${V2}/workflow_job_templates/${workflow.id}/notification_templates_approvals/`, {
      id,
    });
  return workflow;
}

async function launchToGate(workflow: Obj): Promise<{ job: number; approval: number }> {
  const job = (await json('POST', `${V2}/workflow_job_templates/${workflow.id}/launch/`, {})).id;
  const approval = await until(async () => {
    const page = await json<{ results: Obj[] }>('GET', `${V2}/workflow_approvals/?status=pending`);
    return page.results.find(
      (a) => (a.summary_fields as { source_workflow_job: Obj }).source_workflow_job.id === job,
    )?.id;
  }, `an approval of workflow job ${job}`);
  return { job, approval };
}

const ended = (job: number) =>
  until(async () => {
    const record = await json('GET', `${V2}/workflow_jobs/${job}/`);
    return ['successful', 'failed', 'error', 'canceled'].includes(record.status as string)
      ? record
      : undefined;
  }, `workflow job ${job} to end`);

/** The Approve and Deny buttons of the email that asked for approval `approval`. */
async function emailedLinks(approval: number): Promise<{ approve: string; deny: string }> {
  const mail = await until(
    async () =>
      smtp.mails.find((m) => typeof m.html === 'string' && m.html.includes(`/approval_links/${approval}/`)),
    `the email of approval ${approval}`,
  );
  expect(mail.recipients).toEqual(['approvers@example.com']);
  const button = (label: string) =>
    new RegExp(`<a\\s+href="([^"]+)"[^>]*>\\s*${label}\\s*</a`)
      .exec(mail.html as string)![1]
      .replaceAll('&amp;', '&');
  return { approve: button('Approve'), deny: button('Deny') };
}

/** The Deny button's link of the Slack message that asked for approval `approval`. */
async function slackDenyLink(approval: number): Promise<string> {
  const request = await until(
    async () => slack.received.find((r) => r.body.includes(`/approval_links/${approval}/deny/`)),
    `the Slack message of approval ${approval}`,
  );
  expect(request.headers.authorization).toBe('Bearer xoxb-approvals');
  const message = JSON.parse(request.body) as {
    blocks: { elements?: { text: { text: string }; url: string }[] }[];
  };
  const buttons = message.blocks.flatMap((block) => block.elements ?? []);
  return buttons.find((button) => button.text.text === 'Deny')!.url;
}

beforeAll(async () => {
  const root = tempBundle({
    'demo/hello.yml': '- hosts: all\n  gather_facts: false\n  tasks: [{ping: {}}]\n',
  });
  smtp = await startSmtpReceiver();
  slack = await startHttpReceiver();
  server = await startLocalApiServer({
    data: join(mkdtempSync(join(tmpdir(), 'towerless-page-')), 'data'),
    host: '127.0.0.1',
    port: 0,
    projectsRoot: root,
    slackApiUrl: `${slack.url}/api`,
  });
  token = server.madeToken!;
  catalog = await localCatalog({ json }, 'demo');
  const notification = async (name: string, notification_type: string, notification_configuration: Obj) =>
    (
      await json('POST', `${V2}/notification_templates/`, {
        name,
        organization: catalog.organization,
        notification_type,
        notification_configuration,
      })
    ).id;
  approvers = [
    await notification('Approvers by email', 'email', {
      host: smtp.host,
      port: smtp.port,
      username: '',
      password: '',
      sender: 'towerless@example.com',
      recipients: ['approvers@example.com'],
      use_tls: false,
      use_ssl: false,
      timeout: 5,
    } as never),
    await notification('Approvers on Slack', 'slack', {
      token: 'xoxb-approvals',
      channels: ['#releases'],
    } as never),
  ];
  browser = await openBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await smtp?.close();
  await slack?.close();
});

describe('the approval page in Chromium', () => {
  it('approves with one click, the workflow runs its next node, and a second visit says it was decided', async () => {
    const { job, approval } = await launchToGate(await gatedDeploy('Browser release', 0));
    const page = await browser.newPage();
    const links = await emailedLinks(approval);
    const shown = await page.goto(links.approve);
    expect(shown!.status()).toBe(200);
    expect(await page.textContent('h1')).toBe('Ship it?');
    expect(await page.textContent('body')).toContain('Browser release');
    await page.click('button.approve');
    await page.waitForSelector('p.outcome');
    expect(await page.textContent('p.outcome')).toMatch(/Approved by someone with its approval link at /);
    const record = await ended(job);
    expect(record.status).toBe('successful');
    const nodes = await json<{ results: Obj[] }>('GET', `${V2}/workflow_jobs/${job}/workflow_nodes/`);
    expect(
      nodes.results.map((n) => [n.identifier, (n.summary_fields as { job?: Obj }).job?.status]).sort(),
    ).toEqual([
      ['deploy', 'successful'],
      ['gate', 'successful'],
    ]);

    // The same link clicked again, and its page's button pressed again (the Back button).
    const again = await page.goto(links.approve);
    expect(again!.status()).toBe(410);
    expect(await page.textContent('p.outcome')).toContain('This approval was already decided.');
    await page.close();
  });

  it('shows a clear page for a forged link (403) and an expired one (410)', async () => {
    const { job, approval } = await launchToGate(await gatedDeploy('Browser expiry', 2));
    const approve_url = (await emailedLinks(approval)).approve;
    const page = await browser.newPage();
    const forged = await page.goto(approve_url.replace(/signature=[^&]+/, 'signature=not-ours'));
    expect(forged!.status()).toBe(403);
    expect(await page.textContent('p.refusal')).toContain('This approval link is not valid');

    expect((await ended(job)).status).toBe('failed');
    const expired = await page.goto(approve_url);
    expect(expired!.status()).toBe(410);
    expect(await page.textContent('body')).toContain('It expired at');
    await page.close();
  });

  it('refuses the form posted after the approval was decided elsewhere', async () => {
    const { job, approval } = await launchToGate(await gatedDeploy('Browser race', 0));
    const page = await browser.newPage();
    await page.goto(await slackDenyLink(approval));
    await json('POST', `${V2}/workflow_approvals/${approval}/approve/`, {});
    await page.click('button.deny');
    await page.waitForSelector('p.outcome');
    expect(await page.textContent('p.outcome')).toMatch(/already decided\. Approved by admin at/);
    expect((await ended(job)).status).toBe('successful');
    await page.close();
  });
});
