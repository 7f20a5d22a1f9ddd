/**
 * JSON as Python's `json.dumps` writes it: `, ` and `: ` between items, or with `indent` one item
 * a line after `,`; every character past ASCII escaped (`ensure_ascii`). The awx CLI prints an
 * export so (indent 5), and the awx.awx collection stores variables so: what an AWX export shows.
 */
export function pythonJson(value: unknown, indent?: number): string {
  return dumps(value, indent, 0).replace(
    /[\u007f-\uffff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function dumps(value: unknown, indent: number | undefined, depth: number): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const items = Array.isArray(value)
    ? value.map((item) => dumps(item, indent, depth + 1))
    : Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .map(([key, item]) => `${JSON.stringify(key)}: ${dumps(item, indent, depth + 1)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (items.length === 0) return `${open}${close}`;
  if (indent === undefined) return `${open}${items.join(', ')}${close}`;
  const inner = `\n${' '.repeat(indent * (depth + 1))}`;
  return `${open}${inner}${items.join(`,${inner}`)}\n${' '.repeat(indent * depth)}${close}`;
}
