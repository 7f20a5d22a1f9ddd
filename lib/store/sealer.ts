import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { UserError } from '../errors';

/**
 * Seals what the store must keep but nobody may read from it: survey password answers (AWX
 * stores them encrypted and shows `$encrypted$`) and the definitions saved with a workflow job
 * (they may hold password defaults). AES-256-GCM with a key that never enters the store: a file in
 * the private data folder locally, a Secrets Manager secret in AWS.
 */
export interface Sealer {
  seal(plain: Buffer): string;
  open(sealed: string): Buffer;
}

const VERSION = 'v1';

export class KeySealer implements Sealer {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('a sealing key is 32 bytes');
  }

  seal(plain: Buffer): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body].map((part) => encode(part)).join('.');
  }

  open(sealed: string): Buffer {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || body === undefined) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), {
      authTagLength: 16,
    });
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    // Fails (rather than returning garbage) when the value was sealed with another key or altered.
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
  }
}

function encode(part: string | Buffer): string {
  return typeof part === 'string' ? part : part.toString('base64url');
}

/** The local sealing key: 32 random bytes in a file only its owner reads, made on first use. */
export function fileSealingKey(path: string): Buffer {
  const existing = lstatSync(path, { throwIfNoEntry: false });
  if (existing) {
    if (!existing.isFile() || existing.size !== 32)
      throw new UserError(
        `${path} is not a sealing key (a file of 32 bytes): restore it, or move it away to start afresh`,
      );
    return readFileSync(path);
  }
  const key = randomBytes(32);
  // `wx`: never replace a key another process just wrote (records sealed with it would be lost).
  try {
    writeFileSync(path, key, { mode: 0o600, flag: 'wx' });
    return key;
  } catch {
    return readFileSync(path);
  }
}

/** A key given as base64 text (a Secrets Manager secret in AWS). */
export function textSealingKey(text: string): Buffer {
  return Buffer.from(text.trim(), 'base64');
}
