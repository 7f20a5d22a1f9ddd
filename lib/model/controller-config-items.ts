import type { RawEntry } from './bundle-builder';
import {
  SCHEMA_NODE,
  SIMPLIFIED_NODE,
  type ConfigVariable,
  type ItemField,
  type ItemKind,
} from './controller-config-format';
import { formatSource, type Diagnostics, type Severity } from './diagnostics';
import { KeyedList } from './keyed-list';
import { ansibleDict, ansibleList } from './module-conversions';
import { moduleSends } from './module-sends';
import type { SecretStyle } from './resources/common';
import type { ResourceKind } from './types';
import type { SourceMap } from './yaml-source';

type Raw = Record<string, unknown>;

/** One item of a variable's list, and where it is: its path (`controller_templates[2]`) and file. */
export interface ConfigItem {
  readonly item: Raw;
  readonly path: string;
  readonly file: string;
}

/** Where a finding is: the object and key it is written at, the resource, and the field's path. */
interface Place {
  readonly object: unknown;
  readonly key?: string | number;
  readonly resource?: string;
  readonly field?: string;
  readonly file: string;
}

/** An item being read: what it is, which role applies it, and where. */
interface Reading {
  readonly kind: ItemKind;
  readonly role: string;
  readonly resource: string;
  readonly path: string;
  readonly file: string;
}

const INVENTORY_PARTS = ['hosts', 'groups', 'inventory_sources'] as const;
type InventoryPart = (typeof INVENTORY_PARTS)[number];

/**
 * Applies the items of controller_configuration variables as the collection's roles apply them
 * (docs/formats.md "controller_configuration variables"), into the raw entries of a native bundle
 * so that every rule of the model applies to them as to any bundle. Each item becomes the fields
 * its role sends to AWX; items are applied in order, each as an awx.awx module call: a later item of
 * the same name updates the earlier one, `state: absent` removes it, `new_name` renames it. Hosts,
 * groups and inventory sources go into their inventory, which must be applied before them.
 */
export class ControllerConfigApplier {
  private readonly resources = new Map<ResourceKind, KeyedList>();
  private readonly inventoryParts = new Map<Raw, Record<InventoryPart, KeyedList>>();

  constructor(
    private readonly sourceMap: SourceMap,
    private readonly diagnostics: Diagnostics,
    private readonly style: SecretStyle,
  ) {}

  /** Applies the items of one variable, in order. */
  apply(variable: ConfigVariable, items: readonly ConfigItem[]): void {
    for (const { item, path, file } of items) {
      const resource = `${variable.items.label} '${typeof item.name === 'string' ? item.name : '?'}'`;
      const reading = { kind: variable.items, role: variable.role, resource, path, file };
      if (this.copies(item, reading)) continue;
      const target = variable.target;
      if (target === 'hosts' || target === 'groups' || target === 'inventory_sources')
        this.applyInventoryPart(target, item, reading);
      else
        this.applyTo(this.resourceList(target), 'name', item, reading, () =>
          this.resource(target, item, reading),
        );
    }
  }

  /** The resources as they stand after every item, in the order first applied. */
  entries(): RawEntry[] {
    for (const [inventory, parts] of this.inventoryParts)
      for (const part of INVENTORY_PARTS) inventory[part] = parts[part].items();
    return [...this.resources].flatMap(([kind, list]) =>
      list.items().map((raw) => ({ kind, raw: raw as Raw, sourceMap: this.sourceMap, style: this.style })),
    );
  }

  private resourceList(kind: ResourceKind): KeyedList {
    let list = this.resources.get(kind);
    if (!list) this.resources.set(kind, (list = new KeyedList([], 'name')));
    return list;
  }

  /**
   * Applies one item to `list`, keyed by its `key` field, as its module would: absent removes,
   * present creates or updates (fields given replace those set before), `new_name` renames.
   */
  private applyTo(list: KeyedList, key: string, item: Raw, reading: Reading, read: () => Raw): void {
    // An item without a name updates nothing: the model reports its missing name.
    const name = typeof item[key] === 'string' && item[key] !== '' ? item[key] : Symbol(key);
    if (item.state === 'absent') {
      list.delete(name);
      return;
    }
    const fields = read();
    const existing = list.get(name);
    if (existing) {
      Object.assign(existing, fields);
      this.sourceMap.copyKeys(existing, fields, Object.keys(fields));
      this.report(
        'note',
        this.at(item, undefined, reading),
        undefined,
        `updates the ${reading.kind.label} applied before it (${formatSource(this.sourceMap.at(existing))}), as the ${reading.role} role would`,
      );
    }
    const applied = existing ?? fields;
    const renamed = item.new_name;
    if (typeof renamed === 'string' && renamed !== '') {
      applied[key] = renamed;
      this.sourceMap.copyKey(applied, key, item, 'new_name');
      list.delete(name);
      list.putLast(renamed, applied);
    } else if (!existing) list.putLast(name, applied);
  }

  /** `copy_from` starts from an object AWX already holds, which no file here shows: refused. */
  private copies(item: Raw, reading: Reading): boolean {
    if (item.copy_from === undefined || item.copy_from === null || item.copy_from === '') return false;
    this.report(
      'error',
      this.at(item, 'copy_from', reading),
      item.copy_from,
      'copies an object AWX already holds, and Towerless reads only these files: write its fields out instead',
    );
    return true;
  }

  /** A resource of the Bundle's own kinds; a workflow with its nodes. */
  private resource(kind: ResourceKind, item: Raw, reading: Reading): Raw {
    const raw = moduleSends(reading.kind.module, this.fields(item, reading), this.sourceMap);
    if (kind === 'credential_types' && !('kind' in raw)) raw.kind = 'cloud'; // the role's default
    if (kind === 'inventories') this.inventoryParts.set(raw, partLists());
    if (kind === 'workflow_job_templates') this.workflowNodes(raw, item, reading);
    return raw;
  }

  /** A host, group or inventory source, into the inventory its `inventory` names. */
  private applyInventoryPart(part: InventoryPart, item: Raw, reading: Reading): void {
    const name = nameOf(item.inventory);
    const place = this.at(item, 'inventory', reading);
    if (typeof name !== 'string' || name === '') {
      this.report(
        'error',
        place,
        item.inventory,
        `is required: the inventory the ${reading.kind.label} belongs to`,
      );
      return;
    }
    const inventory = this.resources.get('inventories')?.get(name);
    const parts = inventory && this.inventoryParts.get(inventory);
    if (!parts) {
      this.report(
        'error',
        place,
        name,
        `no inventory '${name}' is applied before it (controller_inventories)`,
      );
      return;
    }
    this.applyTo(parts[part], 'name', item, reading, () => this.fields(item, reading));
  }

  /**
   * A workflow's nodes, in one of the two forms the role takes: `workflow_nodes` (also under
   * `related`, as exports write it), or `simplified_workflow_nodes`. The collection's README says
   * the two do not mix.
   */
  private workflowNodes(raw: Raw, item: Raw, reading: Reading): void {
    const related = isMapping(item.related) ? item.related : {};
    const written = [
      { object: item, key: 'workflow_nodes', kind: SCHEMA_NODE },
      { object: related, key: 'workflow_nodes', kind: SCHEMA_NODE, under: 'related.' },
      { object: item, key: 'simplified_workflow_nodes', kind: SIMPLIFIED_NODE },
    ].filter(({ object, key }) => object[key] !== undefined && object[key] !== null);
    if (written.length === 0) return;
    const [chosen, ...others] = written;
    for (const other of others)
      this.report(
        'error',
        this.at(other.object, other.key, reading, `${reading.path}.${other.under ?? ''}${other.key}`),
        undefined,
        `a workflow's nodes are given once: ${chosen.under ?? ''}${chosen.key} gives them already`,
      );
    const field = `${reading.path}.${chosen.under ?? ''}${chosen.key}`;
    const value = chosen.object[chosen.key];
    if (!Array.isArray(value)) {
      this.report(
        'error',
        this.at(chosen.object, chosen.key, reading, field),
        value,
        'must be a list of nodes',
      );
      return;
    }
    const nodes = new KeyedList([], 'identifier');
    value.forEach((node, index) => {
      const path = `${field}[${index}]`;
      const nodeReading = { ...reading, kind: chosen.kind, path };
      if (!isMapping(node))
        this.report('error', this.at(value, index, reading, path), node, 'must be a mapping');
      else this.applyTo(nodes, 'identifier', node, nodeReading, () => this.node(node, nodeReading));
    });
    raw.workflow_nodes = nodes.items();
    this.sourceMap.copyKey(raw, 'workflow_nodes', chosen.object, chosen.key);
  }

  /**
   * A node: in `workflow_nodes` the module needs its template as `{name, type}` (an approval:
   * `{type: workflow_approval, name, description, timeout}`), as AWX exports it.
   */
  private node(node: Raw, reading: Reading): Raw {
    const raw = this.fields(node, reading);
    if (reading.kind !== SCHEMA_NODE) return raw;
    const template = node.unified_job_template;
    if (isMapping(template) && typeof template.type === 'string') {
      raw.unified_job_template = template;
      this.sourceMap.copyKey(raw, 'unified_job_template', node, 'unified_job_template');
    } else
      this.report(
        'error',
        this.at(node, 'unified_job_template', reading, `${reading.path}.unified_job_template`),
        template,
        'must be {name, type} of what the node runs (an approval: {type: workflow_approval, name, timeout}) in workflow_nodes, which the awx.awx module reads as AWX exports nodes; simplified_workflow_nodes take a name',
      );
    return raw;
  }

  /** The fields an item's role sends to AWX, under the Bundle's names (the item's table). */
  private fields(item: Raw, reading: Reading): Raw {
    const raw: Raw = {};
    for (const [field, value] of Object.entries(item))
      if (field !== 'related') this.field(raw, field, value, item, reading, false);
    if (isMapping(item.related))
      for (const [field, value] of Object.entries(item.related))
        this.field(raw, field, value, item.related, reading, true);
    else if (item.related !== undefined && item.related !== null)
      this.report(
        'error',
        this.at(item, 'related', reading),
        item.related,
        'must be a mapping of related lists',
      );
    return raw;
  }

  private field(
    raw: Raw,
    field: string,
    value: unknown,
    container: Raw,
    reading: Reading,
    related: boolean,
  ): void {
    const path = `${reading.path}${related ? '.related' : ''}.${field}`;
    const place = this.at(container, field, reading, path);
    const table = related ? reading.kind.related : reading.kind.fields;
    const spec: ItemField | undefined = table[field];
    if (!spec) {
      if (!isEmpty(value)) this.report('warning', place, value, this.unreadField(field, reading, related));
      return;
    }
    // The roles leave out what is not set (`default(omit, true)`): AWX keeps its default.
    if (isEmpty(value) || spec.role === 'behaviour' || spec.role === 'special') return;
    if (spec.role === 'unused') {
      this.report('note', place, value, "AWX's; Towerless does not use it, and it is not kept");
      return;
    }
    const to = spec.to ?? field;
    if (Object.hasOwn(raw, to)) {
      this.report(
        'error',
        place,
        value,
        `sets '${to}' again: the ${reading.role} role reads only one of the two; write it once`,
      );
      return;
    }
    raw[to] = this.sent(spec, value);
    this.sourceMap.copyKey(raw, to, container, field);
  }

  /** What the role sends AWX for a field written `value`. */
  private sent(spec: ItemField, value: unknown): unknown {
    if (spec.role === 'reference') return nameOf(value);
    const given = spec.role === 'value' ? asAnsibleGives(spec, value) : value;
    return spec.role === 'value' && spec.doubledBraces ? this.undoubled(given) : given;
  }

  private unreadField(field: string, reading: Reading, related: boolean): string {
    const elsewhere = related ? reading.kind.fields[field] : reading.kind.related[field];
    const read = related ? field : `related.${field}`;
    if (elsewhere) return `the ${reading.role} role reads ${read}, not this: not applied`;
    const known = Object.keys(related ? reading.kind.related : reading.kind.fields);
    return `not a field the ${reading.role} role sends to AWX: not applied${this.diagnostics.didYouMean(field, known)}`;
  }

  /**
   * The text the role sends for a field AWX renders itself (variables, injectors, messages): its
   * escape `{  {` (which Ansible leaves alone) turned into `{{`, at any depth.
   */
  private undoubled(value: unknown): unknown {
    if (typeof value === 'string') return value.replaceAll('{  {', '{{');
    if (value === null || typeof value !== 'object') return value;
    const copy: Raw | unknown[] = Array.isArray(value) ? [] : {};
    for (const [key, child] of Object.entries(value)) (copy as Raw)[key] = this.undoubled(child);
    this.sourceMap.copyKeys(copy, value, Object.keys(value));
    return copy;
  }

  private at(object: unknown, key: string | number | undefined, reading: Reading, field?: string): Place {
    return {
      object,
      key,
      resource: reading.resource,
      field: field ?? (key === undefined ? reading.path : `${reading.path}.${key}`),
      file: reading.file,
    };
  }

  private report(severity: Severity, place: Place, value: unknown, message: string): void {
    this.diagnostics.add({
      severity,
      source: this.sourceMap.at(place.object, place.key, { file: place.file }),
      resource: place.resource,
      field: place.field,
      value,
      message,
    });
  }
}

function partLists(): Record<InventoryPart, KeyedList> {
  return {
    hosts: new KeyedList([], 'name'),
    groups: new KeyedList([], 'name'),
    inventory_sources: new KeyedList([], 'name'),
  };
}

/** A reference's name: the roles send `.name` of a mapping (as exports write references), else the value. */
function nameOf(value: unknown): unknown {
  return isMapping(value) && typeof value.name === 'string' ? value.name : value;
}

/** A mapping the module takes: Ansible turns JSON text into one before the module sees it. */
/** A list or mapping written as text, as Ansible converts it for the module; the model reports what stays wrong. */
function asAnsibleGives(spec: ItemField & { role: 'value' }, value: unknown): unknown {
  const converted = spec.dict ? ansibleDict(value) : spec.list ? ansibleList(value) : { value };
  return 'value' in converted ? converted.value : value;
}

export function isMapping(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** What the roles treat as not set: null, '', an empty list or mapping. */
function isEmpty(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (isMapping(value) && Object.keys(value).length === 0)
  );
}
