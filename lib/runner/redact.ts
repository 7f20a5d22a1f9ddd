/**
 * Scrubs secret values from everything that leaves a node run (events, stdout, explanations, the
 * job record), whatever a playbook prints. Values are walked structurally, so scrubbing never
 * breaks the JSON it is applied to.
 *
 * A secret leaves a playbook in more forms than its raw text: Ansible prints results as JSON
 * (a `"` becomes `\"`, a newline `\n`, and a value printed inside a printed string is escaped
 * twice), Python's repr and `ensure_ascii` escape differently, `stdout_lines` splits a multi-line
 * key into lines, and a JSON secret's fields are printed one by one. Every such form is scrubbed.
 */
export const REDACTED = '********';

/** Shorter values are not scrubbed: they would shred ordinary output (see docs/secrets.md). */
export const MIN_SECRET_LENGTH = 4;
/** A value printed inside a printed string inside ... is escaped once per level. */
const ESCAPE_DEPTH = 4;

export class Redactor {
  private readonly secrets = new Set<string>();
  private pattern?: RegExp;

  add(values: readonly string[]): void {
    const before = this.secrets.size;
    for (const value of values)
      for (const form of secretForms(value)) if (form.length >= MIN_SECRET_LENGTH) this.secrets.add(form);
    if (this.secrets.size === before) return;
    // Longest first, so a secret containing another is replaced whole.
    const sorted = [...this.secrets].sort((a, b) => b.length - a.length);
    this.pattern = new RegExp(sorted.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
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

/** Every form in which `secret` can appear in output. */
export function secretForms(secret: string): Set<string> {
  const plain = new Set<string>([secret]);
  for (const inner of jsonLeaves(secret)) plain.add(inner);
  for (const value of [...plain]) {
    if (!value.includes('\n')) continue;
    for (const line of value.split(/\r?\n/)) if (line.trim()) plain.add(line.trim());
  }
  const forms = new Set<string>();
  // Python's repr is printed inside JSON too (`msg: "pw is {{ [q] }}"`): escape both spellings.
  for (const value of [...plain].flatMap((text) => [text, pythonRepr(text)])) {
    forms.add(value);
    let escaped = value;
    for (let depth = 0; depth < ESCAPE_DEPTH; depth++) {
      escaped = jsonEscape(escaped);
      forms.add(escaped);
      forms.add(asciiEscape(escaped));
    }
  }
  return forms;
}

/** The string and number values inside a secret that is a JSON object or array. */
function jsonLeaves(secret: string): string[] {
  if (!/^\s*[[{]/.test(secret)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret);
  } catch {
    return [];
  }
  const leaves: string[] = [];
  const walk = (item: unknown): void => {
    if (typeof item === 'string' || typeof item === 'number') leaves.push(String(item));
    else if (item && typeof item === 'object') Object.values(item).forEach(walk);
  };
  walk(parsed);
  return leaves;
}

/** The text between the quotes of the JSON string of `value`. */
function jsonEscape(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/** Python's `json.dumps` default (`ensure_ascii`): non-ASCII characters as `\uXXXX`. */
function asciiEscape(value: string): string {
  return value.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The text between the quotes of Python's `repr` of `value` (how `{{ [secret] }}` prints it). */
function pythonRepr(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  // repr quotes with ' unless the text holds ' and no ", and then escapes nothing else.
  return value.includes("'") && value.includes('"') ? escaped.replace(/'/g, "\\'") : escaped;
}
