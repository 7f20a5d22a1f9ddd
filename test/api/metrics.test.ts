import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, type ApiFixture } from './api-fixture';

let api: ApiFixture;
let plain: string;
type Obj = Record<string, unknown> & { id: number };
const V2 = '/api/v2';
/** Debian's python3 with prometheus-client (scripts/test-packages.txt): the parser scrapers use. */
const PYTHON = '/usr/bin/python3';

beforeAll(async () => {
  api = await openApiFixture();
  const user = await api.services.accounts.createUser({
    name: 'viewer',
    first_name: '',
    last_name: '',
    email: '',
    is_superuser: false,
  });
  plain = (await api.services.accounts.createToken(user)).token;
  const org = (await api.json<{ results: Obj[] }>('GET', `${V2}/organizations/?name=Default`)).results[0];
  await api.json('POST', `${V2}/teams/`, { name: 'Ops', organization: org.id });
  const inventory = await api.json<Obj>('POST', `${V2}/inventories/`, {
    name: 'Hosts',
    organization: org.id,
  });
  await api.json('POST', `${V2}/hosts/`, { name: 'a', inventory: inventory.id });
  await api.json('POST', `${V2}/hosts/`, { name: 'b', inventory: inventory.id, enabled: false });
  const wf = await api.json<Obj>('POST', `${V2}/workflow_job_templates/`, {
    name: 'Empty',
    organization: org.id,
  });
  const job = await api.json<Obj>('POST', `${V2}/workflow_job_templates/${wf.id}/launch/`, {});
  for (let i = 0; i < 200; i++) {
    const { status } = await api.json<Obj>('GET', `${V2}/workflow_jobs/${job.id}/`);
    if (status === 'successful') break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
});
afterAll(() => api.close());

/** The samples of the text format, `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const lines = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  return new Map(
    lines.map((line) => {
      const at = line.lastIndexOf(' ');
      return [line.slice(0, at), Number(line.slice(at + 1))];
    }),
  );
}

describe('GET /api/v2/metrics/', () => {
  it("answers in Prometheus's text format with AWX's metric names", async () => {
    const response = await api.call('GET', `${V2}/metrics/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('# TYPE awx_organizations_total gauge\n');
    const values = samples(text);
    expect(Object.fromEntries(values)).toMatchObject({
      awx_organizations_total: 1,
      awx_users_total: 2,
      awx_teams_total: 1,
      // With AWX's default objects: Demo Inventory and its localhost, Demo Project, Demo Job Template.
      awx_inventories_total: 2,
      awx_projects_total: 1,
      awx_job_templates_total: 1,
      awx_workflow_job_templates_total: 1,
      'awx_hosts_total{type="all"}': 3,
      'awx_hosts_total{type="active"}': 2,
      awx_schedules_total: 0,
      'awx_status_total{status="successful"}': 1,
      'awx_status_total{status="failed"}': 0,
      awx_running_jobs_total: 0,
      awx_pending_jobs_total: 0,
      'awx_instance_launch_type_total{node="towerless",launch_type="manual"}': 1,
    });
    const info = [...values.keys()].find((key) => key.startsWith('awx_system_info{'));
    expect(info).toContain('tower_version="24.6.1"');
    expect(text).toMatch(/^awx_users_total 2\.0$/m);
  });

  it('answers the same as JSON with ?format=json, as a Prometheus parser reads the text', async () => {
    const json = await api.json<Record<string, { type: string; samples: unknown[] }>>(
      'GET',
      `${V2}/metrics/?format=json`,
    );
    expect(json.awx_users_total).toEqual({
      help_text: 'Number of users',
      type: 'gauge',
      samples: [{ labels: {}, value: 2 }],
    });
    expect(json.awx_status_total.samples).toContainEqual({ labels: { status: 'successful' }, value: 1 });
    const hasParser =
      existsSync(PYTHON) &&
      execFileSync(
        PYTHON,
        ['-c', 'import importlib.util as u; print(bool(u.find_spec("prometheus_client")))'],
        { encoding: 'utf8' },
      ).trim() === 'True';
    if (!hasParser) return; // scripts/setup installs it
    const text = await (await api.call('GET', `${V2}/metrics/`)).text();
    const parsed = execFileSync(
      PYTHON,
      [
        '-c',
        [
          'import json, sys',
          'from prometheus_client.parser import text_string_to_metric_families as families',
          'print(json.dumps({f.name: {"help_text": f.documentation, "type": f.type,',
          '  "samples": [{"labels": s.labels, "value": s.value} for s in f.samples]} for f in families(sys.stdin.read())}))',
        ].join('\n'),
      ],
      { input: text, encoding: 'utf8' },
    );
    expect(JSON.parse(parsed)).toEqual(json);
  });

  it('is for superusers only', async () => {
    const response = await api.call('GET', `${V2}/metrics/`, undefined, plain);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ detail: 'You do not have permission to perform this action.' });
    expect((await api.api.request(`${V2}/metrics/`)).status).toBe(401);
  });
});
