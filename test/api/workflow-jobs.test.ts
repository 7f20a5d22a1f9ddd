import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempBundle } from '../support/files';
import { localCatalog } from '../support/local-catalog';
import { openApiFixture, type ApiFixture } from './api-fixture';

let api: ApiFixture;
type Obj = Record<string, unknown> & { id: number };
type Page = { count: number; results: Obj[] };
const V2 = '/api/v2';
let ids: {
  organization: number;
  hello: number;
  fail: number;
  flow: number;
  gated: number;
  watched: number;
};

const PLAYBOOK = (body: string) => `- hosts: all\n  gather_facts: false\n  tasks:\n${body}`;

beforeAll(async () => {
  const root = tempBundle({
    'demo/hello.yml': PLAYBOOK(
      '    - ansible.builtin.set_stats:\n        data: { built: "{{ greeting | default(\'none\') }}" }\n    - ansible.builtin.debug:\n        msg: "hello {{ target_env }}"\n',
    ),
    'demo/fail.yml': PLAYBOOK('    - ansible.builtin.fail:\n        msg: broken on purpose\n'),
    'demo/events.yml': PLAYBOOK(
      '    - ansible.builtin.debug:\n        msg: "token {{ api_token }}"\n' +
        '    - ansible.builtin.command: "true"\n      no_log: true\n' +
        '    - ansible.builtin.fail:\n        msg: not counted\n      ignore_errors: true\n',
    ),
  });
  api = await openApiFixture({ projectsRoot: root });
  const { organization, project, inventory } = await localCatalog(api);
  const template = (name: string, playbook: string) =>
    api.json<Obj>('POST', `${V2}/job_templates/`, {
      name,
      organization,
      project,
      inventory,
      playbook,
      ask_variables_on_launch: true,
    });
  const hello = await template('Hello', 'hello.yml');
  const fail = await template('Fail', 'fail.yml');
  const events = await template('Events', 'events.yml');
  const flow = await api.json<Obj>('POST', `${V2}/workflow_job_templates/`, {
    name: 'Flow',
    organization,
  });
  await api.json(
    'POST',
    `${V2}/workflow_job_templates/${flow.id}/survey_spec/`,
    {
      name: 'Deploy',
      description: '',
      spec: [
        {
          question_name: 'Env',
          variable: 'target_env',
          type: 'multiplechoice',
          choices: ['staging', 'production'],
          required: true,
        },
      ],
    },
    200,
  );
  await api.json('PATCH', `${V2}/workflow_job_templates/${flow.id}/`, { survey_enabled: true });
  const node = (workflow: number, identifier: string, template: number) =>
    api.json<Obj>('POST', `${V2}/workflow_job_templates/${workflow}/workflow_nodes/`, {
      identifier,
      unified_job_template: template,
    });
  const first = await node(flow.id, 'first', hello.id);
  const broken = await node(flow.id, 'broken', fail.id);
  const recover = await node(flow.id, 'recover', hello.id);
  const skipped = await node(flow.id, 'skipped', hello.id);
  await api.json(
    'POST',
    `${V2}/workflow_job_template_nodes/${first.id}/success_nodes/`,
    { id: broken.id },
    204,
  );
  await api.json(
    'POST',
    `${V2}/workflow_job_template_nodes/${broken.id}/failure_nodes/`,
    { id: recover.id },
    204,
  );
  await api.json(
    'POST',
    `${V2}/workflow_job_template_nodes/${broken.id}/success_nodes/`,
    { id: skipped.id },
    204,
  );
  const gated = await api.json<Obj>('POST', `${V2}/workflow_job_templates/`, {
    name: 'Gated',
    organization,
  });
  const gate = await api.json<Obj>('POST', `${V2}/workflow_job_templates/${gated.id}/workflow_nodes/`, {
    identifier: 'gate',
  });
  await api.json('POST', `${V2}/workflow_job_template_nodes/${gate.id}/create_approval_template/`, {
    name: 'Go?',
    timeout: 0,
  });
  // One node whose playbook prints a survey password, hides a result and ignores a failure.
  const watched = await api.json<Obj>('POST', `${V2}/workflow_job_templates/`, {
    name: 'Watched',
    organization,
    survey_enabled: true,
  });
  await api.json(
    'POST',
    `${V2}/workflow_job_templates/${watched.id}/survey_spec/`,
    {
      name: 'Token',
      description: '',
      spec: [{ question_name: 'Token', variable: 'api_token', type: 'password', required: true }],
    },
    200,
  );
  await node(watched.id, 'run', events.id);
  ids = {
    organization,
    hello: hello.id,
    fail: fail.id,
    flow: flow.id,
    gated: gated.id,
    watched: watched.id,
  };
}, 60_000);
afterAll(() => api.close());

async function finished(id: number): Promise<Obj> {
  for (let i = 0; i < 600; i++) {
    const job = await api.json<Obj>('GET', `${V2}/workflow_jobs/${id}/`);
    if (['successful', 'failed', 'error', 'canceled'].includes(job.status as string)) return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`workflow job ${id} did not finish`);
}

describe('launching and watching workflow jobs through the API', () => {
  it('launches with survey answers; nodes, jobs, artifacts and stdout read as AWX shows them', async () => {
    const launched = await api.json<Obj>('POST', `${V2}/workflow_job_templates/${ids.flow}/launch/`, {
      extra_vars: { target_env: 'staging' },
    });
    expect(launched).toMatchObject({
      workflow_job: launched.id,
      type: 'workflow_job',
      name: 'Flow',
      launch_type: 'manual',
    });
    const job = await finished(launched.id);
    expect(job).toMatchObject({
      status: 'successful',
      failed: false,
      // As AWX stores them: Python's json.dumps, with its spaces.
      extra_vars: '{"target_env": "staging"}',
    });
    expect(job.elapsed).toBeGreaterThan(0);

    const nodes = await api.json<Page>('GET', `${V2}/workflow_jobs/${launched.id}/workflow_nodes/`);
    const byName = Object.fromEntries(nodes.results.map((node) => [node.identifier, node]));
    expect(byName.skipped).toMatchObject({ job: null, do_not_run: true });
    expect((byName.broken.summary_fields as { job: Obj }).job).toMatchObject({
      status: 'failed',
      type: 'job',
    });
    expect(
      (byName.recover.summary_fields as { unified_job_template: Obj }).unified_job_template,
    ).toMatchObject({ id: ids.hello, name: 'Hello' });
    const first = await api.json<Obj>('GET', `${V2}/jobs/${byName.first.job}/`);
    expect(first).toMatchObject({ status: 'successful', artifacts: { built: 'none' } });
    expect((first.host_status_counts as Obj).ok).toBeGreaterThan(0);
    const stdout = await api.call('GET', `${V2}/jobs/${byName.first.job}/stdout/?format=txt`);
    expect(await stdout.text()).toContain('hello staging');

    const running = await api.json<Page>('GET', `${V2}/workflow_jobs/?status=successful&name=Flow`);
    expect(running.results.map((j) => j.id)).toContain(launched.id);

    const relaunched = await api.json<Obj>('POST', `${V2}/workflow_jobs/${launched.id}/relaunch/`, {});
    expect(relaunched).toMatchObject({ launch_type: 'relaunch' });
    expect(await finished(relaunched.id)).toMatchObject({
      status: 'successful',
      // As AWX stores them: Python's json.dumps, with its spaces.
      extra_vars: '{"target_env": "staging"}',
    });
  }, 120_000);

  it('refuses launches as AWX does, creating nothing', async () => {
    const before = (await api.json<Page>('GET', `${V2}/workflow_jobs/`)).count;
    const missing = await api.call('POST', `${V2}/workflow_job_templates/${ids.flow}/launch/`, {});
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ variables_needed_to_start: ["'target_env' value missing"] });
    const choice = await api.call('POST', `${V2}/workflow_job_templates/${ids.flow}/launch/`, {
      extra_vars: { target_env: 'moon' },
    });
    expect(choice.status).toBe(400);
    const prompt = await api.call('POST', `${V2}/workflow_job_templates/${ids.flow}/launch/`, {
      extra_vars: { target_env: 'staging' },
      limit: 'x',
    });
    expect(prompt.status).toBe(400);
    expect(await prompt.json()).toEqual({ limit: ['Field is not configured to prompt on launch.'] });
    expect((await api.call('POST', `${V2}/workflow_job_templates/999999/launch/`, {})).status).toBe(404);
    expect((await api.json<Page>('GET', `${V2}/workflow_jobs/`)).count).toBe(before);
  });

  it('waits at an approval until approved through the API; a second answer gets AWX 400', async () => {
    const launched = await api.json<Obj>('POST', `${V2}/workflow_job_templates/${ids.gated}/launch/`, {});
    let approval: Obj | undefined;
    for (let i = 0; i < 100 && !approval; i++) {
      approval = (await api.json<Page>('GET', `${V2}/workflow_approvals/?status=pending`)).results.find(
        (a) => (a.summary_fields as { source_workflow_job: Obj }).source_workflow_job.id === launched.id,
      );
      if (!approval) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(approval).toMatchObject({ name: 'Go?', can_approve_or_deny: true });
    await api.json('POST', `${V2}/workflow_approvals/${approval!.id}/approve/`, {}, 204);
    expect(await finished(launched.id)).toMatchObject({ status: 'successful' });
    const again = await api.call('POST', `${V2}/workflow_approvals/${approval!.id}/deny/`, {});
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ error: 'This workflow step has already been approved or denied.' });
  }, 30_000);

  it('finds an approval as the awx.awx workflow_approval module does: nodes filtered by job__name', async () => {
    const launched = await api.json<Obj>('POST', `${V2}/workflow_job_templates/${ids.gated}/launch/`, {});
    const nodes = `${V2}/workflow_jobs/${launched.id}/workflow_nodes/`;
    // Before its job exists the node has no job name: nothing matches yet (as in AWX), and no 400.
    let found: Page = { count: 0, results: [] };
    for (let i = 0; i < 100 && found.count === 0; i++) {
      found = await api.json<Page>('GET', `${nodes}?job__name=${encodeURIComponent('Go?')}`);
      if (found.count === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(found.count).toBe(1);
    expect((await api.json<Page>('GET', `${nodes}?job__name=Other`)).count).toBe(0);
    const job = (found.results[0].related as Record<string, string>).job;
    await api.json('POST', `${job}approve/`, {}, 204);
    expect(await finished(launched.id)).toMatchObject({ status: 'successful' });
  }, 30_000);

  it('cancels a waiting workflow job (202), then refuses a second cancel (405)', async () => {
    const launched = await api.json<Obj>('POST', `${V2}/workflow_job_templates/${ids.gated}/launch/`, {});
    expect(await api.json('GET', `${V2}/workflow_jobs/${launched.id}/cancel/`)).toEqual({ can_cancel: true });
    await api.json('POST', `${V2}/workflow_jobs/${launched.id}/cancel/`, {}, 202);
    expect(await finished(launched.id)).toMatchObject({ status: 'canceled', failed: true });
    expect((await api.call('POST', `${V2}/workflow_jobs/${launched.id}/cancel/`, {})).status).toBe(405);
  }, 30_000);
});

describe('job events', () => {
  const SECRET = 'tok-s3cr3t-42';
  let job: Obj;
  let events: Obj[];

  beforeAll(async () => {
    const launched = await api.json<Obj>('POST', `${V2}/workflow_job_templates/${ids.watched}/launch/`, {
      extra_vars: { api_token: SECRET },
    });
    await finished(launched.id);
    const nodes = await api.json<Page>('GET', `${V2}/workflow_jobs/${launched.id}/workflow_nodes/`);
    job = await api.json<Obj>('GET', `${V2}/jobs/${nodes.results[0].job}/`);
    const related = job.related as Record<string, string>;
    const page = await api.json<Page>('GET', `${related.job_events}?page_size=200`);
    events = page.results;
    expect(page.count).toBe(events.length);
  }, 60_000);

  it('lists what the playbook emitted as AWX shows it, secrets masked', () => {
    expect(events.map((event) => event.event)).toEqual(
      expect.arrayContaining(['playbook_on_start', 'playbook_on_play_start', 'playbook_on_stats']),
    );
    expect(events.map((event) => event.counter)).toEqual(events.map((_, index) => index + 1));
    // Lines follow on from one event to the next, as awxkit's monitor reads them.
    events.slice(1).forEach((event, index) => expect(event.start_line).toBe(events[index].end_line));
    const debug = events.find(
      (event) => event.event === 'runner_on_ok' && event.task === 'ansible.builtin.debug',
    )!;
    expect(debug).toMatchObject({
      id: Number(job.id) * 10_000_000 + Number(debug.counter),
      type: 'job_event',
      url: `${V2}/job_events/${debug.id}/`,
      related: { job: `${V2}/jobs/${job.id}/` },
      summary_fields: { job: { id: job.id, name: 'Events', status: 'successful', type: 'job' } },
      job: job.id,
      event_display: 'Host OK',
      event_level: 3,
      failed: false,
      changed: false,
      host: null,
      host_name: 'localhost',
      playbook: 'events.yml',
      play: 'all',
      role: '',
      verbosity: 0,
    });
    expect(debug.created).toMatch(/Z$/);
    expect(debug.stdout).toContain('token ********');
    expect(JSON.stringify(events)).not.toContain(SECRET);
    const hidden = events.find(
      (event) => event.event === 'runner_on_ok' && event.task === 'ansible.builtin.command',
    )!;
    expect(hidden).toMatchObject({ changed: true, event_data: { res: { censored: expect.any(String) } } });
    // A failure the task ignores is not failed, as in AWX; the task's start shows the change below it.
    const ignored = events.find((event) => event.event === 'runner_on_failed')!;
    expect(ignored).toMatchObject({ failed: false, event_display: 'Host Failed' });
    expect(events.find((event) => event.uuid === hidden.parent_uuid)).toMatchObject({
      event: 'playbook_on_task_start',
      event_display: 'Task Started (ansible.builtin.command)',
      changed: true,
    });
    expect(events.some((event) => String(event.event).startsWith('towerless_'))).toBe(false);
  });

  it('filters, orders and pages; one event reads at its url', async () => {
    const path = (job.related as Record<string, string>).job_events;
    const changed = await api.json<Page>('GET', `${path}?changed=true&event=runner_on_ok`);
    expect(changed.results.map((event) => event.task)).toEqual(['ansible.builtin.command']);
    expect((await api.json<Page>('GET', `${path}?failed=true`)).count).toBe(0);
    const later = await api.json<Page>('GET', `${path}?counter__gt=3&order_by=-counter&no_truncate=true`);
    expect(later.results.map((event) => event.counter)).toEqual(
      events
        .slice(3)
        .map((event) => event.counter)
        .reverse(),
    );
    const first = await api.json<Page & { next: string }>('GET', `${path}?page_size=2`);
    expect(first.results.map((event) => event.counter)).toEqual([1, 2]);
    expect(first.next).toBe(`${path}?page_size=2&page=2`);
    expect(await api.json('GET', events[4].url as string)).toEqual(events[4]);
  });

  it('answers 404 for jobs and events that do not exist, 403 to whom may not read the job', async () => {
    expect((await api.call('GET', `${V2}/jobs/999999/job_events/`)).status).toBe(404);
    expect((await api.call('GET', `${V2}/project_updates/${job.id}/events/`)).status).toBe(404);
    expect((await api.call('GET', `${V2}/job_events/${Number(job.id) * 10_000_000 + 9_999}/`)).status).toBe(
      404,
    );
    const user = await api.services.accounts.createUser({
      name: 'eve',
      first_name: '',
      last_name: '',
      email: '',
      is_superuser: false,
    });
    const { token } = await api.services.accounts.createToken(user);
    const path = (job.related as Record<string, string>).job_events;
    expect((await api.call('GET', path, undefined, token)).status).toBe(403);
    expect((await api.call('GET', events[0].url as string, undefined, token)).status).toBe(403);
  });
});

describe('resuming a failed workflow job through the API', () => {
  const TOWERLESS = '/api/towerless/workflow_jobs';

  it('continues it in a new job that keeps the nodes that succeeded, and refuses what cannot be resumed', async () => {
    const fragile = await api.json<Obj>('POST', `${V2}/workflow_job_templates/`, {
      name: 'Fragile',
      organization: ids.organization,
      extra_vars: { target_env: 'qa' },
    });
    const node = (identifier: string, template: number) =>
      api.json<Obj>('POST', `${V2}/workflow_job_templates/${fragile.id}/workflow_nodes/`, {
        identifier,
        unified_job_template: template,
      });
    const first = await node('first', ids.hello);
    const broken = await node('broken', ids.fail);
    await api.json(
      'POST',
      `${V2}/workflow_job_template_nodes/${first.id}/success_nodes/`,
      { id: broken.id },
      204,
    );
    const failed = await finished(
      (await api.json<Obj>('POST', `${V2}/workflow_job_templates/${fragile.id}/launch/`, {})).id,
    );
    expect(failed.status).toBe('failed');

    expect(await api.json('GET', `${TOWERLESS}/${failed.id}/resume/`)).toEqual({
      can_resume: true,
      kept: ['first'],
      runs_again: ['broken'],
    });
    expect(await api.json('GET', `${TOWERLESS}/${failed.id}/resume/?from=first`)).toMatchObject({
      kept: [],
      runs_again: ['first', 'broken'],
    });
    const resumed = await api.json<Obj>('POST', `${TOWERLESS}/${failed.id}/resume/`, {});
    expect(resumed).toMatchObject({
      type: 'workflow_job',
      name: 'Fragile',
      launch_type: 'relaunch',
      resumed_from: failed.id,
      related: { resumed_from: `${V2}/workflow_jobs/${failed.id}/` },
    });
    expect(await finished(resumed.id)).toMatchObject({ status: 'failed' });
    const jobOf = async (id: number) =>
      Object.fromEntries(
        (await api.json<Page>('GET', `${V2}/workflow_jobs/${id}/workflow_nodes/`)).results.map((n) => [
          n.identifier,
          n.job,
        ]),
      );
    const [before, after] = [await jobOf(failed.id), await jobOf(resumed.id)];
    expect(after.first).toBe(before.first);
    expect(after.broken).not.toBe(before.broken);
    expect(await api.json<Obj>('GET', `${V2}/workflow_jobs/${failed.id}/`)).toMatchObject({
      resumed_by: resumed.id,
    });

    const refusal = async (path: string, body: unknown, status: number) => {
      const answer = await api.call('POST', path, body);
      expect(answer.status).toBe(status);
      return answer.json();
    };
    expect(await api.json('GET', `${TOWERLESS}/${failed.id}/resume/`)).toEqual({
      can_resume: false,
      reason: `workflow job ${failed.id} was resumed already, by workflow job ${resumed.id}: resume that one`,
      kept: [],
      runs_again: [],
    });
    expect(await refusal(`${TOWERLESS}/${failed.id}/resume/`, {}, 409)).toEqual({
      detail: `workflow job ${failed.id} was resumed already, by workflow job ${resumed.id}: resume that one`,
    });
    expect(await refusal(`${TOWERLESS}/${resumed.id}/resume/`, { from: 'first' }, 400)).toEqual({
      from: ['Expected a list of items but got type "str".'],
    });
    expect(await refusal(`${TOWERLESS}/${resumed.id}/resume/`, { from: ['nope'] }, 400)).toEqual({
      from: ["'nope' is not a node of workflow 'Fragile'."],
    });
    expect(await refusal(`${TOWERLESS}/999999/resume/`, {}, 404)).toEqual({ detail: 'Not found.' });
    const succeeded = await finished(
      (
        await api.json<Obj>('POST', `${V2}/workflow_job_templates/${ids.flow}/launch/`, {
          extra_vars: { target_env: 'staging' },
        })
      ).id,
    );
    expect(await refusal(`${TOWERLESS}/${succeeded.id}/resume/`, {}, 409)).toEqual({
      detail: `workflow job ${succeeded.id} was successful: there is nothing to resume (relaunch it to run it again)`,
    });
    // From the first node: both run again.
    const again = await api.json<Obj>('POST', `${TOWERLESS}/${resumed.id}/resume/`, { from: ['first'] });
    await finished(again.id);
    const rerun = await jobOf(again.id);
    expect(rerun.first).not.toBe(before.first);
  }, 120_000);
});

describe('node retries through the API', () => {
  it('keeps max_retries, retry_delay and retry_backoff_rate on a job node, and refuses them on a node that runs no job', async () => {
    const workflow = await api.json<Obj>('POST', `${V2}/workflow_job_templates/`, {
      name: 'Retrying',
      organization: ids.organization,
    });
    const nodes = `${V2}/workflow_job_templates/${workflow.id}/workflow_nodes/`;
    const node = await api.json<Obj>('POST', nodes, {
      identifier: 'flaky',
      unified_job_template: ids.hello,
      max_retries: 3,
      retry_delay: 30,
      retry_backoff_rate: 1.5,
    });
    expect(node).toMatchObject({ max_retries: 3, retry_delay: 30, retry_backoff_rate: 1.5 });
    const nested = await api.call('POST', nodes, { unified_job_template: ids.flow, max_retries: 1 });
    expect(nested.status).toBe(400);
    expect(await nested.json()).toEqual({
      max_retries: ['Only a job template, project or inventory source node retries its job.'],
    });
    const tooMany = await api.call('POST', nodes, { unified_job_template: ids.hello, max_retries: 101 });
    expect(await tooMany.json()).toEqual({
      max_retries: ['Ensure this value is less than or equal to 100.'],
    });
  });
});
