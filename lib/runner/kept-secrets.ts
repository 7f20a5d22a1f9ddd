import { isSecretRef } from '../model/resources/credential';
import type { SecretRef } from '../model/types';
import type { SecretWriter } from './secret-writer';

/**
 * The one naming rule for the secrets Towerless keeps itself: the value of key `key` of object
 * `id` of an owner, posted to the API, is secret `towerless/<owner>/<id>/<key>`, and the object's
 * record keeps the reference `{secret: <that name>}` in its place (see docs/secrets.md). The
 * owners are the API's paths of the kinds that keep secrets: credential 7's `password` is
 * `towerless/credentials/7/password`, notification template 3's `token` is
 * `towerless/notification_templates/3/token`. Names a bundle's loader makes
 * (`towerless/<credential slug>/<input>`, `towerless/notifications/...`) never take this form, so
 * the user's secrets and the kept ones never share a name.
 */
export const KEPT_SECRET_OWNERS = ['credentials', 'notification_templates', 'schedules'] as const;
export type KeptSecretOwner = (typeof KEPT_SECRET_OWNERS)[number];

/** AWX's pattern for credential input ids, which notification configuration keys follow too. */
const KEY = '[A-Za-z_][A-Za-z0-9_]*';
const KEPT = new RegExp(`^towerless/(${KEPT_SECRET_OWNERS.join('|')})/([1-9][0-9]*)/(${KEY})$`);
/** Secrets Manager keeps values of up to 64 KiB. */
export const MAX_SECRET_BYTES = 65536;

export function keptSecretName(owner: KeptSecretOwner, id: number, key: string): string {
  const name = `towerless/${owner}/${id}/${key}`;
  // Ids and keys are checked long before: anything else here is a bug, not a user's error.
  if (!isKeptSecret(name)) throw new Error(`no secret name for ${owner} ${id} key ${key}`);
  return name;
}

/**
 * Secrets of Towerless itself, owned by no object (the approval links' signing key): names under
 * `towerless/service/`. Kept like the others, and never a reference's target, which would hand
 * them to a playbook.
 */
const SERVICE = /^towerless\/service\//;

export function serviceSecretName(name: string): string {
  return `towerless/service/${name}`;
}

/** Whether a reference names a secret Towerless keeps (rather than one the user manages). */
export function isKeptSecret(reference: string): boolean {
  return KEPT.test(reference) || SERVICE.test(reference);
}

/**
 * `values` with each reference to a kept secret read back: what a launch (a schedule's saved
 * survey passwords) or a copy needs of the values the record only refers to.
 */
export async function withKeptValues(
  values: Readonly<Record<string, unknown>>,
  reader: { get(name: string): Promise<string> },
): Promise<Record<string, unknown>> {
  return Object.fromEntries(
    await Promise.all(
      Object.entries(values).map(async ([key, value]) => [
        key,
        isSecretRef(value) && isKeptSecret(value.secret) ? await reader.get(value.secret) : value,
      ]),
    ),
  );
}

/** Whether a reference names one of Towerless's own secrets, which no object may reference. */
export function isServiceSecret(reference: string): boolean {
  return SERVICE.test(reference);
}

/** The object and key a kept secret belongs to; undefined for any other secret. */
export function keptSecretOf(name: string): { owner: KeptSecretOwner; id: number; key: string } | undefined {
  const match = KEPT.exec(name);
  return match ? { owner: match[1] as KeptSecretOwner, id: Number(match[2]), key: match[3] } : undefined;
}

/**
 * Keeps and forgets one owner's secret values through a SecretWriter. Values are checked by the
 * caller (a string of at most MAX_SECRET_BYTES), which reports a problem under its own field.
 */
export class KeptSecrets {
  constructor(
    private readonly writer: SecretWriter,
    private readonly owner: KeptSecretOwner,
  ) {}

  /** Keeps the value of a secret key; the record keeps the reference returned in its place. */
  async keep(id: number, key: string, value: string): Promise<SecretRef> {
    const name = keptSecretName(this.owner, id, key);
    await this.writer.put(name, value);
    return { secret: name };
  }

  /**
   * Deletes the kept values among `values` (a record's secret keys being deleted or replaced).
   * Only this object's own kept secrets go: a reference to a secret the user manages, or to
   * another object's, is left alone.
   */
  async forget(id: number, values: Readonly<Record<string, unknown>>): Promise<void> {
    for (const [key, value] of Object.entries(values)) {
      if (!isSecretRef(value)) continue;
      const kept = keptSecretOf(value.secret);
      if (kept?.owner === this.owner && kept.id === id && kept.key === key)
        await this.writer.delete(value.secret);
    }
  }
}
