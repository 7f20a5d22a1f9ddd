import { ForbiddenError, InvalidError, NotFoundError } from '../errors';
import type { SecretWriter } from '../runner/secret-writer';
import type { CatalogStore } from './catalog-store';
import type { Definition, DefinitionRecord } from './definition';
import { KeptSecretRecords, type RecordWrites } from './kept-secret-records';
import type { ResourceKind } from './kinds';
import { DEFINITIONS } from './resources';
import { SECRET_FIELDS } from './secret-fields';

/**
 * Checks a kind's values before they are saved, whatever the route (a nested create, a copy):
 * `current` is the record an update changes. Throws an InvalidError with AWX's answer.
 */
export type SaveCheck = (
  values: Readonly<Record<string, unknown>>,
  current: DefinitionRecord | undefined,
) => Promise<void>;

/**
 * The definitions as AWX's API changes them: creates and updates whose references must name
 * existing objects, association lists, and deletes that cascade as AWX's foreign keys do (what
 * cannot exist without the deleted object goes with it; optional references become null; lists
 * forget it). The kinds that hold secrets keep them out of the store on every write, whatever
 * the route (a nested create, a cascade, a copy): docs/secrets.md.
 */
export class DefinitionCatalog {
  /** The kinds whose secret values are kept through the secrets writer, by kind. */
  private readonly secretKinds: ReadonlyMap<ResourceKind, KeptSecretRecords>;

  constructor(
    readonly store: CatalogStore,
    secrets: SecretWriter,
    /** Checks beyond the field tables that need services (notification messages are rendered). */
    private readonly checks: Partial<Record<ResourceKind, SaveCheck>> = {},
  ) {
    this.secretKinds = new Map(
      SECRET_FIELDS.map((field) => [
        field.definition.kind,
        new KeptSecretRecords(field, secrets, this.recordWrites(field.definition)),
      ]),
    );
  }

  async create(definition: Definition, values: Record<string, unknown>): Promise<DefinitionRecord> {
    await this.checks[definition.kind]?.(values, undefined);
    const kept = this.secretKinds.get(definition.kind);
    return kept ? kept.create(values) : this.createRecord(definition, values);
  }

  async update(
    definition: Definition,
    id: number,
    values: Record<string, unknown>,
  ): Promise<DefinitionRecord> {
    const check = this.checks[definition.kind];
    if (check) await check(values, await this.get(definition, id));
    const kept = this.secretKinds.get(definition.kind);
    return kept ? kept.update(id, values) : this.updateRecord(definition, id, values);
  }

  get(definition: Definition, id: number): Promise<DefinitionRecord> {
    return this.store.get<DefinitionRecord>(definition.kind, id);
  }

  list(definition: Definition): Promise<DefinitionRecord[]> {
    return this.store.list<DefinitionRecord>(definition.kind);
  }

  /** Adds (or, with `remove`, takes away) an object to a record's association list. */
  async associate(
    definition: Definition,
    id: number,
    relation: string,
    targetId: number,
    remove = false,
  ): Promise<void> {
    const targetKind = definition.associations?.[relation];
    if (!targetKind) throw new NotFoundError(`${definition.path} have no ${relation}`);
    const record = await this.get(definition, id);
    if (!(await this.store.find(targetKind, targetId)))
      throw new InvalidError('no such object', { id: [`Invalid pk "${targetId}" - object does not exist.`] });
    if (!remove) await definition.checkAssociation?.(this, record, relation, targetId);
    const current = (record[relation] as number[] | undefined) ?? [];
    const next = remove ? current.filter((item) => item !== targetId) : [...new Set([...current, targetId])];
    if (next.length !== current.length) await this.store.update(definition.kind, id, { [relation]: next });
  }

  /** Deletes a record and what depends on it (docs/api.md "Deleting"). */
  async delete(definition: Definition, id: number): Promise<void> {
    const record = await this.get(definition, id);
    this.checkUnlocked(definition, record, 'delete');
    await this.store.delete(definition.kind, id);
    await this.secretKinds.get(definition.kind)?.deleted(record);
    await this.forget(definition.kind, id);
  }

  /** This catalog's writes of the records of a kind that keeps secrets, for its KeptSecretRecords. */
  private recordWrites(definition: Definition): RecordWrites {
    return {
      create: (values) => this.createRecord(definition, values),
      update: (id, values) => this.updateRecord(definition, id, values),
      delete: (id) => this.delete(definition, id),
      get: (id) => this.get(definition, id),
      find: (kind, id) => this.store.find<DefinitionRecord>(kind, id),
    };
  }

  /** A record as given (its secrets, if its kind has any, already out of `values`). */
  private async createRecord(
    definition: Definition,
    values: Record<string, unknown>,
  ): Promise<DefinitionRecord> {
    await this.checkReferences(definition, values);
    const saved = definition.saving ? await definition.saving(this, values, undefined) : values;
    const lists = Object.fromEntries(Object.keys(definition.associations ?? {}).map((name) => [name, []]));
    return this.store.create<DefinitionRecord>(definition.kind, { ...lists, ...saved });
  }

  private async updateRecord(
    definition: Definition,
    id: number,
    values: Record<string, unknown>,
  ): Promise<DefinitionRecord> {
    const current = await this.get(definition, id);
    this.checkUnlocked(definition, current, 'change');
    await this.checkReferences(definition, values);
    const saved = definition.saving ? await definition.saving(this, values, current) : values;
    return this.store.update<DefinitionRecord>(definition.kind, id, saved);
  }

  private async forget(kind: ResourceKind, id: number): Promise<void> {
    for (const other of DEFINITIONS) {
      const references = Object.entries(other.fields).filter(
        ([, spec]) => spec.type === 'reference' && spec.kinds.includes(kind),
      );
      const lists = Object.entries(other.associations ?? {}).filter(([, target]) => target === kind);
      if (references.length === 0 && lists.length === 0) continue;
      for (const record of await this.list(other)) {
        const changes: Record<string, unknown> = {};
        let dependent = false;
        for (const [name, spec] of references) {
          if (record[name] !== id) continue;
          if (spec.type === 'reference' && (spec.required || spec.cascade)) dependent = true;
          else changes[name] = null;
        }
        for (const [relation] of lists) {
          const ids = (record[relation] as number[] | undefined) ?? [];
          if (ids.includes(id)) changes[relation] = ids.filter((item) => item !== id);
        }
        // A record may be gone already: deleted with another one it depended on.
        if (dependent) await this.delete(other, record.id).catch(ignoreNotFound);
        else if (Object.keys(changes).length > 0)
          await this.store.update(other.kind, record.id, changes).catch(ignoreNotFound);
      }
    }
  }

  private checkUnlocked(definition: Definition, record: DefinitionRecord, action: 'change' | 'delete'): void {
    const reason = definition.locked?.(record, action);
    if (reason) throw new ForbiddenError(reason);
  }

  private async checkReferences(definition: Definition, values: Record<string, unknown>): Promise<void> {
    const errors: Record<string, string[]> = {};
    for (const [name, spec] of Object.entries(definition.fields)) {
      const id = values[name];
      if (spec.type !== 'reference' || typeof id !== 'number') continue;
      if (!(await this.store.findAmong(spec.kinds, id)))
        errors[name] = [`Invalid pk "${id}" - object does not exist.`];
    }
    if (Object.keys(errors).length > 0) throw new InvalidError('invalid references', errors);
  }
}

/** For deletes of what may be gone already (deleted with another record it depended on). */
export function ignoreNotFound(error: unknown): void {
  if (!(error instanceof NotFoundError)) throw error;
}
