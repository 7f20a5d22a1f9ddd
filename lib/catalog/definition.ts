import type { CatalogRecord } from './catalog-store';
import type { DefinitionCatalog } from './definitions';
import type { FieldTable } from './fields';
import type { ResourceKind } from './kinds';

/**
 * What the catalog and the API know of one AWX resource kind: its fields, the lists it keeps of
 * other resources (AWX's many-to-many associations, posted as `{"id": N}` to a sub-path), and the
 * sub-paths AWX links from it. Rules of a kind live here and in the model's reader of the kind,
 * nowhere else.
 */
export interface Definition {
  readonly kind: ResourceKind;
  /** AWX's `type` of the objects. */
  readonly type: string;
  /** The collection under /api/v2/. */
  readonly path: string;
  readonly fields: FieldTable;
  /** Association lists kept on the record: relation name → the kind of what is listed. */
  readonly associations?: Readonly<Record<string, ResourceKind>>;
  /**
   * Sub-lists of the objects that refer to this one (`/inventories/1/hosts/`): relation name →
   * their kind and the field that refers here. Listing shows them; posting creates one here.
   */
  readonly children?: Readonly<Record<string, { readonly kind: ResourceKind; readonly field: string }>>;
  /** Read-only sub-lists AWX computes (`/groups/1/all_hosts/`): relation → what it lists. */
  readonly computedLists?: Readonly<Record<string, ComputedList>>;
  /** Other sub-paths AWX shows under `related` (launch, survey_spec, ...). */
  readonly links?: readonly string[];
  /** Refuses an association AWX refuses (an edge that would make a cycle...). */
  readonly checkAssociation?: (
    definitions: DefinitionCatalog,
    record: DefinitionRecord,
    relation: string,
    targetId: number,
  ) => Promise<void>;
  /** Why this record may not be changed (or deleted): AWX's managed objects; undefined if it may. */
  readonly locked?: (record: DefinitionRecord, action: 'change' | 'delete') => string | undefined;
  /**
   * AWX's model rules as a record is saved, whatever the route: the values to write, from those
   * given and the record as it is (none for a create), with what AWX sets itself (a job
   * template's organization is its project's); or an InvalidError for what its model refuses.
   */
  readonly saving?: (
    definitions: DefinitionCatalog,
    values: Record<string, unknown>,
    current: DefinitionRecord | undefined,
  ) => Promise<Record<string, unknown>>;
  /** Read-only fields AWX derives (status, last job...), shown after the kind's own fields. */
  readonly computed?: (record: DefinitionRecord) => Readonly<Record<string, unknown>>;
  /** Fields `?search=` looks in. */
  readonly searchable?: readonly string[];
  /** What a copy takes beyond the fields, for a kind that links `copy` (lib/catalog/copy.ts). */
  readonly copy?: CopySpec;
  /**
   * Its records belong to the one record that refers to them (an approval template to its node):
   * a copy of that record gets a copy of its own.
   */
  readonly ownedByReferrer?: boolean;
}

/**
 * What AWX's copy of a kind takes besides its fields (its model's FIELDS_TO_PRESERVE_AT_COPY and
 * FIELDS_TO_DISCARD_AT_COPY): docs/api.md "Copies".
 */
export interface CopySpec {
  /** Fields left at their default. */
  readonly discard?: readonly string[];
  /** What the record keeps beside its fields that is copied too (a template's `survey_spec`). */
  readonly kept?: readonly string[];
  /** The association lists copied (the objects listed are the same). */
  readonly associations?: readonly string[];
  /** The sub-lists of `children` whose records are copied with it, as parts of the copy. */
  readonly parts?: readonly string[];
  /**
   * What the parts refer to is checked (AWX's workflow copy): what the caller may not use is
   * named by `GET …/copy/` and left out of the copy.
   */
  readonly checkParts?: boolean;
}

/** Several `saving` rules of a kind, each given what the one before it returns. */
export function savingRules(
  ...rules: NonNullable<Definition['saving']>[]
): NonNullable<Definition['saving']> {
  return async (definitions, values, current) => {
    let saved = values;
    for (const rule of rules) saved = await rule(definitions, saved, current);
    return saved;
  };
}

/** A sub-list AWX computes from the records' own lists (a group's hosts and those of its children). */
export interface ComputedList {
  /** The kind listed. */
  readonly kind: ResourceKind;
  /** The ids of what it lists for this record. */
  readonly ids: (definitions: DefinitionCatalog, record: DefinitionRecord) => Promise<number[]>;
}

/** A stored definition: the envelope plus the kind's fields and association lists. */
export type DefinitionRecord = CatalogRecord & Readonly<Record<string, unknown>>;
