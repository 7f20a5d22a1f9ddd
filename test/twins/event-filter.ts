/**
 * Lambda's event filtering (an event source mapping's FilterCriteria), for the rules the stack's
 * patterns use: a value listed, or a prefix. The twins apply the stack's filters with it, as the
 * event source mapping would before the function sees a record.
 */
export function matchesEventFilter(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern))
    return pattern.some((rule: unknown) =>
      typeof rule === 'object' && rule !== null && 'prefix' in rule
        ? typeof value === 'string' && value.startsWith(String((rule as { prefix: string }).prefix))
        : rule === value,
    );
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(pattern as Record<string, unknown>).every(([key, inner]) =>
    matchesEventFilter(inner, (value as Record<string, unknown>)[key]),
  );
}
