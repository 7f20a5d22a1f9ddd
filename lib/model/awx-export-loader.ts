import { isDeepStrictEqual } from 'node:util';
import {
  EXPORT_KINDS,
  EXPORT_LISTS,
  TEMPLATE_TYPES,
  UNMODELLED_LISTS,
  type ExportKind,
  type ExportList,
  type ExportType,
} from './awx-export-format';
import { isNaturalKey, keyedName, keyIdentity } from './awx-export-keys';
import type { RawEntry } from './bundle-builder';
import type { Diagnostics, Severity } from './diagnostics';
import { RESOURCE_KINDS, type ResourceKind } from './types';
import type { SourceMap } from './yaml-source';

type Raw = Record<string, unknown>;

/**
 * Is this parsed file an AWX export? Told by its shape, never its name (docs/formats.md): a mapping
 * whose lists hold objects carrying a `natural_key`, or whose keys are all an export's lists and
 * some key only an export has (`inventory`, `users`, ...), as an export of nothing but users is.
 */
export function isAwxExportDocument(value: unknown): value is Raw {
  if (!isMapping(value)) return false;
  const lists = Object.values(value).filter(Array.isArray);
  if (lists.some((list) => list.some((item) => isMapping(item) && 'natural_key' in item))) return true;
  const keys = Object.keys(value);
  return (
    keys.length > 0 &&
    keys.every((key) => isExportList(key)) &&
    keys.some((key) => !(RESOURCE_KINDS as readonly string[]).includes(key))
  );
}

/** The Bundle's kind of each exported list it has a place for (inventory sources go in their inventory). */
const BUNDLE_KINDS: Partial<Record<ExportList, { kind: ResourceKind; exported: ExportKind }>> = {
  credential_types: { kind: 'credential_types', exported: EXPORT_KINDS.credential_type },
  credentials: { kind: 'credentials', exported: EXPORT_KINDS.credential },
  notification_templates: { kind: 'notification_templates', exported: EXPORT_KINDS.notification_template },
  projects: { kind: 'projects', exported: EXPORT_KINDS.project },
  job_templates: { kind: 'job_templates', exported: EXPORT_KINDS.job_template },
  workflow_job_templates: { kind: 'workflow_job_templates', exported: EXPORT_KINDS.workflow_job_template },
  execution_environments: { kind: 'execution_environments', exported: EXPORT_KINDS.execution_environment },
};

/**
 * Reads an AWX export into the raw entries of a native bundle (docs/formats.md "AWX exports"), so
 * that every rule of the model applies to it as to any bundle: natural keys become names, `related`
 * lists become the Bundle's fields, inventory sources go into their inventory and schedules are
 * read once however many times the export repeats them. What the Bundle has no place for is
 * dropped: whole lists with one warning each, AWX's other fields with a note where they are set.
 */
export function awxExportEntries(
  document: Raw,
  file: string,
  sourceMap: SourceMap,
  diagnostics: Diagnostics,
): RawEntry[] {
  return new ExportReader(document, file, sourceMap, diagnostics).entries();
}

/** Where a finding is: the object and key it is written at, the resource, and the field's path. */
interface Place {
  readonly object: unknown;
  readonly key?: string | number;
  readonly resource?: string;
  readonly field?: string;
}

class ExportReader {
  private readonly schedules = new Map<string, { item: Raw; raw: Raw }>();

  constructor(
    private readonly document: Raw,
    private readonly file: string,
    private readonly sourceMap: SourceMap,
    private readonly diagnostics: Diagnostics,
  ) {}

  entries(): RawEntry[] {
    const entries: RawEntry[] = [];
    const add = (kind: ResourceKind, raw: Raw) =>
      entries.push({ kind, raw, sourceMap: this.sourceMap, style: 'export' });
    for (const [list, value] of Object.entries(this.document)) {
      const place = { object: this.document, key: list, field: list };
      if (!isExportList(list))
        this.report('error', place, list, `not a list of an AWX export; expected ${EXPORT_LISTS.join(', ')}`);
      else if (value !== null && value !== undefined && !Array.isArray(value))
        this.report('error', place, value, 'must be a list');
      else if (UNMODELLED_LISTS.includes(list) && Array.isArray(value) && value.length > 0)
        this.report(
          'warning',
          { object: this.document, key: list },
          undefined,
          `${value.length} ${list}: not modelled, skipped`,
        );
    }
    // The top-level list first: it orders the schedules its templates' copies repeat.
    for (const { item, resource, path } of this.items('schedules', 'schedule'))
      this.schedule(item, resource, path);
    for (const [list, { kind, exported }] of Object.entries(BUNDLE_KINDS)) {
      for (const { item, resource, path } of this.items(list as ExportList, exported.type)) {
        const { raw, related } = this.resource(exported, item, resource, path);
        if (exported.type === 'job_template' || exported.type === 'workflow_job_template')
          this.template(raw, related, resource, path);
        if (exported.type === 'workflow_job_template') this.workflow(raw, related, resource, path);
        add(kind, raw);
      }
    }
    const inventories = new Map<string, Raw>();
    for (const { item, resource, path } of this.items('inventory', 'inventory')) {
      const inventory = this.inventory(item, resource, path);
      add('inventories', inventory);
      inventories.set(String(inventory.name), inventory);
    }
    for (const { item, resource, path } of this.items('inventory_sources', 'inventory_source'))
      this.inventorySource(item, resource, path, inventories);
    for (const { raw } of this.schedules.values()) add('schedules', raw);
    return entries;
  }

  /** The items of one list, each a mapping with a natural key of `type`; the others reported. */
  private items(list: ExportList, type: ExportType): { item: Raw; resource: string; path: string }[] {
    const value = this.document[list];
    return Array.isArray(value) ? this.objects(value, type, list) : [];
  }

  private objects(list: unknown[], type: ExportType, path: string) {
    return list.flatMap((item, index) => {
      const at = `${path}[${index}]`;
      if (!isMapping(item)) {
        this.report('error', { object: list, key: index, field: at }, item, 'must be a mapping');
        return [];
      }
      const resource = labelOf(type, item.name ?? item.identifier);
      const key = item.natural_key;
      // Reported, and read all the same: what refers to it is then found.
      if (!isNaturalKey(key) || key.type !== type)
        this.report(
          'error',
          { object: item, key: 'natural_key', resource, field: `${at}.natural_key` },
          key,
          key === undefined
            ? 'is required: every object of an AWX export names itself by its natural key'
            : `must be the natural key of a ${labelOf(type)} ({..., type: ${type}})`,
        );
      return [{ item, resource, path: at }];
    });
  }

  /**
   * An exported object's fields as the Bundle's: natural keys as names, what the Bundle has no
   * place for dropped, the organization taken from the natural key when the object has none of
   * its own (AWX gives a job template its project's), and the `related` lists the table maps to
   * the Bundle's lists of names. `related` is returned for the caller's own lists.
   */
  private resource(kind: ExportKind, item: Raw, resource: string, path: string): { raw: Raw; related: Raw } {
    const raw: Raw = {};
    for (const [field, value] of Object.entries(item)) {
      if (field === 'natural_key' || field === 'related') continue;
      const role = kind.fields[field];
      const place = { object: item, key: field, resource, field: `${path}.${field}` };
      if (!role || role.role === 'value' || role.role === 'vars' || role.role === 'special')
        raw[field] = value; // A field AWX does not have is the model's to report.
      else if (role.role === 'reference') raw[field] = this.name(place, value, [role.type]);
      else if (role.role === 'unused') this.dropUnused(place, value, role.awxDefault);
    }
    const organization = isMapping(item.natural_key) ? item.natural_key.organization : undefined;
    if (!('organization' in raw) && isNaturalKey(organization)) raw.organization = organization.name;
    this.sourceMap.copyKeys(raw, item, Object.keys(raw));
    const related = this.related(item, resource, path);
    for (const relation of Object.keys(related).filter((key) => !Object.hasOwn(kind.related, key)))
      this.report(
        'warning',
        { object: related, key: relation, resource, field: `${path}.related.${relation}` },
        undefined,
        `not a list awxkit exports with a ${labelOf(kind.type)}, not read${this.diagnostics.didYouMean(relation, Object.keys(kind.related))}`,
      );
    for (const [relation, role] of Object.entries(kind.related)) {
      const value = related[relation];
      const place = { object: related, key: relation, resource, field: `${path}.related.${relation}` };
      if (value === undefined || value === null || role.role === 'special') continue;
      if (role.role === 'names') raw[relation] = this.names(place, value, [role.type]);
      else if (!isEmpty(value)) this.note(place, value);
    }
    this.sourceMap.copyKeys(raw, related, Object.keys(kind.related));
    return { raw, related };
  }

  /** What both kinds of template hold under `related`: a survey and schedules. */
  private template(raw: Raw, related: Raw, resource: string, path: string): void {
    if (related.survey_spec !== undefined) raw.survey_spec = related.survey_spec;
    this.sourceMap.copyKeys(raw, related, ['survey_spec']);
    this.relatedSchedules(related, resource, path);
  }

  /** A workflow's labels (label objects, read as their names) and nodes. */
  private workflow(raw: Raw, related: Raw, resource: string, path: string): void {
    raw.labels = this.relatedObjects(related, 'labels', 'label', resource, path).map(({ item }) => item.name);
    raw.workflow_nodes = this.relatedObjects(
      related,
      'workflow_nodes',
      'workflow_job_template_node',
      resource,
      path,
    ).map(({ item, path: at }) => this.node(item, String(raw.name), resource, at));
    this.sourceMap.copyKeys(raw, related, ['labels', 'workflow_nodes']);
  }

  /**
   * A node: its template's natural key is read by the model as it reads `{name, type}`; an
   * approval node's template is its `related.create_approval_template`; its edges are identifiers.
   */
  private node(item: Raw, workflow: string, resource: string, path: string): Raw {
    const { raw, related } = this.resource(EXPORT_KINDS.workflow_job_template_node, item, resource, path);
    if (related.create_approval_template !== undefined) raw.approval_node = related.create_approval_template;
    for (const edge of ['success_nodes', 'failure_nodes', 'always_nodes']) {
      const place = { object: related, key: edge, resource, field: `${path}.related.${edge}` };
      const targets = this.list(place);
      raw[edge] = targets.flatMap((target, index) => {
        const identifier = keyedName(target, ['workflow_job_template_node']);
        const owner = isMapping(target)
          ? keyedName(target.workflow_job_template, ['workflow_job_template'])
          : undefined;
        if (identifier !== undefined && owner === workflow) return [identifier];
        this.report(
          'error',
          { ...place, object: targets, key: index, field: `${place.field}[${index}]` },
          target,
          identifier === undefined
            ? 'must be the natural key of a node ({workflow_job_template, identifier, type: workflow_job_template_node})'
            : `links a node of workflow job template '${String(owner)}', not of '${workflow}'`,
        );
        return [];
      });
    }
    this.sourceMap.copyKeys(raw, related, [
      'create_approval_template',
      'success_nodes',
      'failure_nodes',
      'always_nodes',
    ]);
    return raw;
  }

  /** An inventory with its hosts and groups; a group's hosts are those it lists and those listing it. */
  private inventory(item: Raw, resource: string, path: string): Raw {
    const { raw, related } = this.resource(EXPORT_KINDS.inventory, item, resource, path);
    const parts = (relation: 'hosts' | 'groups', type: 'host' | 'group') =>
      this.relatedObjects(related, relation, type, resource, path).map(({ item: object, path: at }) => ({
        at,
        ...this.resource(EXPORT_KINDS[type], object, resource, at),
      }));
    const hosts = parts('hosts', 'host');
    const groups = parts('groups', 'group');
    for (const group of groups) {
      for (const [relation, type] of [
        ['hosts', 'host'],
        ['children', 'group'],
      ] as const) {
        const place = {
          object: group.related,
          key: relation,
          resource,
          field: `${group.at}.related.${relation}`,
        };
        group.raw[relation] = this.names(place, group.related[relation], [type]);
      }
      this.sourceMap.copyKeys(group.raw, group.related, ['hosts', 'children']);
    }
    const members = new Map(groups.map((group) => [group.raw.name, group.raw.hosts as unknown[]]));
    for (const host of hosts) {
      const place = { object: host.related, key: 'groups', resource, field: `${host.at}.related.groups` };
      for (const name of this.names(place, host.related.groups, ['group'])) {
        const hostsOfGroup = members.get(name);
        if (!hostsOfGroup)
          this.report('error', place, name, `no group '${name}' in inventory '${String(raw.name)}'`);
        else if (!hostsOfGroup.includes(host.raw.name)) hostsOfGroup.push(host.raw.name);
      }
    }
    raw.hosts = hosts.map((host) => host.raw);
    raw.groups = groups.map((group) => group.raw);
    raw.inventory_sources = [];
    this.sourceMap.copyKeys(raw, related, ['hosts', 'groups']);
    return raw;
  }

  /** An inventory source, put in the inventory its natural key names; its schedules read too. */
  private inventorySource(item: Raw, resource: string, path: string, inventories: Map<string, Raw>): void {
    const { raw, related } = this.resource(EXPORT_KINDS.inventory_source, item, resource, path);
    delete raw.inventory;
    const place = { object: item, key: 'inventory', resource, field: `${path}.inventory` };
    const name = this.name(place, item.inventory, ['inventory']);
    const inventory = typeof name === 'string' ? inventories.get(name) : undefined;
    if (inventory) (inventory.inventory_sources as Raw[]).push(raw);
    else if (typeof name === 'string')
      this.report(
        'error',
        place,
        item.inventory,
        `no inventory '${name}' in this export: a source is read into its inventory`,
      );
    this.relatedSchedules(related, resource, path);
  }

  private relatedSchedules(related: Raw, resource: string, path: string): void {
    for (const schedule of this.relatedObjects(related, 'schedules', 'schedule', resource, path))
      this.schedule(schedule.item, schedule.resource, schedule.path);
  }

  /** The objects of a `related` list (hosts, nodes, schedules...), each with its natural key. */
  private relatedObjects(related: Raw, relation: string, type: ExportType, resource: string, path: string) {
    const field = `${path}.related.${relation}`;
    return this.objects(this.list({ object: related, key: relation, resource, field }), type, field);
  }

  /**
   * A schedule, read once: awxkit writes each both in `schedules` and under its template's
   * `related.schedules`. Copies must agree.
   */
  private schedule(item: Raw, resource: string, path: string): void {
    const identity = isNaturalKey(item.natural_key) ? keyIdentity(item.natural_key) : path;
    const seen = this.schedules.get(identity);
    if (seen) {
      if (!isDeepStrictEqual(seen.item, item))
        this.report(
          'error',
          { object: item, resource, field: path },
          undefined,
          'this schedule is written again, differently',
        );
      return;
    }
    const { raw } = this.resource(EXPORT_KINDS.schedule, item, resource, path);
    const place = {
      object: item,
      key: 'unified_job_template',
      resource,
      field: `${path}.unified_job_template`,
    };
    raw.unified_job_template = this.name(place, item.unified_job_template, TEMPLATE_TYPES);
    this.schedules.set(identity, { item, raw });
  }

  /**
   * The name a natural key gives, null for null; anything else reported, and a bare name read all
   * the same (so that the model does not report its absence too).
   */
  private name(place: Place, value: unknown, types: readonly string[]): string | null | undefined {
    if (value === null || value === undefined) return null;
    const name = keyedName(value, types);
    if (name !== undefined) return name;
    this.report(
      'error',
      place,
      value,
      `must be the natural key of a ${types.map((t) => labelOf(t)).join(' or ')} ({name: ..., type: ${types.join(' | ')}})`,
    );
    return typeof value === 'string' ? value : undefined;
  }

  /** Names from a list of natural keys. */
  private names(place: Place, value: unknown, types: readonly string[]): string[] {
    const list = this.list({ ...place }, value);
    return list.flatMap((key, index) => {
      const name = this.name(
        { ...place, object: list, key: index, field: `${place.field}[${index}]` },
        key,
        types,
      );
      return typeof name === 'string' ? [name] : [];
    });
  }

  /** A list: `value`, or what `place` holds; null is empty, anything else reported. */
  private list(place: Place, value: unknown = (place.object as Raw)[place.key!]): unknown[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    this.report('error', place, value, 'must be a list');
    return [];
  }

  /** An object's `related`, a mapping (empty when absent). */
  private related(item: Raw, resource: string, path: string): Raw {
    const related = item.related;
    if (related === undefined || related === null) return {};
    if (isMapping(related)) return related;
    this.report(
      'error',
      { object: item, key: 'related', resource, field: `${path}.related` },
      related,
      'must be a mapping of related lists',
    );
    return {};
  }

  /** A field AWX has and the Bundle does not: silent at AWX's default, noted where it is set. */
  private dropUnused(place: Place, value: unknown, awxDefault: unknown): void {
    if (!isEmpty(value) && !isDeepStrictEqual(value, awxDefault)) this.note(place, value);
  }

  private note(place: Place, value: unknown): void {
    this.report('note', place, value, "AWX's; Towerless does not use it, and it is not kept");
  }

  private report(severity: Severity, place: Place, value: unknown, message: string): void {
    this.diagnostics.add({
      severity,
      source: this.sourceMap.at(place.object, place.key, { file: this.file }),
      resource: place.resource,
      field: place.field,
      value,
      message,
    });
  }
}

function isExportList(key: string): key is ExportList {
  return (EXPORT_LISTS as readonly string[]).includes(key);
}

function isMapping(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isEmpty(value: unknown): boolean {
  return (
    value === null ||
    value === '' ||
    value === false ||
    (Array.isArray(value) && value.length === 0) ||
    (isMapping(value) && Object.keys(value).length === 0)
  );
}

/** `job template 'Deploy'`, or `job template` without a name. */
function labelOf(type: string, name?: unknown): string {
  const label = type.replace(/_/g, ' ');
  return name === undefined ? label : `${label} '${typeof name === 'string' ? name : '?'}'`;
}
