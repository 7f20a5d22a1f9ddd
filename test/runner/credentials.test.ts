import { describe, expect, it } from 'vitest';
import type { Credential } from '../../lib/model/types';
import { injectCredentials } from '../../lib/runner/credentials';
import { NodeRunFailure } from '../../lib/runner/failure';
import type { SecretProvider } from '../../lib/runner/secrets';

const provider: SecretProvider = {
  description: 'test secrets',
  get: async (name) => {
    if (name === 'missing') throw new NodeRunFailure(`secret '${name}' is not in test secrets`);
    return `value-of-${name}`;
  },
};

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
    const injection = await injectCredentials(
      [
        credential('Machine', {
          username: 'deploy',
          password: { secret: 'pw' },
          ssh_key_data: { secret: 'key' },
          ssh_key_unlock: { secret: 'unlock' },
          become_method: 'sudo',
          become_username: 'root',
          become_password: { secret: 'become' },
        }),
      ],
      provider,
    );
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
    const injection = await injectCredentials(
      [
        credential('Vault', { vault_password: { secret: 'vault' } }),
        credential('Amazon Web Services', {
          username: 'AKIA1',
          password: { secret: 'aws' },
          security_token: { secret: 'sts' },
        }),
      ],
      provider,
    );
    expect(injection.cmdline).toEqual(['--ask-vault-pass']);
    expect(injection.envvars).toEqual({
      AWS_ACCESS_KEY_ID: 'AKIA1',
      AWS_SECRET_ACCESS_KEY: 'value-of-aws',
      AWS_SESSION_TOKEN: 'value-of-sts',
      AWS_SECURITY_TOKEN: 'value-of-sts',
    });
  });
  it('refuses a username that would need quoting on the command line', async () => {
    await expect(
      injectCredentials([credential('Machine', { username: 'bob; rm -rf /' })], provider),
    ).rejects.toThrow("credential 'Machine cred' input 'username' must be a plain name");
  });
  it('names the credential, input and secret when a secret is missing', async () => {
    await expect(
      injectCredentials([credential('Machine', { password: { secret: 'missing' } })], provider),
    ).rejects.toThrow("credential 'Machine cred' input 'password': secret 'missing' is not in test secrets");
  });
});
