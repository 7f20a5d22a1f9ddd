import { isJinja } from './field-reader';
import type { SourceRef } from './types';
import type { SourceMap } from './yaml-source';

/**
 * What only Ansible can evaluate in an awx.awx task file: loops, conditions, includes, roles and
 * Jinja in the values the modules would send to AWX. The static reader refuses a task using them
 * rather than apply it with the wrong values (a template named `{{ item }}`, a task under `when:
 * false` applied anyway); the command line then reads the file through Ansible (lib/reader).
 */
export const WITHOUT_ANSIBLE =
  'the command line reads such a file through ansible-playbook (docs/reading.md), which must be installed';

/** The task keyword that makes Ansible repeat or skip a task, if any: `loop`, any `with_*`, `when`. */
export function loopOrCondition(task: Record<string, unknown>): string | undefined {
  return Object.keys(task).find((key) => key === 'loop' || key === 'when' || key.startsWith('with_'));
}

export function loopOrConditionMessage(keyword: string): string {
  return `\`${keyword}:\` needs Ansible to ${keyword === 'when' ? 'evaluate' : 'expand'}; ${WITHOUT_ANSIBLE}`;
}

/** Module arguments that only say how to reach AWX, never what to define: Ansible may template them. */
export const CONNECTION_ARGUMENTS = new Set([
  'controller_host',
  'controller_username',
  'controller_password',
  'controller_oauthtoken',
  'controller_config_file',
  'validate_certs',
  'request_timeout',
  'tower_host',
  'tower_username',
  'tower_password',
  'tower_oauthtoken',
  'tower_config_file',
  'tower_verify_ssl',
]);

/**
 * Arguments whose Jinja Towerless handles itself: credential inputs become secret references (see
 * resources/credential.ts), and AWX renders notification messages and credential type injectors
 * as its own templates (so Ansible must receive them escaped, which their readers undo).
 */
const HANDLED_BY_READER: Readonly<Record<string, ReadonlySet<string>>> = {
  credential: new Set(['inputs']),
  notification_template: new Set(['messages']),
  credential_type: new Set(['injectors']),
};

export const JINJA_NEEDS_ANSIBLE = `is a Jinja expression only Ansible can render; ${WITHOUT_ANSIBLE}; a value tagged \`!unsafe\` is kept as written`;

export interface TemplatedValue {
  readonly source: SourceRef;
  /** Dotted path inside the arguments, e.g. `extra_vars.region` or `survey_spec.spec[0].default`. */
  readonly field: string;
  readonly value: string;
}

/**
 * The first Jinja value of each argument of a `module` task that Ansible would render before AWX
 * sees it. `isSecretConfiguration(key)` tells the secret keys of `notification_configuration`,
 * which become secret references. Values tagged `!unsafe` are Ansible's literals and pass.
 */
export function templatedArguments(
  module: string,
  args: Record<string, unknown>,
  sourceMap: SourceMap,
  isSecretConfiguration: (key: string) => boolean,
): TemplatedValue[] {
  const found: TemplatedValue[] = [];
  for (const [key, value] of Object.entries(args)) {
    if (CONNECTION_ARGUMENTS.has(key) || HANDLED_BY_READER[module]?.has(key)) continue;
    const skip = key === 'notification_configuration' ? isSecretConfiguration : undefined;
    const first = firstJinja(args, key, value, key, sourceMap, skip);
    if (first) found.push(first);
  }
  return found;
}

/** Depth-first, in document order; nesting is bounded by the input limits, so recursion is safe. */
function firstJinja(
  container: object,
  key: string | number,
  value: unknown,
  path: string,
  sourceMap: SourceMap,
  skipChild?: (key: string) => boolean,
): TemplatedValue | undefined {
  if (sourceMap.isLiteral(container, key)) return undefined;
  if (isJinja(value)) return { source: sourceMap.at(container, key), field: path, value };
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = firstJinja(value, index, value[index], `${path}[${index}]`, sourceMap);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [childKey, child] of Object.entries(value)) {
      if (skipChild?.(childKey)) continue;
      const found = firstJinja(value, childKey, child, `${path}.${childKey}`, sourceMap);
      if (found) return found;
    }
  }
  return undefined;
}
