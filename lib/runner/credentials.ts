import type { Credential, CredentialType, Vars } from '../model/types';
import {
  managedCredentialType,
  templateInjection,
  type ManagedCredentialType,
} from '../model/resources/credential-types';
import { injectCustomCredential } from './custom-credential';
import { NodeRunFailure } from './failure';
import { credentialInput, type SecretProvider } from './secrets';
import type { TempFiles } from './temp-files';

/**
 * How a job's credentials reach ansible, as AWX injects them: ansible-runner prompts answered
 * from `passwords`, an ssh key loaded into ssh-agent, command-line flags, environment variables,
 * extra variables and files. `secrets` lists every secret value so that outputs can be scrubbed.
 */
export interface Injection {
  readonly cmdline: string[];
  readonly envvars: Record<string, string>;
  /**
   * Injectors' `extra_vars`: below every other variable of the job, as in AWX, which passes
   * them to ansible-playbook before the job's own extra variables (later `-e` wins).
   */
  readonly extraVars: Vars;
  /** ansible-runner `env/passwords`: prompt pattern → answer. */
  readonly passwords: Record<string, string>;
  readonly sshKey?: string;
  readonly secrets: string[];
}

/** Where injection gets what credentials refer to. */
export interface InjectionSources {
  readonly secrets: SecretProvider;
  /** The bundle's custom credential types. */
  readonly credentialTypes: readonly CredentialType[];
  /** Where file injectors write (private, removed when the node ends). */
  readonly files: TempFiles;
}

const SAFE_FLAG_VALUE = /^[\w.@+-]+$/;

export async function injectCredentials(
  credentials: readonly Credential[],
  sources: InjectionSources,
): Promise<Injection> {
  const injection: Building = { cmdline: [], envvars: {}, extraVars: {}, passwords: {}, secrets: [] };
  for (const credential of credentials) {
    const managed = managedCredentialType(credential.credential_type);
    if (managed) await injectManaged(credential, managed, sources, injection);
    else await injectCustomCredential(credential, customType(credential, sources), sources, injection);
  }
  return injection;
}

/** An Injection being built. */
type Building = { -readonly [K in keyof Injection]: Injection[K] };

function customType(credential: Credential, sources: InjectionSources): CredentialType {
  const type = sources.credentialTypes.find((t) => t.name === credential.credential_type);
  // Refused when the definition is loaded; a stored definition could still say it.
  if (!type)
    throw new NodeRunFailure(
      `credential '${credential.name}' has credential type '${credential.credential_type}', which is neither managed nor defined`,
    );
  return type;
}

async function injectManaged(
  credential: Credential,
  type: ManagedCredentialType,
  sources: InjectionSources,
  injection: Building,
): Promise<void> {
  const templated = templateInjection(type);
  if (templated) return injectCustomCredential(credential, { ...type, ...templated }, sources, injection);
  // Types AWX injects nothing from ('nothing') inject nothing here either.
  switch (type.injection.by) {
    case 'runner':
      return injectWithRunnerCode(credential, type.name, sources.secrets, injection);
    case 'unsupported':
      throw new NodeRunFailure(
        `credential '${credential.name}' has credential type '${type.name}', which Towerless does not inject yet: ${type.injection.reason}`,
      );
  }
}

/** Machine, Vault and Amazon Web Services: what AWX's job runner does for them, by code. */
async function injectWithRunnerCode(
  credential: Credential,
  typeName: string,
  provider: SecretProvider,
  injection: Building,
): Promise<void> {
  const input = (name: string) => credentialInput(credential, name, provider, injection.secrets);
  /** ansible-playbook asks (the flag) and ansible-runner answers the prompt from `passwords`. */
  const answer = (askFlag: string, prompt: string, value: string | undefined) => {
    if (value === undefined) return;
    injection.cmdline.push(askFlag);
    injection.passwords[prompt] = value;
  };
  const flag = (option: string, value: string | undefined, input: string) => {
    if (value === undefined) return;
    if (!SAFE_FLAG_VALUE.test(value))
      throw new NodeRunFailure(
        `credential '${credential.name}' input '${input}' must be a plain name (letters, digits, . @ + - _)`,
      );
    injection.cmdline.push(`${option}=${value}`);
  };
  switch (typeName) {
    case 'Machine': {
      flag('--user', await input('username'), 'username');
      answer('--ask-pass', '^SSH [pP]assword:\\s*?$', await input('password'));
      injection.sshKey = await input('ssh_key_data');
      const unlock = await input('ssh_key_unlock');
      if (unlock !== undefined) injection.passwords['^Enter passphrase for .*:\\s*?$'] = unlock;
      flag('--become-method', await input('become_method'), 'become_method');
      flag('--become-user', await input('become_username'), 'become_username');
      answer('--ask-become-pass', '^BECOME [pP]assword:\\s*?$', await input('become_password'));
      break;
    }
    case 'Vault': {
      answer('--ask-vault-pass', '^Vault password:\\s*?$', await input('vault_password'));
      break;
    }
    case 'Amazon Web Services': {
      const [accessKey, secretKey, token] = [
        await input('username'),
        await input('password'),
        await input('security_token'),
      ];
      if (accessKey !== undefined) injection.envvars.AWS_ACCESS_KEY_ID = accessKey;
      if (secretKey !== undefined) injection.envvars.AWS_SECRET_ACCESS_KEY = secretKey;
      if (token !== undefined) {
        injection.envvars.AWS_SESSION_TOKEN = token;
        injection.envvars.AWS_SECURITY_TOKEN = token;
      }
      break;
    }
    default:
      throw new NodeRunFailure(`credential type '${typeName}' has no injection code`, 'error');
  }
}
