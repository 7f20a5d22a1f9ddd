import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadBundle } from '../../lib/model';
import {
  MANAGED_CREDENTIAL_TYPES,
  managedCredentialType,
  templateInjection,
} from '../../lib/model/resources/credential-types';
import { tempBundle } from '../support/files';

/** AWX's managed credential types: the list AWX has, and credentials of them. */

/** AWX's names in its registration order: its own types, then its credential plugins. */
const AWX_NAMES = [
  'Machine',
  'Source Control',
  'Vault',
  'Network',
  'Amazon Web Services',
  'OpenStack',
  'VMware vCenter',
  'Red Hat Satellite 6',
  'Google Compute Engine',
  'Microsoft Azure Resource Manager',
  'GitHub Personal Access Token',
  'GitLab Personal Access Token',
  'Bitbucket Data Center HTTP Access Token',
  'Insights',
  'Red Hat Virtualization',
  'Red Hat Ansible Automation Platform',
  'OpenShift or Kubernetes API Bearer Token',
  'Container Registry',
  'Ansible Galaxy/Automation Hub API Token',
  'GPG Public Key',
  'Terraform backend configuration',
  'CyberArk Conjur Secrets Manager Lookup',
  'HashiCorp Vault Secret Lookup',
  'HashiCorp Vault Signed SSH',
  'Microsoft Azure Key Vault',
  'CyberArk Central Credential Provider Lookup',
  'Centrify Vault Credential Provider Lookup',
  'Thycotic DevOps Secrets Vault',
  'Thycotic Secret Server',
  'AWS Secrets Manager lookup',
];

const KINDS = [
  'ssh',
  'vault',
  'net',
  'scm',
  'cloud',
  'registry',
  'token',
  'insights',
  'external',
  'kubernetes',
  'galaxy',
  'cryptography',
];

function load(files: Record<string, string>) {
  const result = loadBundle(tempBundle(files));
  const of = (severity: string) =>
    result.diagnostics.all.filter((d) => d.severity === severity).map(formatDiagnostic);
  return { ...result, errors: of('error'), warnings: of('warning'), notes: of('note') };
}

describe("AWX's managed credential types", () => {
  it('are listed once each, with AWX names, in AWX order', () => {
    expect(MANAGED_CREDENTIAL_TYPES.map((type) => type.name)).toEqual(AWX_NAMES);
    const namespaces = MANAGED_CREDENTIAL_TYPES.map((type) => type.namespace);
    expect(new Set(namespaces).size).toBe(namespaces.length);
    for (const type of MANAGED_CREDENTIAL_TYPES) expect(KINDS).toContain(type.kind);
  });

  it("carry AWX's namespaces, kinds, inputs and injectors", () => {
    expect(managedCredentialType('GitHub Personal Access Token')).toMatchObject({
      namespace: 'github_token',
      kind: 'token',
      inputs: {
        fields: [
          {
            id: 'token',
            label: 'Token',
            type: 'string',
            secret: true,
            help_text: 'This token needs to come from your profile settings in GitHub',
          },
        ],
        required: ['token'],
      },
      injectors: {},
    });
    expect(managedCredentialType('Ansible Galaxy/Automation Hub API Token')).toMatchObject({
      namespace: 'galaxy_api_token',
      kind: 'galaxy',
      inputs: { required: ['url'] },
    });
    expect(managedCredentialType('Network')?.inputs.dependencies).toEqual({
      authorize_password: ['authorize'],
    });
    expect(
      managedCredentialType('HashiCorp Vault Secret Lookup')?.inputs.metadata?.map((f) => f.id),
    ).toContain('secret_path');
    expect(managedCredentialType('Red Hat Ansible Automation Platform')?.injectors.env).toMatchObject({
      TOWER_HOST: '{{host}}',
      CONTROLLER_OAUTH_TOKEN: '{{oauth_token}}',
    });
  });

  it('know the name AWX gave the controller type before: Ansible Tower', () => {
    expect(managedCredentialType('Ansible Tower')?.namespace).toBe('controller');
  });

  it('have well-formed inputs: fields with an id and a label, required and dependent ids among them', () => {
    for (const { name, inputs } of MANAGED_CREDENTIAL_TYPES) {
      const ids = [...inputs.fields, ...(inputs.metadata ?? [])].map((field) => field.id);
      expect(new Set(ids).size, name).toBe(ids.length);
      for (const field of [...inputs.fields, ...(inputs.metadata ?? [])])
        expect(field.label, name).toBeTruthy();
      for (const id of inputs.required ?? []) expect(ids, name).toContain(id);
      for (const [id, needed] of Object.entries(inputs.dependencies ?? {}))
        for (const other of [id, ...needed]) expect(ids, name).toContain(other);
    }
  });

  it('only Machine, Vault and Amazon Web Services are injected by code', () => {
    const byCode = MANAGED_CREDENTIAL_TYPES.filter((type) => type.injection.by === 'runner');
    expect(byCode.map((type) => type.name)).toEqual(['Machine', 'Vault', 'Amazon Web Services']);
  });

  it('have templates that pass the checks a custom type passes, setting no refused variable', () => {
    const templated = MANAGED_CREDENTIAL_TYPES.flatMap((type) => {
      const injection = templateInjection(type);
      return injection ? [{ ...type, injectors: injection.injectors }] : [];
    });
    expect(templated.map((type) => type.namespace)).toEqual([
      'openstack',
      'vmware',
      'gce',
      'insights',
      'rhv',
      'controller',
      'kubernetes_bearer_token',
      'terraform',
    ]);
    // Each as a custom type (JSON is YAML), under a name of its own.
    const asCustom = templated.map(({ namespace, inputs, injectors }) => ({
      name: `Custom ${namespace}`,
      kind: 'cloud',
      // AWX refuses `secret` on a custom type's boolean, and gives one of its own `secret: false`.
      inputs: {
        ...inputs,
        fields: inputs.fields.map((field) =>
          field.type === 'boolean' ? { ...field, secret: undefined } : field,
        ),
      },
      injectors,
    }));
    const { errors, bundle } = load({ 'types.yml': JSON.stringify({ credential_types: asCustom }) });
    expect(errors).toEqual([]);
    expect(bundle.credential_types).toHaveLength(templated.length);
  });
});

describe('credentials of managed types', () => {
  it('are read by name, with inputs checked against the type and secrets as references', () => {
    const { errors, warnings, bundle } = load({
      'creds.yml': `
credentials:
  - name: GitHub
    credential_type: GitHub Personal Access Token
    inputs: { token: { secret: github/token } }
  - name: Galaxy
    credential_type: Ansible Galaxy/Automation Hub API Token
    inputs: { url: "https://galaxy.ansible.com/", token: { secret: galaxy/token } }
  - name: Controller
    credential_type: Red Hat Ansible Automation Platform
    inputs: { host: "https://awx.example.com", username: admin, password: { secret: awx/password }, verify_ssl: true }
`,
    });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(bundle.credentials.map((c) => [c.credential_type, c.inputs])).toEqual([
      ['GitHub Personal Access Token', { token: { secret: 'github/token' } }],
      [
        'Ansible Galaxy/Automation Hub API Token',
        { url: 'https://galaxy.ansible.com/', token: { secret: 'galaxy/token' } },
      ],
      [
        'Red Hat Ansible Automation Platform',
        {
          host: 'https://awx.example.com',
          username: 'admin',
          password: { secret: 'awx/password' },
          verify_ssl: true,
        },
      ],
    ]);
  });

  it('refuse secret values, unknown inputs, wrong types, choices and formats as AWX does', () => {
    const { errors } = load({
      'creds.yml': `
credentials:
  - name: GitHub
    credential_type: GitHub Personal Access Token
    inputs: { token: ghp_c4nary, tokn: x }
  - name: Controller
    credential_type: Red Hat Ansible Automation Platform
    inputs: { host: 3, verify_ssl: "yes" }
  - name: Lookup
    credential_type: HashiCorp Vault Secret Lookup
    inputs: { url: vault.example.com, api_version: v3 }
  - name: Vault
    credential_type: Vault
    inputs: { vault_password: { secret: v }, vault_id: "prod@prompt" }
  - name: Network
    credential_type: Network
    inputs: { username: admin, authorize_password: { secret: enable } }
`,
    });
    expect(errors).toEqual([
      expect.stringContaining("credential 'GitHub', field 'inputs.token': is a secret: give a reference"),
      expect.stringContaining(
        "field 'inputs.tokn', value \"tokn\": not an input of GitHub Personal Access Token (did you mean 'token'?)",
      ),
      expect.stringContaining("credential 'Controller', field 'inputs.host', value 3: must be a string"),
      expect.stringContaining('field \'inputs.verify_ssl\', value "yes": must be true or false'),
      expect.stringContaining('field \'inputs.url\', value "vault.example.com": must be a URL'),
      expect.stringContaining("field 'inputs.api_version', value \"v3\": must be one of 'v1', 'v2'"),
      expect.stringContaining(
        "credential 'Vault', field 'inputs.vault_id', value \"prod@prompt\": may not contain @",
      ),
      expect.stringContaining(
        "credential 'Network', field 'inputs.authorize_password': cannot be set unless \"Authorize\" is set",
      ),
    ]);
    expect(errors.join('\n')).not.toContain('ghp_c4nary');
  });

  it('warn of required inputs left out, and of types Towerless does not inject yet', () => {
    const { errors, warnings } = load({
      'creds.yml': `
credentials:
  - { name: Galaxy, credential_type: Ansible Galaxy/Automation Hub API Token, inputs: {} }
  - name: Azure
    credential_type: Microsoft Azure Resource Manager
    inputs: { subscription: sub-1, client: c, tenant: t, secret: { secret: azure/secret } }
`,
    });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      expect.stringContaining(
        "credential 'Galaxy', field 'inputs.url': is required by credential type 'Ansible Galaxy/Automation Hub API Token'",
      ),
      expect.stringMatching(
        /credential 'Azure', field 'credential_type', value "Microsoft Azure Resource Manager": is not injected by Towerless yet \(AWX sets either .*\): a job using this credential fails$/,
      ),
    ]);
  });

  it("read AWX's former name Ansible Tower as the controller type, with a note", () => {
    const { errors, notes, bundle } = load({
      'creds.yml': `
credentials:
  - { name: Tower, credential_type: Ansible Tower, inputs: { host: "https://tower.example.com" } }
`,
    });
    expect(errors).toEqual([]);
    expect(bundle.credentials[0].credential_type).toBe('Red Hat Ansible Automation Platform');
    expect(notes).toEqual([
      expect.stringContaining(
        'value "Ansible Tower": is what AWX called \'Red Hat Ansible Automation Platform\' before renaming it',
      ),
    ]);
  });

  it('in awx.awx task files, secret values become references to fill', () => {
    const { errors, bundle } = load({
      'creds.yml': `
- awx.awx.credential:
    name: Controller
    organization: Default
    credential_type: Red Hat Ansible Automation Platform
    inputs: { host: "https://awx.example.com", oauth_token: "{{ lookup('env', 'AWX_TOKEN') }}" }
`,
    });
    expect(errors).toEqual([]);
    expect(bundle.credentials[0].inputs).toEqual({
      host: 'https://awx.example.com',
      oauth_token: { secret: 'towerless/controller/oauth_token' },
    });
  });
});
