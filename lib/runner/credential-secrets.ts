import { InvalidError } from '../errors';
import { isSecretRef } from '../model/resources/credential';
import type { SecretRef } from '../model/types';
import type { SecretWriter } from './secret-writer';

/**
 * The one naming rule for the secrets Towerless keeps itself: the value of input `field` of
 * credential `id`, posted to the API, is secret `towerless/credentials/<id>/<field>`, and the
 * credential's record keeps the reference `{secret: <that name>}` in its place (see
 * docs/secrets.md). Names a bundle's loader makes (`towerless/<credential slug>/<input>`,
 * `towerless/notifications/...`) never take this form, so the user's secrets and the kept ones
 * never share a name.
 */
const PREFIX = 'towerless/credentials/';
/** AWX's pattern for input ids (credential types allow no others). */
const FIELD = '[A-Za-z_][A-Za-z0-9_]*';
const KEPT = new RegExp(`^${PREFIX}[1-9][0-9]*/${FIELD}$`);
/** Secrets Manager keeps values of up to 64 KiB. */
const MAX_VALUE_BYTES = 65536;

export function credentialSecretName(credential: number, field: string): string {
  const name = `${PREFIX}${credential}/${field}`;
  // Ids and input ids are checked long before: anything else here is a bug, not a user's error.
  if (!isKeptCredentialSecret(name))
    throw new Error(`no secret name for credential ${credential} input ${field}`);
  return name;
}

/** Whether a reference names a secret Towerless keeps (rather than one the user manages). */
export function isKeptCredentialSecret(reference: string): boolean {
  return KEPT.test(reference);
}

/** The credential and input a kept secret belongs to; undefined for any other secret. */
export function credentialInputOf(name: string): { credential: number; field: string } | undefined {
  if (!isKeptCredentialSecret(name)) return undefined;
  const [credential, field] = name.slice(PREFIX.length).split('/');
  return { credential: Number(credential), field };
}

/** Keeps and forgets the values of credentials' secret inputs through a SecretWriter. */
export class CredentialSecrets {
  constructor(private readonly writer: SecretWriter) {}

  /** Keeps the value of a secret input; the record keeps the reference returned in its place. */
  async keep(credential: number, field: string, value: string): Promise<SecretRef> {
    if (Buffer.byteLength(value) > MAX_VALUE_BYTES) {
      const message = `${field}: longer than ${MAX_VALUE_BYTES} bytes, the most a secret may hold`;
      throw new InvalidError(message, { inputs: [message] });
    }
    const name = credentialSecretName(credential, field);
    await this.writer.put(name, value);
    return { secret: name };
  }

  /**
   * Deletes the kept values among `inputs` (a credential's inputs being deleted or replaced).
   * Only this credential's own kept secrets go: a reference to a secret the user manages, or to
   * another credential's, is left alone.
   */
  async forget(credential: number, inputs: Readonly<Record<string, unknown>>): Promise<void> {
    for (const [field, value] of Object.entries(inputs)) {
      const name = isSecretRef(value) ? value.secret : undefined;
      if (name !== undefined && name === `${PREFIX}${credential}/${field}` && isKeptCredentialSecret(name))
        await this.writer.delete(name);
    }
  }
}
