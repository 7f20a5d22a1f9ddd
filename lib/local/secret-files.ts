import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * One secret as the Secrets Manager twin keeps it. What Secrets Manager shows of a secret stays
 * in clear (so a secret whose value cannot be opened can still be listed and deleted); the value
 * is sealed. Only the current version (AWSCURRENT) is kept.
 */
export interface StoredSecret {
  readonly Name: string;
  readonly ARN: string;
  readonly Description?: string;
  /** Epoch seconds, as the AWS JSON protocol writes timestamps. */
  readonly CreatedDate: number;
  readonly LastChangedDate: number;
  /** Absent while the secret has no value (created without one). */
  readonly Current?: { readonly VersionId: string; readonly CreatedDate: number; readonly Sealed: string };
}

const SUFFIX = '.json';
const PARTIAL = '.partial';

/**
 * The twin's secrets on disk: one file per secret in a private folder, named by a hash of the
 * secret's name (names hold `/` and may be 512 characters long, more than a file name may). A
 * file is replaced whole (written aside, then renamed over), so a reader or a crash never meets
 * half a secret. Files are mode 600; the folder is the data folder's, mode 700.
 */
export class SecretFiles {
  private readonly changing = new Map<string, Promise<unknown>>();

  /** Call while holding the data folder's lock: writes a killed process left half done are removed. */
  constructor(readonly folder: string) {
    for (const entry of readdirSync(folder))
      if (entry.endsWith(PARTIAL)) rmSync(join(folder, entry), { force: true });
  }

  async read(name: string): Promise<StoredSecret | undefined> {
    const path = this.pathOf(name);
    const secret = await load(path);
    if (secret !== undefined && secret.Name !== name) throw new DamagedSecretFile(path);
    return secret;
  }

  async all(): Promise<StoredSecret[]> {
    const entries = (await readdir(this.folder)).filter((entry) => entry.endsWith(SUFFIX));
    const secrets = await Promise.all(entries.map((entry) => load(join(this.folder, entry))));
    return secrets.filter((secret) => secret !== undefined);
  }

  async write(secret: StoredSecret): Promise<void> {
    const path = this.pathOf(secret.Name);
    const partial = `${path}.${randomBytes(6).toString('hex')}${PARTIAL}`;
    try {
      const file = await open(partial, 'wx', 0o600);
      try {
        await file.writeFile(JSON.stringify(secret));
        // On disk before it replaces the old file: a crash leaves the old secret or the new one.
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true }); // a full disk leaves nothing behind
      throw error;
    }
  }

  async remove(name: string): Promise<void> {
    await rm(this.pathOf(name), { force: true });
  }

  /**
   * Runs `change` (a read, then a write or remove) after every earlier change of the same secret:
   * concurrent puts of one secret apply one after the other, none lost. The data folder's lock
   * keeps other processes out, so this process's order is the only one.
   */
  exclusive<T>(name: string, change: () => Promise<T>): Promise<T> {
    const earlier = this.changing.get(name) ?? Promise.resolve();
    const next = earlier.catch(() => undefined).then(change);
    this.changing.set(name, next);
    const forget = () => {
      if (this.changing.get(name) === next) this.changing.delete(name);
    };
    next.then(forget, forget);
    return next;
  }

  private pathOf(name: string): string {
    return join(this.folder, `${createHash('sha256').update(name).digest('hex')}${SUFFIX}`);
  }
}

/** A twin's file that is not a secret it wrote: altered, or cut by a failing disk. */
export class DamagedSecretFile extends Error {
  constructor(readonly path: string) {
    super(`the secret file ${path} is damaged: restore it, or remove it to drop that secret`);
  }
}

/** A secret's file; undefined when there is none (or it was removed since a listing). */
async function load(path: string): Promise<StoredSecret | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  // Never JSON.parse's message: it quotes the text.
  let secret: Partial<StoredSecret> | undefined;
  try {
    secret = JSON.parse(text) as Partial<StoredSecret>;
  } catch {
    throw new DamagedSecretFile(path);
  }
  if (typeof secret?.Name !== 'string' || typeof secret.ARN !== 'string') throw new DamagedSecretFile(path);
  return secret as StoredSecret;
}
