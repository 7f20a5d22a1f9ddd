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

  string(
    field: string,
    options: { required?: boolean; max?: number; fallback?: string } = {},
  ): string | undefined {
    const value = this.body[field];
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

  integer(field: string, options: { min?: number; fallback?: number } = {}): number | undefined {
    const value = this.body[field];
    if (value === undefined) return this.partial ? undefined : options.fallback;
    const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isSafeInteger(number))
      return this.fail(field, 'A valid integer is required.');
    if (options.min !== undefined && number < options.min)
      return this.fail(field, `Ensure this value is greater than or equal to ${options.min}.`);
    return number;
  }

  boolean(field: string, options: { fallback?: boolean } = {}): boolean | undefined {
    const value = this.body[field];
    if (value === undefined) return this.partial ? undefined : options.fallback;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    return this.fail(field, 'Must be a valid boolean.');
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
