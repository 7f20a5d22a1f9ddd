import type { Vars } from '../model/types';

/**
 * The extra vars file ansible-runner passes with `-e`, written as AWX writes it: every string
 * that did not come verbatim from the job template's own `extra_vars` is tagged `!unsafe`, so
 * Ansible never renders it as a template. Otherwise a survey answer, a node's `extra_data` or an
 * artifact set by an earlier playbook holding `{{ lookup('pipe', ...) }}` would run code on the
 * machine that runs the playbook.
 *
 * The file is JSON with tags: JSON is YAML that Ansible's YAML 1.1 loader reads exactly (every
 * string double-quoted, so `yes`, `=` or `<<` stay strings), and `!unsafe "..."` is a tagged
 * double-quoted scalar.
 */
export function extraVarsFile(vars: Vars, trusted: Vars): string {
  const entries = Object.entries(vars).map(
    ([key, value]) => `${JSON.stringify(key)}: ${render(value, !isTrusted(key, value, trusted))}`,
  );
  return `{\n${entries.map((entry) => `  ${entry}`).join(',\n')}\n}\n`;
}

function isTrusted(key: string, value: unknown, trusted: Vars): boolean {
  return Object.hasOwn(trusted, key) && JSON.stringify(trusted[key]) === JSON.stringify(value);
}

/** `value` as JSON, every string below it (values, not keys) tagged `!unsafe` when `unsafe`. */
function render(value: unknown, unsafe: boolean): string {
  if (typeof value === 'string') return unsafe ? `!unsafe ${JSON.stringify(value)}` : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => render(item, unsafe)).join(', ')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}: ${render(item, unsafe)}`)
      .join(', ')}}`;
  return JSON.stringify(value) ?? 'null';
}
