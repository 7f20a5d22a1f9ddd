import { Diagnostics } from '../model/diagnostics';
import { FieldReader } from '../model/field-reader';
import { SourceMap } from '../model/yaml-source';

/** Errors by field, as AWX's 400 bodies name them. */
export type FieldErrors = Record<string, string[]>;

/**
 * Runs one of the model's readers (lib/model/resources) over a value as the API received it, so a
 * rule written for files applies to the API unchanged. Errors come back under the top-level field
 * they are about; fields the reader does not know are not its concern here (the API's field
 * tables decide those).
 */
export function readWithModel<T>(
  raw: Record<string, unknown>,
  label: string,
  read: (reader: FieldReader) => T,
): { value: T; errors: FieldErrors } {
  const diagnostics = new Diagnostics(true);
  const reader = new FieldReader(raw, label, { diagnostics, sourceMap: new SourceMap() });
  const value = read(reader);
  const errors: FieldErrors = {};
  for (const diagnostic of diagnostics.errors) {
    const field = diagnostic.field?.split(/[.[]/)[0] || '__all__';
    const path = diagnostic.field && diagnostic.field !== field ? `${diagnostic.field}: ` : '';
    (errors[field] ??= []).push(`${path}${diagnostic.message}`);
  }
  return { value, errors };
}
