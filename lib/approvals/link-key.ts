import { randomBytes } from 'node:crypto';
import { serviceSecretName } from '../runner/kept-secrets';
import type { SecretWriter } from '../runner/secret-writer';
import type { SecretProvider } from '../runner/secrets';

/**
 * The key approval links are signed with (docs/approvals.md): a secret like any other, kept by the
 * secrets provider (Secrets Manager when deployed, where the stack creates it; locally its twin,
 * where the first server start makes it). Rotating it voids every link already sent.
 */
export const APPROVAL_LINK_KEY_SECRET = serviceSecretName('approval-link-key');

/** 256 random bits, hex: as strong as HMAC-SHA256 can use. */
const KEY_BYTES = 32;

/** The signing key, made and kept on the first call when the provider has none yet. */
export async function approvalLinkKey(secrets: {
  readonly reader: SecretProvider;
  readonly writer: SecretWriter;
}): Promise<Buffer> {
  try {
    return Buffer.from(await secrets.reader.get(APPROVAL_LINK_KEY_SECRET), 'hex');
  } catch {
    // Missing: this is the first start. (An unreachable provider fails the put below too.)
    const key = randomBytes(KEY_BYTES).toString('hex');
    await secrets.writer.put(APPROVAL_LINK_KEY_SECRET, key);
    return Buffer.from(key, 'hex');
  }
}
