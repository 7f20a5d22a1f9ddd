import type { ManagedCredentialType } from './credential-types';

/**
 * AWX's credential plugins (kind `external`), in the order AWX registers them: a credential of
 * one looks up another credential's inputs in a secret store. Inputs exactly as AWX defines them.
 */

const LOOKUP =
  "AWX uses it to look up other credentials' inputs (credential input sources); Towerless takes secret inputs from secret references instead";

export const CREDENTIAL_PLUGIN_TYPES: readonly ManagedCredentialType[] = [
  {
    name: 'CyberArk Conjur Secrets Manager Lookup',
    namespace: 'conjur',
    kind: 'external',
    inputs: {
      fields: [
        { id: 'url', label: 'Conjur URL', type: 'string', format: 'url' },
        { id: 'api_key', label: 'API Key', type: 'string', secret: true },
        { id: 'account', label: 'Account', type: 'string' },
        { id: 'username', label: 'Username', type: 'string' },
        { id: 'cacert', label: 'Public Key Certificate', type: 'string', multiline: true },
      ],
      metadata: [
        {
          id: 'secret_path',
          label: 'Secret Identifier',
          type: 'string',
          help_text: 'The identifier for the secret e.g., /some/identifier',
        },
        {
          id: 'secret_version',
          label: 'Secret Version',
          type: 'string',
          help_text:
            'Used to specify a specific secret version (if left empty, the latest version will be used).',
        },
      ],
      required: ['url', 'api_key', 'account', 'username'],
    },
    injectors: {},
    injection: { by: 'nothing', reason: LOOKUP },
  },
  {
    name: 'HashiCorp Vault Secret Lookup',
    namespace: 'hashivault_kv',
    kind: 'external',
    inputs: {
      fields: [
        {
          id: 'url',
          label: 'Server URL',
          type: 'string',
          format: 'url',
          help_text: 'The URL to the HashiCorp Vault',
        },
        {
          id: 'token',
          label: 'Token',
          type: 'string',
          secret: true,
          help_text: 'The access token used to authenticate to the Vault server',
        },
        {
          id: 'cacert',
          label: 'CA Certificate',
          type: 'string',
          multiline: true,
          help_text: 'The CA certificate used to verify the SSL certificate of the Vault server',
        },
        {
          id: 'role_id',
          label: 'AppRole role_id',
          type: 'string',
          multiline: false,
          help_text: 'The Role ID for AppRole Authentication',
        },
        {
          id: 'secret_id',
          label: 'AppRole secret_id',
          type: 'string',
          multiline: false,
          secret: true,
          help_text: 'The Secret ID for AppRole Authentication',
        },
        {
          id: 'client_cert_public',
          label: 'Client Certificate',
          type: 'string',
          multiline: true,
          help_text:
            'The PEM-encoded client certificate used for TLS client authentication. This should include the certificate and any intermediate certififcates.',
        },
        {
          id: 'client_cert_private',
          label: 'Client Certificate Key',
          type: 'string',
          multiline: true,
          secret: true,
          help_text: 'The certificate private key used for TLS client authentication.',
        },
        {
          id: 'client_cert_role',
          label: 'TLS Authentication Role',
          type: 'string',
          multiline: false,
          help_text:
            'The role configured in Hashicorp Vault for TLS client authentication. If not provided, Hashicorp Vault may assign roles based on the certificate used.',
        },
        {
          id: 'namespace',
          label: 'Namespace name (Vault Enterprise only)',
          type: 'string',
          multiline: false,
          help_text: 'Name of the namespace to use when authenticate and retrieve secrets',
        },
        {
          id: 'kubernetes_role',
          label: 'Kubernetes role',
          type: 'string',
          multiline: false,
          help_text:
            'The Role for Kubernetes Authentication. This is the named role, configured in Vault server, for AWX pod auth policies. see https://www.vaultproject.io/docs/auth/kubernetes#configuration',
        },
        {
          id: 'username',
          label: 'Username',
          type: 'string',
          secret: false,
          help_text: 'Username for user authentication.',
        },
        {
          id: 'password',
          label: 'Password',
          type: 'string',
          secret: true,
          help_text: 'Password for user authentication.',
        },
        {
          id: 'default_auth_path',
          label: 'Path to Auth',
          type: 'string',
          multiline: false,
          default: 'approle',
          help_text:
            "The Authentication path to use if one isn't provided in the metadata when linking to an input field. Defaults to 'approle'",
        },
        {
          id: 'api_version',
          label: 'API Version',
          choices: ['v1', 'v2'],
          help_text: 'API v1 is for static key/value lookups.  API v2 is for versioned key/value lookups.',
          default: 'v1',
        },
      ],
      metadata: [
        {
          id: 'secret_backend',
          label: 'Name of Secret Backend',
          type: 'string',
          help_text:
            'The name of the kv secret backend (if left empty, the first segment of the secret path will be used).',
        },
        {
          id: 'secret_path',
          label: 'Path to Secret',
          type: 'string',
          help_text:
            'The path to the secret stored in the secret backend e.g, /some/secret/. It is recommended that you use the secret backend field to identify the storage backend and to use this field for locating a specific secret within that store. However, if you prefer to fully identify both the secret backend and one of its secrets using only this field, join their locations into a single path without any additional separators, e.g, /location/of/backend/some/secret.',
        },
        {
          id: 'auth_path',
          label: 'Path to Auth',
          type: 'string',
          multiline: false,
          help_text: 'The path where the Authentication method is mounted e.g, approle',
        },
        {
          id: 'secret_key',
          label: 'Key Name',
          type: 'string',
          help_text: 'The name of the key to look up in the secret.',
        },
        {
          id: 'secret_version',
          label: 'Secret Version (v2 only)',
          type: 'string',
          help_text:
            'Used to specify a specific secret version (if left empty, the latest version will be used).',
        },
      ],
      required: ['url', 'secret_path', 'api_version', 'secret_key'],
    },
    injectors: {},
    injection: { by: 'nothing', reason: LOOKUP },
  },
  {
    name: 'HashiCorp Vault Signed SSH',
    namespace: 'hashivault_ssh',
    kind: 'external',
    inputs: {
      fields: [
        {
          id: 'url',
          label: 'Server URL',
          type: 'string',
          format: 'url',
          help_text: 'The URL to the HashiCorp Vault',
        },
        {
          id: 'token',
          label: 'Token',
          type: 'string',
          secret: true,
          help_text: 'The access token used to authenticate to the Vault server',
        },
        {
          id: 'cacert',
          label: 'CA Certificate',
          type: 'string',
          multiline: true,
          help_text: 'The CA certificate used to verify the SSL certificate of the Vault server',
        },
        {
          id: 'role_id',
          label: 'AppRole role_id',
          type: 'string',
          multiline: false,
          help_text: 'The Role ID for AppRole Authentication',
        },
        {
          id: 'secret_id',
          label: 'AppRole secret_id',
          type: 'string',
          multiline: false,
          secret: true,
          help_text: 'The Secret ID for AppRole Authentication',
        },
        {
          id: 'client_cert_public',
          label: 'Client Certificate',
          type: 'string',
          multiline: true,
          help_text:
            'The PEM-encoded client certificate used for TLS client authentication. This should include the certificate and any intermediate certififcates.',
        },
        {
          id: 'client_cert_private',
          label: 'Client Certificate Key',
          type: 'string',
          multiline: true,
          secret: true,
          help_text: 'The certificate private key used for TLS client authentication.',
        },
        {
          id: 'client_cert_role',
          label: 'TLS Authentication Role',
          type: 'string',
          multiline: false,
          help_text:
            'The role configured in Hashicorp Vault for TLS client authentication. If not provided, Hashicorp Vault may assign roles based on the certificate used.',
        },
        {
          id: 'namespace',
          label: 'Namespace name (Vault Enterprise only)',
          type: 'string',
          multiline: false,
          help_text: 'Name of the namespace to use when authenticate and retrieve secrets',
        },
        {
          id: 'kubernetes_role',
          label: 'Kubernetes role',
          type: 'string',
          multiline: false,
          help_text:
            'The Role for Kubernetes Authentication. This is the named role, configured in Vault server, for AWX pod auth policies. see https://www.vaultproject.io/docs/auth/kubernetes#configuration',
        },
        {
          id: 'username',
          label: 'Username',
          type: 'string',
          secret: false,
          help_text: 'Username for user authentication.',
        },
        {
          id: 'password',
          label: 'Password',
          type: 'string',
          secret: true,
          help_text: 'Password for user authentication.',
        },
        {
          id: 'default_auth_path',
          label: 'Path to Auth',
          type: 'string',
          multiline: false,
          default: 'approle',
          help_text:
            "The Authentication path to use if one isn't provided in the metadata when linking to an input field. Defaults to 'approle'",
        },
      ],
      metadata: [
        { id: 'public_key', label: 'Unsigned Public Key', type: 'string', multiline: true },
        {
          id: 'secret_path',
          label: 'Path to Secret',
          type: 'string',
          help_text:
            'The path to the secret stored in the secret backend e.g, /some/secret/. It is recommended that you use the secret backend field to identify the storage backend and to use this field for locating a specific secret within that store. However, if you prefer to fully identify both the secret backend and one of its secrets using only this field, join their locations into a single path without any additional separators, e.g, /location/of/backend/some/secret.',
        },
        {
          id: 'auth_path',
          label: 'Path to Auth',
          type: 'string',
          multiline: false,
          help_text: 'The path where the Authentication method is mounted e.g, approle',
        },
        { id: 'role', label: 'Role Name', type: 'string', help_text: 'The name of the role used to sign.' },
        {
          id: 'valid_principals',
          label: 'Valid Principals',
          type: 'string',
          help_text:
            'Valid principals (either usernames or hostnames) that the certificate should be signed for.',
        },
      ],
      required: ['url', 'secret_path', 'public_key', 'role'],
    },
    injectors: {},
    injection: { by: 'nothing', reason: LOOKUP },
  },
  {
    name: 'Microsoft Azure Key Vault',
    namespace: 'azure_kv',
    kind: 'external',
    inputs: {
      fields: [
        { id: 'url', label: 'Vault URL (DNS Name)', type: 'string', format: 'url' },
        { id: 'client', label: 'Client ID', type: 'string' },
        { id: 'secret', label: 'Client Secret', type: 'string', secret: true },
        { id: 'tenant', label: 'Tenant ID', type: 'string' },
        {
          id: 'cloud_name',
          label: 'Cloud Environment',
          help_text: 'Specify which azure cloud environment to use.',
          // msrestazure's clouds; AWX lists them from a set, in an order that varies between its processes.
          choices: ['AzureCloud', 'AzureChinaCloud', 'AzureGermanCloud', 'AzureUSGovernment'],
          default: 'AzureCloud',
        },
      ],
      metadata: [
        {
          id: 'secret_field',
          label: 'Secret Name',
          type: 'string',
          help_text: 'The name of the secret to look up.',
        },
        {
          id: 'secret_version',
          label: 'Secret Version',
          type: 'string',
          help_text:
            'Used to specify a specific secret version (if left empty, the latest version will be used).',
        },
      ],
      required: ['url', 'client', 'secret', 'tenant', 'secret_field'],
    },
    injectors: {},
    injection: { by: 'nothing', reason: LOOKUP },
  },
  {
    name: 'CyberArk Central Credential Provider Lookup',
    namespace: 'aim',
    kind: 'external',
    inputs: {
      fields: [
        { id: 'url', label: 'CyberArk CCP URL', type: 'string', format: 'url' },
        {
          id: 'webservice_id',
          label: 'Web Service ID',
          type: 'string',
          help_text: 'The CCP Web Service ID. Leave blank to default to AIMWebService.',
        },
        { id: 'app_id', label: 'Application ID', type: 'string', secret: true },
        { id: 'client_key', label: 'Client Key', type: 'string', secret: true, multiline: true },
        { id: 'client_cert', label: 'Client Certificate', type: 'string', secret: true, multiline: true },
        { id: 'verify', label: 'Verify SSL Certificates', type: 'boolean', default: true },
      ],
      metadata: [
        {
          id: 'object_query',
          label: 'Object Query',
          type: 'string',
          help_text: 'Lookup query for the object. Ex: Safe=TestSafe;Object=testAccountName123',
        },
        {
          id: 'object_query_format',
          label: 'Object Query Format',
          type: 'string',
          default: 'Exact',
          choices: ['Exact', 'Regexp'],
        },
        {
          id: 'object_property',
          label: 'Object Property',
          type: 'string',
          help_text:
            'The property of the object to return. Available properties: Username, Password and Address.',
        },
        {
          id: 'reason',
          label: 'Reason',
          type: 'string',
          help_text: "Object request reason. This is only needed if it is required by the object's policy.",
        },
      ],
      required: ['url', 'app_id', 'object_query'],
    },
    injectors: {},
    injection: { by: 'nothing', reason: LOOKUP },
  },
  {
    name: 'Centrify Vault Credential Provider Lookup',
    namespace: 'centrify_vault_kv',
    kind: 'external',
    inputs: {
      fields: [
        {
          id: 'url',
          label: 'Centrify Tenant URL',
          type: 'string',
          help_text: 'Centrify Tenant URL',
          format: 'url',
        },
        {
          id: 'client_id',
          label: 'Centrify API User',
          type: 'string',
          help_text: 'Centrify API User, having necessary permissions as mentioned in support doc',
        },
        {
          id: 'client_password',
          label: 'Centrify API Password',
          type: 'string',
          help_text: 'Password of Centrify API User with necessary permissions',
          secret: true,
        },
        {
          id: 'oauth_application_id',
          label: 'OAuth2 Application ID',
          type: 'string',
          help_text: "Application ID of the configured OAuth2 Client (defaults to 'awx')",
          default: 'awx',
        },
        {
          id: 'oauth_scope',
          label: 'OAuth2 Scope',
          type: 'string',
          help_text: "Scope of the configured OAuth2 Client (defaults to 'awx')",
          default: 'awx',
        },
      ],
      metadata: [
        {
          id: 'account-name',
          label: 'Account Name',
          type: 'string',
          help_text:
            'Local system account or Domain account name enrolled in Centrify Vault. eg. (root or DOMAIN/Administrator)',
        },
        {
          id: 'system-name',
          label: 'System Name',
          type: 'string',
          help_text: 'Machine Name enrolled with in Centrify Portal',
        },
      ],
      required: ['url', 'account-name', 'system-name', 'client_id', 'client_password'],
    },
    injectors: {},
    injection: { by: 'nothing', reason: LOOKUP },
  },
  {
    name: 'Thycotic DevOps Secrets Vault',
    namespace: 'thycotic_dsv',
    kind: 'external',
    inputs: {
      fields: [
        {
          id: 'tenant',
          label: 'Tenant',
          help_text: 'The tenant e.g. "ex" when the URL is https://ex.secretsvaultcloud.com',
          type: 'string',
        },
        {
          id: 'tld',
          label: 'Top-level Domain (TLD)',
          help_text: 'The TLD of the tenant e.g. "com" when the URL is https://ex.secretsvaultcloud.com',
          choices: ['ca', 'com', 'com.au', 'eu'],
          default: 'com',
        },
        { id: 'client_id', label: 'Client ID', type: 'string' },
        { id: 'client_secret', label: 'Client Secret', type: 'string', secret: true },
      ],
      metadata: [
        { id: 'path', label: 'Secret Path', type: 'string', help_text: 'The secret path e.g. /test/secret1' },
        {
          id: 'secret_field',
          label: 'Secret Field',
          help_text: 'The field to extract from the secret',
          type: 'string',
        },
        {
          id: 'secret_decoding',
          label: 'Should the secret be base64 decoded?',
          help_text:
            'Specify whether the secret should be base64 decoded, typically used for storing files, such as SSH keys',
          choices: ['No Decoding', 'Decode Base64'],
          type: 'string',
          default: 'No Decoding',
        },
      ],
      required: ['tenant', 'client_id', 'client_secret', 'path', 'secret_field', 'secret_decoding'],
    },
    injectors: {},
    injection: { by: 'nothing', reason: LOOKUP },
  },
  {
    name: 'Thycotic Secret Server',
    namespace: 'thycotic_tss',
    kind: 'external',
    inputs: {
      fields: [
        {
          id: 'server_url',
          label: 'Secret Server URL',
          help_text:
            'The Base URL of Secret Server e.g. https://myserver/SecretServer or https://mytenant.secretservercloud.com',
          type: 'string',
        },
        { id: 'username', label: 'Username', help_text: 'The (Application) user username', type: 'string' },
        { id: 'domain', label: 'Domain', help_text: 'The (Application) user domain', type: 'string' },
        {
          id: 'password',
          label: 'Password',
          help_text: 'The corresponding password',
          type: 'string',
          secret: true,
        },
      ],
      metadata: [
        { id: 'secret_id', label: 'Secret ID', help_text: 'The integer ID of the secret', type: 'string' },
        {
          id: 'secret_field',
          label: 'Secret Field',
          help_text: 'The field to extract from the secret',
          type: 'string',
        },
      ],
      required: ['server_url', 'username', 'password', 'secret_id', 'secret_field'],
    },
    injectors: {},
    injection: { by: 'nothing', reason: LOOKUP },
  },
  {
    name: 'AWS Secrets Manager lookup',
    namespace: 'aws_secretsmanager_credential',
    kind: 'external',
    inputs: {
      fields: [
        { id: 'aws_access_key', label: 'AWS Access Key', type: 'string' },
        { id: 'aws_secret_key', label: 'AWS Secret Key', type: 'string', secret: true },
      ],
      metadata: [
        {
          id: 'region_name',
          label: 'AWS Secrets Manager Region',
          type: 'string',
          help_text: 'Region which the secrets manager is located',
        },
        { id: 'secret_name', label: 'AWS Secret Name', type: 'string' },
      ],
      required: ['aws_access_key', 'aws_secret_key', 'region_name', 'secret_name'],
    },
    injectors: {},
    injection: { by: 'nothing', reason: LOOKUP },
  },
];
