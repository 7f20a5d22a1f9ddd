import { ConditionalCheckFailedException, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ConflictError, NotFoundError } from '../errors';
import type { RecordTable } from '../store/record-table';
import { Sequences } from '../store/sequences';
import { KIND_INDEX } from '../store/table';
import { kindOf, type ResourceKind } from './kinds';

/** What every stored resource carries, as AWX's models do. */
export interface CatalogRecord {
  readonly id: number;
  readonly created: string;
  readonly modified: string;
}

/** The values that make a name unique (its organization, inventory...: the kind's `unique` fields). */
export type NameScope = Readonly<Record<string, unknown>>;

export type Fields<T extends CatalogRecord> = Omit<T, 'id' | 'created' | 'modified'>;

/**
 * Told of every record the store writes or deletes, after the write: `before` is undefined for a
 * create, `after` for a delete. The activity stream listens here (docs/api.md "Activity stream").
 */
export interface CatalogObserver {
  changed(
    kind: ResourceKind,
    id: number,
    before: CatalogRecord | undefined,
    after: CatalogRecord | undefined,
  ): void;
}

/**
 * The definitions catalog: AWX resources as records with integer ids, in the single table.
 *
 * - A record is `pk = <kind>#<id>`, `sk = R`, listed in id order through the `kind` index.
 * - Ids come from the store's sequences (lib/store/sequences.ts); kinds that share an id space in AWX (job
 *   and workflow job templates, projects, inventory sources are all unified job templates) share
 *   a sequence, so an id names one of them.
 * - A name is claimed by an item `NAME#<kind>#<scope>#<name>` written only if absent,
 *   before the record: two creates racing for one name cannot both win. A claim left by a crash
 *   between the two writes points at a record that does not exist, and is taken over.
 */
export class CatalogStore {
  private readonly sequences: Sequences;

  /** Told of changes besides `observer` (the schedule firing re-plans on them); see `listen`. */
  private readonly listeners = new Set<CatalogObserver>();

  constructor(
    private readonly table: RecordTable,
    private readonly observer?: CatalogObserver,
  ) {
    this.sequences = new Sequences(table);
  }

  /** Tells `listener` of every later write or delete; the function returned stops that. */
  listen(listener: CatalogObserver): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private tell(
    kind: ResourceKind,
    id: number,
    before: CatalogRecord | undefined,
    after: CatalogRecord | undefined,
  ) {
    this.observer?.changed(kind, id, before, after);
    for (const listener of this.listeners) listener.changed(kind, id, before, after);
  }

  async create<T extends CatalogRecord>(kind: ResourceKind, fields: Fields<T>): Promise<T> {
    // A name already taken is refused before an id is drawn, so a refused create changes nothing.
    const name = nameOf(kind, fields as unknown as CatalogRecord);
    if (name !== undefined) {
      const holder = await this.findByName(kind, name, fields as unknown as NameScope);
      if (holder) throw new NameTakenError(kind, holder);
    }
    const id = await this.sequences.next(kindOf(kind).sequence);
    const now = new Date().toISOString();
    const record = { ...fields, id, created: now, modified: now } as T;
    await this.claimName(kind, record);
    await this.write(kind, record, 'attribute_not_exists(pk)');
    this.tell(kind, id, undefined, record);
    return record;
  }

  async get<T extends CatalogRecord>(kind: ResourceKind, id: number): Promise<T> {
    const record = await this.find<T>(kind, id);
    if (!record) throw new NotFoundError(`${kindOf(kind).label} ${id} not found`);
    return record;
  }

  async find<T extends CatalogRecord>(kind: ResourceKind, id: number): Promise<T | undefined> {
    if (!Number.isSafeInteger(id) || id < 1) return undefined;
    return this.table.get<T>(recordKey(kind, id), 'R');
  }

  /** The record with that id among kinds that share an id space (what a unified job template id names). */
  async findAmong<T extends CatalogRecord>(
    kinds: readonly ResourceKind[],
    id: number,
  ): Promise<{ kind: ResourceKind; record: T } | undefined> {
    for (const kind of kinds) {
      const record = await this.find<T>(kind, id);
      if (record) return { kind, record };
    }
    return undefined;
  }

  /** Replaces a record's fields (a rename claims the new name first, then frees the old one). */
  async update<T extends CatalogRecord>(
    kind: ResourceKind,
    id: number,
    changes: Partial<Fields<T>>,
  ): Promise<T> {
    const current = await this.get<T>(kind, id);
    const record = {
      ...current,
      ...changes,
      id,
      created: current.created,
      modified: new Date().toISOString(),
    } as T;
    const renamed = nameKey(kind, record) !== nameKey(kind, current);
    if (renamed) await this.claimName(kind, record);
    await this.write(kind, record, 'attribute_exists(pk)');
    if (renamed) await this.releaseName(kind, current);
    this.tell(kind, id, current, record);
    return record;
  }

  async delete(kind: ResourceKind, id: number): Promise<void> {
    const current = await this.get(kind, id);
    await this.table.remove(recordKey(kind, id), 'R');
    await this.releaseName(kind, current);
    this.tell(kind, id, current, undefined);
  }

  /** Every record of a kind, in id order. */
  list<T extends CatalogRecord>(kind: ResourceKind): Promise<T[]> {
    return this.table.ofKind<T>(kind);
  }

  /** How many records of a kind there are (counted by the index, nothing read). */
  async count(kind: ResourceKind): Promise<number> {
    return this.table.count({
      IndexName: KIND_INDEX,
      KeyConditionExpression: 'kind = :kind',
      ExpressionAttributeValues: marshall({ ':kind': kind }),
    });
  }

  /** The record of that name (in that organization, for kinds whose names are unique per organization). */
  async findByName<T extends CatalogRecord>(
    kind: ResourceKind,
    name: string,
    scope: NameScope = {},
  ): Promise<T | undefined> {
    const claim = await this.table.item(claimKey(kind, name, scope), 'N');
    const id = claim?.id;
    return typeof id === 'number' ? this.find<T>(kind, id) : undefined;
  }

  private async write(kind: ResourceKind, record: CatalogRecord, condition: string): Promise<void> {
    await this.table.put(recordKey(kind, record.id), 'R', record, {
      condition,
      attributes: { kind, kid: record.id },
    });
  }

  private async claimName(kind: ResourceKind, record: CatalogRecord): Promise<void> {
    const pk = nameKey(kind, record);
    if (!pk) return;
    const claim = () =>
      this.table.client.send(
        new UpdateItemCommand({
          TableName: this.table.tableName,
          Key: marshall({ pk, sk: 'N' }),
          UpdateExpression: 'SET id = :id',
          ConditionExpression: 'attribute_not_exists(pk) OR id = :id',
          ExpressionAttributeValues: marshall({ ':id': record.id }),
        }),
      );
    try {
      await claim();
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const holder = await this.findByName(kind, nameOf(kind, record)!, record as unknown as NameScope);
      if (holder) throw new NameTakenError(kind, holder);
      // The claim outlived its record (a crash between the two writes): take it over.
      await this.table.remove(pk, 'N');
      await claim();
    }
  }

  private async releaseName(kind: ResourceKind, record: CatalogRecord): Promise<void> {
    const pk = nameKey(kind, record);
    if (!pk) return;
    // Only while it is still this record's: a name freed and taken meanwhile stays the new holder's.
    await this.table.remove(pk, 'N', {
      condition: 'id = :id',
      values: { ':id': record.id },
    });
  }
}

/** A name already held by another record of the kind (in the organization), with AWX's answer. */
export class NameTakenError extends ConflictError<CatalogRecord> {
  constructor(kind: ResourceKind, holder: CatalogRecord) {
    const spec = kindOf(kind);
    const duplicate = spec.duplicate ?? {
      field: '__all__',
      message: `${spec.label} with this Name and Organization already exists.`,
    };
    super(duplicate.message, holder, duplicate.field);
  }
}

function recordKey(kind: ResourceKind, id: number): string {
  return `${kind}#${id}`;
}

function nameOf(kind: ResourceKind, record: CatalogRecord): string | undefined {
  const field = kindOf(kind).nameField;
  return field ? String((record as unknown as Record<string, unknown>)[field]) : undefined;
}

/** The claim item of a record's name, or undefined for kinds whose names need not be unique. */
function nameKey(kind: ResourceKind, record: CatalogRecord): string | undefined {
  const name = nameOf(kind, record);
  return name === undefined ? undefined : claimKey(kind, name, record as unknown as NameScope);
}

function claimKey(kind: ResourceKind, name: string, scope: NameScope): string {
  const values = (kindOf(kind).unique ?? []).map((field) => String(scope[field] ?? ''));
  return ['NAME', kind, ...values, name].join('#');
}
