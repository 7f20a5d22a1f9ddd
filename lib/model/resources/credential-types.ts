/**
 * The credential types Towerless injects, with AWX's input names. `secret` inputs are never stored
 * as values in a definition: only as references to Secrets Manager (locally, the secrets file).
 */
export interface CredentialTypeSpec {
  readonly inputs: Readonly<Record<string, { readonly secret: boolean }>>;
}

const plain = { secret: false } as const;
const secret = { secret: true } as const;

export const CREDENTIAL_TYPES: Readonly<Record<string, CredentialTypeSpec>> = {
  Machine: {
    inputs: {
      username: plain,
      password: secret,
      ssh_key_data: secret,
      ssh_public_key_data: plain,
      ssh_key_unlock: secret,
      become_method: plain,
      become_username: plain,
      become_password: secret,
    },
  },
  'Source Control': {
    inputs: { username: plain, password: secret, ssh_key_data: secret, ssh_key_unlock: secret },
  },
  Vault: { inputs: { vault_password: secret, vault_id: plain } },
  'Amazon Web Services': { inputs: { username: plain, password: secret, security_token: secret } },
};

/** Inputs of unknown (custom) types are all treated as secret: the safe default. */
export function isSecretInput(credentialType: string, input: string): boolean {
  return CREDENTIAL_TYPES[credentialType]?.inputs[input]?.secret ?? true;
}
