import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DefinitionRecord } from '../../lib/catalog/definition';
import { AwxClient } from '../../lib/client/awx-client';
import { startLocalApiServer, type LocalApiServer } from '../../lib/local/local-api-server';
import { tempBundle } from '../support/files';
import { localCatalog } from '../support/local-catalog';

/** Schedules fire in a real `towerless serve` at their occurrences (a second or two ahead). */
type Obj = Record<string, unknown> & { id: number };
const V2 = '/api/v2';
const TOKEN = 'schedule-firing-test-token-0123456789';
let server: LocalApiServer;
let root: string;
const logged: string[] = [];

/** The API as a client calls it, paths with their `/api/v2` (as localCatalog gives them). */
const json = <T = Obj>(method: string, path: string, body?: unknown): Promise<T> => {
  const client = new AwxClient({ url: server.url, token: TOKEN });
  const relative = path.replace(V2, '');
  if (method === 'GET') return client.get<T>(relative);
  return method === 'POST' ? client.post<T>(relative, body) : client.patch<T>(relative, body);
};

/** An rrule whose one occurrence is `seconds` from now (second resolution, as AWX's). */
function soon(seconds: number): { rrule: string; at: number } {
  const at = Math.ceil(Date.now() / 1000) * 1000 + seconds * 1000;
  const stamp = new Date(at).toISOString().replace(/[-:]/g, '').slice(0, 15);
  return { rrule: `DTSTART:${stamp}Z RRULE:FREQ=MINUTELY;INTERVAL=1;COUNT=1`, at };
}

async function scheduledJobs(): Promise<Obj[]> {
  const page = await json<{ results: Obj[] }>('GET', `${V2}/unified_jobs/?page_size=200`);
  return page.results.filter((job) => job.launch_type === 'scheduled');
}

beforeAll(async () => {
  root = tempBundle({
    'demo/stamp.yml':
      '- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: { content: "{{ awx_schedule_id }} {{ awx_schedule_name }}", dest: "{{ playbook_dir }}/stamp.txt" }\n',
    'demo/token.yml':
      '- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: { content: "{{ token }}", dest: "{{ playbook_dir }}/token.txt" }\n',
  });
  const original = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk, ...rest) => {
    logged.push(String(chunk));
    return original(chunk, ...(rest as []));
  });
  server = await startLocalApiServer({
    data: join(mkdtempSync(join(tmpdir(), 'towerless-firing-')), 'data'),
    host: '127.0.0.1',
    port: 0,
    projectsRoot: root,
    adminToken: TOKEN,
  });
});
afterAll(async () => {
  await server?.close();
  vi.restoreAllMocks();
});

describe('schedules fire in towerless serve', () => {
  it("launches the template at the occurrence, with the schedule's prompts and link; a disabled one and a failing one do not stop it", async () => {
    const catalog = await localCatalog({ json });
    const workflow = await json('POST', `${V2}/workflow_job_templates/`, {
      name: 'Nightly',
      organization: catalog.organization,
      ask_variables_on_launch: true,
    });
    const broken = await json('POST', `${V2}/job_templates/`, {
      name: 'Gone',
      project: catalog.project,
      inventory: catalog.inventory,
      playbook: 'stamp.yml',
    });
    const { rrule, at } = soon(2);
    const fired = await json('POST', `${V2}/workflow_job_templates/${workflow.id}/schedules/`, {
      name: 'In two seconds',
      rrule,
      extra_data: { window: 'night' },
    });
    expect(fired.next_run).toBe(new Date(at).toISOString().replace('.000Z', 'Z'));
    await json('POST', `${V2}/workflow_job_templates/${workflow.id}/schedules/`, {
      name: 'Disabled',
      rrule,
      enabled: false,
    });
    await json('POST', `${V2}/job_templates/${broken.id}/schedules/`, { name: 'Refused', rrule });
    // Its template taken from under it (the store's record alone): its launch fails.
    await server.services.catalog.delete('job_template', broken.id);

    let jobs: Obj[] = [];
    const deadline = at + 10_000;
    while (jobs.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      jobs = await scheduledJobs();
    }
    expect(jobs).toHaveLength(1);
    const job = await json('GET', `${V2}/workflow_jobs/${jobs[0].id}/`);
    expect(job).toMatchObject({
      launch_type: 'scheduled',
      schedule: fired.id,
      workflow_job_template: workflow.id,
    });
    expect(JSON.parse(String(job.extra_vars))).toMatchObject({ window: 'night' });
    expect(new Date(String(job.created)).getTime()).toBeGreaterThanOrEqual(at);
    const refusal = () => logged.some((line) => line.includes("schedule 'Refused'"));
    while (!refusal() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(logged.join('')).toMatch(/towerless: schedule 'Refused' \(\d+\) did not launch its template: .+/);
    // A job template's job gets AWX's meta variables of the schedule.
    const stamp = await json('POST', `${V2}/job_templates/`, {
      name: 'Stamp',
      project: catalog.project,
      inventory: catalog.inventory,
      playbook: 'stamp.yml',
    });
    const next = soon(1);
    const stamped = await json('POST', `${V2}/job_templates/${stamp.id}/schedules/`, {
      name: 'Stamper',
      rrule: next.rrule,
    });
    const file = join(root, 'demo/stamp.txt');
    while (!existsSync(file) && Date.now() < next.at + 60_000)
      await new Promise((resolve) => setTimeout(resolve, 200));
    expect(readFileSync(file, 'utf8')).toBe(`${stamped.id} Stamper`);
    // Exhausted now.
    expect((await json('GET', `${V2}/schedules/${fired.id}/`)).next_run).toBeNull();
  });

  it('keeps a survey password of its extra_data out of the store, shows $encrypted$, and launches with it', async () => {
    // The first test's project and inventory.
    const named = async (kind: string, name: string) =>
      (await json<{ results: Obj[] }>('GET', `${V2}/${kind}/?name=${name}`)).results[0].id;
    const template = await json('POST', `${V2}/job_templates/`, {
      name: 'Token',
      project: await named('projects', 'Demo'),
      inventory: await named('inventories', 'Local'),
      playbook: 'token.yml',
      survey_enabled: true,
    });
    await json('POST', `${V2}/job_templates/${template.id}/survey_spec/`, {
      name: '',
      description: '',
      spec: [{ question_name: 'Token', variable: 'token', type: 'password', required: true }],
    });
    const next = soon(2);
    const saved = await json('POST', `${V2}/job_templates/${template.id}/schedules/`, {
      name: 'With a password',
      rrule: next.rrule,
      extra_data: { token: 'pw-4242-secret' },
    });
    expect(saved.extra_data).toEqual({ token: '$encrypted$' });
    const record = await server.services.catalog.get<DefinitionRecord>('schedule', saved.id);
    expect(record.extra_data).toEqual({ token: { secret: `towerless/schedules/${saved.id}/token` } });
    const file = join(root, 'demo/token.txt');
    while (!existsSync(file) && Date.now() < next.at + 60_000)
      await new Promise((resolve) => setTimeout(resolve, 200));
    expect(readFileSync(file, 'utf8')).toBe('pw-4242-secret');
    const [job] = (await scheduledJobs()).filter((j) => j.name === 'Token');
    expect(JSON.stringify(await json('GET', `${V2}/jobs/${job.id}/`))).not.toContain('pw-4242-secret');
  });
});
