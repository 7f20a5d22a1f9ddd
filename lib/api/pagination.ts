import type { Context } from 'hono';
import { InvalidError, NotFoundError } from '../errors';

/** AWX's page sizes: 25 unless asked, at most 200. */
const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 200;

export interface Page<T> {
  readonly count: number;
  readonly next: string | null;
  readonly previous: string | null;
  readonly results: T[];
}

/**
 * AWX's pagination envelope over a whole list: `page` and `page_size` from the query, `next` and
 * `previous` as relative paths with the rest of the query kept (as AWX links them).
 */
export function paginate<T>(c: Context, items: readonly T[]): Page<T> {
  const url = new URL(c.req.url);
  const size = Math.min(
    positive(url.searchParams.get('page_size'), 'page_size') ?? DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
  );
  const page = positive(url.searchParams.get('page'), 'page') ?? 1;
  const pages = Math.max(1, Math.ceil(items.length / size));
  if (page > pages) throw new NotFoundError(`page ${page} of ${pages}`, 'Invalid page.');
  const link = (target: number) => {
    const query = new URLSearchParams(url.searchParams);
    query.set('page', String(target));
    return `${url.pathname}?${query.toString()}`;
  };
  return {
    count: items.length,
    next: page < pages ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results: items.slice((page - 1) * size, page * size),
  };
}

function positive(value: string | null, name: string): number | undefined {
  if (value === null || value === '') return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidError(`${name} must be a positive integer`);
  return number;
}
