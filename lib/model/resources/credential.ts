import { isVaultCiphertext } from '../ansible-only';
import { didYouMean } from '../diagnostics';
import { isJinja, type FieldReader } from '../field-reader';
import { ENCRYPTED } from '../survey-spec';
import type { Credential, CredentialInput, CredentialType, SecretRef } from '../types';
import { readBase, type SecretStyle } from './common';
import { MANAGED_CREDENTIAL_TYPES, managedCredentialType } from './credential-types';

/** What a credential's inputs are checked against: the inputs of a managed type or of a custom one. */
interface TypeInputs {
  readonly fields: readonly InputField[];
  readonly required?: readonly string[];
  readonly dependencies?: Readonly<Record<string, readonly string[]>>;
}

/** An input as both kinds of type give it: managed types leave out what AWX leaves out. */
interface InputField {
  readonly id: string;
  readonly label: string;
  /** Left out on a few of AWX's fields, which its UI then treats as strings. */
  readonly type?: 'string' | 'boolean';
  readonly secret?: boolean;
  readonly format?: string | null;
  readonly choices?: readonly string[] | null;
}

/**
 * A credential of one of AWX's managed types (by name, or by a name AWX gave it before) or of a
 * custom type defined under `credential_types` (`customTypes`, by name). Its inputs must be inputs
 * of that type, checked as AWX checks them; secret ones are references.
 */
export function readCredential(
  reader: FieldReader,
  style: SecretStyle,
  customTypes: ReadonlyMap<string, CredentialType>,
): Credential {
  const base = readBase(reader);
  const named = reader.requiredString('credential_type');
  const managed = managedCredentialType(named);
  const credentialType = managed?.name ?? named;
  if (credentialType !== named)
    reader.note(
      'credential_type',
      named,
      `is what AWX called '${credentialType}' before renaming it: read as that`,
    );
  if (managed?.injection.by === 'unsupported')
    reader.warn(
      'credential_type',
      credentialType,
      `is not injected by Towerless yet (${managed.injection.reason}): a job using this credential fails`,
    );
  const inputs = reader.child(reader.mapping('inputs') ?? {}, 'inputs.');
  const type: TypeInputs | undefined = managed?.inputs ?? customTypes.get(credentialType)?.inputs;
  if (!type) {
    if (named) {
      const known = [...MANAGED_CREDENTIAL_TYPES.map((t) => t.name), ...customTypes.keys()];
      reader.fail(
        'credential_type',
        named,
        `is neither one of AWX's managed credential types nor one defined under credential_types${didYouMean(named, known)}`,
      );
    }
    return { ...base, credential_type: named, inputs: {} };
  }
  const fields = new Map(type.fields.map((field) => [field.id, field]));
  const read: Record<string, CredentialInput> = {};
  for (const [input, value] of Object.entries(inputs.raw)) {
    const field = fields.get(input);
    if (!field) {
      inputs.fail(input, input, `not an input of ${credentialType}${didYouMean(input, fields.keys())}`);
      continue;
    }
    const checked = readInput(inputs, base.name, input, value, field, style);
    if (checked !== undefined) read[input] = checked;
  }
  checkPresence(inputs, read, credentialType, type, fields);
  return { ...base, credential_type: credentialType, inputs: read };
}

/** AWX's form insists on required inputs, its API does not: a warning. Dependencies its API refuses. */
function checkPresence(
  inputs: FieldReader,
  read: Readonly<Record<string, CredentialInput>>,
  credentialType: string,
  type: TypeInputs,
  fields: ReadonlyMap<string, InputField>,
): void {
  // The '' an AWX export writes in a secret's place was read as a reference to it: given.
  const given = (id: string) =>
    isSecretRef(read[id]) ||
    (inputs.raw[id] !== undefined && inputs.raw[id] !== null && inputs.raw[id] !== '');
  // Left out, the injectors render the input empty. (External types list lookup metadata too.)
  for (const id of type.required ?? [])
    if (fields.has(id) && !given(id))
      inputs.warn(id, undefined, `is required by credential type '${credentialType}'`);
  for (const [input, needed] of Object.entries(type.dependencies ?? {})) {
    for (const id of needed)
      if (Object.hasOwn(inputs.raw, input) && !Object.hasOwn(inputs.raw, id))
        inputs.fail(input, undefined, `cannot be set unless "${fields.get(id)?.label ?? id}" is set`);
  }
}

function readInput(
  inputs: FieldReader,
  credentialName: string,
  input: string,
  value: unknown,
  field: InputField,
  style: SecretStyle,
): CredentialInput | undefined {
  // Booleans are never secret (AWX allows `secret` on strings only): always plain values.
  if (field.type === 'boolean') return checkedValue(inputs, input, value, field);
  if (isSecretRef(value)) return { secret: value.secret };
  if (value !== null && typeof value === 'object') {
    inputs.fail(input, value, 'must be a value or a secret reference {secret: <name>}');
    return undefined;
  }
  if (style === 'native') {
    if (!field.secret) return checkedValue(inputs, input, value, field);
    inputs.fail(
      input,
      undefined,
      'is a secret: give a reference {secret: <Secrets Manager name or ARN>} instead of a value',
    );
    return undefined;
  }
  // awx.awx task files carry values (usually Jinja lookups rendered by Ansible at apply time);
  // AWX exports carry what AWX stores, Jinja included, and leave secrets out.
  if (!field.secret && !(style === 'awx' && (isJinja(value) || isVaultCiphertext(value))))
    return checkedValue(inputs, input, value, field);
  return toSecretReference(inputs, input, value, `towerless/${slug(credentialName)}/${input}`, style);
}

/** A plain value, checked against its field as AWX's input schema checks it. */
function checkedValue(
  inputs: FieldReader,
  input: string,
  value: unknown,
  field: InputField,
): CredentialInput | undefined {
  const fail = (message: string) => {
    inputs.fail(input, value, message);
    return undefined;
  };
  if (field.type === 'boolean') return typeof value === 'boolean' ? value : fail('must be true or false');
  if (typeof value !== 'string') return fail('must be a string');
  if (field.choices && !field.choices.includes(value))
    return fail(
      `must be one of ${field.choices.map((c) => `'${c}'`).join(', ')}${didYouMean(value, field.choices)}`,
    );
  if (field.format === 'url' && !isUrl(value)) return fail('must be a URL with a scheme and a host');
  if (field.format === 'vault_id' && value.includes('@')) return fail('may not contain @');
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
 * A value of a secret field in an awx.awx task file, an AWX export or rendered variables becomes a
 * reference to the secret store, with a diagnostic naming the reference to fill. The value itself
 * is never kept, nor echoed.
 */
export function toSecretReference(
  reader: FieldReader,
  field: string,
  value: unknown,
  name: string,
  style: SecretStyle,
): SecretRef {
  const fill = `it becomes secret reference '${name}': store the value there (Secrets Manager, or the local secrets file)`;
  if (style === 'rendered')
    reader.note(
      field,
      undefined,
      `is a secret as Ansible rendered it; Towerless keeps no secret value, and ${fill}`,
    );
  else if (isJinja(value))
    reader.note(field, value, `is a Jinja expression Towerless cannot render; ${fill}`);
  else if (isVaultCiphertext(value))
    reader.note(
      field,
      undefined,
      `is encrypted with Ansible Vault; Towerless keeps no secret value, and ${fill}`,
    );
  // What AWX shows in place of a secret, and AWX exports write (docs/formats.md "AWX exports").
  else if (value === '' || value === ENCRYPTED)
    reader.warn(field, value, `is where an AWX export leaves a secret out, not the secret; ${fill}`);
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
