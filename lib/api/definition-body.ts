import type { Definition } from '../catalog/definition';
import { defaultValue, type FieldSpec } from '../catalog/fields';
import type { BodyFields } from './body';
import { readBody } from './resource-routes';

/**
 * Reads a request body by a kind's field table, with AWX's messages. `partial` (PATCH) leaves out
 * what the body leaves out; a create fills AWX's defaults.
 */
export function readDefinitionFields(
  definition: Definition,
  fields: BodyFields,
  partial: boolean,
): Record<string, unknown> {
  const read: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(definition.fields)) {
    const value = readField(fields, name, spec);
    if (value !== undefined) read[name] = value;
    else if (!partial && !fields.has(name)) read[name] = defaultValue(spec);
  }
  return read;
}

function readField(fields: BodyFields, name: string, spec: FieldSpec): unknown {
  switch (spec.type) {
    case 'string':
      if (spec.nullable && fields.isNull(name)) return null;
      return spec.choices
        ? fields.choice(name, spec.choices, spec.default ?? '')
        : fields.string(name, { required: spec.required, max: spec.max, fallback: spec.default });
    case 'integer':
      return fields.integer(name, { min: spec.min, max: spec.max, fallback: spec.default });
    case 'float':
      return fields.float(name, { min: spec.min, max: spec.max, fallback: spec.default });
    case 'boolean':
      return fields.boolean(name, { fallback: spec.default });
    case 'vars':
      return fields.vars(name);
    case 'object':
      return fields.object(name, spec.nullable);
    case 'reference':
      return fields.id(name, spec.required ?? false);
  }
}

/** A whole body read by the kind's table; every problem in one 400. */
export function readDefinitionBody(
  definition: Definition,
  body: Record<string, unknown>,
  partial = false,
): Record<string, unknown> {
  return readBody(
    { read: (fields, isPartial) => readDefinitionFields(definition, fields, isPartial) },
    body,
    partial,
  );
}
