import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApprovalLinks } from '../../lib/approvals/approval-links';
import { endedWorkflowJob, pendingApproval } from '../support/api-waits';
import { openApiFixture, type ApiFixture } from './api-fixture';

/** The pages signed approval links open: show on GET, decide on a POST of their form, refuse the rest. */
let api: ApiFixture;
type Obj = Record<string, unknown> & { id: number };
const V2 = '/api/v2';

/** A workflow that waits at one approval node, with a survey password among its launch variables. */
async function gatedWorkflow(name: string, timeout = 0): Promise<Obj> {
  const org = (await api.json<{ results: Obj[] }>('GET', `${V2}/organizations/?name=Default`)).results[0];
  const workflow = await api.json<Obj>('POST', `${V2}/workflow_job_templates/`, {
    name,
    organization: org.id,
    survey_enabled: true,
  });
  await api.json(
    'POST',
    `${V2}/workflow_job_templates/${workflow.id}/survey_spec/`,
    {
      name: '',
      description: '',
      spec: [
        { question_name: 'Release', variable: 'release', type: 'text', required: false, default: '2.4.1' },
        {
          question_name: 'Token',
          variable: 'deploy_token',
          type: 'password',
          required: false,
          default: 's3cr3t-tok',
        },
      ],
    },
    200,
  );
  const gate = await api.json<Obj>('POST', `${V2}/workflow_job_templates/${workflow.id}/workflow_nodes/`, {
    identifier: 'gate',
  });
  await api.json('POST', `${V2}/workflow_job_template_nodes/${gate.id}/create_approval_template/`, {
    name: 'Deploy to production?',
    description: 'Release <b>2.4.1</b> to prod',
    timeout,
  });
  return workflow;
}

async function launchToGate(workflow: Obj): Promise<{ job: number; approval: Obj }> {
  const job = await api.json<Obj>('POST', `${V2}/workflow_job_templates/${workflow.id}/launch/`, {});
  return { job: job.id, approval: await pendingApproval(api, job.id) };
}

const record = async (id: number) => (await api.services.jobs.getApproval(id))!;

/** Opens a link as a browser would: the page, and the cookie it set. */
async function open(url: string): Promise<{ response: Response; page: string; cookie: string }> {
  const response = await api.api.request(url);
  const page = await response.text();
  const cookie = (response.headers.get('Set-Cookie') ?? '').split(';')[0];
  return { response, page, cookie };
}

function formOf(page: string, decision: 'approve' | 'deny'): { action: string; csrf: string } {
  const form = new RegExp(
    `<form method="post" action="([^"]+/${decision}/[^"]*)">\\s*<input type="hidden" name="csrf" value="([^"]+)"`,
  ).exec(page);
  if (!form) throw new Error(`no ${decision} form in the page`);
  return { action: form[1].replaceAll('&amp;', '&'), csrf: form[2] };
}

function post(action: string, fields: Record<string, string>, cookie?: string) {
  return api.api.request(action, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: new URLSearchParams(fields).toString(),
  });
}

beforeAll(async () => {
  api = await openApiFixture();
});
afterAll(() => api.close());

describe('approval links', () => {
  it('show the approval on GET, decide nothing then, and approve on a POST of the form', async () => {
    const { job, approval } = await launchToGate(await gatedWorkflow('Release'));
    const links = await api.services.approvalLinks.links(await record(approval.id));
    expect(links.approve_url).toMatch(
      new RegExp(`^http://localhost/api/towerless/approval_links/${approval.id}/approve/\\?signature=`),
    );

    // Opened twice (a mail scanner, then the person): still pending.
    await open(links.approve_url);
    const { response, page, cookie } = await open(links.approve_url);
    expect(response.status).toBe(200);
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(response.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(cookie).toMatch(/^towerless_approval_csrf=/);
    expect(page).toContain('Deploy to production?');
    expect(page).toContain('Release &lt;b&gt;2.4.1&lt;/b&gt; to prod');
    expect(page).toContain('Release (job');
    expect(page).toContain('admin');
    expect(page).toContain('2.4.1');
    expect(page).toContain('$encrypted$');
    expect(page).not.toContain('s3cr3t-tok');
    expect((await record(approval.id)).status).toBe('pending');

    const form = formOf(page, 'approve');
    const decided = await post(form.action, { csrf: form.csrf }, cookie);
    expect(decided.status).toBe(200);
    expect(await decided.text()).toMatch(/Approved by someone with its approval link at \d{4}-/);
    expect(await endedWorkflowJob(api, job)).toMatchObject({ status: 'successful' });
    expect(await record(approval.id)).toMatchObject({
      status: 'approved',
      decided_by: null,
      decided_via: 'link',
    });

    // The activity stream has the decision, by no user, without the task token.
    const entries = await api.json<{ results: Obj[] }>(
      'GET',
      `${V2}/activity_stream/?object1=workflow_approval`,
    );
    const entry = entries.results.find(
      (e) => (e.summary_fields as { workflow_approval: Obj[] }).workflow_approval[0].id === approval.id,
    );
    expect(entry).toMatchObject({ operation: 'update', changes: { status: ['pending', 'successful'] } });
    expect(JSON.stringify(entry)).not.toContain('task_token');
    expect(JSON.stringify(entries)).not.toContain('local:');

    // A second click, on either link: already decided, and says by whom.
    const again = await open(links.deny_url);
    expect(again.response.status).toBe(410);
    expect(again.page).toContain(
      'This approval was already decided. Approved by someone with its approval link',
    );
    expect((await post(form.action, { csrf: form.csrf }, cookie)).status).toBe(410);
  });

  it('deny through the Deny form, and the workflow takes the failure path', async () => {
    const { job, approval } = await launchToGate(await gatedWorkflow('Denied release'));
    const { approve_url } = await api.services.approvalLinks.links(await record(approval.id));
    const { page, cookie } = await open(approve_url);
    const form = formOf(page, 'deny');
    expect((await post(form.action, { csrf: form.csrf }, cookie)).status).toBe(200);
    expect(await endedWorkflowJob(api, job)).toMatchObject({ status: 'failed' });
    expect((await record(approval.id)).status).toBe('denied');
  });

  it('refuse a forged or altered link with 403, and a form without its cookie with 403', async () => {
    const { job, approval } = await launchToGate(await gatedWorkflow('Forgeries'));
    const { approve_url, deny_url } = await api.services.approvalLinks.links(await record(approval.id));
    const approveSignature = new URL(approve_url).searchParams.get('signature')!;
    const forgeries = [
      approve_url.replace(/signature=[^&]+/, 'signature=AAAA'),
      approve_url.replace(/signature=[^&]+/, ''),
      // The approve link's signature on the deny path, or on another approval.
      deny_url.replace(/signature=[^&]+/, `signature=${approveSignature}`),
      approve_url.replace(`/${approval.id}/`, `/${approval.id + 1}/`),
      // Signed by another server's key.
      new ApprovalLinks(Buffer.alloc(32, 7), () => 'http://localhost').url(
        await record(approval.id),
        'approve',
      ),
    ];
    for (const url of forgeries) {
      const { response, page } = await open(url);
      expect(response.status, url).toBe(403);
      expect(page).toContain('This approval link is not valid');
    }

    const { page, cookie } = await open(approve_url);
    const form = formOf(page, 'approve');
    const refused = [
      await post(form.action, { csrf: form.csrf }),
      await post(form.action, {}, cookie),
      await post(form.action, { csrf: form.csrf }, 'towerless_approval_csrf=another-visitor'),
      await post(form.action.replace(/signature=[^&]+/, 'signature=AAAA'), { csrf: form.csrf }, cookie),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect((await record(approval.id)).status).toBe('pending');

    await api.json('POST', `${V2}/workflow_jobs/${job}/cancel/`, {}, 202);
    await endedWorkflowJob(api, job);
  });

  it('refuse a link whose approval expired with 410, and an unknown approval with 404', async () => {
    const { job, approval } = await launchToGate(await gatedWorkflow('Expiring', 1));
    const { approve_url } = await api.services.approvalLinks.links(await record(approval.id));
    expect(approve_url).toMatch(/\?expires=\d+&signature=/);
    expect(await endedWorkflowJob(api, job)).toMatchObject({ status: 'failed' });
    const { response, page } = await open(approve_url);
    expect(response.status).toBe(410);
    expect(page).toContain('It expired at');

    const signedForNothing = api.services.approvalLinks.url({ id: 999_999, expires: null }, 'approve');
    expect((await open(signedForNothing)).response.status).toBe(404);
    expect((await open('/api/towerless/approval_links/1/maybe/?signature=x')).response.status).toBe(404);
  });

  it('refuse a link whose expiry was pushed back', async () => {
    const links = api.services.approvalLinks;
    const approval = { id: 5, expires: new Date(Date.now() + 60_000).toISOString() };
    const url = new URL(links.url(approval, 'approve'));
    const query = Object.fromEntries(url.searchParams) as { expires: string; signature: string };
    expect(links.verify(5, 'approve', query)).toBe('valid');
    expect(links.verify(5, 'approve', query, Number(query.expires) * 1000 + 1)).toBe('expired');
    expect(links.verify(5, 'approve', { ...query, expires: String(Number(query.expires) + 3600) })).toBe(
      'forged',
    );
    expect(links.verify(5, 'approve', { signature: query.signature })).toBe('forged');
  });
});
