import { didYouMean } from '../diagnostics';
import { isJinja, type FieldReader } from '../field-reader';
import type { Credential, CredentialInput, SecretRef } from '../types';
import { readBase, type SecretStyle } from './common';
import { CREDENTIAL_TYPES, isSecretInput } from './credential-types';

export function readCredential(reader: FieldReader, style: SecretStyle): Credential {
  const base = readBase(reader);
  const credentialType = reader.requiredString('credential_type');
  const known = CREDENTIAL_TYPES[credentialType];
  if (credentialType && !known) {
    reader.warn(
      'credential_type',
      credentialType,
      `not a built-in type${didYouMean(credentialType, Object.keys(CREDENTIAL_TYPES))}; its inputs are treated as secrets and passed as environment variables`,
    );
  }
  const inputs = reader.child(reader.mapping('inputs') ?? {}, 'inputs.');
  const read: Record<string, CredentialInput> = {};
  for (const [input, value] of Object.entries(inputs.raw)) {
    if (known && !(input in known.inputs)) {
      inputs.fail(
        input,
        input,
        `not an input of ${credentialType}${didYouMean(input, Object.keys(known.inputs))}`,
      );
      continue;
    }
    const checked = readInput(inputs, base.name, credentialType, input, value, style);
    if (checked !== undefined) read[input] = checked;
  }
  return { ...base, credential_type: credentialType, inputs: read };
}

function readInput(
  inputs: FieldReader,
  credentialName: string,
  credentialType: string,
  input: string,
  value: unknown,
  style: SecretStyle,
): CredentialInput | undefined {
  if (isSecretRef(value)) return { secret: value.secret };
  if (value !== null && typeof value === 'object') {
    inputs.fail(input, value, 'must be a value or a secret reference {secret: <name>}');
    return undefined;
  }
  const secretInput = isSecretInput(credentialType, input);
  if (style === 'native') {
    if (!secretInput) return value as CredentialInput;
    inputs.fail(
      input,
      undefined,
      'is a secret: give a reference {secret: <Secrets Manager name or ARN>} instead of a value',
    );
    return undefined;
  }
  // awx.awx task files carry values (usually Jinja lookups rendered by Ansible at apply time).
  if (!secretInput && !isJinja(value)) return value as CredentialInput;
  return toSecretReference(inputs, input, value, `towerless/${slug(credentialName)}/${input}`);
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
