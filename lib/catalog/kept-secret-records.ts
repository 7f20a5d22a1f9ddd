import { InvalidError } from '../errors';
import { isSecretRef } from '../model/resources/credential';
import { keptSecretOf, KeptSecrets, MAX_SECRET_BYTES } from '../runner/kept-secrets';
import type { SecretWriter } from '../runner/secret-writer';
import type { DefinitionRecord } from './definition';
import type { DefinitionCatalog } from './definitions';
import { kindOf } from './kinds';
import { secretFieldOf, type SecretField } from './secret-fields';
import { ENCRYPTED } from './shown-secrets';

type Values = Record<string, unknown>;

/**
 * Records of a kind whose secret values never reach the store (credentials' secret inputs,
 * notification templates' secret configuration): each secret value given is kept through the
 * secrets writer (Secrets Manager; locally its twin) and the record holds a reference in its
 * place (docs/secrets.md). `$encrypted$` keeps the value already kept. A reference given
 * (`{"secret": "prod/db"}`, as `towerless apply` sends a bundle's) is kept as it is, never
 * resolved. A value replaced or deleted with its record is deleted at once.
 */
export class KeptSecretRecords {
  private readonly secrets: KeptSecrets;

  constructor(
    private readonly definitions: DefinitionCatalog,
    writer: SecretWriter,
    private readonly spec: SecretField,
  ) {
    this.secrets = new KeptSecrets(writer, spec.owner);
  }

  async create(values: Values): Promise<DefinitionRecord> {
    const { definition, field } = this.spec;
    const given = (values[field] as Values | undefined) ?? {};
    const secret = await this.secretKeys(values);
    this.check(given, secret);
    const plain = withoutSecrets(given, secret);
    const created = await this.definitions.create(definition, { ...values, [field]: plain });
    const kept: Values = {};
    try {
      await this.keep(created.id, given, secret, {}, kept);
      return Object.keys(kept).length === 0
        ? created
        : await this.definitions.update(definition, created.id, { [field]: { ...plain, ...kept } });
    } catch (error) {
      // Nothing half-made stays: a value that could not be kept leaves no record, nor the values
      // kept before it, behind.
      await this.definitions.delete(definition, created.id);
      await this.secrets.forget(created.id, kept);
      throw error;
    }
  }

  async update(id: number, values: Values): Promise<DefinitionRecord> {
    const { definition, field } = this.spec;
    const current = await this.definitions.get(definition, id);
    if (values[field] === undefined) return this.definitions.update(definition, id, values);
    const given = values[field] as Values;
    const secret = await this.secretKeys({ ...current, ...values });
    this.check(given, secret);
    const previous = mappingOf(current, field);
    const kept: Values = {};
    // What no longer holds the same reference afterwards: the values kept anew if the update
    // fails, the previous ones (a kept value replaced by a reference too) if it succeeds.
    const changed = (from: Values, to: Values) =>
      Object.fromEntries(Object.entries(from).filter(([key, value]) => !sameReference(to[key], value)));
    let updated: DefinitionRecord;
    try {
      await this.keep(id, given, secret, previous, kept);
      updated = await this.definitions.update(definition, id, {
        ...values,
        [field]: { ...withoutSecrets(given, secret), ...kept },
      });
    } catch (error) {
      await this.secrets.forget(id, changed(kept, previous));
      throw error;
    }
    await this.secrets.forget(id, changed(previous, kept));
    return updated;
  }

  async delete(id: number): Promise<void> {
    const { definition, field } = this.spec;
    const current = await this.definitions.get(definition, id);
    await this.definitions.delete(definition, id);
    await this.secrets.forget(id, mappingOf(current, field));
  }

  /** Keeps the secret values of `given` into `kept` (so that a failure knows what was kept). */
  private async keep(
    id: number,
    given: Values,
    secret: (key: string) => boolean,
    previous: Values,
    kept: Values,
  ): Promise<void> {
    for (const [key, value] of Object.entries(given)) {
      if (!secret(key) || isEmpty(value)) continue;
      if (value === ENCRYPTED) {
        if (isSecretRef(previous[key])) kept[key] = previous[key];
      } else if (isSecretRef(value)) kept[key] = { secret: value.secret };
      else kept[key] = await this.secrets.keep(id, key, value as string);
    }
  }

  /**
   * Refuses, before anything is written, what cannot be kept: a secret that is not a string or
   * is larger than a secret may hold, and a reference to a kept secret (naming another object's
   * kept value would hand it to whoever uses this one).
   */
  private check(given: Values, secret: (key: string) => boolean): void {
    const problems: string[] = [];
    for (const [key, value] of Object.entries(given)) {
      if (isSecretRef(value)) {
        const named = keptSecretOf(value.secret);
        if (!named) continue;
        const owner = kindOf(secretFieldOf(named.owner).definition.kind).label.toLowerCase();
        problems.push(
          `${key}: '${value.secret}' is a secret Towerless keeps for a ${owner}: give the value itself, or ${ENCRYPTED} to keep the current one`,
        );
      } else if (!secret(key) || isEmpty(value)) continue;
      else if (typeof value !== 'string')
        problems.push(`${key}: must be a string or a secret reference {"secret": "<name>"}`);
      else if (Buffer.byteLength(value) > MAX_SECRET_BYTES)
        problems.push(`${key}: longer than ${MAX_SECRET_BYTES} bytes, the most a secret may hold`);
    }
    if (problems.length > 0)
      throw new InvalidError(`invalid ${this.spec.field}`, { [this.spec.field]: problems });
  }

  private secretKeys(record: Values): Promise<(key: string) => boolean> {
    return this.spec.secretKeys(record, (kind, id) =>
      this.definitions.store.find<DefinitionRecord>(kind, id),
    );
  }
}

/**
 * Nothing to keep: the secret is not set. It is left out of the record, since the model reads a
 * secret key only as a reference.
 */
function isEmpty(value: unknown): boolean {
  return value === '' || value === null;
}

function mappingOf(record: DefinitionRecord, field: string): Values {
  return (record[field] as Values | undefined) ?? {};
}

function withoutSecrets(given: Values, secret: (key: string) => boolean): Values {
  return Object.fromEntries(Object.entries(given).filter(([key]) => !secret(key)));
}

function sameReference(a: unknown, b: unknown): boolean {
  return isSecretRef(a) && isSecretRef(b) && a.secret === b.secret;
}
