import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * How credentials are kept: API tokens as SHA-256 digests (they are long random values, so a
 * fast digest suffices and lookups stay one read), passwords with scrypt and a salt. Neither is
 * ever stored or logged in clear.
 */
export function newToken(): string {
  return randomBytes(30).toString('base64url');
}

export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64url')}$${scryptSync(password, salt, 32).toString('base64url')}`;
}

export function passwordMatches(password: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = scryptSync(password, Buffer.from(salt, 'base64url'), expected.length);
  return timingSafeEqual(actual, expected);
}
