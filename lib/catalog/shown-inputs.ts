import { isSecretRef } from '../model/resources/credential';
import { isKeptCredentialSecret } from '../runner/credential-secrets';

/** What AWX shows for a secret input, and what a client sends back to keep it unchanged. */
export const ENCRYPTED = '$encrypted$';

/**
 * A credential's inputs as AWX shows them: every value Towerless keeps as `$encrypted$`. A
 * reference the client gave (`{secret: name}`, the name of a secret it manages) is shown as
 * given: it names a secret, it is not one, and `apply` and `export` compare and read it back.
 */
export function shownInputs(inputs: unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries((inputs as Record<string, unknown> | undefined) ?? {}).map(([field, value]) => [
      field,
      isSecretRef(value) && isKeptCredentialSecret(value.secret) ? ENCRYPTED : value,
    ]),
  );
}
