import { Hono } from 'hono';
import { hasRoles, roleFields } from '../access/roles';
import type { Definition, DefinitionRecord } from '../catalog/definition';
import { defaultValue, type FieldSpec } from '../catalog/fields';
import { kindOf } from '../catalog/kinds';
import { DEFINITIONS } from '../catalog/resources';
import type { ApiEnv } from './context';
import { accessOf, requireAccess } from './permissions';
import { resourceId } from './routes/resource-id';

/** What the collection and object paths of a kind answer to (clients read it in `Allow`). */
const COLLECTION_METHODS = 'GET, POST, HEAD, OPTIONS';
const OBJECT_METHODS = 'GET, PUT, PATCH, DELETE, HEAD, OPTIONS';
const MAX_PAGE_SIZE = 200;

type FieldInfo = Record<string, unknown>;

/**
 * `OPTIONS` on every kind's collection and objects: AWX's metadata (what the awx CLI builds its
 * arguments from and awxkit's export reads), generated from the kind's field table
 * (lib/catalog/resources), so it says what the routes read: `actions.POST` (collection) or
 * `actions.PUT` (object) for a caller whose roles allow the change, and `actions.GET` always.
 */
export function optionsRoutes(): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();
  for (const definition of DEFINITIONS) {
    routes.options(`/${definition.path}/`, async (c) => {
      const access = await accessOf(c);
      // Whoever may create one somewhere: a superuser, or a role in some organization.
      const organizations = access.isSuperuser ? [] : await c.get('services').catalog.list('organization');
      const writable =
        access.isSuperuser || organizations.some((org) => access.canCreate(definition.kind, org.id));
      return c.json(metadata(definition, undefined, writable), 200, { Allow: COLLECTION_METHODS });
    });
    routes.options(`/${definition.path}/:id/`, async (c) => {
      const record = await c.get('services').definitions.get(definition, resourceId(c));
      await requireAccess(c, 'read', definition.kind, record);
      const writable =
        !definition.locked?.(record, 'change') &&
        (await (await accessOf(c)).can('change', definition.kind, record));
      return c.json(metadata(definition, record, writable), 200, { Allow: OBJECT_METHODS });
    });
  }
  return routes;
}

/** The metadata of a kind's collection, or of one of its objects (`record`). */
export function metadata(
  definition: Definition,
  record: DefinitionRecord | undefined,
  writable: boolean,
): Record<string, unknown> {
  const noun = words(definition.type).replace(/\b\w/g, (letter) => letter.toUpperCase());
  const label = kindOf(definition.kind).label.toLowerCase();
  const write = Object.fromEntries(
    Object.entries(definition.fields).map(([name, spec]) => [name, writeInfo(name, spec, label)]),
  );
  return {
    name: `${noun} ${record ? 'Detail' : 'List'}`,
    description: record
      ? `One ${label}: GET shows it, PUT and PATCH change it, DELETE deletes it.`
      : `The ${label} objects: GET lists them (filtered and paged), POST creates one.`,
    renders: ['application/json'],
    parses: ['application/json'],
    actions: {
      ...(writable ? { [record ? 'PUT' : 'POST']: write } : {}),
      GET: readInfo(definition, label),
    },
    types: [definition.type],
    search_fields: definition.searchable ?? ['name', 'description'],
    // Filters on the fields of related objects (`organization__search=`) are not offered.
    related_search_fields: [],
    ...(hasRoles(definition.kind) ? { object_roles: roleFields(definition.kind) } : {}),
    ...(record ? {} : { max_page_size: MAX_PAGE_SIZE }),
  };
}

/** A field as a create or update reads it. */
function writeInfo(name: string, spec: FieldSpec, label: string): FieldInfo {
  const info: FieldInfo = {
    type: fieldType(spec),
    required: 'required' in spec && spec.required === true,
    label: fieldLabel(name),
    ...help(name, spec, label),
    filterable: true,
  };
  // A required field has no default: a create without it is refused.
  const fallback = defaultValue(spec);
  if (!info.required && fallback !== undefined) info.default = fallback;
  if (spec.type === 'string') {
    if (spec.max !== undefined) info.max_length = spec.max;
    if (spec.choices) info.choices = spec.choices.map((choice) => [choice, choiceLabel(choice)]);
  }
  if (spec.type === 'integer') {
    if (spec.min !== undefined) info.min_value = spec.min;
    if (spec.max !== undefined) info.max_value = spec.max;
  }
  return info;
}

/** Every field an object shows: the envelope, the kind's fields, and those AWX derives. */
function readInfo(definition: Definition, label: string): Record<string, FieldInfo> {
  const read = (type: string, name: string, filterable: boolean, extra: FieldInfo = {}): FieldInfo => ({
    type,
    label: fieldLabel(name),
    ...extra,
    filterable,
  });
  const fields: Record<string, FieldInfo> = {
    id: read('integer', 'id', true, { help_text: `The id of this ${label}.` }),
    type: read('choice', 'type', false, {
      help_text: `The type of this object: ${definition.type}.`,
      choices: [[definition.type, fieldLabel(definition.type)]],
    }),
    url: read('string', 'url', false, { help_text: `The URL of this ${label}.` }),
    related: read('object', 'related', false, { help_text: 'URLs of the objects this one refers to.' }),
    summary_fields: read('object', 'summary_fields', false, {
      help_text: 'Names and descriptions of the objects this one refers to.',
    }),
    created: read('datetime', 'created', true, { help_text: `When this ${label} was created.` }),
    modified: read('datetime', 'modified', true, { help_text: `When this ${label} was last changed.` }),
  };
  for (const [name, spec] of Object.entries(definition.fields)) {
    const { type, help_text, choices } = writeInfo(name, spec, label);
    fields[name] = read(type as string, name, true, {
      ...(help_text ? { help_text } : {}),
      ...(choices ? { choices } : {}),
    });
  }
  // Derived fields: their type from what an empty record derives.
  for (const [name, value] of Object.entries(
    definition.computed?.({ id: 0, created: '', modified: '' }) ?? {},
  ))
    if (!(name in fields)) fields[name] = read(valueType(value), name, false);
  return fields;
}

/** AWX's field types as the awx CLI reads them (`id` for references, `json` for mappings). */
function fieldType(spec: FieldSpec): string {
  switch (spec.type) {
    case 'string':
      return spec.choices ? 'choice' : 'string';
    case 'integer':
      return 'integer';
    case 'float':
      return 'float';
    case 'boolean':
      return 'boolean';
    case 'vars':
    case 'object':
      return 'json';
    case 'reference':
      return 'id';
  }
}

function valueType(value: unknown): string {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return 'integer';
  if (typeof value === 'string') return 'string';
  return value === null ? 'field' : 'json';
}

/** Help for the fields whose meaning follows from their kind or name. */
function help(name: string, spec: FieldSpec, label: string): { help_text?: string } {
  const prompt = /^ask_(\w+)_on_launch$/.exec(name);
  const text =
    name === 'name'
      ? `The name of this ${label}.`
      : name === 'description'
        ? `An optional description of this ${label}.`
        : prompt
          ? `Whether a launch may set ${words(prompt[1])}.`
          : spec.type === 'reference'
            ? `The id of the ${spec.kinds.length === 1 ? kindOf(spec.kinds[0]).label.toLowerCase() : 'template'} it refers to.`
            : spec.type === 'vars'
              ? 'Variables: YAML or JSON text, or a mapping (kept as JSON text).'
              : undefined;
  return text ? { help_text: text } : {};
}

const words = (name: string) => name.replace(/_/g, ' ');

function fieldLabel(name: string): string {
  if (name === 'id') return 'ID';
  const text = words(name);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function choiceLabel(choice: string): string {
  return choice === '' ? '---------' : fieldLabel(choice);
}
