import { isSecretRef } from '../model/resources/credential';

/** What AWX shows for a secret input, and what a client sends back to keep it unchanged. */
export const ENCRYPTED = '$encrypted$';

/** A credential's inputs as AWX shows them: every kept secret as `$encrypted$`. */
export function shownInputs(inputs: unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries((inputs as Record<string, unknown> | undefined) ?? {}).map(([field, value]) => [
      field,
      isSecretRef(value) ? ENCRYPTED : value,
    ]),
  );
}
