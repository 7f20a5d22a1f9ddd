import { isSecretRef } from '../model/resources/credential';
import { isKeptSecret } from '../runner/kept-secrets';

/** What AWX shows for a secret value, and what a client sends back to keep it unchanged. */
export const ENCRYPTED = '$encrypted$';

/**
 * A mapping with kept secrets (a credential's inputs, a notification template's configuration)
 * as AWX shows it: every value Towerless keeps as `$encrypted$`. A reference the client gave
 * (`{secret: name}`, the name of a secret it manages) is shown as given: it names a secret, it is
 * not one, and `apply` and `export` compare and read it back.
 */
export function shownSecrets(values: unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries((values as Record<string, unknown> | undefined) ?? {}).map(([key, value]) => [
      key,
      isSecretRef(value) && isKeptSecret(value.secret) ? ENCRYPTED : value,
    ]),
  );
}
