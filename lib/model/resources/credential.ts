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
  const rawInputs = reader.mapping('inputs') ?? {};
  const inputs: Record<string, CredentialInput> = {};
  for (const [input, value] of Object.entries(rawInputs)) {
    if (known && !(input in known.inputs)) {
      reader.fail(
        'inputs',
        input,
        `'${input}' is not an input of ${credentialType}${didYouMean(input, Object.keys(known.inputs))}`,
      );
      continue;
    }
    const read = readInput(reader, base.name, credentialType, input, value, style);
    if (read !== undefined) inputs[input] = read;
  }
  return { ...base, credential_type: credentialType, inputs };
}

function readInput(
  reader: FieldReader,
  credentialName: string,
  credentialType: string,
  input: string,
  value: unknown,
  style: SecretStyle,
): CredentialInput | undefined {
  const field = `inputs.${input}`;
  if (isSecretRef(value)) return { secret: value.secret };
  if (value !== null && typeof value === 'object') {
    reader.fail('inputs', value, `input '${input}' must be a value or a secret reference {secret: <name>}`);
    return undefined;
  }
  const secretInput = isSecretInput(credentialType, input);
  if (style === 'native') {
    if (!secretInput) return value as CredentialInput;
    reader.fail(
      'inputs',
      `<${input} value hidden>`,
      `input '${input}' is a secret: give a reference {secret: <Secrets Manager name or ARN>} instead of a value`,
    );
    return undefined;
  }
  // awx.awx task files carry values (usually Jinja lookups rendered by Ansible at apply time).
  // Towerless never stores them: they become references to fill in the secret store.
  if (!secretInput && !isJinja(value)) return value as CredentialInput;
  const reference: SecretRef = { secret: `towerless/${slug(credentialName)}/${input}` };
  const note = `becomes secret reference '${reference.secret}': store the value there (Secrets Manager, or the local secrets file)`;
  if (isJinja(value)) {
    reader.diagnostics.note({
      source: reader.sourceOf('inputs'),
      resource: reader.resource,
      field,
      value,
      message: `is a Jinja expression Towerless cannot render; it ${note}`,
    });
  } else {
    reader.diagnostics.warning({
      source: reader.sourceOf('inputs'),
      resource: reader.resource,
      field,
      message: `holds a literal secret in the definition; it was not kept and ${note}`,
    });
  }
  return reference;
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
