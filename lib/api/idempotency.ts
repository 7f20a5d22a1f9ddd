import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { InvalidError } from '../errors';
import type { ApiEnv } from './context';

/** The header (an extension to AWX's API, docs/api.md "Idempotent launches"). */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Set on an answer given again for a key already answered. */
export const REPLAYED_HEADER = 'Idempotency-Replayed';
const MAX_KEY_LENGTH = 255;
/** How long a request waits for another with the same key to answer. */
const WAIT_MS = 30_000;
const POLL_MS = 25;

/**
 * `Idempotency-Key` on a launch: the same key from the same user within 24 hours answers what
 * the first request with it answered (201 with the same workflow job) instead of launching again.
 * Of requests racing with one key, the first to claim it launches and the others wait for its
 * answer. A key used again with another body (or for another template) is refused with a 400; a
 * refused launch frees its key, so a corrected retry may use it.
 */
export const idempotentLaunch: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const key = c.req.header(IDEMPOTENCY_HEADER);
  if (c.req.method !== 'POST' || key === undefined) return next();
  if (key.trim() === '' || key.length > MAX_KEY_LENGTH)
    throw new InvalidError(`The ${IDEMPOTENCY_HEADER} header must have 1 to ${MAX_KEY_LENGTH} characters.`);
  const { idempotency } = c.get('services');
  const scope = String(c.get('user').id);
  const fingerprint = digest(`${c.req.path}\n${canonical(await c.req.text())}`);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const claim = await idempotency.claim(scope, key, fingerprint);
    if (claim.mine) {
      await next();
      const response = c.res;
      if (response.status === 201) {
        const location = response.headers.get('Location') ?? undefined;
        const body = await response.clone().text();
        await idempotency.settle(scope, key, claim.owner, { status: response.status, body, location });
      } else await idempotency.release(scope, key, claim.owner);
      return;
    }
    const { record } = claim;
    if (record.fingerprint !== fingerprint)
      throw new InvalidError(
        `This ${IDEMPOTENCY_HEADER} was used in the last 24 hours with a different request; use a new key for a new launch.`,
      );
    if (record.answer) {
      const { status, body, location } = record.answer;
      return c.body(body, status as 201, {
        'Content-Type': 'application/json',
        [REPLAYED_HEADER]: 'true',
        ...(location ? { Location: location } : {}),
      });
    }
    if (Date.now() > deadline)
      return c.json({ detail: `A request with this ${IDEMPOTENCY_HEADER} is still being processed.` }, 409);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
};

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The body as JSON with sorted keys, so spacing and key order do not make another request. */
function canonical(text: string): string {
  if (text.trim() === '') return '{}';
  try {
    return JSON.stringify(sorted(JSON.parse(text)));
  } catch {
    return text;
  }
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
  );
}
