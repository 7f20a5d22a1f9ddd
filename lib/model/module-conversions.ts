import { INPUT_LIMITS, beyondLimit } from './input-limits';

/**
 * What Ansible makes of a value before a module sees it, for the option types that change values:
 * `list` (Ansible's `check_type_list`), `dict` (`check_type_dict`) and the `str` elements of a list
 * (`check_type_str`), as ansible-core's module_utils/common/validation.py does it. A task written
 * `success_nodes: b` or `survey_spec: '{"name": ...}'` reaches the module as a list or a mapping;
 * the static reader must read it so too.
 */
export type Converted =
  | { readonly value: unknown }
  /** Ansible would refuse the value (its message), or only Ansible can evaluate it (`needsAnsible`). */
  | { readonly problem: string; readonly needsAnsible?: true };

/** A list as it is; text split at every comma (no trimming: `a, b` is `a` and ` b`); a number or boolean alone. */
export function ansibleList(value: unknown): Converted {
  if (Array.isArray(value)) return { value };
  if (typeof value === 'string') return { value: value.split(',') };
  if (typeof value === 'number' || typeof value === 'boolean') return { value: [pythonStr(value)] };
  return { problem: `${pythonType(value)} cannot be converted to a list` };
}

/**
 * The elements of a list of text (`elements='str'`): numbers and booleans become their Python
 * text. Ansible would turn a mapping or a list into its Python text (`{'name': 'x'}`), a name no
 * AWX object has: refused here instead of looked up in vain.
 */
export function ansibleStrings(list: readonly unknown[]): Converted {
  if (list.every((item) => typeof item === 'string')) return { value: list };
  const strings: string[] = [];
  for (const item of list) {
    if (typeof item === 'string') strings.push(item);
    else if (typeof item === 'number' || typeof item === 'boolean') strings.push(pythonStr(item));
    else return { problem: `holds ${pythonType(item)} where the module takes names (text)` };
  }
  return { value: strings };
}

/**
 * A mapping as it is; text starting with `{` read as JSON, text with `=` read as `k1=v1 k2=v2`
 * (values stay text). Text starting with `{` that is not JSON Ansible evaluates as a Python literal,
 * which only Ansible can do.
 */
export function ansibleDict(value: unknown): Converted {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { value };
  if (typeof value !== 'string') return { problem: `${pythonType(value)} cannot be converted to a dict` };
  if (value.startsWith('{')) return fromJson(value);
  if (value.includes('=')) return keyValues(value);
  return { problem: 'dictionary requested, could not parse JSON or key=value' };
}

function fromJson(text: string): Converted {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return {
      problem: `is not JSON (${error.message}): Ansible would evaluate it as a Python literal, which only Ansible can do`,
      needsAnsible: true,
    };
  }
  // JSON text may nest deeper than YAML files may (docs/input-limits.md): the readers recurse.
  if (nestingDepth(parsed) > INPUT_LIMITS.nestingDepth.value)
    return { problem: beyondLimit(INPUT_LIMITS.nestingDepth, 'the JSON text nests deeper') };
  return { value: parsed };
}

/** `check_type_dict`'s `k=v` form: fields split at unquoted commas and spaces, `\` escaping one character. */
function keyValues(text: string): Converted {
  const fields: string[] = [];
  let field = '';
  let quote: string | undefined;
  let escaped = false;
  for (const c of text.trim()) {
    if (escaped) {
      field += c;
      escaped = false;
    } else if (c === '\\') escaped = true;
    else if (!quote && (c === "'" || c === '"')) quote = c;
    else if (quote && c === quote) quote = undefined;
    else if (!quote && (c === ',' || c === ' ')) {
      if (field) fields.push(field);
      field = '';
    } else field += c;
  }
  if (field) fields.push(field);
  const mapping: Record<string, string> = {};
  for (const item of fields) {
    const at = item.indexOf('=');
    // Python's dict() of a one-item split: "dictionary update sequence element has length 1".
    if (at === -1)
      return { problem: `'${item}' is not key=value: dictionary requested, could not parse key=value` };
    mapping[item.slice(0, at)] = item.slice(at + 1);
  }
  return { value: mapping };
}

/** Python's truth of a value: what a module's `if module.params.get(key):` lets through. */
export function pythonTruth(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** Python's `str()` of a number or boolean: `True`, `3`, `1.5`, `1e+16`. */
function pythonStr(value: number | boolean): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  // YAML's `2.0` is read as the number 2: written as an integer, as JavaScript cannot tell them apart.
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return String(value);
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  // Python's repr: the shortest digits (as JavaScript's), fixed notation for exponents -4 to 15.
  const [digits, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? '-' : '+';
    return `${digits}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const text = value.toFixed(Math.max(0, digits.replace(/^-?\d\.?/, '').length - exponent));
  return text.includes('.') ? text : `${text}.0`;
}

/** The Python type Ansible's messages name. */
function pythonType(value: unknown): string {
  if (value === null || value === undefined) return "<class 'NoneType'>";
  if (Array.isArray(value)) return "<class 'list'>";
  if (typeof value === 'object') return "<class 'dict'>";
  if (typeof value === 'boolean') return "<class 'bool'>";
  if (typeof value === 'number') return Number.isInteger(value) ? "<class 'int'>" : "<class 'float'>";
  return "<class 'str'>";
}

/** Levels of lists and mappings, counted without recursion (JSON text may nest arbitrarily deep). */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > INPUT_LIMITS.nestingDepth.value) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}
