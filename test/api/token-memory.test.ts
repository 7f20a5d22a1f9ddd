import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, type ApiFixture } from './api-fixture';

let fixture: ApiFixture;
beforeAll(async () => {
  fixture = await openApiFixture();
});
afterAll(() => fixture.close());

/** A user with a token, the token used once (so the accounts remember whom it authenticates). */
async function userWithToken(name: string, superuser: boolean): Promise<{ id: number; token: string }> {
  const user = await fixture.services.accounts.createUser({
    name,
    first_name: '',
    last_name: '',
    email: '',
    is_superuser: superuser,
  });
  const { token } = await fixture.services.accounts.createToken(user);
  expect((await fixture.call('GET', '/api/v2/me/', undefined, token)).status).toBe(200);
  return { id: user.id, token };
}

describe('whom a token authenticates, remembered between calls', () => {
  it('a user made a plain user through the API loses superuser rights at the next call', async () => {
    const { id, token } = await userWithToken('carol', true);
    const body = { name: 'Carol Org' };
    expect((await fixture.call('POST', '/api/v2/organizations/', body, token)).status).toBe(201);
    await fixture.json('PATCH', `/api/v2/users/${id}/`, { is_superuser: false });
    const refused = await fixture.call('POST', '/api/v2/organizations/', { name: 'Other' }, token);
    expect(refused.status).toBe(403);
  });

  it("a deleted user's token is refused at the next call", async () => {
    const { id, token } = await userWithToken('dave', false);
    await fixture.json('DELETE', `/api/v2/users/${id}/`, undefined, 204);
    expect((await fixture.call('GET', '/api/v2/me/', undefined, token)).status).toBe(401);
  });

  it('a deleted token is refused at the next call, by any user', async () => {
    const { token } = await userWithToken('erin', false);
    const tokens = await fixture.json<{ results: { id: number; user: number }[] }>('GET', '/api/v2/tokens/');
    const mine = tokens.results.at(-1)!;
    await fixture.json('DELETE', `/api/v2/tokens/${mine.id}/`, undefined, 204);
    expect((await fixture.call('GET', '/api/v2/me/', undefined, token)).status).toBe(401);
  });
});
