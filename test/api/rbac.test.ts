import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endedWorkflowJob } from '../support/api-waits';
import { openApiFixture, type ApiFixture } from './api-fixture';

let api: ApiFixture;
type Obj = Record<string, unknown> & { id: number };
type Page = { count: number; results: Obj[] };
const V2 = '/api/v2';
const tokens: Record<string, string> = {};
const users: Record<string, number> = {};
let org: Obj;
let gated: Obj;

beforeAll(async () => {
  api = await openApiFixture();
  for (const name of ['bob', 'carol']) {
    const user = await api.services.accounts.createUser({
      name,
      first_name: '',
      last_name: '',
      email: '',
      is_superuser: false,
    });
    users[name] = user.id;
    tokens[name] = (await api.services.accounts.createToken(user)).token;
  }
  org = (await api.json<Page>('GET', `${V2}/organizations/?name=Default`)).results[0];
  gated = await api.json<Obj>('POST', `${V2}/workflow_job_templates/`, {
    name: 'Gated',
    organization: org.id,
  });
  const gate = await api.json<Obj>('POST', `${V2}/workflow_job_templates/${gated.id}/workflow_nodes/`, {
    identifier: 'gate',
  });
  await api.json('POST', `${V2}/workflow_job_template_nodes/${gate.id}/create_approval_template/`, {
    name: 'Go?',
  });
});
afterAll(() => api.close());

const as = (user: string, method: string, path: string, body?: unknown) =>
  api.call(method, path, body, tokens[user]);
const roleOf = (object: Obj, field: string) =>
  (object.summary_fields as { object_roles: Record<string, { id: number }> }).object_roles[field].id;

describe('roles: a user sees and does what a role grants, and nothing more', () => {
  it('refuses a user without roles: lists are empty, details 403, changes 403', async () => {
    expect(((await (await as('bob', 'GET', `${V2}/workflow_job_templates/`)).json()) as Page).count).toBe(0);
    expect((await as('bob', 'GET', `${V2}/workflow_job_templates/${gated.id}/`)).status).toBe(403);
    expect((await as('bob', 'POST', `${V2}/workflow_job_templates/${gated.id}/launch/`, {})).status).toBe(
      403,
    );
    expect(
      (await as('bob', 'PATCH', `${V2}/workflow_job_templates/${gated.id}/`, { name: 'Mine' })).status,
    ).toBe(403);
    const create = await as('bob', 'POST', `${V2}/job_templates/`, { name: 'X', organization: org.id });
    expect(create.status).toBe(403);
    expect(await create.json()).toEqual({ detail: 'You do not have permission to perform this action.' });
    expect((await as('bob', 'POST', `${V2}/organizations/`, { name: 'Own' })).status).toBe(403);
  });

  it('execute lets a user see and launch a workflow, not change it nor approve in it', async () => {
    const execute = roleOf(gated, 'execute_role');
    await api.json('POST', `${V2}/roles/${execute}/users/`, { id: users.bob }, 204);
    const holders = await api.json<Page>('GET', `${V2}/roles/${execute}/users/`);
    expect(holders.results.map((user) => user.username)).toEqual(['bob']);
    expect(
      ((await (await as('bob', 'GET', `${V2}/workflow_job_templates/`)).json()) as Page).results.map(
        (w) => w.name,
      ),
    ).toEqual(['Gated']);
    const launched = await as('bob', 'POST', `${V2}/workflow_job_templates/${gated.id}/launch/`, {});
    expect(launched.status).toBe(201);
    const job = (await launched.json()) as Obj;
    expect(
      (await as('bob', 'PATCH', `${V2}/workflow_job_templates/${gated.id}/`, { name: 'Mine' })).status,
    ).toBe(403);
    expect((await as('carol', 'GET', `${V2}/workflow_jobs/${job.id}/`)).status).toBe(403);
    let approval: Obj | undefined;
    for (let i = 0; i < 100 && !approval; i++) {
      approval = (await api.json<Page>('GET', `${V2}/workflow_approvals/?status=pending`)).results[0];
      if (!approval) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await as('bob', 'POST', `${V2}/workflow_approvals/${approval!.id}/approve/`, {})).status).toBe(
      403,
    );

    // The approval role, held through a team, lets bob approve.
    const team = await api.json<Obj>('POST', `${V2}/teams/`, { name: 'Ops', organization: org.id });
    await api.json('POST', `${V2}/teams/${team.id}/users/`, { id: users.bob }, 204);
    await api.json('POST', `${V2}/teams/${team.id}/roles/`, { id: roleOf(gated, 'approval_role') }, 204);
    expect((await as('bob', 'POST', `${V2}/workflow_approvals/${approval!.id}/approve/`, {})).status).toBe(
      204,
    );
    expect((await endedWorkflowJob(api, job.id)).status).toBe('successful');

    await api.json('POST', `${V2}/roles/${execute}/users/`, { id: users.bob, disassociate: true }, 204);
    await api.json('POST', `${V2}/teams/${team.id}/users/`, { id: users.bob, disassociate: true }, 204);
    expect(((await (await as('bob', 'GET', `${V2}/workflow_job_templates/`)).json()) as Page).count).toBe(0);
  }, 30_000);

  it('an organization admin creates and changes what is in the organization', async () => {
    await api.json('POST', `${V2}/organizations/${org.id}/admins/`, { id: users.carol }, 204);
    const created = await as('carol', 'POST', `${V2}/inventories/`, { name: 'Carols', organization: org.id });
    expect(created.status).toBe(201);
    const inventory = (await created.json()) as Obj;
    expect(
      (await as('carol', 'POST', `${V2}/inventories/${inventory.id}/hosts/`, { name: 'web1' })).status,
    ).toBe(201);
    expect(
      (await as('carol', 'PATCH', `${V2}/workflow_job_templates/${gated.id}/`, { description: 'hers' }))
        .status,
    ).toBe(200);
    expect((await as('carol', 'POST', `${V2}/users/`, { username: 'dave' })).status).toBe(403);
    const roles = await as('carol', 'GET', `${V2}/users/${users.carol}/roles/`);
    expect(((await roles.json()) as Page).results.map((role) => role.name)).toEqual(['Admin']);
  });

  it('an organization admin creates users in the organization, and changes and deletes its members only', async () => {
    await api.json('POST', `${V2}/organizations/${org.id}/admins/`, { id: users.carol }, 204);
    const created = await as('carol', 'POST', `${V2}/organizations/${org.id}/users/`, {
      username: 'erin',
      password: 'erin-secret',
    });
    expect(created.status).toBe(201);
    const erin = (await created.json()) as Obj;
    expect(erin).toMatchObject({ type: 'user', username: 'erin', password: '$encrypted$' });
    const members = await api.json<Page>('GET', `${V2}/organizations/${org.id}/users/`);
    expect(members.results.map((user) => user.username)).toContain('erin');
    const basic = Buffer.from('erin:erin-secret').toString('base64');
    const login = await api.api.request(`${V2}/tokens/`, {
      method: 'POST',
      headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(login.status).toBe(201);
    // Posting to /users/ stays the superusers'; nobody else makes a superuser.
    expect((await as('carol', 'POST', `${V2}/users/`, { username: 'frank' })).status).toBe(403);
    expect(
      (
        await as('carol', 'POST', `${V2}/organizations/${org.id}/users/`, {
          username: 'g',
          is_superuser: true,
        })
      ).status,
    ).toBe(403);
    expect((await as('carol', 'PATCH', `${V2}/users/${erin.id}/`, { last_name: 'E' })).status).toBe(200);
    expect((await as('carol', 'PATCH', `${V2}/users/${erin.id}/`, { is_superuser: true })).status).toBe(403);
    expect((await as('carol', 'PATCH', `${V2}/users/${users.carol}/`, { is_superuser: true })).status).toBe(
      403,
    );
    // bob is in no organization: only superusers change him; nobody deletes themselves.
    expect((await as('carol', 'PATCH', `${V2}/users/${users.bob}/`, { last_name: 'B' })).status).toBe(403);
    expect((await as('carol', 'DELETE', `${V2}/users/${users.carol}/`)).status).toBe(403);
    expect((await as('bob', 'POST', `${V2}/organizations/${org.id}/users/`, { username: 'h' })).status).toBe(
      403,
    );
    expect((await as('carol', 'DELETE', `${V2}/users/${erin.id}/`)).status).toBe(204);
  });
});
