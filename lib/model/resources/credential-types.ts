/**
 * The credential types built into Towerless, with AWX's input names; each is injected by its own
 * code in lib/runner (custom types, defined under `credential_types`, by their injectors). `secret`
 * inputs are never stored as values in a definition: only as references to Secrets Manager
 * (locally, the secrets file).
 */
export interface BuiltInCredentialType {
  readonly inputs: Readonly<Record<string, { readonly secret: boolean }>>;
}

const plain = { secret: false } as const;
const secret = { secret: true } as const;

export const BUILT_IN_CREDENTIAL_TYPES: Readonly<Record<string, BuiltInCredentialType>> = {
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

/** The built-in type of that name (own names only: `toString` is not a credential type). */
export function builtInCredentialType(name: string): BuiltInCredentialType | undefined {
  return Object.hasOwn(BUILT_IN_CREDENTIAL_TYPES, name) ? BUILT_IN_CREDENTIAL_TYPES[name] : undefined;
}
