import { didYouMean } from '../diagnostics';
import { isJinja, type FieldReader } from '../field-reader';
import type { Credential, CredentialInput, CredentialType, CredentialTypeField, SecretRef } from '../types';
import { readBase, type SecretStyle } from './common';
import { BUILT_IN_CREDENTIAL_TYPES, builtInCredentialType } from './credential-types';

/** What one input of a credential is checked against. */
interface InputSpec {
  readonly secret: boolean;
  /** A custom type's field (type, choices, format); built-in inputs have none. */
  readonly field?: CredentialTypeField;
}

/**
 * A credential of a built-in type or of a custom type defined under `credential_types`
 * (`customTypes`, by name). Its inputs must be inputs of that type; secret ones references.
 */
export function readCredential(
  reader: FieldReader,
  style: SecretStyle,
  customTypes: ReadonlyMap<string, CredentialType>,
): Credential {
  const base = readBase(reader);
  const credentialType = reader.requiredString('credential_type');
  const inputs = reader.child(reader.mapping('inputs') ?? {}, 'inputs.');
  const custom = customTypes.get(credentialType);
  const specs = inputSpecs(credentialType, custom);
  if (!specs) {
    if (credentialType) {
      const known = [...Object.keys(BUILT_IN_CREDENTIAL_TYPES), ...customTypes.keys()];
      reader.fail(
        'credential_type',
        credentialType,
        `is neither a built-in credential type nor one defined under credential_types${didYouMean(credentialType, known)}`,
      );
    }
    return { ...base, credential_type: credentialType, inputs: {} };
  }
  const read: Record<string, CredentialInput> = {};
  for (const [input, value] of Object.entries(inputs.raw)) {
    const spec = specs.get(input);
    if (!spec) {
      inputs.fail(input, input, `not an input of ${credentialType}${didYouMean(input, specs.keys())}`);
      continue;
    }
    const checked = readInput(inputs, base.name, input, value, spec, style);
    if (checked !== undefined) read[input] = checked;
  }
  for (const id of custom?.inputs.required ?? []) {
    // AWX's form insists; its API does not, and the injectors then render the input empty.
    const given = inputs.raw[id];
    if (given === undefined || given === null || given === '')
      inputs.warn(id, undefined, `is required by credential type '${credentialType}'`);
  }
  return { ...base, credential_type: credentialType, inputs: read };
}

function inputSpecs(
  credentialType: string,
  custom: CredentialType | undefined,
): ReadonlyMap<string, InputSpec> | undefined {
  const builtIn = builtInCredentialType(credentialType);
  if (builtIn) return new Map(Object.entries(builtIn.inputs));
  return custom && new Map(custom.inputs.fields.map((field) => [field.id, { secret: field.secret, field }]));
}

function readInput(
  inputs: FieldReader,
  credentialName: string,
  input: string,
  value: unknown,
  spec: InputSpec,
  style: SecretStyle,
): CredentialInput | undefined {
  // Booleans are never secret (AWX allows `secret` on strings only): always plain values.
  if (spec.field?.type === 'boolean') return checkedValue(inputs, input, value, spec.field);
  if (isSecretRef(value)) return { secret: value.secret };
  if (value !== null && typeof value === 'object') {
    inputs.fail(input, value, 'must be a value or a secret reference {secret: <name>}');
    return undefined;
  }
  if (style === 'native') {
    if (!spec.secret) return checkedValue(inputs, input, value, spec.field);
    inputs.fail(
      input,
      undefined,
      'is a secret: give a reference {secret: <Secrets Manager name or ARN>} instead of a value',
    );
    return undefined;
  }
  // awx.awx task files carry values (usually Jinja lookups rendered by Ansible at apply time).
  if (!spec.secret && !isJinja(value)) return checkedValue(inputs, input, value, spec.field);
  return toSecretReference(inputs, input, value, `towerless/${slug(credentialName)}/${input}`);
}

/** A plain value, checked against a custom type's field as AWX's input schema checks it. */
function checkedValue(
  inputs: FieldReader,
  input: string,
  value: unknown,
  field: CredentialTypeField | undefined,
): CredentialInput | undefined {
  const fail = (message: string) => {
    inputs.fail(input, value, message);
    return undefined;
  };
  if (!field) return value as CredentialInput;
  if (field.type === 'boolean') return typeof value === 'boolean' ? value : fail('must be true or false');
  if (typeof value !== 'string') return fail('must be a string');
  if (field.choices && !field.choices.includes(value))
    return fail(
      `must be one of ${field.choices.map((c) => `'${c}'`).join(', ')}${didYouMean(value, field.choices)}`,
    );
  if (field.format === 'url' && !isUrl(value)) return fail('must be a URL with a scheme and a host');
  return value;
}

function isUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol !== '' && url.host !== '';
  } catch {
    return false;
  }
}

/**
 * A value of a secret field in an awx.awx task file becomes a reference to the secret store, with
 * a diagnostic naming the reference to fill. The value itself is never kept, nor echoed.
 */
export function toSecretReference(
  reader: FieldReader,
  field: string,
  value: unknown,
  name: string,
): SecretRef {
  const fill = `it becomes secret reference '${name}': store the value there (Secrets Manager, or the local secrets file)`;
  if (isJinja(value)) reader.note(field, value, `is a Jinja expression Towerless cannot render; ${fill}`);
  else
    reader.warn(field, undefined, `holds a literal secret in the definition; it was not kept, and ${fill}`);
  return { secret: name };
}

export function isSecretRef(value: unknown): value is SecretRef {
  return (
    value !== null &&
    typeof value === 'object' &&
    Object.keys(value).length === 1 &&
    typeof (value as SecretRef).secret === 'string' &&
    (value as SecretRef).secret !== ''
  );
}

export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
