import type { Context } from 'hono';
import { NotFoundError } from '../../errors';

/** The `:id` of a path as AWX reads it: a positive integer, or the object is not found. */
export function resourceId(c: Context): number {
  const text = c.req.param('id') ?? '';
  const id = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(id) || id < 1) throw new NotFoundError(`no object ${text}`);
  return id;
}
