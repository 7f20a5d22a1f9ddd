import type { CatalogStore } from '../../catalog/catalog-store';
import type { Definition, DefinitionRecord } from '../../catalog/definition';
import type { ResourceKind } from '../../catalog/kinds';
import { definitionOf } from '../../catalog/resources';
import { envelope } from './envelope';
import { objectRoles } from './role';
import { hasRoles, roleFields } from '../../access/roles';

/** The collection path of a kind under /api/v2/. */
export function collectionOf(kind: ResourceKind): string {
  return definitionOf(kind)?.path ?? { user: 'users', token: 'tokens' }[kind as string] ?? kind;
}

/**
 * Finds the objects a record refers to, once per request: a page of 25 templates that all name
 * the same organization reads it once.
 */
export class ReferenceLookup {
  private readonly found = new Map<
    string,
    Promise<{ kind: ResourceKind; record: DefinitionRecord } | undefined>
  >();

  constructor(private readonly catalog: CatalogStore) {}

  find(kinds: readonly ResourceKind[], id: number) {
    const key = `${kinds.join(',')}#${id}`;
    let found = this.found.get(key);
    if (!found) this.found.set(key, (found = this.catalog.findAmong<DefinitionRecord>(kinds, id)));
    return found;
  }
}

/** What AWX's summaries of a related object hold, as clients read them (name, and the type of a template). */
function summaryOf(kind: ResourceKind, record: DefinitionRecord): Record<string, unknown> {
  const summary: Record<string, unknown> = {
    id: record.id,
    name: record.name ?? record.identifier,
    description: record.description ?? '',
  };
  if (
    [
      'job_template',
      'workflow_job_template',
      'project',
      'inventory_source',
      'workflow_approval_template',
    ].includes(kind)
  )
    summary.unified_job_type =
      { workflow_approval_template: 'workflow_approval' }[kind as string] ?? kind.replace(/_template$/, '');
  if (kind === 'credential') summary.credential_type_id = record.credential_type;
  if (kind === 'workflow_approval_template') summary.timeout = record.timeout;
  return summary;
}

/**
 * Any definition as AWX shows it: the envelope, the kind's fields, `related` links to what it
 * refers to and to its sub-paths, and `summary_fields` naming the objects it refers to.
 */
export async function serializeDefinition(
  definition: Definition,
  record: DefinitionRecord,
  lookup: ReferenceLookup,
): Promise<Record<string, unknown>> {
  const related: Record<string, string> = {};
  const summary: Record<string, unknown> = {};
  const fields: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(definition.fields)) {
    const value = record[name];
    fields[name] = value;
    if (spec.type !== 'reference' || typeof value !== 'number') continue;
    const target = await lookup.find(spec.kinds, value);
    if (!target) continue;
    related[name] = `/${collectionOf(target.kind)}/${value}`;
    summary[name] = summaryOf(target.kind, target.record);
  }
  for (const [relation, kind] of Object.entries(definition.associations ?? {})) {
    related[relation] = relation;
    if (relation === 'labels' || relation === 'credentials') {
      const ids = (record[relation] as number[] | undefined) ?? [];
      const items = (await Promise.all(ids.map((id) => lookup.find([kind], id))))
        .filter((item) => item !== undefined)
        .map((item) => summaryOf(item.kind, item.record));
      summary[relation] = relation === 'labels' ? { count: items.length, results: items } : items;
    }
  }
  const subLists = [definition.children, definition.computedLists].flatMap((lists) =>
    Object.keys(lists ?? {}),
  );
  for (const link of [...subLists, ...(definition.links ?? [])]) related[link] = link;
  summary.user_capabilities = { edit: true, delete: true, start: true, schedule: true, copy: true };
  if (hasRoles(definition.kind)) {
    summary.object_roles = objectRoles(definition.kind, record.id, roleFields(definition.kind));
    related.object_roles = 'object_roles';
    related.access_list = 'access_list';
  }
  return {
    ...envelope(definition.type, definition.path, record, related, summary),
    ...fields,
    ...definition.computed?.(record),
  };
}
