import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DefinitionRecord } from '../../lib/catalog/definition';
import { isServiceSecret } from '../../lib/runner/kept-secrets';
import { openApiFixture, type ApiFixture } from '../api/api-fixture';
import { keptSecrets } from '../support/stored-secrets';

let fixture: ApiFixture;
let machine: number;

beforeAll(async () => {
  fixture = await openApiFixture();
  const types = await fixture.json<{ results: { id: number }[] }>(
    'GET',
    '/api/v2/credential_types/?name=Machine',
  );
  machine = types.results[0].id;
});
afterAll(() => fixture.close());

/**
 * The names of the secrets the server keeps for objects (in the data folder's Secrets Manager
 * twin), not its own (the approval links' key).
 */
async function keptSecretNames(): Promise<string[]> {
  return Object.keys(await keptSecrets(fixture.session.secrets.client)).filter(
    (name) => !isServiceSecret(name),
  );
}

/** What the catalog holds for a credential (the API shows kept secrets only as $encrypted$). */
async function storedInputs(id: number): Promise<unknown> {
  return (await fixture.services.catalog.get<DefinitionRecord>('credential', id)).inputs;
}

describe('credential secret inputs given as references ({"secret": name}), as apply sends them', () => {
  it('keeps a reference as it is: nothing is resolved, nothing is kept in the secret store', async () => {
    const created = await fixture.json<{ id: number }>('POST', '/api/v2/credentials/', {
      name: 'by reference',
      credential_type: machine,
      inputs: { username: 'u', password: { secret: 'prod/db#password' } },
    });
    expect(await storedInputs(created.id)).toEqual({
      username: 'u',
      password: { secret: 'prod/db#password' },
    });
    expect(await keptSecretNames()).toEqual([]);
  });

  it('forgets a kept value that a reference replaces', async () => {
    const created = await fixture.json<{ id: number }>('POST', '/api/v2/credentials/', {
      name: 'by value',
      credential_type: machine,
      inputs: { username: 'u', password: 'hunter22' },
    });
    expect(await keptSecretNames()).toEqual([`towerless/credentials/${created.id}/password`]);
    await fixture.json('PATCH', `/api/v2/credentials/${created.id}/`, {
      inputs: { username: 'u', password: { secret: 'vault/pw' } },
    });
    expect(await storedInputs(created.id)).toEqual({ username: 'u', password: { secret: 'vault/pw' } });
    expect(await keptSecretNames()).toEqual([]);
  });

  it("refuses a reference to a value Towerless keeps for a credential: it would hand another credential's secret over", async () => {
    const refused = await fixture.call('POST', '/api/v2/credentials/', {
      name: 'thief',
      credential_type: machine,
      inputs: { username: { secret: 'towerless/credentials/1/password' } },
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      inputs: [
        "username: 'towerless/credentials/1/password' is a secret Towerless keeps for a credential: give the value itself, or $encrypted$ to keep the current one",
      ],
    });
    const listed = await fixture.json<{ count: number }>('GET', '/api/v2/credentials/?name=thief');
    expect(listed.count).toBe(0);
  });
});
