import { parse as parseYaml } from 'yaml';
import { InvalidError } from '../errors';
import type { Vars } from '../model/types';

/**
 * The body of `POST …/workflow_job_templates/{id}/launch/` read field by field as AWX's
 * `WorkflowJobLaunchSerializer` reads it (or of a job template's launch, as `JobLaunchSerializer`
 * reads it: the same and a job's own fields): each field's type is checked first (all at once,
 * with Django REST framework's words), unknown fields are ignored, `inventory_id` stands for
 * `inventory`. Whether the template lets a field be set is the launch rules' business.
 */
export interface LaunchBody {
  /** Absent, an object, or JSON or YAML text of one (parsed by the launch rules, as AWX does). */
  readonly extra_vars?: unknown;
  /** An inventory id. */
  readonly inventory?: number;
  readonly limit?: string;
  readonly scm_branch?: string;
  readonly job_tags?: string;
  readonly skip_tags?: string;
  /** Label ids. */
  readonly labels?: readonly number[];
  // A job template's launch only.
  readonly job_type?: string;
  readonly diff_mode?: boolean;
  readonly verbosity?: number;
  readonly forks?: number;
  readonly timeout?: number;
  readonly job_slice_count?: number;
  /** Credential ids. */
  readonly credentials?: readonly number[];
}

const TEXT_FIELDS = ['limit', 'scm_branch', 'job_tags', 'skip_tags'] as const;
/** A job template launch's own fields, each with its serializer field. */
const JOB_FIELDS: Readonly<Record<string, (value: unknown) => unknown>> = {
  job_type: choice(['run', 'check']),
  diff_mode: boolean,
  verbosity: choice([0, 1, 2, 3, 4, 5]),
  forks: integer(0),
  timeout: integer(),
  job_slice_count: integer(0),
  credentials: primaryKeys,
};

export function readLaunchBody(
  raw: unknown,
  serializer: 'workflow_job_template' | 'job_template' = 'workflow_job_template',
): LaunchBody {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    const type = Array.isArray(raw) ? 'list' : typeof raw === 'string' ? 'str' : typeof raw;
    const message = `Invalid data. Expected a dictionary, but got ${type}.`;
    throw new InvalidError(message, { non_field_errors: [message] });
  }
  const input: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  if ('inventory_id' in input) input.inventory = input.inventory_id;
  const body: Record<string, unknown> = {};
  const errors: Record<string, string[]> = {};
  const read = (field: string, value: unknown, reader: (value: unknown) => unknown) => {
    if (value === null) errors[field] = ['This field may not be null.'];
    else {
      try {
        body[field] = reader(value);
      } catch (error) {
        errors[field] = [(error as Error).message];
      }
    }
  };
  if ('extra_vars' in input) read('extra_vars', input.extra_vars, (value) => value);
  if ('inventory' in input) read('inventory', input.inventory, primaryKey);
  for (const field of TEXT_FIELDS) if (field in input) read(field, input[field], text);
  if ('labels' in input) read('labels', input.labels, primaryKeys);
  if (serializer === 'job_template')
    for (const [field, reader] of Object.entries(JOB_FIELDS))
      if (field in input) read(field, input[field], reader);
  if (Object.keys(errors).length > 0) throw new InvalidError(summarize(errors), errors);
  return body as LaunchBody;
}

/** A launch's `extra_vars` as AWX reads them: an object, or JSON or else YAML text of one. */
export function parseExtraVars(value: unknown): Vars {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Vars;
  if (value === '""') return {};
  if (typeof value !== 'string') throw new Error(`Input type \`${pythonType(value)}\` is not a dictionary`);
  let jsonError: string;
  try {
    return dictionary(JSON.parse(value));
  } catch (error) {
    jsonError = (error as Error).message;
  }
  try {
    return dictionary(parseYaml(value) ?? {});
  } catch (error) {
    throw new Error(
      `Cannot parse as JSON (error: ${jsonError}) or YAML (error: ${(error as Error).message.split('\n')[0]}).`,
    );
  }
}

function dictionary(value: unknown): Vars {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error(`Input type \`${pythonType(value)}\` is not a dictionary`);
  return value as Vars;
}

/** Django REST framework's CharField: strings and numbers (as text), trimmed. */
function text(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  throw new Error('Not a valid string.');
}

/** A primary key: an integer, or digits (Django looks them up as text). */
function primaryKey(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value);
  throw new Error(`Incorrect type. Expected pk value, received ${pythonType(value)}.`);
}

/** Django REST framework's BooleanField, with the words and numbers it takes for true and false. */
function boolean(value: unknown): boolean {
  if (value === true || value === false) return value;
  const text = String(value).toLowerCase();
  if (['true', '1', 'yes', 'on', 't', 'y'].includes(text)) return true;
  if (['false', '0', 'no', 'off', 'f', 'n'].includes(text)) return false;
  throw new Error('Must be a valid boolean.');
}

function integer(min?: number): (value: unknown) => number {
  return (value) => {
    const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number))
      throw new Error('A valid integer is required.');
    if (min !== undefined && number < min)
      throw new Error(`Ensure this value is greater than or equal to ${min}.`);
    return number;
  };
}

function choice(choices: readonly (string | number)[]): (value: unknown) => string | number {
  return (value) => {
    const found = choices.find((option) => String(option) === String(value));
    if (found === undefined) throw new Error(`"${String(value)}" is not a valid choice.`);
    return found;
  };
}

function primaryKeys(value: unknown): number[] {
  if (!Array.isArray(value)) throw new Error(`Expected a list of items but got type "${pythonType(value)}".`);
  return value.map(primaryKey);
}

function pythonType(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return 'dict';
}

/** The messages of a field-error body, as one text (for the CLI and logs). */
export function summarize(errors: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(errors)
    .map(([field, messages]) => `${field}: ${messages.join(' ')}`)
    .join('; ');
}
