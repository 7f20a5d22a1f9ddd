import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, type ApiFixture } from './api-fixture';

let fixture: ApiFixture;
let admin: string;
let plain: string;

beforeAll(async () => {
  fixture = await openApiFixture();
  const { accounts } = fixture.services;
  admin = fixture.admin;
  const user = await accounts.createUser(
    { name: 'alice', first_name: 'A', last_name: 'L', email: '', is_superuser: false },
    'wonderland',
  );
  plain = (await accounts.createToken(user)).token;
});
afterAll(() => fixture.close());

function call(method: string, path: string, token = admin, body?: unknown) {
  return fixture.call(method, path, body, token);
}

describe('the API (AWX v2 shapes)', () => {
  it('answers ping without a token, and says it is AWX', async () => {
    const response = await fixture.api.request('/api/v2/ping/');
    expect(response.status).toBe(200);
    expect(response.headers.get('X-API-Product-Name')).toBe('AWX');
    expect(await response.json()).toMatchObject({ ha: false, version: expect.any(String) });
  });

  it('lists what it has at /api/v2/, as AWX does', async () => {
    const root = (await (await fixture.api.request('/api/v2/')).json()) as Record<string, string>;
    expect(root).toMatchObject({ ping: '/api/v2/ping/', organizations: '/api/v2/organizations/' });
    for (const path of Object.values(root)) expect((await call('GET', path)).status).toBe(200);
  });

  it('refuses a missing or wrong token with 401 and AWX detail', async () => {
    const missing = await fixture.api.request('/api/v2/me/');
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
    expect((await call('GET', '/api/v2/me/', 'not-a-token')).status).toBe(401);
  });

  it('redirects a path without its trailing slash, as AWX does', async () => {
    const response = await call('GET', '/api/v2/me');
    expect(response.status).toBe(301);
    expect(response.headers.get('Location')).toMatch(/\/api\/v2\/me\/$/);
  });

  it('logs in with Basic auth to get a token, shown once, that then works', async () => {
    const basic = Buffer.from('alice:wonderland').toString('base64');
    const created = await fixture.api.request('/api/v2/tokens/', {
      method: 'POST',
      headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ description: 'awx.awx', scope: 'write' }),
    });
    expect(created.status).toBe(201);
    const { token, id } = (await created.json()) as { token: string; id: number };
    const me = (await (await call('GET', '/api/v2/me/', token)).json()) as {
      results: { username: string; password: string }[];
    };
    expect(me.results[0]).toMatchObject({ username: 'alice', password: '$encrypted$' });
    const listed = (await (await call('GET', '/api/v2/tokens/', token)).json()) as {
      results: { id: number; token: string }[];
    };
    expect(listed.results.find((t) => t.id === id)?.token).toBe('************');
    expect((await call('DELETE', `/api/v2/tokens/${id}/`, token)).status).toBe(204);
    expect((await call('GET', '/api/v2/me/', token)).status).toBe(401);
    const wrong = Buffer.from('alice:nope').toString('base64');
    expect(
      (await fixture.api.request('/api/v2/me/', { headers: { Authorization: `Basic ${wrong}` } })).status,
    ).toBe(401);
  });

  it('filters tokens as every list, so the awx.awx token module finds one by ?id=', async () => {
    const ids: number[] = [];
    for (const description of ['alpha', 'beta'])
      ids.push((await fixture.json<{ id: number }>('POST', '/api/v2/tokens/', { description })).id);
    const found = await fixture.json<{ count: number; results: { id: number }[] }>(
      'GET',
      `/api/v2/tokens/?id=${ids[1]}`,
    );
    expect(found.results.map((token) => token.id)).toEqual([ids[1]]);
    const searched = await fixture.json<{ count: number }>('GET', '/api/v2/tokens/?search=alpha');
    expect(searched.count).toBe(1);
  });

  it("reads a boolean in a filter as AWX does (the awx.awx lookup plugin sends Python's True)", async () => {
    for (const value of ['True', 'true', '1']) {
      const admins = await fixture.json<{ results: { username: string }[] }>(
        'GET',
        `/api/v2/users/?is_superuser=${value}`,
      );
      expect(admins.results.map((user) => user.username)).toEqual(['admin']);
    }
    const others = await fixture.json<{ results: { username: string }[] }>(
      'GET',
      '/api/v2/users/?is_superuser=False',
    );
    expect(others.results.map((user) => user.username)).toEqual(['alice']);
  });

  it('organizations: Default exists; create, read, rename, filter, page, delete', async () => {
    const list = (await (await call('GET', '/api/v2/organizations/?name=Default')).json()) as {
      count: number;
      results: { name: string; url: string }[];
    };
    expect(list.count).toBe(1);
    expect(list.results[0].url).toMatch(/^\/api\/v2\/organizations\/\d+\/$/);
    const created = await call('POST', '/api/v2/organizations/', admin, {
      name: 'Ops',
      description: 'operations',
    });
    expect(created.status).toBe(201);
    const ops = (await created.json()) as { id: number; type: string; related: Record<string, string> };
    expect(ops.type).toBe('organization');
    expect(ops.related.job_templates).toBe(`/api/v2/organizations/${ops.id}/job_templates/`);
    const renamed = await call('PATCH', `/api/v2/organizations/${ops.id}/`, admin, { name: 'Operations' });
    expect(((await renamed.json()) as { name: string }).name).toBe('Operations');
    const found = (await (await call('GET', '/api/v2/organizations/?name__icontains=OPER')).json()) as {
      count: number;
    };
    expect(found.count).toBe(1);
    for (let i = 0; i < 3; i++) await call('POST', '/api/v2/organizations/', admin, { name: `Team ${i}` });
    const page = (await (await call('GET', '/api/v2/organizations/?page_size=2&order_by=-id')).json()) as {
      count: number;
      next: string;
      results: unknown[];
    };
    expect(page).toMatchObject({ count: 5, next: '/api/v2/organizations/?page_size=2&order_by=-id&page=2' });
    expect(page.results).toHaveLength(2);
    expect((await call('DELETE', `/api/v2/organizations/${ops.id}/`)).status).toBe(204);
    expect((await call('GET', `/api/v2/organizations/${ops.id}/`)).status).toBe(404);
  });

  it('users: a superuser creates one with a password it can log in with; the password never shows', async () => {
    const created = await call('POST', '/api/v2/users/', admin, {
      username: 'bob',
      password: 'builder-pass',
      email: 'bob@example.com',
    });
    expect(created.status).toBe(201);
    const bob = (await created.json()) as { id: number; password: string; is_superuser: boolean };
    expect(bob).toMatchObject({ password: '$encrypted$', is_superuser: false });
    const basic = Buffer.from('bob:builder-pass').toString('base64');
    expect(
      (await fixture.api.request('/api/v2/me/', { headers: { Authorization: `Basic ${basic}` } })).status,
    ).toBe(200);
    const again = await call('POST', '/api/v2/users/', admin, { username: 'bob' });
    expect(await again.json()).toEqual({ username: ['A user with that username already exists.'] });
    expect((await call('POST', '/api/v2/users/', plain, { username: 'eve' })).status).toBe(403);
    await call('PATCH', `/api/v2/users/${bob.id}/`, admin, { password: 'new-pass-1' });
    expect(
      (await fixture.api.request('/api/v2/me/', { headers: { Authorization: `Basic ${basic}` } })).status,
    ).toBe(401);
    const renewed = Buffer.from('bob:new-pass-1').toString('base64');
    expect(
      (await fixture.api.request('/api/v2/me/', { headers: { Authorization: `Basic ${renewed}` } })).status,
    ).toBe(200);
    const listed = JSON.stringify(await (await call('GET', '/api/v2/users/?search=bob')).json());
    expect(listed).not.toContain('builder-pass');
    expect(listed).not.toContain('scrypt');
  });

  it('answers bad input with AWX error bodies and changes nothing', async () => {
    const before = await (await call('GET', '/api/v2/organizations/')).json();
    const cases: [string, unknown, number, unknown][] = [
      ['POST', '{not json', 400, { detail: expect.stringMatching(/^JSON parse error - /) }],
      ['POST', [1, 2], 400, { detail: 'Invalid data. Expected a dictionary, but got list.' }],
      ['POST', {}, 400, { name: ['This field is required.'] }],
      ['POST', { name: 'Default' }, 400, { name: ['Organization with this Name already exists.'] }],
      ['POST', { name: 'x', max_hosts: 'many' }, 400, { max_hosts: ['A valid integer is required.'] }],
    ];
    for (const [method, body, status, answer] of cases) {
      const response = await call(method, '/api/v2/organizations/', admin, body);
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual(answer);
    }
    expect((await call('POST', '/api/v2/organizations/', plain, { name: 'Mine' })).status).toBe(403);
    expect((await call('GET', '/api/v2/organizations/999999/')).status).toBe(404);
    expect((await call('GET', '/api/v2/organizations/..%2F..%2Fetc/')).status).toBe(404);
    expect((await call('GET', '/api/v2/organizations/?page=99')).status).toBe(404);
    expect((await call('GET', '/api/v2/organizations/?no_such_field=1')).status).toBe(400);
    const huge = await call('POST', '/api/v2/organizations/', admin, { name: 'x'.repeat(3_000_000) });
    expect(huge.status).toBe(413);
    expect(await (await call('GET', '/api/v2/organizations/')).json()).toEqual(before);
  });
});
