type Item = Record<string, unknown>;

/**
 * A list of mappings that tasks update one item at a time by a key field (inventory hosts by
 * `name`, workflow nodes by `identifier`). Finding an item is a map lookup rather than a scan, so
 * thousands of tasks on one list stay linear. Insertion order is the list's order.
 */
export class KeyedList {
  private readonly byKey = new Map<unknown, unknown>();

  /** `items`: the list as written so far; items that are not mappings stay, for the reader to report. */
  constructor(
    items: readonly unknown[],
    private readonly keyField: string,
  ) {
    for (const item of items) this.byKey.set(this.keyOf(item) ?? Symbol('unkeyed'), item);
  }

  get(key: unknown): Item | undefined {
    const item = this.byKey.get(key);
    return item !== null && typeof item === 'object' ? (item as Item) : undefined;
  }

  /** Adds `item` at the end, in place of any item with the same key. */
  putLast(key: unknown, item: Item): void {
    this.byKey.delete(key);
    this.byKey.set(key, item);
  }

  delete(key: unknown): void {
    this.byKey.delete(key);
  }

  items(): unknown[] {
    return [...this.byKey.values()];
  }

  private keyOf(item: unknown): unknown {
    return item !== null && typeof item === 'object' ? (item as Item)[this.keyField] : undefined;
  }
}
