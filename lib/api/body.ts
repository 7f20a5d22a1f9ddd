import type { Context } from 'hono';
import { InvalidError } from '../errors';

/** The largest request body the API reads (AWX's DATA_UPLOAD_MAX_MEMORY_SIZE is 2.5 MB). */
export const MAX_BODY_BYTES = 2_621_440;

/** The request's JSON object; AWX's 400 bodies for what is not one. */
export async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidError(`JSON parse error - ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new InvalidError(`Invalid data. Expected a dictionary, but got ${typeName(parsed)}.`);
  return parsed as Record<string, unknown>;
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (value === null) return 'NoneType';
  return typeof value === 'string' ? 'str' : typeof value === 'number' ? 'int' : typeof value;
}

/**
 * Reads the fields of a request body with AWX's messages, collecting every problem so the 400
 * names them all at once (`{"name": ["This field is required."], ...}`).
 */
export class BodyFields {
  private readonly errors: Record<string, string[]> = {};

  constructor(
    private readonly body: Record<string, unknown>,
    /** For updates (PATCH): absent fields keep their value and are not required. */
    private readonly partial = false,
  ) {}

  has(field: string): boolean {
    return field in this.body;
  }

  isNull(field: string): boolean {
    return this.body[field] === null;
  }

  /**
   * The value given for a field; null counts as not given for a field that cannot be null and
   * is not required: the awx.awx modules send null for every option a task leaves out.
   */
  private given(field: string, nullable: boolean, required = false): unknown {
    const value = this.body[field];
    return value === null && !nullable && !required ? undefined : value;
  }

  string(
    field: string,
    options: { required?: boolean; max?: number; fallback?: string } = {},
  ): string | undefined {
    const value = this.given(field, false, options.required);
    if (value === undefined) {
      if (options.required && !this.partial) this.fail(field, 'This field is required.');
      return this.partial ? undefined : (options.fallback ?? '');
    }
    if (value === null) return this.fail(field, 'This field may not be null.');
    if (typeof value !== 'string' && typeof value !== 'number')
      return this.fail(field, 'Not a valid string.');
    const result = String(value);
    if (options.required && result.trim() === '') return this.fail(field, 'This field may not be blank.');
    if (options.max !== undefined && result.length > options.max)
      return this.fail(field, `Ensure this field has no more than ${options.max} characters.`);
    return result;
  }

  integer(
    field: string,
    options: { min?: number; max?: number; fallback?: number | null } = {},
  ): number | null | undefined {
    return this.numeric(field, options, /^-?\d+$/, Number.isSafeInteger, 'A valid integer is required.');
  }

  /** Django REST framework's FloatField. */
  float(field: string, options: { min?: number; max?: number; fallback: number }): number | undefined {
    const value = this.numeric(
      field,
      options,
      /^-?\d+(\.\d+)?$/,
      Number.isFinite,
      'A valid number is required.',
    );
    return value ?? undefined;
  }

  private numeric(
    field: string,
    options: { min?: number; max?: number; fallback?: number | null },
    text: RegExp,
    valid: (value: number) => boolean,
    invalid: string,
  ): number | null | undefined {
    const value = this.given(field, options.fallback === null);
    if (value === undefined) return this.partial ? undefined : options.fallback;
    if (value === null && options.fallback === null) return null;
    const number = typeof value === 'string' && text.test(value) ? Number(value) : value;
    if (typeof number !== 'number' || !valid(number)) return this.fail(field, invalid);
    if (options.min !== undefined && number < options.min)
      return this.fail(field, `Ensure this value is greater than or equal to ${options.min}.`);
    if (options.max !== undefined && number > options.max)
      return this.fail(field, `Ensure this value is less than or equal to ${options.max}.`);
    return number;
  }

  boolean(field: string, options?: { fallback?: boolean }): boolean | undefined;
  boolean(field: string, options: { fallback: boolean | null }): boolean | null | undefined;
  boolean(field: string, options: { fallback?: boolean | null } = {}): boolean | null | undefined {
    const value = this.given(field, options.fallback === null);
    if (value === undefined) return this.partial ? undefined : options.fallback;
    if (value === null && options.fallback === null) return null;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    return this.fail(field, 'Must be a valid boolean.');
  }

  /** A string that must be one of `choices` (AWX's ChoiceField). */
  choice(field: string, choices: readonly string[], fallback: string): string | undefined {
    const value = this.string(field, { fallback });
    if (value === undefined || choices.includes(value)) return value;
    return this.fail(field, `"${value}" is not a valid choice.`);
  }

  /** A list of strings (Django REST framework's ListField of CharField); absent: empty. */
  strings(field: string): string[] | undefined {
    const value = this.given(field, false);
    if (value === undefined) return [];
    if (!Array.isArray(value))
      return this.fail(field, `Expected a list of items but got type "${typeName(value)}".`);
    if (value.some((item) => typeof item !== 'string')) return this.fail(field, 'Not a valid string.');
    return value as string[];
  }

  /** A JSON mapping (AWX's JSONField of a dict). */
  object(field: string, nullable = false): Record<string, unknown> | null | undefined {
    const value = this.body[field];
    if (value === undefined) return this.partial ? undefined : nullable ? null : {};
    if (value === null && nullable) return null;
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return this.fail(field, `Expected a dictionary of items but got type "${typeName(value)}".`);
    return value as Record<string, unknown>;
  }

  /** Variables as AWX takes them: YAML or JSON text, or a mapping (kept as JSON text). */
  vars(field: string): string | undefined {
    const value = this.body[field];
    if (value === undefined) return this.partial ? undefined : '';
    if (value === null) return '';
    if (typeof value === 'string') return value;
    if (typeof value === 'object' && !Array.isArray(value)) return JSON.stringify(value);
    return this.fail(field, 'Must be a valid JSON or YAML dictionary.');
  }

  /** The id of another object (AWX's primary key fields); whether it exists is checked after. */
  id(field: string, required: boolean): number | null | undefined {
    const value = this.body[field];
    if (value === undefined) {
      if (required && !this.partial) this.fail(field, 'This field is required.');
      return this.partial ? undefined : null;
    }
    if (value === null || value === '') {
      if (required) return this.fail(field, 'This field may not be null.');
      return null;
    }
    const id = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
    if (typeof id !== 'number' || !Number.isSafeInteger(id))
      return this.fail(field, `Incorrect type. Expected pk value, received ${typeName(value)}.`);
    return id;
  }

  fail(field: string, message: string): undefined {
    (this.errors[field] ??= []).push(message);
    return undefined;
  }

  /** Throws the 400 when any field was wrong. */
  check(): void {
    if (Object.keys(this.errors).length > 0) throw new InvalidError('invalid fields', this.errors);
  }
}
