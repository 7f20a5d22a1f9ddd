import type { CredentialTypeInjectors } from '../types';
import { CREDENTIAL_PLUGIN_TYPES } from './credential-plugin-types';
import { AWX_CREDENTIAL_TYPES } from './managed-credential-types';

/**
 * AWX's managed credential types: the ones every AWX has, which credentials name as their
 * `credential_type` (docs/credentials.md). `name`, `namespace`, `kind`, `inputs` and `injectors`
 * are AWX's, as its API shows them; `injection` and `formerNames` are Towerless's. Custom types
 * (bundle `credential_types`) are read by credential-type.ts and may not take these names.
 */
export interface ManagedCredentialType {
  readonly name: string;
  readonly namespace: string;
  readonly kind: CredentialKind;
  readonly inputs: ManagedCredentialTypeInputs;
  /** AWX's declarative injectors; `{}` for the types AWX injects with Python code, or not at all. */
  readonly injectors: Partial<CredentialTypeInjectors>;
  /** How Towerless injects a credential of this type into a job. */
  readonly injection: ManagedInjection;
  /** Names AWX gave the type before (its migrations rename them): read as this type. */
  readonly formerNames?: readonly string[];
}

/** AWX's CredentialType.KIND_CHOICES. Custom types may only be cloud or net. */
export type CredentialKind =
  | 'ssh'
  | 'vault'
  | 'net'
  | 'scm'
  | 'cloud'
  | 'registry'
  | 'token'
  | 'insights'
  | 'external'
  | 'kubernetes'
  | 'galaxy'
  | 'cryptography';

export interface ManagedCredentialTypeInputs {
  readonly fields: readonly ManagedCredentialTypeField[];
  /** External (lookup) types: what a credential that looks an input up says about the value it wants. */
  readonly metadata?: readonly ManagedCredentialTypeField[];
  /** AWX's form insists on these; its API does not (ids of `metadata` fields may be listed too). */
  readonly required?: readonly string[];
  /** An input → the inputs that must be given with it (AWX's JSON schema `dependencies`). */
  readonly dependencies?: Readonly<Record<string, readonly string[]>>;
}

/** One input of a managed type, as AWX defines it: keys AWX leaves out are left out. */
export interface ManagedCredentialTypeField {
  readonly id: string;
  readonly label: string;
  /** Left out on three of AWX's external types' fields, which then take any value. */
  readonly type?: 'string' | 'boolean';
  readonly secret?: boolean;
  readonly multiline?: boolean;
  /** `vault_id` values may not contain `@`. */
  readonly format?: 'ssh_private_key' | 'url' | 'vault_id';
  readonly choices?: readonly string[];
  readonly default?: string | boolean;
  readonly help_text?: string;
  /** AWX lets such an input be `ASK`: prompted for at launch. */
  readonly ask_at_runtime?: boolean;
}

export type ManagedInjection =
  /** Towerless's own code (lib/runner/credentials.ts): command-line flags, answered prompts, ssh-agent. */
  | { readonly by: 'runner' }
  /** AWX's own `injectors`, rendered as a custom type's are. */
  | { readonly by: 'injectors' }
  /**
   * What AWX's Python injector for the type sets, written as injectors and rendered as a custom
   * type's are, except that inputs left out take their field's default, as AWX's `get_input` does.
   */
  | { readonly by: 'templates'; readonly injectors: Partial<CredentialTypeInjectors> }
  /** AWX injects nothing into a job's ansible: the reason says what AWX uses the type for. */
  | { readonly by: 'nothing'; readonly reason: string }
  /** Credentials of the type are stored, but Towerless does not inject them yet: a job using one fails. */
  | { readonly by: 'unsupported'; readonly reason: string };

/** In AWX's registration order, which gives a fresh AWX's ids: its own types, then its credential plugins. */
export const MANAGED_CREDENTIAL_TYPES: readonly ManagedCredentialType[] = [
  ...AWX_CREDENTIAL_TYPES,
  ...CREDENTIAL_PLUGIN_TYPES,
];

const BY_NAME = new Map(
  MANAGED_CREDENTIAL_TYPES.flatMap((type) =>
    [type.name, ...(type.formerNames ?? [])].map((name) => [name, type] as const),
  ),
);

/** The managed type of that name, or of that former name. */
export function managedCredentialType(name: string): ManagedCredentialType | undefined {
  return BY_NAME.get(name);
}

/**
 * The injectors Towerless renders for a managed type, complete, and whether inputs left out take
 * their field's default; undefined when the type is not injected by templates.
 */
export function templateInjection(
  type: ManagedCredentialType,
): { readonly injectors: CredentialTypeInjectors; readonly fieldDefaults: boolean } | undefined {
  const { injection } = type;
  if (injection.by !== 'injectors' && injection.by !== 'templates') return undefined;
  const injectors = injection.by === 'templates' ? injection.injectors : type.injectors;
  return {
    injectors: { env: {}, extra_vars: {}, file: {}, ...injectors },
    fieldDefaults: injection.by === 'templates',
  };
}
