import { pythonTruth } from './module-conversions';
import type { ModuleTask } from './module-task';

type Raw = Record<string, unknown>;

/**
 * `tower_credential` as Ansible 2.9 shipped it (and awx.awx before 14.0 still read it): the type
 * given as `kind`, the inputs as options of their own (`username`, `ssh_key_data`, ...). Read as
 * the credential the module made: `kind` names one of AWX's managed types (the module's
 * KIND_CHOICES), the options become `inputs`, and secrets among them become secret references as
 * any credential input does (resources/credential.ts).
 */

/** `kind` → the managed credential type the module looked up (AWX has since renamed 'Ansible Tower'). */
export const LEGACY_CREDENTIAL_KINDS: Readonly<Record<string, string>> = {
  ssh: 'Machine',
  vault: 'Vault',
  net: 'Network',
  scm: 'Source Control',
  aws: 'Amazon Web Services',
  vmware: 'VMware vCenter',
  satellite6: 'Red Hat Satellite 6',
  cloudforms: 'Red Hat CloudForms',
  gce: 'Google Compute Engine',
  azure_rm: 'Microsoft Azure Resource Manager',
  openstack: 'OpenStack',
  rhv: 'Red Hat Virtualization',
  insights: 'Insights',
  tower: 'Ansible Tower',
};

/** The options the module sent as inputs, under the input's own name (its OLD_INPUT_NAMES). */
export const LEGACY_CREDENTIAL_INPUTS: ReadonlySet<string> = new Set([
  'authorize',
  'authorize_password',
  'client',
  'security_token',
  'secret',
  'tenant',
  'subscription',
  'domain',
  'become_method',
  'become_username',
  'become_password',
  'vault_password',
  'project',
  'host',
  'username',
  'password',
  'ssh_key_data',
  'vault_id',
  'ssh_key_unlock',
]);

/** Whether a `tower_credential` task is written in the legacy form. */
export function isLegacyCredential(params: Readonly<Raw>): boolean {
  return 'kind' in params || Object.keys(params).some((key) => LEGACY_CREDENTIAL_INPUTS.has(key));
}

/**
 * The arguments of the awx.awx.credential task the legacy task amounts to, each at the line of the
 * option it comes from; undefined when the module would have failed (reported).
 */
export function legacyCredentialArguments(task: ModuleTask, params: Readonly<Raw>): Raw | undefined {
  const kind = params.kind;
  const sourceMap = task.sourceMap;
  if (kind !== undefined && kind !== null && !(typeof kind === 'string' && kind in LEGACY_CREDENTIAL_KINDS)) {
    task.error(
      'kind',
      kind,
      `must be one of ${Object.keys(LEGACY_CREDENTIAL_KINDS).join(', ')} (tower_credential's kinds)`,
    );
    return undefined;
  }
  if (typeof kind !== 'string' && !params.credential_type) {
    task.error(
      'kind',
      kind,
      'is required: tower_credential takes the credential type as `kind` (or `credential_type`)',
    );
    return undefined;
  }
  // Ansible 2.9's module refused a vault identifier on any other kind.
  if (typeof kind === 'string' && kind !== 'vault' && pythonTruth(params.vault_id)) {
    task.error('vault_id', params.vault_id, "is only valid if parameter 'kind' is specified as 'vault'");
    return undefined;
  }
  const credential: Raw = {};
  const inputs: Raw = {};
  for (const [key, value] of Object.entries(params)) {
    // The module sent only the inputs given a value (Ansible 2.9's: a true one).
    if (LEGACY_CREDENTIAL_INPUTS.has(key)) {
      if (!pythonTruth(value)) continue;
      inputs[key] = value;
      sourceMap.copyKey(inputs, key, params, key);
    } else if (key !== 'kind') {
      credential[key] = value;
      sourceMap.copyKey(credential, key, params, key);
    }
  }
  if (!params.credential_type) {
    // A machine credential given a vault password was the vault credential in Ansible 2.9.
    credential.credential_type =
      kind === 'ssh' && 'vault_password' in inputs ? 'Vault' : LEGACY_CREDENTIAL_KINDS[kind as string];
    sourceMap.copyKey(credential, 'credential_type', params, 'kind');
  }
  const given = params.inputs;
  if (Object.keys(inputs).length > 0) {
    // `inputs` given beside the legacy options wins over them (awx.awx before 14.0).
    if (given && typeof given === 'object' && !Array.isArray(given)) {
      Object.assign(inputs, given);
      sourceMap.copyKeys(inputs, given, Object.keys(given));
    }
    credential.inputs = inputs;
    const first = Object.keys(params).find((key) => LEGACY_CREDENTIAL_INPUTS.has(key) || key === 'inputs')!;
    sourceMap.copyKey(credential, 'inputs', params, first);
  }
  return credential;
}
