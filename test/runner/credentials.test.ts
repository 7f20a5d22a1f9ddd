import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
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

describe("managed types inject what AWX injects, by AWX's injectors or their rendering of its code", () => {
  it('Red Hat Ansible Automation Platform: TOWER_* and CONTROLLER_* variables', async () => {
    const injection = await inject([
      credential('Red Hat Ansible Automation Platform', {
        host: 'https://awx.example.com',
        username: 'admin',
        password: { secret: 'awx/password' },
      }),
    ]);
    const same = {
      HOST: 'https://awx.example.com',
      USERNAME: 'admin',
      PASSWORD: 'value-of-awx/password',
      // Left out, a boolean is false, as AWX's injectors render it.
      VERIFY_SSL: 'False',
      OAUTH_TOKEN: '',
    };
    expect(injection.envvars).toEqual(
      Object.fromEntries(
        ['TOWER', 'CONTROLLER'].flatMap((prefix) =>
          Object.entries(same).map(([name, value]) => [`${prefix}_${name}`, value]),
        ),
      ),
    );
    expect(new Set(injection.secrets)).toEqual(new Set(['value-of-awx/password']));
  });

  it('Ansible Tower, the name AWX gave it before, injects the same', async () => {
    const injection = await inject([credential('Ansible Tower', { host: 'https://tower.example.com' })]);
    expect(injection.envvars.CONTROLLER_HOST).toBe('https://tower.example.com');
  });

  it('GitHub and Galaxy tokens inject nothing into a job, as in AWX (they serve webhooks and project updates)', async () => {
    const injection = await inject([
      credential('GitHub Personal Access Token', { token: { secret: 'github/token' } }),
      credential('Ansible Galaxy/Automation Hub API Token', {
        url: 'https://galaxy.ansible.com/',
        token: { secret: 'galaxy/token' },
      }),
    ]);
    expect(injection).toEqual({ cmdline: [], envvars: {}, extraVars: {}, passwords: {}, secrets: [] });
  });

  it('Insights: extra variables and environment', async () => {
    const injection = await inject([
      credential('Insights', { username: 'rh-user', password: { secret: 'insights' } }),
    ]);
    expect(injection.envvars).toEqual({ INSIGHTS_USER: 'rh-user', INSIGHTS_PASSWORD: 'value-of-insights' });
    expect(injection.extraVars).toEqual({ scm_username: 'rh-user', scm_password: 'value-of-insights' });
  });

  it('Google Compute Engine: the service account file and GCE_*/GCP_* variables', async () => {
    const injection = await inject([
      credential('Google Compute Engine', {
        username: 'sa@project.iam.gserviceaccount.com',
        project: 'project-id-000',
        ssh_key_data: { secret: 'gce/key' },
      }),
    ]);
    const path = injection.envvars.GOOGLE_APPLICATION_CREDENTIALS;
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      type: 'service_account',
      private_key: 'value-of-gce/key\n',
      client_email: 'sa@project.iam.gserviceaccount.com',
      project_id: 'project-id-000',
      token_uri: 'https://oauth2.googleapis.com/token',
    });
    expect(injection.envvars).toEqual({
      GCE_EMAIL: 'sa@project.iam.gserviceaccount.com',
      GCE_PROJECT: 'project-id-000',
      GCE_CREDENTIALS_FILE_PATH: path,
      GCP_SERVICE_ACCOUNT_FILE: path,
      GOOGLE_APPLICATION_CREDENTIALS: path,
      GCP_AUTH_KIND: 'serviceaccount',
      GCP_PROJECT: 'project-id-000',
      GCP_ENV_TYPE: 'tower',
    });
  });

  it("OpenStack: AWX's clouds.yaml; verify_ssl left out is its default, true", async () => {
    const config = async (inputs: Credential['inputs']) => {
      const injection = await inject([credential('OpenStack', inputs)]);
      return parseYaml(readFileSync(injection.envvars.OS_CLIENT_CONFIG_FILE, 'utf8')) as unknown;
    };
    const auth = {
      auth_url: 'https://keystone.example.com/v3',
      username: 'demo "user"',
      password: 'value-of-os/password',
      project_name: 'demo',
    };
    const inputs = {
      host: auth.auth_url,
      username: auth.username,
      password: { secret: 'os/password' },
      project: auth.project_name,
    };
    expect(await config(inputs)).toEqual({ clouds: { devstack: { auth, verify: true } } });
    expect(
      await config({
        ...inputs,
        domain: 'Default',
        project_domain_name: 'pd',
        region: 'RegionOne',
        verify_ssl: false,
      }),
    ).toEqual({
      clouds: {
        devstack: {
          auth: { ...auth, project_domain_name: 'pd', domain_name: 'Default' },
          verify: false,
          region_name: 'RegionOne',
        },
      },
    });
  });

  it('VMware vCenter: VMWARE_* variables, certificates unchecked as AWX leaves them by default', async () => {
    const injection = await inject([
      credential('VMware vCenter', { host: 'vc.example.com', username: 'admin', password: { secret: 'vc' } }),
    ]);
    expect(injection.envvars).toEqual({
      VMWARE_USER: 'admin',
      VMWARE_PASSWORD: 'value-of-vc',
      VMWARE_HOST: 'vc.example.com',
      VMWARE_VALIDATE_CERTS: 'False',
    });
  });

  it('OpenShift or Kubernetes: the CA file only when verifying with one, as AWX', async () => {
    const base = { host: 'https://k8s.example.com:6443', bearer_token: { secret: 'k8s/token' } };
    const withCa = await inject([
      credential('OpenShift or Kubernetes API Bearer Token', { ...base, ssl_ca_cert: { secret: 'k8s/ca' } }),
    ]);
    expect(withCa.envvars).toMatchObject({
      K8S_AUTH_HOST: 'https://k8s.example.com:6443',
      K8S_AUTH_API_KEY: 'value-of-k8s/token',
      K8S_AUTH_VERIFY_SSL: 'True',
    });
    expect(readFileSync(withCa.envvars.K8S_AUTH_SSL_CA_CERT, 'utf8')).toBe('value-of-k8s/ca');
    const withoutCa = await inject([credential('OpenShift or Kubernetes API Bearer Token', base)]);
    expect(withoutCa.envvars).toMatchObject({ K8S_AUTH_VERIFY_SSL: 'False', K8S_AUTH_SSL_CA_CERT: '' });
  });

  it('Terraform: the backend configuration file, and the GCP credentials file when given', async () => {
    const injection = await inject([
      credential('Terraform backend configuration', {
        configuration: { secret: 'tf/backend' },
        gce_credentials: { secret: 'tf/gcp' },
      }),
    ]);
    expect(readFileSync(injection.envvars.TF_BACKEND_CONFIG_FILE, 'utf8')).toBe('value-of-tf/backend');
    expect(readFileSync(injection.envvars.GOOGLE_BACKEND_CREDENTIALS, 'utf8')).toBe('value-of-tf/gcp');
    const without = await inject([
      credential('Terraform backend configuration', { configuration: { secret: 'tf/backend' } }),
    ]);
    expect(without.envvars.GOOGLE_BACKEND_CREDENTIALS).toBe('');
  });

  it('Red Hat Virtualization: the ovirt.ini file and OVIRT_* variables', async () => {
    const injection = await inject([
      credential('Red Hat Virtualization', {
        host: 'https://rhv.example.com/ovirt-engine/api',
        username: 'admin@internal',
        password: { secret: 'rhv' },
      }),
    ]);
    expect(readFileSync(injection.envvars.OVIRT_INI_PATH, 'utf8')).toBe(
      '[ovirt]\novirt_url=https://rhv.example.com/ovirt-engine/api\novirt_username=admin@internal\novirt_password=value-of-rhv\n',
    );
    expect(injection.envvars.OVIRT_PASSWORD).toBe('value-of-rhv');
  });

  it('a type Towerless does not inject yet fails the node, saying why', async () => {
    await expect(
      inject([credential('Microsoft Azure Resource Manager', { subscription: 'sub-1' })]),
    ).rejects.toThrow(
      "credential 'Microsoft Azure Resource Manager cred' has credential type 'Microsoft Azure Resource Manager', which Towerless does not inject yet: AWX sets either",
    );
  });
});
