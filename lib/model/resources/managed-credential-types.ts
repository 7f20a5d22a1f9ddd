import type { ManagedCredentialType } from './credential-types';

/**
 * AWX's own managed credential types (ManagedCredentialType in AWX), in its order. The data is
 * AWX's interface: names, namespaces, kinds, inputs and injectors exactly as AWX defines them.
 * `injection` is how Towerless injects each (docs/credentials.md).
 */

const WEBHOOK = "AWX uses it to report job status to a template's webhook service; it is no job credential";

export const AWX_CREDENTIAL_TYPES: readonly ManagedCredentialType[] = [
  {
    name: 'Machine',
    namespace: 'ssh',
    kind: 'ssh',
    inputs: {
      fields: [
        { id: 'username', label: 'Username', type: 'string' },
        { id: 'password', label: 'Password', type: 'string', secret: true, ask_at_runtime: true },
        {
          id: 'ssh_key_data',
          label: 'SSH Private Key',
          type: 'string',
          format: 'ssh_private_key',
          secret: true,
          multiline: true,
        },
        {
          id: 'ssh_public_key_data',
          label: 'Signed SSH Certificate',
          type: 'string',
          multiline: true,
          secret: true,
        },
        {
          id: 'ssh_key_unlock',
          label: 'Private Key Passphrase',
          type: 'string',
          secret: true,
          ask_at_runtime: true,
        },
        {
          id: 'become_method',
          label: 'Privilege Escalation Method',
          type: 'string',
          help_text:
            'Specify a method for "become" operations. This is equivalent to specifying the --become-method Ansible parameter.',
        },
        { id: 'become_username', label: 'Privilege Escalation Username', type: 'string' },
        {
          id: 'become_password',
          label: 'Privilege Escalation Password',
          type: 'string',
          secret: true,
          ask_at_runtime: true,
        },
      ],
    },
    injectors: {},
    injection: { by: 'runner' },
  },
  {
    name: 'Source Control',
    namespace: 'scm',
    kind: 'scm',
    inputs: {
      fields: [
        { id: 'username', label: 'Username', type: 'string' },
        { id: 'password', label: 'Password', type: 'string', secret: true },
        {
          id: 'ssh_key_data',
          label: 'SCM Private Key',
          type: 'string',
          format: 'ssh_private_key',
          secret: true,
          multiline: true,
        },
        { id: 'ssh_key_unlock', label: 'Private Key Passphrase', type: 'string', secret: true },
      ],
    },
    injectors: {},
    injection: { by: 'nothing', reason: 'AWX uses it to check out projects' },
  },
  {
    name: 'Vault',
    namespace: 'vault',
    kind: 'vault',
    inputs: {
      fields: [
        { id: 'vault_password', label: 'Vault Password', type: 'string', secret: true, ask_at_runtime: true },
        {
          id: 'vault_id',
          label: 'Vault Identifier',
          type: 'string',
          format: 'vault_id',
          help_text:
            'Specify an (optional) Vault ID. This is equivalent to specifying the --vault-id Ansible parameter for providing multiple Vault passwords.  Note: this feature only works in Ansible 2.4+.',
        },
      ],
      required: ['vault_password'],
    },
    injectors: {},
    injection: { by: 'runner' },
  },
  {
    name: 'Network',
    namespace: 'net',
    kind: 'net',
    inputs: {
      fields: [
        { id: 'username', label: 'Username', type: 'string' },
        { id: 'password', label: 'Password', type: 'string', secret: true },
        {
          id: 'ssh_key_data',
          label: 'SSH Private Key',
          type: 'string',
          format: 'ssh_private_key',
          secret: true,
          multiline: true,
        },
        { id: 'ssh_key_unlock', label: 'Private Key Passphrase', type: 'string', secret: true },
        { id: 'authorize', label: 'Authorize', type: 'boolean' },
        { id: 'authorize_password', label: 'Authorize Password', type: 'string', secret: true },
      ],
      dependencies: { authorize_password: ['authorize'] },
      required: ['username'],
    },
    injectors: {},
    injection: {
      by: 'unsupported',
      reason:
        "AWX's job runner sets ANSIBLE_NET_* variables from it, which credential injectors may not set; Towerless has no code for it yet",
    },
  },
  {
    name: 'Amazon Web Services',
    namespace: 'aws',
    kind: 'cloud',
    inputs: {
      fields: [
        { id: 'username', label: 'Access Key', type: 'string' },
        { id: 'password', label: 'Secret Key', type: 'string', secret: true },
        {
          id: 'security_token',
          label: 'STS Token',
          type: 'string',
          secret: true,
          help_text:
            'Security Token Service (STS) is a web service that enables you to request temporary, limited-privilege credentials for AWS Identity and Access Management (IAM) users.',
        },
      ],
      required: ['username', 'password'],
    },
    injectors: {},
    injection: { by: 'runner' },
  },
  {
    name: 'OpenStack',
    namespace: 'openstack',
    kind: 'cloud',
    inputs: {
      fields: [
        { id: 'username', label: 'Username', type: 'string' },
        { id: 'password', label: 'Password (API Key)', type: 'string', secret: true },
        {
          id: 'host',
          label: 'Host (Authentication URL)',
          type: 'string',
          help_text: 'The host to authenticate with.  For example, https://openstack.business.com/v2.0/',
        },
        { id: 'project', label: 'Project (Tenant Name)', type: 'string' },
        { id: 'project_domain_name', label: 'Project (Domain Name)', type: 'string' },
        {
          id: 'domain',
          label: 'Domain Name',
          type: 'string',
          help_text:
            'OpenStack domains define administrative boundaries. It is only needed for Keystone v3 authentication URLs. Refer to the documentation for common scenarios.',
        },
        {
          id: 'region',
          label: 'Region Name',
          type: 'string',
          help_text: 'For some cloud providers, like OVH, region must be specified',
        },
        { id: 'verify_ssl', label: 'Verify SSL', type: 'boolean', default: true },
      ],
      required: ['username', 'password', 'host', 'project'],
    },
    injectors: {},
    injection: {
      // The clouds.yaml AWX writes; values as JSON strings, which YAML reads alike.
      by: 'templates',
      injectors: {
        file: {
          template: `clouds:
  devstack:
    auth:
      auth_url: {{ host | default('') | dump }}
      username: {{ username | default('') | dump }}
      password: {{ password | default('') | dump }}
      project_name: {{ project | default('') | dump }}
{% if project_domain_name %}      project_domain_name: {{ project_domain_name | dump }}
{% endif %}{% if domain %}      domain_name: {{ domain | dump }}
{% endif %}    verify: {{ verify_ssl | dump }}
{% if region %}    region_name: {{ region | dump }}
{% endif %}`,
        },
        env: { OS_CLIENT_CONFIG_FILE: '{{ tower.filename }}' },
      },
    },
  },
  {
    name: 'VMware vCenter',
    namespace: 'vmware',
    kind: 'cloud',
    inputs: {
      fields: [
        {
          id: 'host',
          label: 'VCenter Host',
          type: 'string',
          help_text: 'Enter the hostname or IP address that corresponds to your VMware vCenter.',
        },
        { id: 'username', label: 'Username', type: 'string' },
        { id: 'password', label: 'Password', type: 'string', secret: true },
      ],
      required: ['host', 'username', 'password'],
    },
    injectors: {},
    injection: {
      by: 'templates',
      injectors: {
        env: {
          VMWARE_USER: '{{ username }}',
          VMWARE_PASSWORD: '{{ password }}',
          VMWARE_HOST: '{{ host }}',
          // AWX's setting VMWARE_VALIDATE_CERTS, off unless an administrator turns it on.
          VMWARE_VALIDATE_CERTS: 'False',
        },
      },
    },
  },
  {
    name: 'Red Hat Satellite 6',
    namespace: 'satellite6',
    kind: 'cloud',
    inputs: {
      fields: [
        {
          id: 'host',
          label: 'Satellite 6 URL',
          type: 'string',
          help_text:
            'Enter the URL that corresponds to your Red Hat Satellite 6 server. For example, https://satellite.example.org',
        },
        { id: 'username', label: 'Username', type: 'string' },
        { id: 'password', label: 'Password', type: 'string', secret: true },
      ],
      required: ['host', 'username', 'password'],
    },
    injectors: {},
    injection: { by: 'nothing', reason: 'AWX uses it only for Satellite inventory sources' },
  },
  {
    name: 'Google Compute Engine',
    namespace: 'gce',
    kind: 'cloud',
    inputs: {
      fields: [
        {
          id: 'username',
          label: 'Service Account Email Address',
          type: 'string',
          help_text: 'The email address assigned to the Google Compute Engine service account.',
        },
        {
          id: 'project',
          label: 'Project',
          type: 'string',
          help_text:
            'The Project ID is the GCE assigned identification. It is often constructed as three words or two words followed by a three-digit number. Examples: project-id-000 and another-project-id',
        },
        {
          id: 'ssh_key_data',
          label: 'RSA Private Key',
          type: 'string',
          format: 'ssh_private_key',
          secret: true,
          multiline: true,
          help_text: 'Paste the contents of the PEM file associated with the service account email.',
        },
      ],
      required: ['username', 'ssh_key_data'],
    },
    injectors: {},
    injection: {
      // AWX leaves GCE_EMAIL and GCE_PROJECT out of inventory syncs; they do no harm there.
      by: 'templates',
      injectors: {
        file: {
          template:
            '{"type": "service_account", "private_key": {{ ssh_key_data | default(\'\') | dump }}, "client_email": {{ username | default(\'\') | dump }}, "project_id": {{ project | default(\'\') | dump }}, "token_uri": "https://oauth2.googleapis.com/token"}',
        },
        env: {
          GCE_EMAIL: '{{ username }}',
          GCE_PROJECT: '{{ project }}',
          GCE_CREDENTIALS_FILE_PATH: '{{ tower.filename }}',
          GCP_SERVICE_ACCOUNT_FILE: '{{ tower.filename }}',
          GOOGLE_APPLICATION_CREDENTIALS: '{{ tower.filename }}',
          GCP_AUTH_KIND: 'serviceaccount',
          GCP_PROJECT: '{{ project }}',
          GCP_ENV_TYPE: 'tower',
        },
      },
    },
  },
  {
    name: 'Microsoft Azure Resource Manager',
    namespace: 'azure_rm',
    kind: 'cloud',
    inputs: {
      fields: [
        {
          id: 'subscription',
          label: 'Subscription ID',
          type: 'string',
          help_text: 'Subscription ID is an Azure construct, which is mapped to a username.',
        },
        { id: 'username', label: 'Username', type: 'string' },
        { id: 'password', label: 'Password', type: 'string', secret: true },
        { id: 'client', label: 'Client ID', type: 'string' },
        { id: 'secret', label: 'Client Secret', type: 'string', secret: true },
        { id: 'tenant', label: 'Tenant ID', type: 'string' },
        {
          id: 'cloud_environment',
          label: 'Azure Cloud Environment',
          type: 'string',
          help_text: 'Environment variable AZURE_CLOUD_ENVIRONMENT when using Azure GovCloud or Azure stack.',
        },
      ],
      required: ['subscription'],
    },
    injectors: {},
    injection: {
      by: 'unsupported',
      reason:
        'AWX sets either the service principal variables (AZURE_CLIENT_ID, AZURE_SECRET, AZURE_TENANT) or the user ones (AZURE_AD_USER, AZURE_PASSWORD), by which inputs are given; injectors set every variable they name, and the Azure collection takes an empty one as given',
    },
  },
  {
    name: 'GitHub Personal Access Token',
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
    injection: { by: 'nothing', reason: WEBHOOK },
  },
  {
    name: 'GitLab Personal Access Token',
    namespace: 'gitlab_token',
    kind: 'token',
    inputs: {
      fields: [
        {
          id: 'token',
          label: 'Token',
          type: 'string',
          secret: true,
          help_text: 'This token needs to come from your profile settings in GitLab',
        },
      ],
      required: ['token'],
    },
    injectors: {},
    injection: { by: 'nothing', reason: WEBHOOK },
  },
  {
    name: 'Bitbucket Data Center HTTP Access Token',
    namespace: 'bitbucket_dc_token',
    kind: 'token',
    inputs: {
      fields: [
        {
          id: 'token',
          label: 'Token',
          type: 'string',
          secret: true,
          help_text: 'This token needs to come from your user settings in Bitbucket',
        },
      ],
      required: ['token'],
    },
    injectors: {},
    injection: { by: 'nothing', reason: WEBHOOK },
  },
  {
    name: 'Insights',
    namespace: 'insights',
    kind: 'insights',
    inputs: {
      fields: [
        { id: 'username', label: 'Username', type: 'string' },
        { id: 'password', label: 'Password', type: 'string', secret: true },
      ],
      required: ['username', 'password'],
    },
    injectors: {
      extra_vars: { scm_username: '{{username}}', scm_password: '{{password}}' },
      env: { INSIGHTS_USER: '{{username}}', INSIGHTS_PASSWORD: '{{password}}' },
    },
    injection: { by: 'injectors' },
  },
  {
    name: 'Red Hat Virtualization',
    namespace: 'rhv',
    kind: 'cloud',
    inputs: {
      fields: [
        {
          id: 'host',
          label: 'Host (Authentication URL)',
          type: 'string',
          help_text: 'The host to authenticate with.',
        },
        { id: 'username', label: 'Username', type: 'string' },
        { id: 'password', label: 'Password', type: 'string', secret: true },
        {
          id: 'ca_file',
          label: 'CA File',
          type: 'string',
          help_text: 'Absolute file path to the CA file to use (optional)',
        },
      ],
      required: ['host', 'username', 'password'],
    },
    injectors: {
      file: {
        template:
          '[ovirt]\novirt_url={{host}}\novirt_username={{username}}\novirt_password={{password}}\n{% if ca_file %}ovirt_ca_file={{ca_file}}{% endif %}',
      },
      env: {
        OVIRT_INI_PATH: '{{tower.filename}}',
        OVIRT_URL: '{{host}}',
        OVIRT_USERNAME: '{{username}}',
        OVIRT_PASSWORD: '{{password}}',
      },
    },
    injection: { by: 'injectors' },
  },
  {
    name: 'Red Hat Ansible Automation Platform',
    namespace: 'controller',
    kind: 'cloud',
    inputs: {
      fields: [
        {
          id: 'host',
          label: 'Red Hat Ansible Automation Platform',
          type: 'string',
          help_text: 'Red Hat Ansible Automation Platform base URL to authenticate with.',
        },
        {
          id: 'username',
          label: 'Username',
          type: 'string',
          help_text:
            'Red Hat Ansible Automation Platform username id to authenticate as.This should not be set if an OAuth token is being used.',
        },
        { id: 'password', label: 'Password', type: 'string', secret: true },
        {
          id: 'oauth_token',
          label: 'OAuth Token',
          type: 'string',
          secret: true,
          help_text:
            'An OAuth token to use to authenticate with.This should not be set if username/password are being used.',
        },
        { id: 'verify_ssl', label: 'Verify SSL', type: 'boolean', secret: false },
      ],
      required: ['host'],
    },
    injectors: {
      env: {
        TOWER_HOST: '{{host}}',
        TOWER_USERNAME: '{{username}}',
        TOWER_PASSWORD: '{{password}}',
        TOWER_VERIFY_SSL: '{{verify_ssl}}',
        TOWER_OAUTH_TOKEN: '{{oauth_token}}',
        CONTROLLER_HOST: '{{host}}',
        CONTROLLER_USERNAME: '{{username}}',
        CONTROLLER_PASSWORD: '{{password}}',
        CONTROLLER_VERIFY_SSL: '{{verify_ssl}}',
        CONTROLLER_OAUTH_TOKEN: '{{oauth_token}}',
      },
    },
    injection: { by: 'injectors' },
    formerNames: ['Ansible Tower'],
  },
  {
    name: 'OpenShift or Kubernetes API Bearer Token',
    namespace: 'kubernetes_bearer_token',
    kind: 'kubernetes',
    inputs: {
      fields: [
        {
          id: 'host',
          label: 'OpenShift or Kubernetes API Endpoint',
          type: 'string',
          help_text: 'The OpenShift or Kubernetes API Endpoint to authenticate with.',
        },
        { id: 'bearer_token', label: 'API authentication bearer token', type: 'string', secret: true },
        { id: 'verify_ssl', label: 'Verify SSL', type: 'boolean', default: true },
        {
          id: 'ssl_ca_cert',
          label: 'Certificate Authority data',
          type: 'string',
          secret: true,
          multiline: true,
        },
      ],
      required: ['host', 'bearer_token'],
    },
    injectors: {},
    injection: {
      // AWX verifies only with a CA given, and sets K8S_AUTH_SSL_CA_CERT only then; when it is
      // empty, verification is off and nothing reads it.
      by: 'templates',
      injectors: {
        file: { template: '{{ ssl_ca_cert }}' },
        env: {
          K8S_AUTH_HOST: '{{ host }}',
          K8S_AUTH_API_KEY: '{{ bearer_token }}',
          K8S_AUTH_VERIFY_SSL: "{{ 'True' if verify_ssl and ssl_ca_cert else 'False' }}",
          K8S_AUTH_SSL_CA_CERT: "{{ tower.filename if verify_ssl and ssl_ca_cert else '' }}",
        },
      },
    },
  },
  {
    name: 'Container Registry',
    namespace: 'registry',
    kind: 'registry',
    inputs: {
      fields: [
        {
          id: 'host',
          label: 'Authentication URL',
          type: 'string',
          help_text: 'Authentication endpoint for the container registry.',
          default: 'quay.io',
        },
        { id: 'username', label: 'Username', type: 'string' },
        {
          id: 'password',
          label: 'Password or Token',
          type: 'string',
          secret: true,
          help_text: 'A password or token used to authenticate with',
        },
        { id: 'verify_ssl', label: 'Verify SSL', type: 'boolean', default: true },
      ],
      required: ['host'],
    },
    injectors: {},
    injection: { by: 'nothing', reason: 'AWX uses it to pull execution environment images' },
  },
  {
    name: 'Ansible Galaxy/Automation Hub API Token',
    namespace: 'galaxy_api_token',
    kind: 'galaxy',
    inputs: {
      fields: [
        {
          id: 'url',
          label: 'Galaxy Server URL',
          type: 'string',
          help_text: 'The URL of the Galaxy instance to connect to.',
        },
        {
          id: 'auth_url',
          label: 'Auth Server URL',
          type: 'string',
          help_text: 'The URL of a Keycloak server token_endpoint, if using SSO auth.',
        },
        {
          id: 'token',
          label: 'API Token',
          type: 'string',
          secret: true,
          help_text: 'A token to use for authentication against the Galaxy instance.',
        },
      ],
      required: ['url'],
    },
    injectors: {},
    injection: {
      by: 'nothing',
      reason:
        "AWX uses it, as one of an organization's Galaxy credentials, to install a project's collections and roles",
    },
  },
  {
    name: 'GPG Public Key',
    namespace: 'gpg_public_key',
    kind: 'cryptography',
    inputs: {
      fields: [
        {
          id: 'gpg_public_key',
          label: 'GPG Public Key',
          type: 'string',
          secret: true,
          multiline: true,
          help_text: 'GPG Public Key used to validate content signatures.',
        },
      ],
      required: ['gpg_public_key'],
    },
    injectors: {},
    injection: { by: 'nothing', reason: "AWX uses it to validate a project's content signatures" },
  },
  {
    name: 'Terraform backend configuration',
    namespace: 'terraform',
    kind: 'cloud',
    inputs: {
      fields: [
        {
          id: 'configuration',
          label: 'Backend configuration',
          type: 'string',
          secret: true,
          multiline: true,
          help_text: 'Terraform backend config as Hashicorp configuration language.',
        },
        {
          id: 'gce_credentials',
          label: 'Google Cloud Platform account credentials',
          type: 'string',
          secret: true,
          multiline: true,
          help_text: 'Google Cloud Platform account credentials in JSON format.',
        },
      ],
      required: ['configuration'],
    },
    injectors: {},
    injection: {
      // AWX sets GOOGLE_BACKEND_CREDENTIALS only when GCP credentials are given; Terraform takes an
      // empty one as unset.
      by: 'templates',
      injectors: {
        file: {
          'template.configuration': '{{ configuration }}',
          'template.gce_credentials': '{{ gce_credentials }}',
        },
        env: {
          TF_BACKEND_CONFIG_FILE: '{{ tower.filename.configuration }}',
          GOOGLE_BACKEND_CREDENTIALS: "{{ tower.filename.gce_credentials if gce_credentials else '' }}",
        },
      },
    },
  },
];
