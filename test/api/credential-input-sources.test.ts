import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, type ApiFixture } from './api-fixture';

let api: ApiFixture;
type Obj = Record<string, unknown> & { id: number };
type Page = { count: number; results: Obj[] };
const V2 = '/api/v2';
let lookup: Obj;
let machine: Obj;

const typeId = async (name: string) =>
  (await api.json<Page>('GET', `${V2}/credential_types/?name=${encodeURIComponent(name)}`)).results[0].id;

beforeAll(async () => {
  api = await openApiFixture();
  const org = (await api.json<Page>('GET', `${V2}/organizations/?name=Default`)).results[0];
  lookup = await api.json<Obj>('POST', `${V2}/credentials/`, {
    name: 'Vault of secrets',
    organization: org.id,
    credential_type: await typeId('CyberArk Central Credential Provider Lookup'),
    inputs: { url: 'https://cyberark.example.com', app_id: 'My-App-ID' },
  });
  machine = await api.json<Obj>('POST', `${V2}/credentials/`, {
    name: 'Login',
    organization: org.id,
    credential_type: await typeId('Machine'),
    inputs: { username: 'user' },
  });
});
afterAll(() => api.close());

describe('credential input sources (as the awx.awx credential_input_source module keeps them)', () => {
  it('creates, finds, changes and deletes one, with AWX fields and links', async () => {
    const created = await api.json<Obj>('POST', `${V2}/credential_input_sources/`, {
      input_field_name: 'password',
      target_credential: machine.id,
      source_credential: lookup.id,
      metadata: { object_query: 'Safe=MY_SAFE;Object=AWX-user', object_query_format: 'Exact' },
    });
    expect(created).toMatchObject({
      type: 'credential_input_source',
      description: '',
      input_field_name: 'password',
      target_credential: machine.id,
      source_credential: lookup.id,
      related: {
        target_credential: `${V2}/credentials/${machine.id}/`,
        source_credential: `${V2}/credentials/${lookup.id}/`,
      },
    });
    const found = await api.json<Page>(
      'GET',
      `${V2}/credential_input_sources/?target_credential=${machine.id}&input_field_name=password`,
    );
    expect(found.results.map((source) => source.id)).toEqual([created.id]);
    expect((await api.json<Page>('GET', `${V2}/credentials/${machine.id}/input_sources/`)).count).toBe(1);
    const again = await api.call('POST', `${V2}/credential_input_sources/`, {
      input_field_name: 'password',
      target_credential: machine.id,
      source_credential: lookup.id,
      metadata: { object_query: 'Safe=OTHER' },
    });
    expect(await again.json()).toEqual({
      __all__: ['Credential input source with this Target credential and Input field name already exists.'],
    });
    await api.json('PATCH', `${V2}/credential_input_sources/${created.id}/`, { description: 'rotated' });
    await api.json('DELETE', `${V2}/credential_input_sources/${created.id}/`, undefined, 204);
    expect((await api.json<Page>('GET', `${V2}/credential_input_sources/`)).count).toBe(0);
  });

  it('refuses what AWX refuses, naming every problem', async () => {
    const refused = await api.call('POST', `${V2}/credential_input_sources/`, {
      input_field_name: 'pasword',
      target_credential: lookup.id,
      source_credential: machine.id,
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      target_credential: ['Target must be a non-external credential'],
      source_credential: ['Source must be an external credential'],
      input_field_name: [
        'Input field must be defined on target credential (options are app_id, client_cert, client_key, url, verify, webservice_id).',
      ],
    });
    const metadata = async (value: unknown) =>
      (
        await api.call('POST', `${V2}/credential_input_sources/`, {
          input_field_name: 'password',
          target_credential: machine.id,
          source_credential: lookup.id,
          metadata: value,
        })
      ).json();
    expect(await metadata({ object_query: 'x', safe: 1 })).toEqual({
      metadata: ["Additional properties are not allowed ('safe' was unexpected)"],
    });
    expect(await metadata({ object_query_format: 'Fuzzy' })).toEqual({
      metadata: [
        'object_query: required for CyberArk Central Credential Provider Lookup',
        "object_query_format: 'Fuzzy' is not one of ['Exact', 'Regexp']",
      ],
    });
  });

  it('goes with its target credential', async () => {
    const org = (await api.json<Page>('GET', `${V2}/organizations/?name=Default`)).results[0];
    const target = await api.json<Obj>('POST', `${V2}/credentials/`, {
      name: 'Short-lived',
      organization: org.id,
      credential_type: await typeId('Machine'),
      inputs: { username: 'temp' },
    });
    await api.json('POST', `${V2}/credentials/${target.id}/input_sources/`, {
      input_field_name: 'password',
      source_credential: lookup.id,
      metadata: { object_query: 'Safe=S' },
    });
    await api.json('DELETE', `${V2}/credentials/${target.id}/`, undefined, 204);
    expect((await api.json<Page>('GET', `${V2}/credential_input_sources/`)).count).toBe(0);
  });
});
