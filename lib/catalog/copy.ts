import { InvalidError } from '../errors';
import { withKeptValues } from '../runner/kept-secrets';
import type { SecretProvider } from '../runner/secrets';
import type { Definition, DefinitionRecord } from './definition';
import { ignoreNotFound, type DefinitionCatalog } from './definitions';
import { defaultValue } from './fields';
import type { ResourceKind } from './kinds';
import { definitionOf } from './resources';
import { secretFieldOfKind } from './secret-fields';

type Values = Record<string, unknown>;
/** Association lists: relation → the ids listed. */
type Lists = Record<string, number[]>;

/** An object outside a copy that its parts refer to. */
export interface Referred {
  readonly kind: ResourceKind;
  readonly record: DefinitionRecord;
}

/** Whether the parts of a copy may go on referring to an object outside it (the caller may use it). */
export type KeepReference = (referred: Referred) => Promise<boolean>;

/** Runs writes that the activity stream leaves out. */
export type Unrecorded = <T>(work: () => Promise<T>) => Promise<T>;

interface Part {
  readonly definition: Definition;
  readonly record: DefinitionRecord;
}

/** What a reference becomes in a copy: an id, or null. */
type Target = (kinds: readonly ResourceKind[], id: number) => Promise<number | null>;

/** The copied record's own references stay as they are (AWX checks no more than creating it takes). */
const unchanged: Target = async (_kinds, id) => id;

/** What one copy has made so far, and what it leaves out. */
interface Copying {
  /** The copy of each original copied, by `kind#id`. */
  readonly copies: Map<string, number>;
  /** Everything made, in order, to take back if the copy fails. */
  readonly made: Part[];
  /** The objects outside the copy its parts no longer refer to, by `kind#id`. */
  readonly withheld: ReadonlySet<string>;
}

/**
 * AWX's copy of an object (`POST /api/v2/<kind>/<id>/copy/`, docs/api.md "Copies"), driven by the
 * kind's field table: a new record with another name and the original's fields (those its
 * `copy` spec discards at their default), the association lists and kept values the spec names,
 * and its parts (a workflow's nodes, an inventory's hosts and groups) copied whole, their
 * references to one another pointing at the copies. A record a part owns (a node's approval
 * template) is copied with it. The secrets a credential or a notification template keeps are
 * read back and kept anew for the copy, which never shares the original's (docs/secrets.md).
 *
 * As in AWX, the activity stream records the copy's create alone: its lists and parts are
 * written unrecorded. A copy that fails takes back what it made.
 */
export class DefinitionCopies {
  constructor(
    private readonly definitions: DefinitionCatalog,
    /** Reads kept secrets back. */
    private readonly secrets: SecretProvider,
    private readonly unrecorded: Unrecorded,
  ) {}

  /**
   * What the parts of a copy of `record` refer to outside it that `keep` refuses, for a kind whose
   * copy checks its parts (none for the others).
   */
  async withheld(definition: Definition, record: DefinitionRecord, keep: KeepReference): Promise<Referred[]> {
    if (!definition.copy?.checkParts) return [];
    const parts = await this.partsOf(definition, record);
    const inside = new Set([keyOf(definition.kind, record.id), ...parts.map(keyOfPart)]);
    const withheld: Referred[] = [];
    for (const part of parts)
      for (const { kinds, id } of referencesOf(part)) {
        if (kinds.some((kind) => inside.has(keyOf(kind, id)))) continue;
        const found = await this.definitions.store.findAmong<DefinitionRecord>(kinds, id);
        if (found && !definitionOf(found.kind)?.ownedByReferrer && !(await keep(found))) withheld.push(found);
      }
    return withheld;
  }

  /** Copies the record under `name`; its parts leave out what `keep` refuses (see `withheld`). */
  async copy(
    definition: Definition,
    id: number,
    name: string,
    keep: KeepReference,
  ): Promise<DefinitionRecord> {
    const original = await this.definitions.get(definition, id);
    if (name === original.name) {
      const message = `The original object is already named ${name}, a copy from it cannot have the same name.`;
      throw new InvalidError(message, { non_field_errors: [message] });
    }
    const spec = definition.copy ?? {};
    const withheld = await this.withheld(definition, original, keep);
    const copying: Copying = {
      copies: new Map(),
      made: [],
      withheld: new Set(withheld.map(({ kind, record }) => keyOf(kind, record.id))),
    };
    const copy = await this.definitions.create(definition, {
      ...(await this.valuesOf(definition, original, unchanged)),
      ...pick(original, spec.kept),
      name,
    });
    copying.copies.set(keyOf(definition.kind, original.id), copy.id);
    copying.made.push({ definition, record: copy });
    try {
      await this.unrecorded(async () => {
        const lists = pick(original, spec.associations) as Lists;
        if (anyListed(lists)) await this.definitions.update(definition, copy.id, lists);
        await this.copyParts(await this.partsOf(definition, original), copying);
      });
    } catch (error) {
      await this.undo(copying.made);
      throw error;
    }
    return this.definitions.get(definition, copy.id);
  }

  /** The records copied with `record` as its parts, in id order. */
  private async partsOf(definition: Definition, record: DefinitionRecord): Promise<Part[]> {
    const parts: Part[] = [];
    for (const relation of definition.copy?.parts ?? []) {
      const { kind, field } = definition.children![relation];
      const child = definitionOf(kind)!;
      for (const member of await this.definitions.list(child))
        if (member[field] === record.id) parts.push({ definition: child, record: member });
    }
    return parts;
  }

  /** Copies the parts: their fields first, then their lists, which may name parts copied after them. */
  private async copyParts(parts: readonly Part[], copying: Copying): Promise<void> {
    const target: Target = (kinds, id) => this.target(kinds, id, copying);
    const copies: Array<[Part, number]> = [];
    for (const part of parts) {
      const copy = await this.definitions.create(
        part.definition,
        await this.valuesOf(part.definition, part.record, target),
      );
      copying.copies.set(keyOfPart(part), copy.id);
      copying.made.push({ definition: part.definition, record: copy });
      copies.push([part, copy.id]);
    }
    for (const [{ definition, record }, id] of copies) {
      const lists: Lists = {};
      for (const [relation, kind] of Object.entries(definition.associations ?? {})) {
        const ids = await Promise.all(idsOf(record[relation]).map((listed) => target([kind], listed)));
        lists[relation] = ids.filter((listed) => listed !== null);
      }
      if (anyListed(lists)) await this.definitions.update(definition, id, lists);
    }
  }

  /**
   * What a part's reference becomes in its copy: the copy of what was copied along, a copy of its
   * own of what it owns, null for what the copy withholds, and otherwise the same object.
   */
  private async target(kinds: readonly ResourceKind[], id: number, copying: Copying): Promise<number | null> {
    for (const kind of kinds) {
      const copy = copying.copies.get(keyOf(kind, id));
      if (copy !== undefined) return copy;
    }
    const found = await this.definitions.store.findAmong<DefinitionRecord>(kinds, id);
    if (!found) return id;
    const definition = definitionOf(found.kind)!;
    if (definition.ownedByReferrer) {
      // AWX names such a copy as it names a copy given no name.
      const copy = await this.definitions.create(definition, {
        ...(await this.valuesOf(definition, found.record, unchanged)),
        name: `${found.record.name} copy`,
      });
      copying.made.push({ definition, record: copy });
      return copy.id;
    }
    return copying.withheld.has(keyOf(found.kind, id)) ? null : id;
  }

  /**
   * The values of a record's fields for its copy: discarded ones at their default, references
   * as `target` has them, kept secrets read back so that the copy keeps them anew.
   */
  private async valuesOf(definition: Definition, record: DefinitionRecord, target: Target): Promise<Values> {
    const discard = definition.copy?.discard ?? [];
    const values: Values = {};
    for (const [name, spec] of Object.entries(definition.fields)) {
      const value = record[name];
      if (discard.includes(name)) values[name] = defaultValue(spec);
      else if (spec.type === 'reference' && typeof value === 'number')
        values[name] = await target(spec.kinds, value);
      else if (value !== undefined) values[name] = value;
    }
    const secrets = secretFieldOfKind(definition.kind);
    if (secrets)
      values[secrets.field] = await withKeptValues(
        (record[secrets.field] as Values | undefined) ?? {},
        this.secrets,
      );
    return values;
  }

  /**
   * Takes back what a failed copy made, last first: the parts unrecorded (they never were), then
   * the copy itself, whose create and delete then make no entry.
   */
  private async undo(made: readonly Part[]): Promise<void> {
    const [copy, ...parts] = made;
    await this.unrecorded(async () => {
      for (const { definition, record } of parts.reverse())
        await this.definitions.delete(definition, record.id).catch(ignoreNotFound);
    });
    await this.definitions.delete(copy.definition, copy.record.id);
  }
}

/** The references a part holds: its reference fields', and each entry of its association lists. */
function referencesOf({ definition, record }: Part): Array<{ kinds: readonly ResourceKind[]; id: number }> {
  const fields = Object.entries(definition.fields).flatMap(([name, spec]) =>
    spec.type === 'reference' && typeof record[name] === 'number'
      ? [{ kinds: spec.kinds, id: record[name] as number }]
      : [],
  );
  const lists = Object.entries(definition.associations ?? {}).flatMap(([relation, kind]) =>
    idsOf(record[relation]).map((id) => ({ kinds: [kind], id })),
  );
  return [...fields, ...lists];
}

function keyOf(kind: ResourceKind, id: number): string {
  return `${kind}#${id}`;
}

function keyOfPart({ definition, record }: Part): string {
  return keyOf(definition.kind, record.id);
}

/** Whether any list holds something (a copy's lists start empty: only those that do are written). */
function anyListed(lists: Lists): boolean {
  return Object.values(lists).some((ids) => ids.length > 0);
}

function idsOf(list: unknown): number[] {
  return (list as number[] | undefined) ?? [];
}

function pick(record: DefinitionRecord, names: readonly string[] = []): Values {
  return Object.fromEntries(names.filter((name) => record[name] != null).map((name) => [name, record[name]]));
}
