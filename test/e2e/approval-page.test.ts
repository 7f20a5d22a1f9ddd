import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalApiServer, type LocalApiServer } from '../../lib/local/local-api-server';
import { openBrowser } from '../support/browser';
import { tempBundle } from '../support/files';
import { localCatalog, type LocalCatalog } from '../support/local-catalog';

/**
 * The approval page in a real browser (Debian's Chromium): a person opens the link, clicks
 * Approve, and the workflow goes on to its next node; the link then only says it was decided.
 */
type Obj = Record<string, unknown> & { id: number };
const V2 = '/api/v2';
let server: LocalApiServer;
let browser: Browser;
let token: string;
let catalog: LocalCatalog;

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

const linksOf = async (approval: number) =>
  server.services.approvalLinks.links((await server.services.jobs.getApproval(approval))!);

beforeAll(async () => {
  const root = tempBundle({
    'demo/hello.yml': '- hosts: all\n  gather_facts: false\n  tasks: [{ping: {}}]\n',
  });
  server = await startLocalApiServer({
    data: join(mkdtempSync(join(tmpdir(), 'towerless-page-')), 'data'),
    host: '127.0.0.1',
    port: 0,
    projectsRoot: root,
  });
  token = server.madeToken!;
  catalog = await localCatalog({ json }, 'demo');
  browser = await openBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the approval page in Chromium', () => {
  it('approves with one click, the workflow runs its next node, and a second visit says it was decided', async () => {
    const { job, approval } = await launchToGate(await gatedDeploy('Browser release', 0));
    const page = await browser.newPage();
    const shown = await page.goto((await linksOf(approval)).approve_url);
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
    const again = await page.goto((await linksOf(approval)).approve_url);
    expect(again!.status()).toBe(410);
    expect(await page.textContent('p.outcome')).toContain('This approval was already decided.');
    await page.close();
  });

  it('shows a clear page for a forged link (403) and an expired one (410)', async () => {
    const { job, approval } = await launchToGate(await gatedDeploy('Browser expiry', 2));
    const { approve_url } = await linksOf(approval);
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
    await page.goto((await linksOf(approval)).deny_url);
    await json('POST', `${V2}/workflow_approvals/${approval}/approve/`, {});
    await page.click('button.deny');
    await page.waitForSelector('p.outcome');
    expect(await page.textContent('p.outcome')).toMatch(/already decided\. Approved by admin at/);
    expect((await ended(job)).status).toBe('successful');
    await page.close();
  });
});
