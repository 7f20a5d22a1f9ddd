/**
 * Natural keys: how an AWX export names an object, in place of its id (docs/formats.md "AWX
 * exports"). awxkit writes the fields of the kind's natural key, each reference among them as a
 * natural key too, then `type`.
 */
export type NaturalKey = { readonly type: string } & Readonly<Record<string, unknown>>;

/** Whether `value` is a natural key: a mapping with a string `type`. */
export function isNaturalKey(value: unknown): value is NaturalKey {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof (value as { type?: unknown }).type === 'string'
  );
}

/**
 * The name a natural key gives an object of one of `types` (`identifier` for a node), or undefined
 * when `value` is not such a key.
 */
export function keyedName(value: unknown, types: readonly string[]): string | undefined {
  if (!isNaturalKey(value) || !types.includes(value.type)) return undefined;
  const name = value.type === 'workflow_job_template_node' ? value.identifier : value.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** One text per natural key, whatever the order of its keys: two copies of one object compare equal. */
export function keyIdentity(key: unknown): string {
  return JSON.stringify(key, (_, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
}
