import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Credential, CredentialType, CredentialTypeField } from '../../lib/model/types';
import { injectCredentials } from '../../lib/runner/credentials';
import { NodeRunFailure } from '../../lib/runner/failure';
import type { SecretProvider } from '../../lib/runner/secrets';
import { TempFiles } from '../../lib/runner/temp-files';

const provider: SecretProvider = {
  description: 'test secrets',
  get: async (name) => {
    if (name === 'missing') throw new NodeRunFailure(`secret '${name}' is not in test secrets`);
    return `value-of-${name}`;
  },
  check: async () => undefined,
};

let scratch: string;
let files: TempFiles;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'towerless-test-'));
  files = new TempFiles(scratch);
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

const inject = (credentials: Credential[], credentialTypes: CredentialType[] = []) =>
  injectCredentials(credentials, { secrets: provider, credentialTypes, files });

const credential = (credential_type: string, inputs: Credential['inputs']): Credential => ({
  name: `${credential_type} cred`,
  description: '',
  organization: 'Default',
  origin: { file: 'x' },
  credential_type,
  inputs,
});

describe('credential injection (as AWX injects them)', () => {
  it('Machine: user and become flags, answered password prompts, ssh key for ssh-agent', async () => {
    const injection = await inject([
      credential('Machine', {
        username: 'deploy',
        password: { secret: 'pw' },
        ssh_key_data: { secret: 'key' },
        ssh_key_unlock: { secret: 'unlock' },
        become_method: 'sudo',
        become_username: 'root',
        become_password: { secret: 'become' },
      }),
    ]);
    expect(injection.cmdline).toEqual([
      '--user=deploy',
      '--ask-pass',
      '--become-method=sudo',
      '--become-user=root',
      '--ask-become-pass',
    ]);
    expect(injection.passwords).toEqual({
      '^SSH [pP]assword:\\s*?$': 'value-of-pw',
      '^Enter passphrase for .*:\\s*?$': 'value-of-unlock',
      '^BECOME [pP]assword:\\s*?$': 'value-of-become',
    });
    expect(injection.sshKey).toBe('value-of-key');
    expect(injection.secrets.sort()).toEqual([
      'value-of-become',
      'value-of-key',
      'value-of-pw',
      'value-of-unlock',
    ]);
  });
  it('Vault answers the vault password prompt; Amazon Web Services sets AWS_* variables', async () => {
    const injection = await inject([
      credential('Vault', { vault_password: { secret: 'vault' } }),
      credential('Amazon Web Services', {
        username: 'AKIA1',
        password: { secret: 'aws' },
        security_token: { secret: 'sts' },
      }),
    ]);
    expect(injection.cmdline).toEqual(['--ask-vault-pass']);
    expect(injection.envvars).toEqual({
      AWS_ACCESS_KEY_ID: 'AKIA1',
      AWS_SECRET_ACCESS_KEY: 'value-of-aws',
      AWS_SESSION_TOKEN: 'value-of-sts',
      AWS_SECURITY_TOKEN: 'value-of-sts',
    });
  });
  it('refuses a username that would need quoting on the command line', async () => {
    await expect(inject([credential('Machine', { username: 'bob; rm -rf /' })])).rejects.toThrow(
      "credential 'Machine cred' input 'username' must be a plain name",
    );
  });
  it('names the credential, input and secret when a secret is missing', async () => {
    await expect(inject([credential('Machine', { password: { secret: 'missing' } })])).rejects.toThrow(
      "credential 'Machine cred' input 'password': secret 'missing' is not in test secrets",
    );
  });
});

const field = (id: string, extra: Partial<CredentialTypeField> = {}): CredentialTypeField => ({
  id,
  label: id,
  type: 'string',
  secret: false,
  multiline: false,
  format: null,
  choices: null,
  help_text: '',
  ...extra,
});

const customType = (
  fields: CredentialTypeField[],
  injectors: Partial<CredentialType['injectors']>,
): CredentialType => ({
  name: 'Cloud',
  description: '',
  kind: 'cloud',
  inputs: { fields, required: [] },
  injectors: { env: {}, extra_vars: {}, file: {}, ...injectors },
  origin: { file: 'x' },
});

describe('custom credential types inject exactly what their injectors declare', () => {
  const fields = [
    field('api_token', { secret: true }),
    field('region'),
    field('path'),
    field('verify', { type: 'boolean' }),
    field('debug', { type: 'boolean' }),
  ];
  const inputs = {
    api_token: { secret: 'cloud/token' },
    region: 'eu-west-1',
    path: '/opt/cloud',
    verify: true,
  };

  it('env: rendered templates only; an input named like a variable (path) sets nothing', async () => {
    const type = customType(fields, {
      env: { CLOUD_TOKEN: '{{ api_token }}', CLOUD_URL: 'https://{{ region }}.example.com' },
    });
    const injection = await inject([credential('Cloud', inputs)], [type]);
    expect(injection.envvars).toEqual({
      CLOUD_TOKEN: 'value-of-cloud/token',
      CLOUD_URL: 'https://eu-west-1.example.com',
    });
    expect(injection.secrets).toContain('value-of-cloud/token');
    expect(injection.extraVars).toEqual({});
  });

  it('extra_vars: nested mappings and lists, templated keys, booleans as Jinja prints them', async () => {
    const type = customType(fields, {
      extra_vars: {
        cloud: { token: '{{ api_token }}', zones: ['{{ region }}a', '{{ region }}b'] },
        '{{ region | replace("-", "_") }}_verify': '{{ verify }}',
        debug: '{{ debug }}',
      },
    });
    const injection = await inject([credential('Cloud', inputs)], [type]);
    expect(injection.extraVars).toEqual({
      cloud: { token: 'value-of-cloud/token', zones: ['eu-west-1a', 'eu-west-1b'] },
      eu_west_1_verify: 'True',
      // A boolean left out is false, as in AWX.
      debug: 'False',
    });
    expect(injection.envvars).toEqual({});
  });

  it('file: one private file whose path is tower.filename (and awx.filename)', async () => {
    const type = customType(fields, {
      file: { template: '[cloud]\ntoken={{ api_token }}\nregion={{ region }}\n' },
      env: { CLOUD_CONFIG: '{{ tower.filename }}', CLOUD_CONFIG_AGAIN: '{{ awx.filename }}' },
    });
    const injection = await inject([credential('Cloud', inputs)], [type]);
    const path = injection.envvars.CLOUD_CONFIG;
    expect(injection.envvars.CLOUD_CONFIG_AGAIN).toBe(path);
    // Jinja drops the template's final newline.
    expect(readFileSync(path, 'utf8')).toBe('[cloud]\ntoken=value-of-cloud/token\nregion=eu-west-1');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    files.removeAll();
    expect(() => statSync(path)).toThrow();
  });

  it('file: several files as tower.filename.<name>; ssh private keys end with a newline', async () => {
    const type = customType([field('cert'), field('key', { secret: true, format: 'ssh_private_key' })], {
      file: { 'template.cert': '{{ cert }}', 'template.key': '{{ key }}' },
      env: { CERT_FILE: '{{ tower.filename.cert }}', KEY_FILE: '{{ awx.filename.key }}' },
      extra_vars: { key_file: '{{ tower.filename.key }}' },
    });
    const injection = await inject(
      [credential('Cloud', { cert: 'CERT', key: { secret: 'cloud/key' } })],
      [type],
    );
    expect(readFileSync(injection.envvars.CERT_FILE, 'utf8')).toBe('CERT');
    expect(readFileSync(injection.envvars.KEY_FILE, 'utf8')).toBe('value-of-cloud/key\n');
    expect(injection.extraVars.key_file).toBe(injection.envvars.KEY_FILE);
    expect(injection.envvars.CERT_FILE).not.toBe(injection.envvars.KEY_FILE);
  });

  it('a refused variable that got past validation fails the node, naming credential, type and variable', async () => {
    for (const name of ['PATH', 'LD_PRELOAD', 'ANSIBLE_CONFIG', 'TOWERLESS_NODE']) {
      const type = customType(fields, { env: { [name]: '{{ path }}' } });
      const failure = await inject([credential('Cloud', inputs)], [type]).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(NodeRunFailure);
      expect((failure as NodeRunFailure).status).toBe('failed');
      expect((failure as NodeRunFailure).message).toMatch(
        new RegExp(
          `^credential 'Cloud cred' \\(type 'Cloud'\\): environment variable '${name}' may not be set by a credential: `,
        ),
      );
    }
  });

  it('a template that got past validation still cannot reach the process', async () => {
    const type = customType(fields, { env: { X: "{{ ''.constructor.constructor('return process')() }}" } });
    await expect(inject([credential('Cloud', inputs)], [type])).rejects.toThrow(
      "credential 'Cloud cred' (type 'Cloud'): injectors.env.X line 1: calling a function is not allowed in injector templates",
    );
  });

  it('a credential whose type is neither managed nor defined fails the node', async () => {
    await expect(inject([credential('Nimbus', { path: '/opt' })])).rejects.toThrow(
      "credential 'Nimbus cred' has credential type 'Nimbus', which is neither managed nor defined",
    );
  });
});
