import { Document, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Vars } from '../model/types';

/**
 * The extra vars file ansible-runner passes with `-e`, written as AWX writes it: every string
 * that did not come verbatim from the job template's own `extra_vars` is tagged `!unsafe`, so
 * Ansible never renders it as a template. Otherwise
 * a survey answer, a node's `extra_data` or an artifact set by an earlier playbook holding
 * `{{ lookup('pipe', ...) }}` would run code on the machine that runs the playbook.
 */
export function extraVarsFile(vars: Vars, trusted: Vars): string {
  // YAML 1.1, as Ansible reads it: strings such as `yes`, `on` or `0o17` are quoted, not turned into booleans or numbers.
  const document = new Document({}, { version: '1.1' });
  for (const [key, value] of Object.entries(vars)) {
    const node = document.createNode(value) as Node;
    if (!isTrusted(key, value, trusted)) markUnsafe(node);
    document.set(key, node);
  }
  // Every string quoted: plain `=` or `<<` mean something else to Ansible's YAML 1.1 loader.
  return document.toString({ defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'QUOTE_DOUBLE' });
}

function isTrusted(key: string, value: unknown, trusted: Vars): boolean {
  return key in trusted && JSON.stringify(trusted[key]) === JSON.stringify(value);
}

/** Tags every string below `node` (values, not keys) `!unsafe`. */
function markUnsafe(node: Node | null): void {
  if (isScalar(node)) {
    if (typeof node.value === 'string') node.tag = '!unsafe';
  } else if (isMap(node)) {
    for (const pair of node.items) markUnsafe(pair.value as Node | null);
  } else if (isSeq(node)) {
    for (const item of node.items) markUnsafe(item as Node | null);
  }
}
