import { InvalidError } from '../errors';

/**
 * Query parameters that shape the page, not the filter (`no_truncate`: awxkit asks for events'
 * whole output, which Towerless always shows).
 */
const PAGE_PARAMETERS = new Set(['page', 'page_size', 'format', 'count_disabled', 'no_truncate']);
type Lookup = (actual: unknown, wanted: string) => boolean;

const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
/** A boolean field compares as AWX reads a boolean in a query: `true`, `True`, `t` or `1`. */
const truth = (wanted: string) => /^(true|t|1)$/i.test(wanted);
const LOOKUPS: Record<string, Lookup> = {
  exact: (actual, wanted) =>
    typeof actual === 'boolean' ? actual === truth(wanted) : text(actual) === wanted,
  iexact: (actual, wanted) => text(actual).toLowerCase() === wanted.toLowerCase(),
  contains: (actual, wanted) => text(actual).includes(wanted),
  icontains: (actual, wanted) => text(actual).toLowerCase().includes(wanted.toLowerCase()),
  startswith: (actual, wanted) => text(actual).startsWith(wanted),
  istartswith: (actual, wanted) => text(actual).toLowerCase().startsWith(wanted.toLowerCase()),
  endswith: (actual, wanted) => text(actual).endsWith(wanted),
  iendswith: (actual, wanted) => text(actual).toLowerCase().endsWith(wanted.toLowerCase()),
  in: (actual, wanted) => wanted.split(',').includes(text(actual)),
  isnull: (actual, wanted) => (actual === null || actual === undefined) === /^(true|1)$/i.test(wanted),
  gt: (actual, wanted) => Number(actual) > Number(wanted),
  gte: (actual, wanted) => Number(actual) >= Number(wanted),
  lt: (actual, wanted) => Number(actual) < Number(wanted),
  lte: (actual, wanted) => Number(actual) <= Number(wanted),
};

interface Condition {
  readonly field: string;
  readonly test: (item: Record<string, unknown>) => boolean;
  readonly or: boolean;
}

/**
 * AWX's list filters over serialized objects: `field=value` and `field__<lookup>=value`
 * (exact, iexact, contains, icontains, startswith, endswith, in, isnull, gt, gte, lt, lte),
 * `not__` to negate, `or__` to join with OR, `search=` across the searchable fields, and
 * `order_by` (`-` for descending, several comma-separated). Booleans compare as `true`/`false`.
 */
export function filterList<T extends Record<string, unknown>>(
  items: readonly T[],
  query: URLSearchParams,
  searchable: readonly string[] = ['name', 'description'],
): T[] {
  const conditions: Condition[] = [];
  let search: string | undefined;
  let orderBy: string | undefined;
  for (const [key, value] of query) {
    if (PAGE_PARAMETERS.has(key)) continue;
    if (key === 'search') search = value.toLowerCase();
    else if (key === 'order_by' || key === 'order') orderBy = value;
    else conditions.push(condition(key, value, items));
  }
  let result = items.filter((item) => {
    const ands = conditions.filter((c) => !c.or);
    const ors = conditions.filter((c) => c.or);
    return ands.every((c) => c.test(item)) && (ors.length === 0 || ors.some((c) => c.test(item)));
  });
  if (search)
    result = result.filter((item) =>
      searchable.some((field) => text(item[field]).toLowerCase().includes(search!)),
    );
  return orderBy ? order(result, orderBy) : result;
}

function condition(key: string, value: string, items: readonly Record<string, unknown>[]): Condition {
  let parts = key.split('__');
  const or = parts[0] === 'or';
  if (or) parts = parts.slice(1);
  const negate = parts[0] === 'not';
  if (negate) parts = parts.slice(1);
  const lookup = parts.length > 1 && parts[parts.length - 1] in LOOKUPS ? parts.pop()! : 'exact';
  const field = parts.join('__');
  const read = reader(field, items);
  const test = LOOKUPS[lookup];
  return { field, or, test: (item) => test(read(item), value) !== negate };
}

/**
 * How a filter reads `field` from a serialized item: the item's own field, or `relation__field`,
 * a field of the object it refers to as its `summary_fields` shows that object (`job__name`: the
 * name of a node's job, which AWX reads through the foreign key; the awx.awx workflow_approval
 * module finds an approval so). An item that refers to nothing has no value there. Any other
 * field is a 400.
 */
function reader(field: string, items: readonly Record<string, unknown>[]) {
  if (items.length === 0 || items.some((item) => field in item))
    return (item: Record<string, unknown>) => item[field];
  const [relation, ...rest] = field.split('__');
  if (rest.length > 0 && items.some((item) => relation in item)) {
    const related = rest.join('__');
    return (item: Record<string, unknown>) =>
      (item.summary_fields as Record<string, Record<string, unknown> | undefined> | undefined)?.[relation]?.[
        related
      ];
  }
  throw new InvalidError(`Invalid field name: ${field}`);
}

function order<T extends Record<string, unknown>>(items: T[], orderBy: string): T[] {
  const keys = orderBy
    .split(',')
    .map((key) => (key.startsWith('-') ? { field: key.slice(1), sign: -1 } : { field: key, sign: 1 }));
  return [...items].sort((a, b) => {
    for (const { field, sign } of keys) {
      const [x, y] = [a[field], b[field]];
      const difference =
        typeof x === 'number' && typeof y === 'number' ? x - y : text(x).localeCompare(text(y));
      if (difference !== 0) return difference * sign;
    }
    return 0;
  });
}
