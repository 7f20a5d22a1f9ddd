import type { Credential } from '../model/types';
import { NodeRunFailure } from './failure';
import { credentialInput, type SecretProvider } from './secrets';
import type { TempFiles } from './temp-files';

/**
 * A Source Control credential for git: an ssh key (through GIT_SSH_COMMAND), or a username and
 * password/token for https (answered by a GIT_ASKPASS helper from the git process's environment,
 * so the secret is never written to disk or put in the URL).
 */
export interface GitAccess {
  readonly environment: Record<string, string>;
  readonly secrets: string[];
}

const ASKPASS = `#!/bin/sh
case "$1" in
  Username*) printf '%s\\n' "$TOWERLESS_GIT_USERNAME" ;;
  *) printf '%s\\n' "$TOWERLESS_GIT_PASSWORD" ;;
esac
`;

export async function gitAccess(
  credential: Credential | undefined,
  provider: SecretProvider,
  files: TempFiles,
): Promise<GitAccess> {
  const access: GitAccess = { environment: {}, secrets: [] };
  if (!credential) return access;
  const value = (input: string) => credentialInput(credential, input, provider, access.secrets);
  const key = await value('ssh_key_data');
  if (key !== undefined) {
    if (credential.inputs.ssh_key_unlock) {
      throw new NodeRunFailure(
        `credential '${credential.name}': passphrase-protected keys are not supported for project checkouts; use an unencrypted deploy key`,
      );
    }
    const path = files.write('id', key.endsWith('\n') ? key : `${key}\n`);
    // git runs GIT_SSH_COMMAND through sh: the path is single-quoted.
    access.environment.GIT_SSH_COMMAND = `ssh -o StrictHostKeyChecking=accept-new -o IdentitiesOnly=yes -i '${path.replace(/'/g, `'\\''`)}'`;
  }
  const [username, password] = [await value('username'), await value('password')];
  if (username !== undefined || password !== undefined) {
    const askpass = files.write('askpass', ASKPASS, 0o700);
    Object.assign(access.environment, {
      GIT_ASKPASS: askpass,
      TOWERLESS_GIT_USERNAME: username ?? '',
      TOWERLESS_GIT_PASSWORD: password ?? '',
    });
  }
  return access;
}
