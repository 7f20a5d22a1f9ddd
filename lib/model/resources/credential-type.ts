import { didYouMean } from '../diagnostics';
import { isJinja, type FieldReader } from '../field-reader';
import type { CredentialType, CredentialTypeField } from '../types';
import type { SecretStyle } from './common';
import { readInjectors } from './credential-type-injectors';
import { managedCredentialType } from './credential-types';
import { FILE_NAMESPACES } from './injector-template';

/**
 * A custom credential type, checked as AWX checks one when it is saved (CredentialTypeInputField,
 * CredentialTypeInjectorField and the API serializer), plus the variables the runner keeps for itself.
 */
export function readCredentialType(reader: FieldReader, style: SecretStyle): CredentialType {
  const name = reader.requiredString('name');
  const managed = managedCredentialType(name);
  if (managed)
    reader.fail('name', name, `is taken by AWX's managed credential type '${managed.name}': choose another`);
  const description = reader.string('description');
  if (!reader.has('kind')) reader.fail('kind', undefined, "is required: 'cloud' or 'net'");
  const kind = reader.oneOf('kind', ['cloud', 'net'] as const, 'cloud');
  const inputs = readInputs(section(reader, 'inputs'));
  const injectors = readInjectors(section(reader, 'injectors'), inputs.fields, style);
  return { name, description, kind, inputs, injectors, origin: reader.source };
}

/**
 * `inputs` or `injectors`: a mapping, or YAML/JSON text of one (as AWX's form and the awx.awx
 * module take them). Text that is a Jinja expression (a file lookup) is Ansible's to render.
 */
function section(reader: FieldReader, field: 'inputs' | 'injectors'): FieldReader {
  const value = reader.raw[field];
  if (isJinja(value) && !isJsonObject(value)) {
    reader.fail(
      field,
      reader.value(field),
      'is a Jinja expression Towerless cannot render: write the mapping itself',
    );
    return reader.child({}, `${field}.`);
  }
  return reader.child(reader.vars(field), `${field}.`);
}

function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

/** AWX's pattern for input ids. */
const IDENTIFIER = /^[a-zA-Z_]+[a-zA-Z0-9_]*$/;

function readInputs(reader: FieldReader): CredentialType['inputs'] {
  const fields: CredentialTypeField[] = [];
  for (const fieldReader of reader.list('fields')) {
    const field = readField(fieldReader);
    if (fields.some((other) => other.id === field.id))
      fieldReader.fail('id', field.id, 'duplicate id: input ids must be unique');
    fields.push(field);
    fieldReader.finish();
  }
  const ids = fields.map((field) => field.id);
  const required = reader.strings('required').filter((id) => {
    if (!ids.includes(id)) reader.fail('required', id, `is not an input id${didYouMean(id, ids)}`);
    return ids.includes(id);
  });
  reader.finish();
  return { fields, required };
}

function readField(reader: FieldReader): CredentialTypeField {
  const id = reader.requiredString('id');
  if (id && !IDENTIFIER.test(id)) reader.fail('id', id, 'is an invalid variable name');
  if ((FILE_NAMESPACES as readonly string[]).includes(id))
    reader.fail('id', id, `'${id}' is a reserved field name (the namespace of injected file names)`);
  const type = reader.oneOf('type', ['string', 'boolean'] as const, 'string');
  // AWX: these only make sense for strings.
  for (const stringOnly of ['choices', 'multiline', 'format', 'secret']) {
    if (type !== 'string' && reader.has(stringOnly))
      reader.fail(stringOnly, reader.raw[stringOnly], `not allowed for a ${type} input`);
  }
  const askAtRuntime = reader.value('ask_at_runtime');
  if (askAtRuntime !== undefined && askAtRuntime !== null)
    reader.fail('ask_at_runtime', askAtRuntime, 'is not supported for custom credential types');
  const field: CredentialTypeField = {
    id,
    label: reader.requiredString('label'),
    type,
    secret: reader.boolean('secret'),
    multiline: reader.boolean('multiline'),
    format: reader.has('format') ? reader.oneOf('format', ['ssh_private_key', 'url'] as const, 'url') : null,
    choices: readChoices(reader),
    help_text: reader.string('help_text'),
  };
  const fallback = reader.value('default');
  if (fallback === undefined || fallback === null) return field;
  if (typeof fallback !== type) {
    reader.fail('default', fallback, `is not a ${type}`);
    return field;
  }
  return { ...field, default: fallback as string | boolean };
}

function readChoices(reader: FieldReader): readonly string[] | null {
  if (!reader.has('choices')) {
    reader.value('choices');
    return null;
  }
  const choices = reader.value('choices');
  if (!Array.isArray(choices) || choices.length === 0 || !choices.every((c) => typeof c === 'string')) {
    reader.fail('choices', choices, 'must be a non-empty list of strings');
    return null;
  }
  if (new Set(choices).size !== choices.length) reader.fail('choices', choices, 'must not repeat a choice');
  return choices as string[];
}
