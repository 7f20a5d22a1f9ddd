import { InvalidError } from '../errors';
import type { DefinitionRecord } from './definition';
import type { DefinitionCatalog } from './definitions';

/** A field of a credential type's inputs (`fields`) or of its lookup's `metadata`. */
interface TypeField {
  readonly id: string;
  readonly type?: string;
  readonly choices?: readonly string[];
}

interface TypeInputs {
  readonly fields?: readonly TypeField[];
  readonly metadata?: readonly TypeField[];
  readonly required?: readonly string[];
}

/**
 * AWX's checks of a credential input source as it is saved (CredentialInputSource's clean methods
 * and its metadata field, docs/api.md "Credential input sources"): the target is a credential
 * that is not a lookup, the source one that is, the input is one the target's type defines, and
 * the metadata is what the source's type asks for. Every problem is named in one 400.
 */
export async function checkInputSource(
  definitions: DefinitionCatalog,
  values: Record<string, unknown>,
  current: DefinitionRecord | undefined,
): Promise<Record<string, unknown>> {
  const source = { ...current, ...values };
  const [target, lookup] = await Promise.all([
    typeOf(definitions, source.target_credential),
    typeOf(definitions, source.source_credential),
  ]);
  const errors: Record<string, string[]> = {};
  if (target?.kind === 'external') errors.target_credential = ['Target must be a non-external credential'];
  if (lookup && lookup.kind !== 'external')
    errors.source_credential = ['Source must be an external credential'];
  const defined = (inputsOf(target).fields ?? []).map((field) => field.id);
  if (target && !defined.includes(String(source.input_field_name)))
    errors.input_field_name = [
      `Input field must be defined on target credential (options are ${[...defined].sort().join(', ')}).`,
    ];
  const metadata = lookup?.kind === 'external' ? metadataErrors(lookup, source.metadata) : [];
  if (metadata.length > 0) errors.metadata = metadata;
  if (Object.keys(errors).length > 0) throw new InvalidError('invalid credential input source', errors);
  return values;
}

/** The credential type of a credential, if there is one. */
async function typeOf(definitions: DefinitionCatalog, credential: unknown) {
  if (typeof credential !== 'number') return undefined;
  const found = await definitions.store.find<DefinitionRecord>('credential', credential);
  return (
    found && definitions.store.find<DefinitionRecord>('credential_type', found.credential_type as number)
  );
}

function inputsOf(type: DefinitionRecord | undefined): TypeInputs {
  return (type?.inputs as TypeInputs | undefined) ?? {};
}

/**
 * The metadata checked as AWX's JSON schema checks it, in its words: no key its lookup does not
 * define, each value of its field's type and among its choices, the required ones given. AWX
 * answers these per key (`{"metadata": {"object_query": [...]}}`); here each names its key.
 */
function metadataErrors(lookup: DefinitionRecord, value: unknown): string[] {
  const given = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const { metadata = [], required = [] } = inputsOf(lookup);
  const unknown = Object.keys(given).filter((key) => !metadata.some((field) => field.id === key));
  if (unknown.length > 0)
    return [
      `Additional properties are not allowed (${unknown.map((key) => `'${key}'`).join(', ')} ${unknown.length === 1 ? 'was' : 'were'} unexpected)`,
    ];
  return metadata.flatMap((field) => {
    const item = given[field.id];
    const problem =
      field.type && item !== undefined && typeof item !== field.type
        ? `${JSON.stringify(item)} is not of type '${field.type}'`
        : field.choices && item !== undefined && !field.choices.includes(item as string)
          ? `'${String(item)}' is not one of [${field.choices.map((choice) => `'${choice}'`).join(', ')}]`
          : required.includes(field.id) && !item
            ? `required for ${String(lookup.name)}`
            : undefined;
    return problem ? [`${field.id}: ${problem}`] : [];
  });
}
