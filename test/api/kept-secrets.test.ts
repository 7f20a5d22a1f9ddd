import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DefinitionRecord } from '../../lib/catalog/definition';
import { DefinitionCatalog } from '../../lib/catalog/definitions';
import {
  CREDENTIAL_INPUTS,
  NOTIFICATION_CONFIGURATION,
  type SecretField,
} from '../../lib/catalog/secret-fields';
import type { SecretWriter } from '../../lib/runner/secret-writer';
import { keptSecrets, storeContents } from '../support/stored-secrets';
import { openApiFixture, type ApiFixture } from './api-fixture';

let api: ApiFixture;
type Obj = Record<string, unknown> & { id: number };
type Values = Record<string, unknown>;
const V2 = '/api/v2';
let organization: number;
let aws: number;

beforeAll(async () => {
  api = await openApiFixture();
  const first = async (path: string) =>
    (await api.json<{ results: Obj[] }>('GET', `${V2}/${path}`)).results[0].id;
  organization = await first('organizations/?name=Default');
  aws = await first('credential_types/?name=Amazon+Web+Services');
});
afterAll(() => api.close());

/** A kind whose secrets the API keeps out of the store, with two secret keys and plain ones. */
interface KeptKind {
  readonly secrets: SecretField;
  readonly keys: readonly [string, string];
  readonly plain: Values;
  /** A create's body with `values` in the kind's mapping field. */
  body(name: string, values: Values): Values;
}

const KINDS: readonly KeptKind[] = [
  {
    secrets: CREDENTIAL_INPUTS,
    keys: ['password', 'security_token'],
    plain: { username: 'AKIA' },
    body: (name, inputs) => ({ name, credential_type: aws, inputs }),
  },
  {
    secrets: NOTIFICATION_CONFIGURATION,
    keys: ['aws_secret_access_key', 'aws_session_token'],
    plain: { aws_region: 'eu-west-1', sns_topic_arn: 'arn:aws:sns:eu-west-1:1:ops' },
    body: (name, configuration) => ({
      name,
      organization,
      notification_type: 'awssns',
      notification_configuration: configuration,
    }),
  },
];

const twin = () => keptSecrets(api.session.secrets.client);
const store = () => storeContents(api.session.table);

describe.each(KINDS)('$secrets.definition.path: secret values kept out of the store', (kind) => {
  const { path, kind: catalogKind } = kind.secrets.definition;
  const { field } = kind.secrets;
  const [key, other] = kind.keys;
  let named = 0;
  const create = (values: Values) =>
    api.json<Obj>('POST', `${V2}/${path}/`, kind.body(`${path} ${++named}`, { ...kind.plain, ...values }));
  const patch = (id: number, values: Values) =>
    api.json<Obj>('PATCH', `${V2}/${path}/${id}/`, { [field]: { ...kind.plain, ...values } });
  const kept = (id: number) => `towerless/${path}/${id}/${key}`;

  it('keeps a value in the secret store, the record holding a reference, and answers $encrypted$', async () => {
    const value = `${path}-canary-create`;
    const created = await create({ [key]: value });
    const shown = { ...kind.plain, [key]: '$encrypted$' };
    expect(created[field]).toEqual(shown);
    expect((await api.json<Obj>('GET', `${V2}/${path}/${created.id}/`))[field]).toEqual(shown);
    expect(JSON.stringify(await api.json('GET', `${V2}/${path}/`))).not.toContain(value);
    expect(await store()).not.toContain(value);
    const record = await api.services.catalog.get<DefinitionRecord>(catalogKind, created.id);
    expect(record[field]).toEqual({ ...kind.plain, [key]: { secret: kept(created.id) } });
    expect((await twin())[kept(created.id)]).toBe(value);
  });

  it('keeps the value for $encrypted$ sent back, replaces it with a new one, and forgets it with the record', async () => {
    const created = await create({ [key]: `${path}-canary-first` });
    const kept7 = kept(created.id);
    const again = await patch(created.id, { [key]: '$encrypted$' });
    expect(again[field]).toEqual({ ...kind.plain, [key]: '$encrypted$' });
    expect((await twin())[kept7]).toBe(`${path}-canary-first`);
    await patch(created.id, { [key]: `${path}-canary-second` });
    expect((await twin())[kept7]).toBe(`${path}-canary-second`);
    const contents = await store();
    expect(contents).not.toContain(`${path}-canary-first`);
    expect(contents).not.toContain(`${path}-canary-second`);
    await api.json('DELETE', `${V2}/${path}/${created.id}/`, undefined, 204);
    expect(Object.keys(await twin())).not.toContain(kept7);
  });

  it('keeps a reference as given, and forgets the kept value it replaces or a value cleared', async () => {
    const created = await create({ [key]: `${path}-canary-ref`, [other]: `${path}-canary-other` });
    expect(Object.keys(await twin())).toContain(kept(created.id));
    const referred = await patch(created.id, { [key]: { secret: 'prod/sns' } });
    expect(referred[field]).toEqual({ ...kind.plain, [key]: { secret: 'prod/sns' } });
    const names = Object.keys(await twin());
    expect(names).not.toContain(kept(created.id));
    expect(names).not.toContain(`towerless/${path}/${created.id}/${other}`);
  });

  it('refuses what it cannot keep before anything is written, naming every problem', async () => {
    const before = [await store(), await twin()];
    const cases: Array<[unknown, string]> = [
      [42, `${key}: must be a string or a secret reference {"secret": "<name>"}`],
      ['x'.repeat(65537), `${key}: longer than 65536 bytes, the most a secret may hold`],
      [
        { secret: 'towerless/credentials/1/password' },
        `${key}: 'towerless/credentials/1/password' is a secret Towerless keeps for a credential: give the value itself, or $encrypted$ to keep the current one`,
      ],
      [
        { secret: 'towerless/service/approval-link-key' },
        `${key}: 'towerless/service/approval-link-key' is a secret of Towerless itself, which no object may use`,
      ],
      [
        { secret: 'towerless/notification_templates/1/token' },
        `${key}: 'towerless/notification_templates/1/token' is a secret Towerless keeps for a notification template: give the value itself, or $encrypted$ to keep the current one`,
      ],
    ];
    for (const [value, problem] of cases) {
      const body = kind.body('refused', { ...kind.plain, [other]: 'fine', [key]: value });
      const response = await api.call('POST', `${V2}/${path}/`, body);
      expect(response.status).toBe(400);
      // A notification template's configuration is checked first, as AWX's serializer does.
      const awxTypeCheck = typeof value === 'number' && kind.secrets === NOTIFICATION_CONFIGURATION;
      expect(await response.json()).toEqual(
        awxTypeCheck
          ? { non_field_errors: [`Configuration field '${key}' incorrect type, expected password.`] }
          : { [field]: [problem] },
      );
    }
    expect([await store(), await twin()]).toEqual(before);
  });

  it('leaves nothing behind when a value cannot be kept: no record, no value kept before it', async () => {
    const { writer } = api.session.secrets;
    let puts = 0;
    const failing: SecretWriter = {
      put: async (name, value) => {
        if (++puts > 1) throw new Error('Secrets Manager is down');
        await writer.put(name, value);
      },
      delete: (name) => writer.delete(name),
    };
    const definitions = new DefinitionCatalog(api.services.catalog, failing);
    const before = await twin();
    const body = kind.body('half-made', { ...kind.plain, [key]: 'first-value', [other]: 'second-value' });
    await expect(definitions.create(kind.secrets.definition, body)).rejects.toThrow(
      'Secrets Manager is down',
    );
    expect(puts).toBe(2);
    expect(await twin()).toEqual(before);
    const listed = await api.services.definitions.list(kind.secrets.definition);
    expect(listed.map((record) => record.name)).not.toContain('half-made');
  });
});

describe("notification templates' secret keys (AWX's password parameters)", () => {
  it('keeps the password-type keys and the token-bearing Mattermost URL; webhook headers and empty values stay as given', async () => {
    const template = (notification_type: string, notification_configuration: Values) =>
      api.json<Obj>('POST', `${V2}/notification_templates/`, {
        name: `keys of ${notification_type}`,
        organization,
        notification_type,
        notification_configuration,
      });
    const webhook = await template('webhook', {
      url: 'https://hooks.example.com/in',
      username: 'hook',
      password: 'webhook-canary',
      headers: { 'X-Team': 'ops' },
    });
    expect(webhook.notification_configuration).toEqual({
      url: 'https://hooks.example.com/in',
      username: 'hook',
      password: '$encrypted$',
      headers: { 'X-Team': 'ops' },
    });
    const smtp = {
      host: 'smtp.example.com',
      port: 25,
      username: '',
      use_tls: false,
      use_ssl: false,
      sender: 'towerless@example.com',
      recipients: ['ops@example.com'],
    };
    const email = await template('email', { ...smtp, password: '' });
    expect(email.notification_configuration).toEqual(smtp);
    const mattermost = await template('mattermost', {
      mattermost_url: 'https://chat.example.com/hooks/mattermost-canary',
      mattermost_no_verify_ssl: false,
    });
    expect(mattermost.notification_configuration).toEqual({
      mattermost_url: '$encrypted$',
      mattermost_no_verify_ssl: false,
    });
    const contents = await store();
    expect(contents).not.toContain('webhook-canary');
    expect(contents).not.toContain('mattermost-canary');
  });
});

describe('secrets kept whatever the route that writes them', () => {
  const canaryKept = async (value: string, name: string) => {
    expect((await twin())[name]).toBe(value);
    expect(await store()).not.toContain(value);
  };

  it('keeps the secrets of objects created under another (nested lists, association lists)', async () => {
    const slack = await api.json<Obj>('POST', `${V2}/organizations/${organization}/notification_templates/`, {
      name: 'nested slack',
      notification_type: 'slack',
      notification_configuration: { channels: ['#ops'], token: 'nested-canary-slack' },
    });
    expect(slack.notification_configuration).toEqual({ channels: ['#ops'], token: '$encrypted$' });
    await canaryKept('nested-canary-slack', `towerless/notification_templates/${slack.id}/token`);

    const inOrganization = await api.json<Obj>('POST', `${V2}/organizations/${organization}/credentials/`, {
      name: 'nested aws',
      credential_type: aws,
      inputs: { username: 'AKIA', password: 'nested-canary-org' },
    });
    expect(inOrganization.inputs).toEqual({ username: 'AKIA', password: '$encrypted$' });
    await canaryKept('nested-canary-org', `towerless/credentials/${inOrganization.id}/password`);

    const ofType = await api.json<Obj>('POST', `${V2}/credential_types/${aws}/credentials/`, {
      name: 'nested by type',
      organization,
      inputs: { username: 'AKIA', password: 'nested-canary-type' },
    });
    await canaryKept('nested-canary-type', `towerless/credentials/${ofType.id}/password`);

    const jt = await api.json<Obj>('POST', `${V2}/job_templates/`, { name: 'notified', organization });
    const listed = await api.json<Obj>(
      'POST',
      `${V2}/job_templates/${jt.id}/notification_templates_success/`,
      {
        name: 'listed pagerduty',
        organization,
        notification_type: 'pagerduty',
        notification_configuration: {
          subdomain: 'ops',
          service_key: 'svc',
          client_name: 'x',
          token: 'nested-canary-list',
        },
      },
    );
    await canaryKept('nested-canary-list', `towerless/notification_templates/${listed.id}/token`);
    const success = await api.json<{ results: Obj[] }>(
      'GET',
      `${V2}/job_templates/${jt.id}/notification_templates_success/`,
    );
    expect(success.results.map((template) => template.id)).toEqual([listed.id]);
  });

  it('forgets the secrets of objects deleted with what they belong to (an organization, a credential type)', async () => {
    const doomed = await api.json<Obj>('POST', `${V2}/organizations/`, { name: 'Doomed' });
    const template = await api.json<Obj>('POST', `${V2}/notification_templates/`, {
      name: 'doomed slack',
      organization: doomed.id,
      notification_type: 'slack',
      notification_configuration: { channels: ['#ops'], token: 'cascade-canary-slack' },
    });
    const credential = await api.json<Obj>('POST', `${V2}/credentials/`, {
      name: 'doomed aws',
      organization: doomed.id,
      credential_type: aws,
      inputs: { username: 'AKIA', password: 'cascade-canary-aws' },
    });
    const type = await api.json<Obj>('POST', `${V2}/credential_types/`, {
      name: 'Doomed type',
      kind: 'cloud',
      inputs: { fields: [{ id: 'api_key', label: 'API key', secret: true }] },
    });
    const typed = await api.json<Obj>('POST', `${V2}/credentials/`, {
      name: 'doomed typed',
      organization,
      credential_type: type.id,
      inputs: { api_key: 'cascade-canary-type' },
    });
    const names = [
      `towerless/notification_templates/${template.id}/token`,
      `towerless/credentials/${credential.id}/password`,
      `towerless/credentials/${typed.id}/api_key`,
    ];
    expect(Object.keys(await twin())).toEqual(expect.arrayContaining(names));

    await api.json('DELETE', `${V2}/organizations/${doomed.id}/`, undefined, 204);
    await api.json('DELETE', `${V2}/credential_types/${type.id}/`, undefined, 204);
    for (const path of [
      `notification_templates/${template.id}`,
      `credentials/${credential.id}`,
      `credentials/${typed.id}`,
    ])
      expect((await api.call('GET', `${V2}/${path}/`)).status).toBe(404);
    const left = Object.keys(await twin());
    for (const name of names) expect(left).not.toContain(name);
  });

  it('sorts the secret keys again when only the type changes: a value that becomes secret leaves the record', async () => {
    const type = (name: string, secret: boolean) =>
      api.json<Obj>('POST', `${V2}/credential_types/`, {
        name,
        kind: 'cloud',
        inputs: {
          fields: [
            { id: 'host', label: 'Host' },
            { id: 'token', label: 'Token', secret },
          ],
        },
      });
    const [plain, secret] = [await type('Token in clear', false), await type('Token kept', true)];
    const credential = await api.json<Obj>('POST', `${V2}/credentials/`, {
      name: 'retyped',
      organization,
      credential_type: plain.id,
      inputs: { host: 'api.example.com', token: 'resort-canary-credential' },
    });
    const kept = `towerless/credentials/${credential.id}/token`;
    const recorded = async () =>
      (await api.services.catalog.get<DefinitionRecord>('credential', credential.id)).inputs;
    expect(await recorded()).toEqual({ host: 'api.example.com', token: 'resort-canary-credential' });

    const retyped = await api.json<Obj>('PATCH', `${V2}/credentials/${credential.id}/`, {
      credential_type: secret.id,
    });
    expect(retyped.inputs).toEqual({ host: 'api.example.com', token: '$encrypted$' });
    expect(await recorded()).toEqual({ host: 'api.example.com', token: { secret: kept } });
    expect((await twin())[kept]).toBe('resort-canary-credential');
    // Back to a type where it is plain: the value stays kept, not written back in clear.
    await api.json('PATCH', `${V2}/credentials/${credential.id}/`, { credential_type: plain.id });
    expect(await recorded()).toEqual({ host: 'api.example.com', token: { secret: kept } });
    expect((await twin())[kept]).toBe('resort-canary-credential');

    const template = await api.json<Obj>('POST', `${V2}/notification_templates/`, {
      name: 'retyped hook',
      organization,
      notification_type: 'webhook',
      notification_configuration: {
        url: 'https://hooks.example.com',
        headers: {},
        token: 'resort-canary-hook',
      },
    });
    await api.json('PATCH', `${V2}/notification_templates/${template.id}/`, { notification_type: 'slack' });
    const record = await api.services.catalog.get<DefinitionRecord>('notification_template', template.id);
    const name = `towerless/notification_templates/${template.id}/token`;
    expect(record.notification_configuration).toEqual({
      url: 'https://hooks.example.com',
      headers: {},
      token: { secret: name },
    });
    expect((await twin())[name]).toBe('resort-canary-hook');
  });
});
