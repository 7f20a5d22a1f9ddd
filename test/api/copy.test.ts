import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DefinitionRecord } from '../../lib/catalog/definition';
import { keptSecrets, storeContents } from '../support/stored-secrets';
import { openApiFixture, type ApiFixture } from './api-fixture';

let api: ApiFixture;
type Obj = Record<string, unknown> & { id: number };
type Page = { count: number; results: Obj[] };
const V2 = '/api/v2';
let org: number;
let machine: number;
let bob: string;
let bobId: number;

beforeAll(async () => {
  api = await openApiFixture();
  const first = async (path: string) => (await api.json<Page>('GET', `${V2}/${path}`)).results[0].id;
  org = await first('organizations/?name=Default');
  machine = await first('credential_types/?name=Machine');
  ({ id: bobId, token: bob } = await userWithToken('bob'));
});
afterAll(() => api.close());

/** A user without roles, and a token of theirs. */
async function userWithToken(name: string): Promise<{ id: number; token: string }> {
  const user = await api.services.accounts.createUser({
    name,
    first_name: '',
    last_name: '',
    email: '',
    is_superuser: false,
  });
  return { id: user.id, token: (await api.services.accounts.createToken(user)).token };
}

const post = <T = Obj>(path: string, body: unknown, status?: number) =>
  api.json<T>('POST', `${V2}/${path}`, body, status);
const get = <T = Obj>(path: string) => api.json<T>('GET', `${V2}/${path}`);
const copy = (path: string, id: number, name: string) => post(`${path}/${id}/copy/`, { name });
const as = (token: string, method: string, path: string, body?: unknown) =>
  api.call(method, `${V2}/${path}`, body, token);
const twin = () => keptSecrets(api.session.secrets.client);
const sshCredential = (name: string) =>
  post('credentials/', { name, credential_type: machine, organization: org });
const roleOf = (object: Obj, field: string) =>
  (object.summary_fields as { object_roles: Record<string, { id: number }> }).object_roles[field].id;

/** An object as its detail shows it, without what differs between an original and its copy. */
function alike(shown: Obj): Obj {
  const {
    id: _id,
    name: _name,
    url: _url,
    created: _c,
    modified: _m,
    related: _r,
    summary_fields: _s,
    ...rest
  } = shown;
  return rest as Obj;
}

async function membersOf(path: string): Promise<Obj[]> {
  return (await get<Page>(`${path}?page_size=200&order_by=id`)).results;
}

describe('copy: GET and POST …/copy/ of the kinds AWX copies', () => {
  it('copies a project with its fields but no folder, answering the copy as its detail shows it', async () => {
    const project = await post('projects/', {
      name: 'Playbooks',
      organization: org,
      scm_type: 'git',
      scm_url: 'https://example.com/playbooks.git',
      scm_branch: 'main',
      local_path: 'kept-for-one',
    });
    expect((project.related as Record<string, string>).copy).toBe(`${V2}/projects/${project.id}/copy/`);
    expect(await get(`projects/${project.id}/copy/`)).toEqual({ can_copy: true });
    const response = await api.call('POST', `${V2}/projects/${project.id}/copy/`, { name: 'Playbooks 2' });
    expect(response.status).toBe(201);
    const copied = (await response.json()) as Obj;
    expect(response.headers.get('Location')).toBe(`${V2}/projects/${copied.id}/`);
    expect(copied).toEqual(await get(`projects/${copied.id}/`));
    expect(copied.name).toBe('Playbooks 2');
    expect(alike(copied)).toEqual({ ...alike(project), local_path: '' });
  });

  it('copies a job template with its survey, labels, credentials and instance groups, not its notifications', async () => {
    const label = await post('labels/', { name: 'prod', organization: org });
    const group = await post('instance_groups/', { name: 'workers' });
    const ssh = await sshCredential('ssh for jt');
    const chat = await post('notification_templates/', {
      name: 'chat for jt',
      organization: org,
      notification_type: 'slack',
      notification_configuration: { token: 'xoxb-copy', channels: ['#ops'] },
    });
    const jt = await post('job_templates/', {
      name: 'Deploy',
      organization: org,
      playbook: 'deploy.yml',
      verbosity: 2,
      survey_enabled: true,
      ask_limit_on_launch: true,
    });
    for (const [list, id] of [
      ['labels', label.id],
      ['instance_groups', group.id],
      ['credentials', ssh.id],
      ['notification_templates_success', chat.id],
    ] as const)
      await post(`job_templates/${jt.id}/${list}/`, { id }, 204);
    const survey = {
      name: 'ask',
      description: '',
      spec: [{ variable: 'release', question_name: 'Release?', type: 'text', required: true, default: 'v1' }],
    };
    await post(`job_templates/${jt.id}/survey_spec/`, survey, 200);
    const original = await get(`job_templates/${jt.id}/`);
    const copied = await copy('job_templates', jt.id, 'Deploy again');
    expect(alike(copied)).toEqual(alike(original));
    const ids = async (list: string) =>
      (await membersOf(`job_templates/${copied.id}/${list}/`)).map((o) => o.id);
    expect(await ids('labels')).toEqual([label.id]);
    expect(await ids('instance_groups')).toEqual([group.id]);
    expect(await ids('credentials')).toEqual([ssh.id]);
    expect(await ids('notification_templates_success')).toEqual([]);
    expect(await get(`job_templates/${copied.id}/survey_spec/`)).toEqual(survey);
  });

  it('copies an inventory with its hosts and groups (their hierarchy and members), not its sources', async () => {
    const group = await post('instance_groups/', { name: 'inventory workers' });
    const inventory = await post('inventories/', {
      name: 'Fleet',
      organization: org,
      variables: 'region: eu',
    });
    await post(`inventories/${inventory.id}/instance_groups/`, { id: group.id }, 204);
    const host = (name: string) =>
      post(`inventories/${inventory.id}/hosts/`, {
        name,
        variables: `{"at": "${name}"}`,
        enabled: name !== 'db2',
      });
    const [web1, db1, db2] = [await host('web1'), await host('db1'), await host('db2')];
    const all = await post(`inventories/${inventory.id}/groups/`, { name: 'all-servers', variables: 'x: 1' });
    const dbs = await post(`inventories/${inventory.id}/groups/`, { name: 'dbs' });
    await post(`groups/${all.id}/children/`, { id: dbs.id }, 204);
    await post(`groups/${all.id}/hosts/`, { id: web1.id }, 204);
    for (const db of [db1, db2]) await post(`groups/${dbs.id}/hosts/`, { id: db.id }, 204);
    await post(`hosts/${db1.id}/groups/`, { id: dbs.id }, 204);
    await post(`inventories/${inventory.id}/inventory_sources/`, { name: 'from git', source: 'scm' });

    const copied = await copy('inventories', inventory.id, 'Fleet copy');
    expect(alike(copied)).toEqual(alike(inventory));
    expect((await membersOf(`inventories/${copied.id}/instance_groups/`)).map((g) => g.id)).toEqual([
      group.id,
    ]);
    expect(await membersOf(`inventories/${copied.id}/inventory_sources/`)).toEqual([]);
    const hosts = await membersOf(`inventories/${copied.id}/hosts/`);
    const groups = await membersOf(`inventories/${copied.id}/groups/`);
    expect(hosts.map((h) => [h.name, h.variables, h.enabled])).toEqual([
      ['web1', '{"at": "web1"}', true],
      ['db1', '{"at": "db1"}', true],
      ['db2', '{"at": "db2"}', false],
    ]);
    expect(groups.map((g) => [g.name, g.variables])).toEqual([
      ['all-servers', 'x: 1'],
      ['dbs', ''],
    ]);
    const id = Object.fromEntries([...hosts, ...groups].map((o) => [o.name, o.id]));
    const names = async (path: string) => (await membersOf(path)).map((o) => o.name);
    expect(await names(`groups/${id['all-servers']}/children/`)).toEqual(['dbs']);
    expect(await names(`groups/${id['all-servers']}/hosts/`)).toEqual(['web1']);
    expect(await names(`groups/${id.dbs}/hosts/`)).toEqual(['db1', 'db2']);
    expect(await names(`hosts/${id.db1}/groups/`)).toEqual(['dbs']);
    expect(await names(`groups/${id['all-servers']}/all_hosts/`)).toEqual(['web1', 'db1', 'db2']);
    // The original keeps its own.
    expect(await names(`groups/${dbs.id}/hosts/`)).toEqual(['db1', 'db2']);
  });

  it('copies an execution environment', async () => {
    const ee = await post('execution_environments/', { name: 'EE', image: 'quay.io/ansible/awx-ee:latest' });
    expect(alike(await copy('execution_environments', ee.id, 'EE 2'))).toEqual(alike(ee));
  });
});

describe("copy: a workflow's nodes", () => {
  it('copies the nodes with their prompts and edges, and each approval node with an approval template of its own', async () => {
    const jt = await post('job_templates/', { name: 'Step', organization: org, playbook: 'step.yml' });
    const label = await post('labels/', { name: 'flows', organization: org });
    const ssh = await sshCredential('ssh for nodes');
    const wf = await post('workflow_job_templates/', {
      name: 'Release',
      organization: org,
      extra_vars: '{"tier": "prod"}',
      survey_enabled: false,
    });
    await post(`workflow_job_templates/${wf.id}/labels/`, { id: label.id }, 204);
    const node = (identifier: string, extra: Record<string, unknown> = {}) =>
      post(`workflow_job_templates/${wf.id}/workflow_nodes/`, {
        identifier,
        unified_job_template: jt.id,
        ...extra,
      });
    const build = await node('build', {
      limit: 'web',
      extra_data: { color: 'blue' },
      all_parents_must_converge: false,
    });
    const gate = await node('gate', { unified_job_template: null });
    const approval = await post(`workflow_job_template_nodes/${gate.id}/create_approval_template/`, {
      name: 'Go?',
      description: 'ask ops',
      timeout: 600,
    });
    const ship = await node('ship', { all_parents_must_converge: true, job_tags: 'deploy' });
    const undo = await node('undo');
    await post(`workflow_job_template_nodes/${ship.id}/credentials/`, { id: ssh.id }, 204);
    await post(`workflow_job_template_nodes/${build.id}/success_nodes/`, { id: gate.id }, 204);
    await post(`workflow_job_template_nodes/${gate.id}/success_nodes/`, { id: ship.id }, 204);
    await post(`workflow_job_template_nodes/${build.id}/failure_nodes/`, { id: undo.id }, 204);
    await post(`workflow_job_template_nodes/${ship.id}/always_nodes/`, { id: undo.id }, 204);

    expect(await get(`workflow_job_templates/${wf.id}/copy/`)).toEqual({
      can_copy: true,
      can_copy_without_user_input: true,
      templates_unable_to_copy: [],
      credentials_unable_to_copy: [],
      inventories_unable_to_copy: [],
    });
    const copied = await copy('workflow_job_templates', wf.id, 'Release copy');
    expect(alike(copied)).toEqual(alike(wf));
    expect((await membersOf(`workflow_job_templates/${copied.id}/labels/`)).map((l) => l.id)).toEqual([
      label.id,
    ]);

    const originals = await membersOf(`workflow_job_templates/${wf.id}/workflow_nodes/`);
    const copies = await membersOf(`workflow_job_templates/${copied.id}/workflow_nodes/`);
    expect(copies).toHaveLength(4);
    const byId = (nodes: Obj[]) => new Map(nodes.map((n) => [n.id, n.identifier]));
    // A node as it reads, its edges by identifier, without its own ids.
    const shape = (nodes: Obj[]) =>
      nodes.map((n) => {
        const identifiers = byId(nodes);
        const edges = (list: string) => (n[list] as number[]).map((id) => identifiers.get(id));
        const {
          id: _id,
          url: _u,
          created: _c,
          modified: _m,
          related: _r,
          summary_fields: _s,
          workflow_job_template: _w,
          unified_job_template: _t,
          ...rest
        } = n;
        return {
          ...rest,
          success_nodes: edges('success_nodes'),
          failure_nodes: edges('failure_nodes'),
          always_nodes: edges('always_nodes'),
        };
      });
    expect(shape(copies)).toEqual(shape(originals));
    const copiedNode = (identifier: string) => copies.find((n) => n.identifier === identifier)!;
    expect(copies.every((n) => n.workflow_job_template === copied.id)).toBe(true);
    expect(copiedNode('build').unified_job_template).toBe(jt.id);
    expect(copiedNode('build')).toMatchObject({ limit: 'web', extra_data: { color: 'blue' } });
    expect(
      (await membersOf(`workflow_job_template_nodes/${copiedNode('ship').id}/credentials/`)).map((c) => c.id),
    ).toEqual([ssh.id]);
    // AWX gives the copy an approval template of its own, named as a copy.
    const template = copiedNode('gate').unified_job_template as number;
    expect(template).not.toBe(approval.id);
    expect(await get(`workflow_approval_templates/${template}/`)).toMatchObject({
      name: 'Go? copy',
      description: 'ask ops',
      timeout: 600,
    });
    // The original is untouched.
    expect(originals.find((n) => n.identifier === 'gate')!.unified_job_template).toBe(approval.id);
  });

  it('records the copy as AWX does: one create, nothing of its lists or nodes', async () => {
    const wf = await post('workflow_job_templates/', { name: 'Audited', organization: org });
    const label = await post('labels/', { name: 'audited', organization: org });
    await post(`workflow_job_templates/${wf.id}/labels/`, { id: label.id }, 204);
    await post(`workflow_job_templates/${wf.id}/workflow_nodes/`, { identifier: 'only' });
    const before = (await get<Page>('activity_stream/?page_size=1')).count;
    const copied = await copy('workflow_job_templates', wf.id, 'Audited copy');
    const entries = (await get<Page>(`activity_stream/?order_by=id&page_size=200`)).results.slice(before);
    expect(entries.map((e) => [e.operation, e.object1])).toEqual([['create', 'workflow_job_template']]);
    expect((entries[0].changes as Record<string, unknown>).id).toBe(copied.id);
  });
});

describe('copy: secrets', () => {
  it("keeps a credential's secrets anew for the copy, which keeps them when the original is deleted", async () => {
    const original = await post('credentials/', {
      name: 'deploy key',
      credential_type: machine,
      organization: org,
      inputs: { username: 'deploy', password: 'copy-canary-password', ssh_key_data: 'copy-canary-key' },
    });
    const copied = await copy('credentials', original.id, 'deploy key 2');
    expect(copied.inputs).toEqual({
      username: 'deploy',
      password: '$encrypted$',
      ssh_key_data: '$encrypted$',
    });
    const record = await api.services.catalog.get<DefinitionRecord>('credential', copied.id);
    expect(record.inputs).toEqual({
      username: 'deploy',
      password: { secret: `towerless/credentials/${copied.id}/password` },
      ssh_key_data: { secret: `towerless/credentials/${copied.id}/ssh_key_data` },
    });
    await api.json('DELETE', `${V2}/credentials/${original.id}/`, undefined, 204);
    const kept = await twin();
    expect(kept[`towerless/credentials/${copied.id}/password`]).toBe('copy-canary-password');
    expect(kept[`towerless/credentials/${copied.id}/ssh_key_data`]).toBe('copy-canary-key');
    expect(
      Object.keys(kept).filter((name) => name.startsWith(`towerless/credentials/${original.id}/`)),
    ).toEqual([]);
    const stored = await storeContents(api.session.table);
    expect(stored).not.toContain('copy-canary');
  });

  it("keeps a notification template's secrets anew, and a secret the user manages stays a reference", async () => {
    const original = await post('notification_templates/', {
      name: 'hook',
      organization: org,
      notification_type: 'webhook',
      notification_configuration: {
        url: 'https://hooks.example.com',
        password: 'copy-canary-hook',
        headers: { 'X-Token': { secret: 'ops/header' } },
      },
    });
    const copied = await copy('notification_templates', original.id, 'hook 2');
    const record = await api.services.catalog.get<DefinitionRecord>('notification_template', copied.id);
    expect(record.notification_configuration).toEqual({
      url: 'https://hooks.example.com',
      password: { secret: `towerless/notification_templates/${copied.id}/password` },
      headers: { 'X-Token': { secret: 'ops/header' } },
    });
    expect((await twin())[`towerless/notification_templates/${copied.id}/password`]).toBe('copy-canary-hook');
    expect(await storeContents(api.session.table)).not.toContain('copy-canary-hook');
  });
});

describe('copy: names and permissions', () => {
  it('refuses a missing or blank name, the original name, and a name taken, as AWX does', async () => {
    const jt = await post('job_templates/', { name: 'Named', organization: org, playbook: 'x.yml' });
    await post('job_templates/', { name: 'Taken', organization: org, playbook: 'x.yml' });
    const refused = async (body: unknown) => {
      const response = await api.call('POST', `${V2}/job_templates/${jt.id}/copy/`, body);
      expect(response.status).toBe(400);
      return response.json();
    };
    expect(await refused({})).toEqual({ name: ['This field is required.'] });
    expect(await refused({ name: ' ' })).toEqual({ name: ['This field may not be blank.'] });
    expect(await refused({ name: 'Named' })).toEqual({
      non_field_errors: [
        'The original object is already named Named, a copy from it cannot have the same name.',
      ],
    });
    expect(await refused({ name: 'Taken' })).toEqual({
      __all__: ['Job template with this Name and Organization already exists.'],
    });
  });

  it('answers 404 for an object that does not exist, and only for the kinds AWX copies', async () => {
    expect((await api.call('GET', `${V2}/job_templates/999999/copy/`)).status).toBe(404);
    expect((await api.call('POST', `${V2}/inventories/999999/copy/`, { name: 'x' })).status).toBe(404);
    const team = await post('teams/', { name: 'Ops', organization: org });
    expect((await api.call('POST', `${V2}/teams/${team.id}/copy/`, { name: 'Ops 2' })).status).toBe(404);
  });

  it('refuses a user without roles (403), and tells a reader who may not create that they cannot copy', async () => {
    const jt = await post('job_templates/', { name: 'Guarded', organization: org, playbook: 'x.yml' });
    expect((await as(bob, 'GET', `job_templates/${jt.id}/copy/`)).status).toBe(403);
    expect((await as(bob, 'POST', `job_templates/${jt.id}/copy/`, { name: 'Mine' })).status).toBe(403);
    await post(`roles/${roleOf(jt, 'read_role')}/users/`, { id: bobId }, 204);
    expect(await (await as(bob, 'GET', `job_templates/${jt.id}/copy/`)).json()).toEqual({ can_copy: false });
    const refused = await as(bob, 'POST', `job_templates/${jt.id}/copy/`, { name: 'Mine' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ detail: 'You do not have permission to perform this action.' });
    const wf = await post('workflow_job_templates/', { name: 'Guarded flow', organization: org });
    await post(`roles/${roleOf(wf, 'read_role')}/users/`, { id: bobId }, 204);
    expect(await (await as(bob, 'GET', `workflow_job_templates/${wf.id}/copy/`)).json()).toEqual({
      can_copy: false,
      can_copy_without_user_input: false,
      templates_unable_to_copy: ['all'],
      credentials_unable_to_copy: ['all'],
      inventories_unable_to_copy: ['all'],
    });
  });

  it("lets a workflow admin copy a workflow, leaving out of its nodes what they may not use, as AWX's workflow copy", async () => {
    const carol = await userWithToken('carol');
    const token = carol.token;
    const workflowAdmin = roleOf(await get(`organizations/${org}/`), 'workflow_admin_role');
    await post(`roles/${workflowAdmin}/users/`, { id: carol.id }, 204);
    const jt = await post('job_templates/', { name: 'Locked step', organization: org, playbook: 'x.yml' });
    const inventory = await post('inventories/', { name: 'Locked hosts', organization: org });
    const ssh = await sshCredential('locked ssh');
    const wf = await post('workflow_job_templates/', { name: 'Carol flow', organization: org });
    const node = await post(`workflow_job_templates/${wf.id}/workflow_nodes/`, {
      identifier: 'step',
      unified_job_template: jt.id,
      inventory: inventory.id,
    });
    await post(`workflow_job_template_nodes/${node.id}/credentials/`, { id: ssh.id }, 204);

    expect(await (await as(token, 'GET', `workflow_job_templates/${wf.id}/copy/`)).json()).toEqual({
      can_copy: true,
      can_copy_without_user_input: false,
      templates_unable_to_copy: ['Locked step'],
      credentials_unable_to_copy: ['locked ssh'],
      inventories_unable_to_copy: ['Locked hosts'],
    });
    const response = await as(token, 'POST', `workflow_job_templates/${wf.id}/copy/`, {
      name: 'Carol flow 2',
    });
    expect(response.status).toBe(201);
    const copied = (await response.json()) as Obj;
    const [step] = await membersOf(`workflow_job_templates/${copied.id}/workflow_nodes/`);
    expect(step).toMatchObject({ identifier: 'step', unified_job_template: null, inventory: null });
    expect(await membersOf(`workflow_job_template_nodes/${step.id}/credentials/`)).toEqual([]);
    // The admin's own copy keeps everything.
    const whole = await copy('workflow_job_templates', wf.id, 'Carol flow 3');
    const [kept] = await membersOf(`workflow_job_templates/${whole.id}/workflow_nodes/`);
    expect(kept).toMatchObject({ unified_job_template: jt.id, inventory: inventory.id });
  });
});
