import { InvalidError } from '../errors';
import { isSecretRef } from '../model/resources/credential';
import { isKeptCredentialSecret, type CredentialSecrets } from '../runner/credential-secrets';
import type { DefinitionRecord } from './definition';
import type { DefinitionCatalog } from './definitions';
import { ENCRYPTED } from './shown-inputs';
import { CREDENTIAL } from './resources/credential';

type Inputs = Record<string, unknown>;

/**
 * Credentials whose secret inputs never reach the store: each secret value given is kept through
 * the secrets writer (Secrets Manager; locally its twin) and the record holds a reference in its
 * place (docs/secrets.md). `$encrypted$` keeps the value already kept. A reference given
 * (`{"secret": "prod/db"}`, as `towerless apply` sends a bundle's) is kept as it is, never resolved.
 */
export class CredentialStore {
  constructor(
    private readonly definitions: DefinitionCatalog,
    private readonly secrets: CredentialSecrets,
  ) {}

  async create(values: Record<string, unknown>): Promise<DefinitionRecord> {
    const inputs = (values.inputs as Inputs | undefined) ?? {};
    const secret = await this.secretFields(values.credential_type);
    const plain = Object.fromEntries(Object.entries(inputs).filter(([field]) => !secret.has(field)));
    const created = await this.definitions.create(CREDENTIAL, { ...values, inputs: plain });
    try {
      const kept = await this.keep(created.id, inputs, secret, {});
      return Object.keys(kept).length === 0
        ? created
        : await this.definitions.update(CREDENTIAL, created.id, { inputs: { ...plain, ...kept } });
    } catch (error) {
      // Nothing half-made stays: a value that could not be kept leaves no credential behind.
      await this.definitions.delete(CREDENTIAL, created.id);
      throw error;
    }
  }

  async update(id: number, values: Record<string, unknown>): Promise<DefinitionRecord> {
    const current = await this.definitions.get(CREDENTIAL, id);
    if (values.inputs === undefined) return this.definitions.update(CREDENTIAL, id, values);
    const inputs = values.inputs as Inputs;
    const secret = await this.secretFields(values.credential_type ?? current.credential_type);
    const previous = current.inputs as Inputs;
    const kept = await this.keep(id, inputs, secret, previous);
    const plain = Object.fromEntries(Object.entries(inputs).filter(([field]) => !secret.has(field)));
    const updated = await this.definitions.update(CREDENTIAL, id, {
      ...values,
      inputs: { ...plain, ...kept },
    });
    // What no longer holds the same reference: a kept value replaced by a reference goes too.
    const dropped = Object.fromEntries(
      Object.entries(previous).filter(([field, value]) => !sameReference(kept[field], value)),
    );
    await this.secrets.forget(id, dropped);
    return updated;
  }

  async delete(id: number): Promise<void> {
    const current = await this.definitions.get(CREDENTIAL, id);
    await this.definitions.delete(CREDENTIAL, id);
    await this.secrets.forget(id, current.inputs as Inputs);
  }

  private async keep(id: number, inputs: Inputs, secret: Set<string>, previous: Inputs): Promise<Inputs> {
    checkReferences(inputs);
    const kept: Inputs = {};
    for (const [field, value] of Object.entries(inputs)) {
      if (!secret.has(field) || value === '' || value === null) continue;
      if (value === ENCRYPTED) {
        if (isSecretRef(previous[field])) kept[field] = previous[field];
      } else if (isSecretRef(value)) kept[field] = { secret: value.secret };
      else if (typeof value !== 'string')
        throw new InvalidError('invalid input', {
          inputs: [`${field}: must be a string or a secret reference {"secret": "<name>"}`],
        });
      else kept[field] = await this.secrets.keep(id, field, value);
    }
    return kept;
  }

  /** The inputs the credential type marks secret. */
  private async secretFields(typeId: unknown): Promise<Set<string>> {
    const type =
      typeof typeId === 'number'
        ? await this.definitions.store.find<DefinitionRecord>('credential_type', typeId)
        : undefined;
    const fields = ((type?.inputs as { fields?: Array<{ id: string; secret?: boolean }> } | undefined)
      ?.fields ?? []) as Array<{ id: string; secret?: boolean }>;
    return new Set(fields.filter((field) => field.secret).map((field) => field.id));
  }
}

/**
 * A reference may name any secret but those Towerless keeps for credentials: naming another
 * credential's kept value would hand it to whoever uses this credential (docs/secrets.md).
 */
function checkReferences(inputs: Inputs): void {
  for (const [field, value] of Object.entries(inputs)) {
    if (isSecretRef(value) && isKeptCredentialSecret(value.secret))
      throw new InvalidError('invalid input', {
        inputs: [
          `${field}: '${value.secret}' is a secret Towerless keeps for a credential: give the value itself, or $encrypted$ to keep the current one`,
        ],
      });
  }
}

function sameReference(a: unknown, b: unknown): boolean {
  return isSecretRef(a) && isSecretRef(b) && a.secret === b.secret;
}
