import type { Diagnostics, Severity } from './diagnostics';
import type { SourceRef, Vars } from './types';
import { parseYamlValue, YamlProblem } from './yaml-construct';
import type { SourceMap } from './yaml-source';

export interface ReaderContext {
  readonly diagnostics: Diagnostics;
  readonly sourceMap: SourceMap;
}

/** The largest value of AWX's integer fields (Django's IntegerField and PositiveIntegerField). */
const AWX_INTEGER_MAX = 2_147_483_647;

/** Text holding `{{ … }}` or `{% … %}`: what Ansible and AWX render as Jinja. */
export function isJinja(value: unknown): value is string {
  return typeof value === 'string' && (encloses(value, '{{', '}}') || encloses(value, '{%', '%}'));
}

/** Found with indexOf: a regular expression such as /{{.*}}/ backtracks quadratically on long text. */
function encloses(text: string, open: string, close: string): boolean {
  const start = text.indexOf(open);
  return start !== -1 && text.indexOf(close, start + open.length) !== -1;
}

/**
 * Reads the fields of one raw resource mapping with AWX's defaults. Every type mismatch becomes a
 * diagnostic naming the resource, field and value; the default is used so that loading can report
 * every problem in one pass. `finish()` reports fields nobody asked for (typos).
 */
export class FieldReader {
  /** The fields asked for: known names. An array, as pushing is cheaper than a Set for ~50 names. */
  private readonly asked: string[] = [];

  constructor(
    readonly raw: Record<string, unknown>,
    readonly resource: string,
    private readonly context: ReaderContext,
    private readonly fieldPrefix = '',
    private readonly parentSource?: SourceRef,
  ) {}

  get diagnostics(): Diagnostics {
    return this.context.diagnostics;
  }

  get sourceMap(): SourceMap {
    return this.context.sourceMap;
  }

  /** Where the resource itself is written. */
  get source(): SourceRef {
    return this.context.sourceMap.at(this.raw, undefined, this.parentSource);
  }

  sourceOf(field: string): SourceRef {
    return this.context.sourceMap.at(this.raw, field, this.source);
  }

  fieldPath(field: string): string {
    return `${this.fieldPrefix}${field}`;
  }

  has(field: string): boolean {
    return this.raw[field] !== undefined && this.raw[field] !== null;
  }

  /** Marks fields as known without reading them (module plumbing such as `state`). */
  ignore(...fields: string[]): void {
    for (const field of fields) this.asked.push(field);
  }

  value(field: string): unknown {
    this.asked.push(field);
    return this.raw[field];
  }

  fail(field: string, value: unknown, message: string): void {
    this.report('error', field, value, message);
  }

  warn(field: string, value: unknown, message: string): void {
    this.report('warning', field, value, message);
  }

  note(field: string, value: unknown, message: string): void {
    this.report('note', field, value, message);
  }

  private report(severity: Severity, field: string, value: unknown, message: string): void {
    this.context.diagnostics.add({
      severity,
      source: this.sourceOf(field),
      resource: this.resource,
      field: this.fieldPath(field),
      value,
      message,
    });
  }

  string(field: string, fallback = ''): string {
    const value = this.value(field);
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    this.fail(field, value, 'must be a string');
    return fallback;
  }

  requiredString(field: string): string {
    const value = this.string(field);
    if (value === '') this.fail(field, this.raw[field], 'is required');
    return value;
  }

  nullableString(field: string): string | null {
    const value = this.string(field);
    return value === '' ? null : value;
  }

  /** An integer of AWX's integer fields (32-bit in its database): from `min` to `max`. */
  integer(field: string, fallback = 0, min = 0, max = AWX_INTEGER_MAX): number {
    const value = this.value(field);
    if (value === undefined || value === null || value === '') return fallback;
    const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number)) {
      this.fail(field, value, 'must be an integer');
      return fallback;
    }
    if (number < min || number > max) {
      this.fail(field, value, `must be between ${min} and ${max}`);
      return fallback;
    }
    return number;
  }

  /** A number (AWX's FloatField) from `min` to `max`. */
  number(field: string, fallback: number, min: number, max: number): number {
    const value = this.value(field);
    if (value === undefined || value === null || value === '') return fallback;
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      this.fail(field, value, 'must be a number');
      return fallback;
    }
    if (number < min || number > max) {
      this.fail(field, value, `must be between ${min} and ${max}`);
      return fallback;
    }
    return number;
  }

  nullableInteger(field: string): number | null {
    return this.has(field) ? this.integer(field) : (this.value(field), null);
  }

  boolean(field: string, fallback = false): boolean {
    const value = this.value(field);
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && /^(true|yes|on)$/i.test(value)) return true;
    if (typeof value === 'string' && /^(false|no|off)$/i.test(value)) return false;
    this.fail(field, value, 'must be true or false');
    return fallback;
  }

  nullableBoolean(field: string): boolean | null {
    return this.has(field) ? this.boolean(field) : (this.value(field), null);
  }

  oneOf<T extends string>(field: string, allowed: readonly T[], fallback: T): T {
    const value = this.string(field, fallback);
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.fail(
      field,
      value,
      `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}${this.diagnostics.didYouMean(value, allowed)}`,
    );
    return fallback;
  }

  /** A list of names; AWX modules also accept a single name. */
  strings(field: string): string[] {
    const value = this.value(field);
    if (value === undefined || value === null) return [];
    const list = Array.isArray(value) ? value : [value];
    const names: string[] = [];
    for (const item of list) {
      if (typeof item === 'string') names.push(item);
      else if (item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string') {
        names.push((item as { name: string }).name);
      } else this.fail(field, item, 'must be a list of names');
    }
    return names;
  }

  /** Variables: a mapping, or YAML/JSON text that parses to one (AWX stores vars as text). */
  vars(field: string): Vars {
    const value = this.value(field);
    if (value === undefined || value === null || value === '') return {};
    let parsed: unknown = value;
    if (typeof value === 'string') {
      try {
        parsed = parseYamlValue(value);
      } catch (error) {
        if (!(error instanceof YamlProblem)) throw error;
        const where = error.line ? ` (line ${error.line} of the text)` : '';
        this.fail(field, value, `is not valid YAML or JSON: ${error.message}${where}`);
        return {};
      }
      if (parsed === null || parsed === undefined) return {};
    }
    if (typeof parsed !== 'object' || Array.isArray(parsed)) {
      this.fail(field, value, 'must be a mapping of variable names to values');
      return {};
    }
    return parsed as Vars;
  }

  mapping(field: string): Record<string, unknown> | undefined {
    const value = this.value(field);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    this.fail(field, value, 'must be a mapping');
    return undefined;
  }

  /** A list of mappings, each read by its own reader. */
  list(field: string): FieldReader[] {
    const value = this.value(field);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.fail(field, value, 'must be a list');
      return [];
    }
    const readers: FieldReader[] = [];
    value.forEach((item, index) => {
      if (item && typeof item === 'object' && !Array.isArray(item)) {
        readers.push(this.child(item as Record<string, unknown>, `${field}[${index}].`));
      } else this.fail(field, item, `item ${index} must be a mapping`);
    });
    return readers;
  }

  child(raw: Record<string, unknown>, prefix: string, resource = this.resource): FieldReader {
    return new FieldReader(raw, resource, this.context, `${this.fieldPrefix}${prefix}`, this.source);
  }

  /** Reports fields that were never read: almost always a typo of an AWX field name. */
  finish(): void {
    for (const field of Object.keys(this.raw)) {
      if (this.asked.includes(field)) continue;
      this.fail(field, this.raw[field], `unknown field${this.diagnostics.didYouMean(field, this.asked)}`);
    }
  }
}
