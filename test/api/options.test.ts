import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleId } from '../../lib/access/roles';
import { DEFINITIONS } from '../../lib/catalog/resources';
import { openApiFixture, type ApiFixture } from './api-fixture';

let api: ApiFixture;
let plain: string;
type Obj = Record<string, unknown> & { id: number };
type Metadata = {
  name: string;
  actions: Record<string, Record<string, Record<string, unknown>>>;
  types: string[];
  search_fields: string[];
  related_search_fields: string[];
  object_roles?: string[];
  max_page_size?: number;
};
const V2 = '/api/v2';

beforeAll(async () => {
  api = await openApiFixture();
  const user = await api.services.accounts.createUser({
    name: 'reader',
    first_name: '',
    last_name: '',
    email: '',
    is_superuser: false,
  });
  plain = (await api.services.accounts.createToken(user)).token;
});
afterAll(() => api.close());

async function options(path: string, token?: string): Promise<{ allow: string | null; body: Metadata }> {
  const response = await api.call('OPTIONS', `${V2}/${path}`, undefined, token);
  expect(response.status).toBe(200);
  return { allow: response.headers.get('Allow'), body: (await response.json()) as Metadata };
}

describe('OPTIONS (AWX metadata from the field tables)', () => {
  it('describes a collection: what POST reads, what GET shows, how to search', async () => {
    const { allow, body } = await options('job_templates/');
    expect(allow).toBe('GET, POST, HEAD, OPTIONS');
    expect(body).toMatchObject({
      name: 'Job Template List',
      renders: ['application/json'],
      parses: ['application/json'],
      types: ['job_template'],
      search_fields: ['name', 'description', 'playbook'],
      related_search_fields: [],
      object_roles: ['admin_role', 'execute_role', 'read_role'],
      max_page_size: 200,
    });
    const post = body.actions.POST;
    expect(post.name).toEqual({
      type: 'string',
      required: true,
      label: 'Name',
      help_text: 'The name of this job template.',
      max_length: 512,
      filterable: true,
    });
    expect(post.job_type).toMatchObject({
      type: 'choice',
      required: false,
      default: 'run',
      choices: [
        ['run', 'Run'],
        ['check', 'Check'],
      ],
    });
    expect(post.verbosity).toMatchObject({ type: 'integer', default: 0, min_value: 0, max_value: 5 });
    expect(post.project).toMatchObject({
      type: 'id',
      default: null,
      help_text: 'The id of the project it refers to.',
    });
    expect(post.extra_vars).toMatchObject({ type: 'json', default: '' });
    expect(post.ask_limit_on_launch).toMatchObject({
      type: 'boolean',
      default: false,
      help_text: 'Whether a launch may set limit.',
    });
    expect(post.id).toBeUndefined();
    const get = body.actions.GET;
    expect(get.id).toMatchObject({ type: 'integer', label: 'ID', filterable: true });
    expect(get.type).toMatchObject({ type: 'choice', choices: [['job_template', 'Job template']] });
    expect(get.created).toMatchObject({ type: 'datetime', filterable: true });
    expect(get.status).toMatchObject({ type: 'string', filterable: false });
    expect(get.name).not.toHaveProperty('required');
    expect(get.name).not.toHaveProperty('default');
  });

  it('describes an object with PUT, and 404s one that does not exist', async () => {
    const org = (await api.json<{ results: Obj[] }>('GET', `${V2}/organizations/?name=Default`)).results[0];
    const { allow, body } = await options(`organizations/${org.id}/`);
    expect(allow).toBe('GET, PUT, PATCH, DELETE, HEAD, OPTIONS');
    expect(body.name).toBe('Organization Detail');
    expect(Object.keys(body.actions)).toEqual(['PUT', 'GET']);
    expect(body.actions.PUT.max_hosts).toMatchObject({ type: 'integer', min_value: 0 });
    expect(body).not.toHaveProperty('max_page_size');
    const missing = await api.call('OPTIONS', `${V2}/organizations/424242/`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: 'Not found.' });
  });

  it("shows POST and PUT as the caller's roles allow, and no PUT on a managed object", async () => {
    expect(Object.keys((await options('inventories/', plain)).body.actions)).toEqual(['GET']);
    const org = (await api.json<{ results: Obj[] }>('GET', `${V2}/organizations/?name=Default`)).results[0];
    const inventory = await api.json<Obj>('POST', `${V2}/inventories/`, {
      name: 'Mine',
      organization: org.id,
    });
    expect((await api.call('OPTIONS', `${V2}/inventories/${inventory.id}/`, undefined, plain)).status).toBe(
      403,
    );
    const reader = (await api.json<{ results: Obj[] }>('GET', `${V2}/users/?username=reader`)).results[0];
    const grant = (role: number) => api.json('POST', `${V2}/users/${reader.id}/roles/`, { id: role }, 204);
    await grant(roleId('inventory', inventory.id, 'read_role'));
    expect(Object.keys((await options(`inventories/${inventory.id}/`, plain)).body.actions)).toEqual(['GET']);
    await grant(roleId('organization', org.id, 'inventory_admin_role'));
    expect(Object.keys((await options('inventories/', plain)).body.actions)).toEqual(['POST', 'GET']);
    expect(Object.keys((await options(`inventories/${inventory.id}/`, plain)).body.actions)).toEqual([
      'PUT',
      'GET',
    ]);
    expect(Object.keys((await options('job_templates/', plain)).body.actions)).toEqual(['GET']);
    const machine = (await api.json<{ results: Obj[] }>('GET', `${V2}/credential_types/?name=Machine`))
      .results[0];
    expect(Object.keys((await options(`credential_types/${machine.id}/`)).body.actions)).toEqual(['GET']);
    expect((await api.api.request(`${V2}/inventories/`, { method: 'OPTIONS' })).status).toBe(401);
  });

  it('is generated for every kind from its field table: every field POST reads, and nothing else', async () => {
    for (const definition of DEFINITIONS) {
      const { body } = await options(`${definition.path}/`);
      expect([definition.path, Object.keys(body.actions.POST)]).toEqual([
        definition.path,
        Object.keys(definition.fields),
      ]);
      expect(body.types).toEqual([definition.type]);
      for (const name of Object.keys(definition.fields)) expect(body.actions.GET[name]).toBeDefined();
    }
  });
});
