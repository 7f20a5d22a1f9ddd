/**
 * Scrubs secret values from everything that leaves a node run (events, stdout, explanations, the
 * job record), whatever a playbook prints. Values are walked structurally, so scrubbing never
 * breaks the JSON it is applied to.
 */
export const REDACTED = '********';

export class Redactor {
  private readonly secrets = new Set<string>();
  private pattern?: RegExp;

  /** Secrets of 4 characters or more (shorter ones would shred ordinary output). */
  add(values: readonly string[]): void {
    for (const value of values) if (value.length >= 4) this.secrets.add(value);
    // Longest first, so a secret containing another is replaced whole.
    const sorted = [...this.secrets].sort((a, b) => b.length - a.length);
    this.pattern = sorted.length
      ? new RegExp(sorted.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g')
      : undefined;
  }

  text(value: string): string {
    return this.pattern ? value.replace(this.pattern, REDACTED) : value;
  }

  /** A copy of `value` with every string (and every number or boolean spelling a secret) scrubbed. */
  deep<T>(value: T): T {
    if (!this.pattern) return value;
    const walk = (item: unknown): unknown => {
      if (typeof item === 'string') return this.text(item);
      if (typeof item === 'number' || typeof item === 'boolean')
        return this.secrets.has(String(item)) ? REDACTED : item;
      if (Array.isArray(item)) return item.map(walk);
      if (item && typeof item === 'object')
        return Object.fromEntries(Object.entries(item).map(([k, v]) => [this.text(k), walk(v)]));
      return item;
    };
    return walk(value) as T;
  }
}
