import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectWorkflow } from '../../lib/catalog/projection';
import { storeContents } from '../support/stored-secrets';
import { openApiFixture, type ApiFixture } from './api-fixture';

let api: ApiFixture;
type Obj = Record<string, unknown> & { id: number };
const V2 = '/api/v2';

beforeAll(async () => {
  api = await openApiFixture();
});
afterAll(() => api.close());

async function named(path: string, name: string): Promise<Obj> {
  const page = await api.json<{ results: Obj[] }>('GET', `${V2}/${path}/?name=${encodeURIComponent(name)}`);
  expect(page.results).toHaveLength(1);
  return page.results[0];
}

describe('definitions through the API (AWX shapes)', () => {
  it('lists every AWX managed credential type by name, and refuses to change one', async () => {
    const machine = await named('credential_types', 'Machine');
    expect(machine).toMatchObject({ kind: 'ssh', managed: true, namespace: 'ssh' });
    const response = await api.call('PATCH', `${V2}/credential_types/${machine.id}/`, { name: 'Mine' });
    expect(response.status).toBe(403);
    for (const name of ['Source Control', 'Vault', 'Amazon Web Services', 'GitHub Personal Access Token'])
      await named('credential_types', name);
  });

  it('builds a workflow as awx.awx does, and projects it to the bundle the engine runs', async () => {
    const org = await named('organizations', 'Default');
    const project = await api.json<Obj>('POST', `${V2}/projects/`, {
      name: 'Local',
      organization: org.id,
      scm_type: '',
      local_path: 'project',
    });
    const inventory = await api.json<Obj>('POST', `${V2}/inventories/`, {
      name: 'Hosts',
      organization: org.id,
    });
    await api.json('POST', `${V2}/inventories/${inventory.id}/hosts/`, {
      name: 'localhost',
      variables: '{"ansible_connection": "local"}',
    });
    const jt = await api.json<Obj>('POST', `${V2}/job_templates/`, {
      name: 'Hello',
      organization: org.id,
      project: project.id,
      inventory: inventory.id,
      playbook: 'hello.yml',
      extra_vars: JSON.stringify({ greeting: 'hi' }),
    });
    expect(jt).toMatchObject({ type: 'job_template', extra_vars: '{"greeting":"hi"}' });
    expect((jt.related as Record<string, string>).project).toBe(`${V2}/projects/${project.id}/`);
    expect((jt.summary_fields as Record<string, { name: string }>).inventory.name).toBe('Hosts');
    const wf = await api.json<Obj>('POST', `${V2}/workflow_job_templates/`, {
      name: 'Flow',
      organization: org.id,
    });
    const node = (identifier: string) =>
      api.json<Obj>('POST', `${V2}/workflow_job_templates/${wf.id}/workflow_nodes/`, {
        identifier,
        unified_job_template: jt.id,
      });
    const [a, b] = [await node('a'), await node('b')];
    const gate = await api.json<Obj>('POST', `${V2}/workflow_job_template_nodes/`, {
      workflow_job_template: wf.id,
      identifier: 'gate',
    });
    await api.json('POST', `${V2}/workflow_job_template_nodes/${gate.id}/create_approval_template/`, {
      name: 'OK?',
      timeout: 60,
    });
    await api.json('POST', `${V2}/workflow_job_template_nodes/${a.id}/success_nodes/`, { id: gate.id }, 204);
    await api.json('POST', `${V2}/workflow_job_template_nodes/${gate.id}/success_nodes/`, { id: b.id }, 204);
    const found = await api.json<{ results: Obj[] }>(
      'GET',
      `${V2}/workflow_job_template_nodes/?identifier=b&workflow_job_template=${wf.id}`,
    );
    expect(found.results.map((n) => n.id)).toEqual([b.id]);
    const ujt = await api.json<{ count: number; results: Obj[] }>(
      'GET',
      `${V2}/unified_job_templates/?name=Hello`,
    );
    expect(ujt.results[0]).toMatchObject({ id: jt.id, type: 'job_template' });

    const { bundle, workflowName, diagnostics } = await projectWorkflow(api.services.catalog, wf.id);
    expect(diagnostics.errors).toEqual([]);
    expect(workflowName).toBe('Flow');
    const nodes = bundle.workflow_job_templates[0].workflow_nodes;
    expect(
      nodes.map((n) => [n.identifier, n.success_nodes, n.unified_job_template?.name ?? n.approval?.name]),
    ).toEqual([
      ['a', ['gate'], 'Hello'],
      ['b', [], 'Hello'],
      ['gate', ['b'], 'OK?'],
    ]);
    expect(bundle.job_templates[0]).toMatchObject({
      project: 'Local',
      inventory: 'Hosts',
      extra_vars: { greeting: 'hi' },
    });
    expect(bundle.inventories[0].hosts).toEqual([
      { name: 'localhost', variables: { ansible_connection: 'local' }, enabled: true },
    ]);

    // AWX's edge rules: one kind per pair, no cycle, no self-edge.
    for (const [from, relation, to, error] of [
      [b.id, 'success_nodes', a.id, 'Cycle detected.'],
      [a.id, 'success_nodes', a.id, 'Cycle detected.'],
      [a.id, 'failure_nodes', gate.id, 'Relationship not allowed.'],
    ] as const) {
      const response = await api.call('POST', `${V2}/workflow_job_template_nodes/${from}/${relation}/`, {
        id: to,
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ Error: error });
    }

    // Deleting the workflow deletes its nodes; deleting a template empties the nodes that ran it.
    await api.json('DELETE', `${V2}/job_templates/${jt.id}/`, undefined, 204);
    expect(
      (await api.json<Obj>('GET', `${V2}/workflow_job_template_nodes/${a.id}/`)).unified_job_template,
    ).toBeNull();
    await api.json('DELETE', `${V2}/workflow_job_templates/${wf.id}/`, undefined, 204);
    expect((await api.call('GET', `${V2}/workflow_job_template_nodes/${a.id}/`)).status).toBe(404);
  });

  it('filters unified job templates by type and organization, an inventory source by its inventory', async () => {
    const other = await api.json<Obj>('POST', `${V2}/organizations/`, { name: 'Sources' });
    const inventory = await api.json<Obj>('POST', `${V2}/inventories/`, {
      name: 'Theirs',
      organization: other.id,
    });
    const source = await api.json<Obj>('POST', `${V2}/inventory_sources/`, {
      name: 'From file',
      inventory: inventory.id,
      source: 'file',
      source_path: '/etc/hosts.ini',
    });
    const found = (query: string) =>
      api.json<{ results: Obj[] }>('GET', `${V2}/unified_job_templates/?${query}`);
    const byOrganization = await found(`type=inventory_source&organization=${other.id}`);
    expect(byOrganization.results.map((template) => template.id)).toEqual([source.id]);
    // Shown as the inventory source kind shows it: without an organization.
    expect(byOrganization.results[0]).not.toHaveProperty('organization');
    const elsewhere = await found(`type=inventory_source&organization=${other.id + 1000}`);
    expect(elsewhere.results).toEqual([]);
  });

  it("keeps a job template in its project's organization, as AWX does", async () => {
    const other = await api.json<Obj>('POST', `${V2}/organizations/`, { name: 'Projects elsewhere' });
    const home = await named('organizations', 'Default');
    const project = (name: string, organization: number) =>
      api.json<Obj>('POST', `${V2}/projects/`, {
        name,
        organization,
        scm_type: 'git',
        scm_url: 'https://x/y.git',
      });
    const [ours, theirs] = [await project('Ours', home.id), await project('Theirs', other.id)];
    // What is sent for the organization is ignored: the project's is taken.
    const jt = await api.json<Obj>('POST', `${V2}/job_templates/`, {
      name: 'Twice',
      project: theirs.id,
      playbook: 'site.yml',
      organization: home.id,
    });
    expect(jt.organization).toBe(other.id);
    // So one name may be used once per project organization.
    const same = await api.json<Obj>('POST', `${V2}/job_templates/`, {
      name: 'Twice',
      project: ours.id,
      playbook: 'site.yml',
    });
    expect(same.organization).toBe(home.id);
    const found = await api.json<{ results: Obj[] }>(
      'GET',
      `${V2}/unified_job_templates/?name=Twice&organization=${other.id}`,
    );
    expect(found.results.map((template) => template.id)).toEqual([jt.id]);
    // A project used by a job template keeps its organization.
    const moved = await api.call('PATCH', `${V2}/projects/${theirs.id}/`, { organization: home.id });
    expect(moved.status).toBe(400);
    expect(await moved.json()).toEqual({
      organization: ['Organization cannot be changed when in use by job templates.'],
    });
    // Another project moves the template with it, where its name must be free.
    const third = await api.json<Obj>('POST', `${V2}/organizations/`, { name: 'Third' });
    const there = await project('There', third.id);
    const changed = await api.json<Obj>('PATCH', `${V2}/job_templates/${same.id}/`, { project: there.id });
    expect(changed.organization).toBe(third.id);
    const taken = await api.call('PATCH', `${V2}/job_templates/${same.id}/`, { project: theirs.id });
    expect(await taken.json()).toEqual({
      __all__: ['Job template with this Name and Organization already exists.'],
    });
  });

  it("takes as a template's webhook credential only a token of its webhook service", async () => {
    const org = await named('organizations', 'Default');
    const credential = async (name: string, type: string) =>
      api.json<Obj>('POST', `${V2}/credentials/`, {
        name,
        organization: org.id,
        credential_type: (await named('credential_types', type)).id,
        inputs: {},
      });
    const github = await credential('GitHub token', 'GitHub Personal Access Token');
    const machine = await credential('Some login', 'Machine');
    const workflow = (name: string, webhook_service: string, webhook_credential: number) =>
      api.call('POST', `${V2}/workflow_job_templates/`, {
        name,
        organization: org.id,
        webhook_service,
        webhook_credential,
      });
    const mismatched = await workflow('Hooked on GitLab', 'gitlab', github.id);
    expect(mismatched.status).toBe(400);
    expect(await mismatched.json()).toEqual({
      webhook_credential: ['Must match the selected webhook service.'],
    });
    expect(await (await workflow('Hooked', 'github', machine.id)).json()).toEqual({
      webhook_credential: ['Must be a Personal Access Token.'],
    });
    expect((await workflow('Hooked on GitHub', 'github', github.id)).status).toBe(201);
  });

  it('refuses a smart inventory without a host filter, as AWX', async () => {
    const org = await named('organizations', 'Default');
    const inventory = await api.json<Obj>('POST', `${V2}/inventories/`, {
      name: 'Plain',
      organization: org.id,
    });
    const smart = await api.call('PATCH', `${V2}/inventories/${inventory.id}/`, { kind: 'smart' });
    expect(smart.status).toBe(400);
    expect(await smart.json()).toEqual({ host_filter: ['Smart inventories must specify host_filter'] });
    await api.json('POST', `${V2}/inventories/`, {
      name: 'Smart',
      organization: org.id,
      kind: 'smart',
      host_filter: 'name=foo',
    });
  });

  it('answers bad input with AWX error bodies and leaves the store unchanged', async () => {
    const org = await named('organizations', 'Default');
    await api.json('POST', `${V2}/inventories/`, { name: 'Taken', organization: org.id });
    const before = await storeContents(api.session.table);
    const cases: [string, string, unknown, number, Record<string, unknown>][] = [
      [
        'POST',
        'inventories',
        { name: 'Taken', organization: org.id },
        400,
        { __all__: ['Inventory with this Name and Organization already exists.'] },
      ],
      [
        'POST',
        'job_templates',
        { name: 'X', project: 999 },
        400,
        { project: ['Invalid pk "999" - object does not exist.'] },
      ],
      [
        'POST',
        'job_templates',
        { name: 'X', project: 'Local' },
        400,
        { project: ['Incorrect type. Expected pk value, received str.'] },
      ],
      [
        'POST',
        'job_templates',
        { name: 'X', job_type: 'walk' },
        400,
        { job_type: ['"walk" is not a valid choice.'] },
      ],
      [
        'POST',
        'job_templates',
        { name: 'X', verbosity: 9 },
        400,
        { verbosity: ['Ensure this value is less than or equal to 5.'] },
      ],
      ['POST', 'job_templates', { description: 'no name' }, 400, { name: ['This field is required.'] }],
      ['POST', 'inventories', '{"name": ', 400, { detail: expect.stringContaining('JSON parse error') }],
      ['POST', 'inventories', '[1]', 400, { detail: 'Invalid data. Expected a dictionary, but got list.' }],
      ['GET', 'projects/424242', undefined, 404, { detail: 'Not found.' }],
      ['PATCH', 'projects/424242', { name: 'x' }, 404, { detail: 'Not found.' }],
      ['POST', 'workflow_job_template_nodes/424242/success_nodes', { id: 1 }, 404, { detail: 'Not found.' }],
    ];
    for (const [method, path, body, status, answer] of cases) {
      const response = await api.call(method, `${V2}/${path}/`, body);
      expect([method, path, response.status]).toEqual([method, path, status]);
      expect(await response.json()).toEqual(answer);
    }
    expect(await storeContents(api.session.table)).toBe(before);
  });

  it('validates a survey spec with AWX save-time rules, and masks password defaults', async () => {
    const org = await named('organizations', 'Default');
    const wf = await api.json<Obj>('POST', `${V2}/workflow_job_templates/`, {
      name: 'Surveyed',
      organization: org.id,
    });
    const bad = await api.call('POST', `${V2}/workflow_job_templates/${wf.id}/survey_spec/`, {
      name: 's',
      description: '',
      spec: [],
    });
    expect(bad.status).toBe(400);
    // `index` is kept as AWX keeps it (its own API tests and the awx.awx collection's send it).
    const spec = {
      name: 's',
      description: '',
      spec: [
        {
          index: 0,
          question_name: 'Pw',
          variable: 'pw',
          type: 'password',
          required: true,
          default: 'sekret',
        },
      ],
    };
    await api.json('POST', `${V2}/workflow_job_templates/${wf.id}/survey_spec/`, spec, 200);
    const shown = await api.json<{ spec: { default: string; index: number }[] }>(
      'GET',
      `${V2}/workflow_job_templates/${wf.id}/survey_spec/`,
    );
    expect(shown.spec[0]).toMatchObject({ default: '$encrypted$', index: 0 });
  });
});
