import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempBundle } from '../support/files';
import { gitProject } from '../support/git-project';
import { localCatalog } from '../support/local-catalog';
import { openApiFixture, type ApiFixture } from './api-fixture';

/**
 * Job templates launched on their own, project and inventory source updates (AWX's
 * job_templates/{id}/launch/, projects/{id}/update/, inventory_sources/{id}/update/): each runs as
 * a standalone job, followed at /jobs/, /project_updates/, /inventory_updates/ from the first
 * answer on; the workflow job that carries it is shown nowhere.
 */
let api: ApiFixture;
type Obj = Record<string, unknown> & { id: number };
type Page = { count: number; results: Obj[] };
const V2 = '/api/v2';
let ids: { hello: number; strict: number; wait: number; manual: number; git: number; source: number };
const PLAYBOOK = (body: string) => `- hosts: all\n  gather_facts: false\n  tasks:\n${body}`;
let root: string;

beforeAll(async () => {
  root = tempBundle({
    'demo/hello.yml': PLAYBOOK(
      '    - ansible.builtin.debug:\n        msg: "hello {{ who | default(\'nobody\') }}"\n',
    ),
    'demo/wait.yml': PLAYBOOK(`    - ansible.builtin.pause:\n        seconds: 30\n`),
  });
  const repo = gitProject({
    'site.yml': PLAYBOOK('    - ansible.builtin.debug: { msg: hi }\n'),
    'hosts.ini': 'localhost\n',
  });
  api = await openApiFixture({ projectsRoot: root });
  const { organization, project: manual, inventory } = await localCatalog(api);
  const git = await api.json<Obj>('POST', `${V2}/projects/`, {
    name: 'Git',
    organization,
    scm_type: 'git',
    scm_url: `file://${repo.url}`,
  });
  const source = await api.json<Obj>('POST', `${V2}/inventory_sources/`, {
    name: 'From git',
    inventory,
    source: 'scm',
    source_project: git.id,
    source_path: 'hosts.ini',
  });
  const template = (name: string, playbook: string, extra: Record<string, unknown> = {}) =>
    api.json<Obj>('POST', `${V2}/job_templates/`, {
      name,
      organization,
      project: manual,
      inventory,
      playbook,
      ...extra,
    });
  const hello = await template('Hello', 'hello.yml', {
    ask_variables_on_launch: true,
    ask_limit_on_launch: true,
    extra_vars: '{"greeting": "hi"}',
  });
  const strict = await template('Strict', 'hello.yml', { survey_enabled: true });
  await api.json(
    'POST',
    `${V2}/job_templates/${strict.id}/survey_spec/`,
    {
      name: 'Who',
      description: '',
      spec: [{ question_name: 'Who', variable: 'who', type: 'text', required: true }],
    },
    200,
  );
  const wait = await template('Wait', 'wait.yml');
  ids = {
    hello: hello.id,
    strict: strict.id,
    wait: wait.id,
    manual,
    git: git.id,
    source: source.id,
  };
});
afterAll(() => api?.close());

async function finished(path: string): Promise<Obj> {
  for (;;) {
    const job = await api.json<Obj>('GET', path);
    if (!['pending', 'waiting', 'running'].includes(job.status as string)) return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a job template launched on its own', () => {
  it('answers 201 with the job, followed at /jobs/ at once, its ignored fields listed', async () => {
    const launched = await api.json<Obj>(
      'POST',
      `${V2}/job_templates/${ids.hello}/launch/`,
      { extra_vars: { who: 'world' }, limit: 'localhost', job_tags: 'x' },
      201,
    );
    expect(launched).toMatchObject({ job: launched.id, type: 'job', launch_type: 'manual' });
    expect(launched.ignored_fields).toEqual({ job_tags: 'x' });
    expect(await api.json<Obj>('GET', `${V2}/jobs/${launched.id}/`)).toMatchObject({ id: launched.id });
    const job = await finished(`${V2}/jobs/${launched.id}/`);
    expect(job).toMatchObject({ status: 'successful', name: 'Hello', unified_job_template: ids.hello });
    // The template's own variables too, as AWX records a job's.
    expect(JSON.parse(job.extra_vars as string)).toEqual({ greeting: 'hi', who: 'world' });
    const stdout = await api.call('GET', `${V2}/jobs/${launched.id}/stdout/?format=txt`);
    expect(await stdout.text()).toContain('hello world');
    // The carrier is nowhere: not a workflow job, not among unified jobs; the job is.
    await api.json('GET', `${V2}/workflow_jobs/${launched.id - 1}/`, undefined, 404);
    const listed = await api.json<Page>('GET', `${V2}/workflow_jobs/?page_size=200`);
    expect(listed.results.map((w) => w.name)).not.toContain('Hello');
    const unified = await api.json<Page>('GET', `${V2}/unified_jobs/?page_size=200`);
    expect(unified.results.filter((u) => u.name === 'Hello').map((u) => u.type)).toEqual(['job']);
  });

  it('refuses a survey left unanswered with 400, creating nothing', async () => {
    const before = await api.json<Page>('GET', `${V2}/jobs/`);
    const refused = await api.json<Obj>('POST', `${V2}/job_templates/${ids.strict}/launch/`, {}, 400);
    expect(refused).toEqual({ variables_needed_to_start: ["'who' value missing"] });
    expect((await api.json<Page>('GET', `${V2}/jobs/`)).count).toBe(before.count);
    const body = await api.json<Obj>('GET', `${V2}/job_templates/${ids.strict}/launch/`);
    expect(body).toMatchObject({ can_start_without_user_input: false, variables_needed_to_start: ['who'] });
  });

  it('cancels and relaunches', async () => {
    const launched = await api.json<Obj>('POST', `${V2}/job_templates/${ids.wait}/launch/`, {}, 201);
    expect(await api.json('GET', `${V2}/jobs/${launched.id}/cancel/`)).toEqual({ can_cancel: true });
    expect((await api.call('POST', `${V2}/jobs/${launched.id}/cancel/`)).status).toBe(202);
    expect(await finished(`${V2}/jobs/${launched.id}/`)).toMatchObject({ status: 'canceled' });
    expect((await api.call('POST', `${V2}/jobs/${launched.id}/cancel/`)).status).toBe(405);
    const again = await api.json<Obj>('POST', `${V2}/jobs/${launched.id}/relaunch/`, {}, 201);
    expect(again).toMatchObject({ type: 'job', launch_type: 'relaunch', name: 'Wait' });
    expect((await api.call('POST', `${V2}/jobs/${again.id}/cancel/`)).status).toBe(202);
    expect(await finished(`${V2}/jobs/${again.id}/`)).toMatchObject({ status: 'canceled' });
  });
});

describe('updates', () => {
  it('a git project updates (202, a project update job); a manual one cannot (405)', async () => {
    expect(await api.json('GET', `${V2}/projects/${ids.git}/update/`)).toEqual({ can_update: true });
    const update = await api.json<Obj>('POST', `${V2}/projects/${ids.git}/update/`, {}, 202);
    expect(update).toMatchObject({ project_update: update.id, type: 'project_update' });
    expect(await finished(`${V2}/project_updates/${update.id}/`)).toMatchObject({ status: 'successful' });
    expect(await api.json('GET', `${V2}/projects/${ids.manual}/update/`)).toEqual({ can_update: false });
    await api.json('POST', `${V2}/projects/${ids.manual}/update/`, {}, 405);
  });

  it('an inventory source updates (202, an inventory update job)', async () => {
    const update = await api.json<Obj>('POST', `${V2}/inventory_sources/${ids.source}/update/`, {}, 202);
    expect(update).toMatchObject({ inventory_update: update.id, type: 'inventory_update' });
    expect(await finished(`${V2}/inventory_updates/${update.id}/`)).toMatchObject({ status: 'successful' });
  });
});
