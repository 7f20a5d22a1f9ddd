import { isDeepStrictEqual } from 'node:util';
import { kindOf } from '../catalog/kinds';
import { UserError } from '../errors';
import type { ApiObject, AwxClient } from './awx-client';
import {
  MAPPINGS,
  parseVars,
  roleOf,
  type FieldRole,
  type KindMapping,
  type MappedKind,
} from './bundle-mapping';
import type { Names } from './names';

export type Fields = Readonly<Record<string, unknown>>;

/** A resource of the Bundle (its interfaces have no index signature), read field by field. */
export function fieldsOf(resource: object): Fields {
  return resource as Fields;
}

/** An object as written: the API's answer, and whether and how it changed. */
export interface Written {
  readonly object: ApiObject;
  readonly created: boolean;
  readonly changes: readonly string[];
}

/** Ids to add to and take from one association list. */
export interface ListChange {
  readonly path: string;
  readonly relation: string;
  readonly add: readonly number[];
  readonly remove: readonly number[];
}

/**
 * Writes resources of the Bundle as the awx.awx modules do (docs/api.md "apply"): the object
 * found by name in its scope, created when missing, patched in the fields that differ only, its
 * association lists made to match exactly; nested resources of a parent matched by name.
 */
export class ObjectWriter {
  constructor(
    private readonly client: AwxClient,
    private readonly names: Names,
  ) {}

  /**
   * Creates or updates one object. `existing` is the object already found (null: known to be
   * missing); otherwise it is looked up by name and the kind's scope (AWX's unique fields).
   */
  async write(
    kind: MappedKind,
    resource: object,
    options: { extra?: Fields; existing?: ApiObject | null; createPath?: string } = {},
  ): Promise<Written> {
    const mapping: KindMapping = MAPPINGS[kind];
    const { name, identifier } = fieldsOf(resource);
    const subject = `${mapping.label} '${String(name ?? identifier)}'`;
    const { fields, lists } = await this.desired(kind, fieldsOf(resource), options.extra ?? {});
    const path = `/${mapping.definition.path}/`;
    const existing =
      options.existing === undefined
        ? await this.find(kind, fields, subject)
        : (options.existing ?? undefined);
    let written: Written;
    if (existing) {
      const changed = Object.keys(fields).filter((field) =>
        differs(roleOf(mapping, field), fields[field], existing[field]),
      );
      const object = changed.length
        ? await this.client.patch(`${path}${existing.id}/`, pick(fields, changed), subject)
        : existing;
      written = { object, created: false, changes: changed };
    } else
      written = {
        object: await this.client.post(options.createPath ?? path, fields, subject),
        created: true,
        changes: [],
      };
    const ordered = mapping.ordered ?? [];
    const listChanges = await Promise.all(
      Object.entries(lists).map(([relation, ids]) =>
        this.listChange(written, relation, ids, subject, ordered.includes(relation)),
      ),
    );
    await this.changeLists(listChanges, subject);
    return { ...written, changes: [...written.changes, ...changedLists(listChanges)] };
  }

  /** The API's fields and association lists for a resource of the Bundle. */
  private async desired(
    kind: MappedKind,
    resource: Fields,
    extra: Fields,
  ): Promise<{ fields: Record<string, unknown>; lists: Record<string, number[]> }> {
    const mapping: KindMapping = MAPPINGS[kind];
    const fields: Record<string, unknown> = {};
    const listed: [string, FieldRole & { role: 'list' }, readonly string[]][] = [];
    for (const [field, value] of Object.entries(resource)) {
      const role = roleOf(mapping, field);
      const convert = mapping.toApi?.[field];
      if (role.role === 'value') fields[field] = convert ? convert(value as never) : emptyText(role, value);
      else if (role.role === 'vars') fields[field] = value;
      else if (role.role === 'reference')
        fields[field] = value === null ? null : await this.names.id(role.kind, value as string);
      else if (role.role === 'list') listed.push([field, role, value as string[]]);
    }
    Object.assign(fields, extra);
    const lists: Record<string, number[]> = {};
    for (const [field, role, values] of listed)
      lists[field] = await Promise.all(
        values.map((name) => this.names.id(role.kind, name, fields.organization as number | undefined)),
      );
    return { fields, lists };
  }

  /** The object of that name in its scope (AWX's unique fields), if any; more than one is an error. */
  private async find(kind: MappedKind, fields: Fields, subject: string): Promise<ApiObject | undefined> {
    const { definition } = MAPPINGS[kind];
    const scope = (kindOf(definition.kind).unique ?? []).map((field) => [field, String(fields[field] ?? '')]);
    const found = await this.client.list(
      `/${definition.path}/`,
      { name: String(fields.name), ...Object.fromEntries(scope) },
      subject,
    );
    if (found.length > 1)
      throw new UserError(`${subject}: the server has ${found.length} of that name in its scope`);
    return found[0];
  }

  /**
   * How an association list of a written object must change to hold `wanted`. What it holds now:
   * nothing when just created, the ids the object shows (AWX shows a node's edges), or its sub-list.
   * An `ordered` list keeps what it shares with `wanted` from its start; AWX appends what is
   * associated, so the rest is taken away and associated again in order.
   */
  async listChange(
    { object, created }: Written,
    relation: string,
    wanted: readonly number[],
    subject: string,
    ordered = false,
  ): Promise<ListChange> {
    const path = objectPath(object);
    const shown = object[relation];
    const current = created
      ? []
      : Array.isArray(shown)
        ? (shown as number[])
        : (await this.client.list(`${path}${relation}/`, {}, subject)).map((item) => item.id);
    if (ordered) {
      let kept = 0;
      while (kept < current.length && current[kept] === wanted[kept]) kept++;
      return { path, relation, add: wanted.slice(kept), remove: current.slice(kept) };
    }
    return {
      path,
      relation,
      add: wanted.filter((id) => !current.includes(id)),
      remove: current.filter((id) => !wanted.includes(id)),
    };
  }

  /**
   * Takes away before adding, across every list given: an edge that moves from success to failure,
   * or turns around, must be gone before its replacement is allowed.
   */
  async changeLists(changes: readonly ListChange[], subject: string): Promise<void> {
    for (const { path, relation, remove } of changes)
      for (const id of remove)
        await this.client.post(`${path}${relation}/`, { id, disassociate: true }, subject);
    for (const { path, relation, add } of changes)
      for (const id of add) await this.client.post(`${path}${relation}/`, { id }, subject);
  }

  /**
   * Nested resources of one parent (listed at `listPath`, or none when the parent is new), matched
   * by `key`: each item written, the rest deleted. Reports what changed, item by item.
   */
  async children<T extends object>(
    kind: MappedKind,
    listPath: string | undefined,
    items: readonly T[],
    key: 'name' | 'identifier',
    extraOf: (item: T) => Fields | Promise<Fields>,
    afterWrite: (item: T, written: Written) => Promise<string[]> = () => Promise.resolve([]),
  ): Promise<{ written: Map<string, Written>; changes: string[] }> {
    const { label, definition } = MAPPINGS[kind];
    const current = new Map(
      (listPath ? await this.client.list(listPath) : []).map((object) => [String(object[key]), object]),
    );
    const done = new Map<string, Written>();
    const changes: string[] = [];
    for (const item of items) {
      const name = String(fieldsOf(item)[key]);
      const written = await this.write(kind, item, {
        extra: await extraOf(item),
        existing: current.get(name) ?? null,
      });
      done.set(name, written);
      const more = await afterWrite(item, written);
      if (written.created) changes.push(`${label} '${name}' created`);
      else if (written.changes.length + more.length > 0)
        changes.push(`${label} '${name}' (${[...written.changes, ...more].join(', ')})`);
    }
    for (const [name, object] of current) {
      if (done.has(name)) continue;
      await this.client.delete(`/${definition.path}/${object.id}/`, `${label} '${name}'`);
      changes.push(`${label} '${name}' deleted`);
    }
    return { written: done, changes };
  }
}

/** The relations of the changes that change something. */
export function changedLists(changes: readonly ListChange[]): string[] {
  return changes.filter((change) => change.add.length + change.remove.length > 0).map((c) => c.relation);
}

/** An object's path under the API prefix, from its `url` (`/api/v2/job_templates/3/`). */
export function objectPath(object: ApiObject): string {
  return String(object.url).replace(/^.*?\/api\/v2\//, '/');
}

/** Whether the API's value differs from what the bundle wants. */
function differs(role: FieldRole, wanted: unknown, current: unknown): boolean {
  if (role.role === 'vars') return !isDeepStrictEqual(parseVars(wanted), parseVars(current));
  if (role.role === 'value' && role.emptyText) return (wanted ?? '') !== (current ?? '');
  return !isDeepStrictEqual(wanted, current ?? null);
}

/** The API keeps '' where the Bundle has null in text fields that cannot be null. */
function emptyText(role: FieldRole & { role: 'value' }, value: unknown): unknown {
  return value === null && role.emptyText ? '' : value;
}

function pick(fields: Fields, names: readonly string[]): Fields {
  return Object.fromEntries(names.map((name) => [name, fields[name]]));
}
