import { InvalidError } from '../errors';
import { isSecretRef } from '../model/resources/credential';
import { isServiceSecret, keptSecretOf, KeptSecrets, MAX_SECRET_BYTES } from '../runner/kept-secrets';
import type { SecretWriter } from '../runner/secret-writer';
import type { DefinitionRecord } from './definition';
import { kindOf } from './kinds';
import { secretFieldOf, type FindRecord, type SecretField } from './secret-fields';
import { ENCRYPTED, shownSecrets } from './shown-secrets';

type Values = Record<string, unknown>;

/** The catalog's own writes of one kind's records, which KeptSecretRecords wraps. */
export interface RecordWrites {
  create(values: Values): Promise<DefinitionRecord>;
  update(id: number, values: Values): Promise<DefinitionRecord>;
  delete(id: number): Promise<void>;
  get(id: number): Promise<DefinitionRecord>;
  /** Reads any record (what decides which keys are secret: a credential's type). */
  readonly find: FindRecord;
}

/**
 * Records of a kind whose secret values never reach the store (credentials' secret inputs,
 * notification templates' secret configuration): each secret value given is kept through the
 * secrets writer (Secrets Manager; locally its twin) and the record holds a reference in its
 * place (docs/secrets.md). `$encrypted$` keeps the value already kept. A reference given
 * (`{"secret": "prod/db"}`, as `towerless apply` sends a bundle's) is kept as it is, never
 * resolved. A value replaced, or deleted with its record, is deleted at once. The catalog
 * writes every record of such a kind through here (lib/catalog/definitions.ts), whatever the
 * route, so none can bypass it.
 */
export class KeptSecretRecords {
  private readonly secrets: KeptSecrets;

  constructor(
    private readonly spec: SecretField,
    writer: SecretWriter,
    private readonly records: RecordWrites,
  ) {
    this.secrets = new KeptSecrets(writer, spec.owner);
  }

  async create(values: Values): Promise<DefinitionRecord> {
    const { field } = this.spec;
    const given = (values[field] as Values | undefined) ?? {};
    const secret = await this.secretKeys(values);
    this.check(given, secret);
    const created = await this.records.create({ ...values, [field]: withoutSecrets(given, secret) });
    const kept: Values = {};
    try {
      const stored = await this.stored(created.id, given, secret, {}, kept);
      return Object.keys(kept).length === 0
        ? created
        : await this.records.update(created.id, { [field]: stored });
    } catch (error) {
      // Nothing half-made stays: a value that could not be kept leaves no record, nor the values
      // kept before it, behind.
      await this.records.delete(created.id);
      await this.secrets.forget(created.id, kept);
      throw error;
    }
  }

  /**
   * Changes a record. Without the mapping in `values`, the one the record holds is sorted again,
   * as if sent back as shown: a change of type (`credential_type`, `notification_type`) may make
   * a key secret whose value was plain, and that value then leaves the record for the secret
   * store. A value kept under a key that is no longer secret stays kept.
   */
  async update(id: number, values: Values): Promise<DefinitionRecord> {
    const { field } = this.spec;
    const current = await this.records.get(id);
    const previous = mappingOf(current, field);
    const given = (values[field] as Values | undefined) ?? shownSecrets(previous);
    const secret = await this.secretKeys({ ...current, ...values });
    this.check(given, secret);
    const kept: Values = {};
    // What no longer holds the same reference afterwards: the values kept anew if the update
    // fails, the previous ones (a kept value replaced by a reference too) if it succeeds.
    const changed = (from: Values, to: Values) =>
      Object.fromEntries(Object.entries(from).filter(([key, value]) => !sameReference(to[key], value)));
    let updated: DefinitionRecord;
    let stored: Values;
    try {
      stored = await this.stored(id, given, secret, previous, kept);
      updated = await this.records.update(id, { ...values, [field]: stored });
    } catch (error) {
      await this.secrets.forget(id, changed(kept, previous));
      throw error;
    }
    await this.secrets.forget(id, changed(previous, stored));
    return updated;
  }

  /** Forgets the kept values of a record the catalog has deleted. */
  async deleted(record: DefinitionRecord): Promise<void> {
    await this.secrets.forget(record.id, mappingOf(record, this.spec.field));
  }

  /**
   * The mapping the record keeps for `given`: plain values as given, secret ones kept and
   * replaced by their references (also put in `kept`, so that a failure knows what was kept),
   * and for `$encrypted$` the reference the record held.
   */
  private async stored(
    id: number,
    given: Values,
    secret: (key: string) => boolean,
    previous: Values,
    kept: Values,
  ): Promise<Values> {
    const stored: Values = {};
    for (const [key, value] of Object.entries(given)) {
      if (value === ENCRYPTED && isSecretRef(previous[key])) stored[key] = kept[key] = previous[key];
      else if (!secret(key)) stored[key] = value;
      else if (isEmpty(value) || value === ENCRYPTED) continue;
      else if (isSecretRef(value)) stored[key] = kept[key] = { secret: value.secret };
      else stored[key] = kept[key] = await this.secrets.keep(id, key, value as string);
    }
    return stored;
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
        if (isServiceSecret(value.secret)) {
          problems.push(`${key}: '${value.secret}' is a secret of Towerless itself, which no object may use`);
          continue;
        }
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
    return this.spec.secretKeys(record, this.records.find);
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
