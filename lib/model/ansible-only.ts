import { isJinja } from './field-reader';
import type { SourceRef } from './types';
import type { SourceMap } from './yaml-source';

/**
 * What only Ansible can evaluate in an awx.awx task file: loops, conditions, arguments given by
 * `args` or `module_defaults`, includes, roles and Jinja in the values the modules would send to AWX. The static reader refuses a task using them
 * rather than apply it with the wrong values (a template named `{{ item }}`, a task under `when:
 * false` applied anyway); the command line then reads the file through Ansible (lib/reader).
 */
export const WITHOUT_ANSIBLE =
  'the command line reads such a file through ansible-playbook (docs/reading.md), which must be installed';

/**
 * The keyword of a task, block or play whose effect only Ansible applies, if any: `loop` and any
 * `with_*` repeat the task, `when` may skip it, `args` gives the module more arguments (merged into
 * its own, and rendered), and `module_defaults` for the awx.awx modules gives them arguments the
 * task does not write.
 */
export function ansibleOnlyKeyword(task: Record<string, unknown>): string | undefined {
  return Object.keys(task).find(
    (key) =>
      key === 'loop' ||
      key === 'when' ||
      key.startsWith('with_') ||
      key === 'args' ||
      (key === 'module_defaults' && defaultsAwxModules(task[key])),
  );
}

/** What Ansible does with each keyword `ansibleOnlyKeyword` finds (`loop` and `with_*` expand). */
const ANSIBLE_DOES: Readonly<Record<string, string>> = {
  when: 'evaluate',
  args: "merge into the module's arguments",
  module_defaults: "apply to the awx.awx modules' arguments",
};

export function ansibleOnlyKeywordMessage(keyword: string): string {
  return `\`${keyword}:\` needs Ansible to ${ANSIBLE_DOES[keyword] ?? 'expand'}; ${WITHOUT_ANSIBLE}`;
}

/**
 * Whether `module_defaults` gives awx.awx modules (by their names or their action group,
 * `group/awx.awx.controller`) more than how to reach AWX, or gives what only Ansible can tell
 * (Jinja). A list of them is read as Ansible merges it.
 */
function defaultsAwxModules(defaults: unknown): boolean {
  if (Array.isArray(defaults)) return defaults.some(defaultsAwxModules);
  if (defaults === null || defaults === undefined) return false;
  if (typeof defaults !== 'object') return true;
  return Object.entries(defaults).some(
    ([name, args]) =>
      /awx|controller|tower/.test(name) &&
      args !== null &&
      (typeof args !== 'object' || Object.keys(args).some((argument) => !CONNECTION_ARGUMENTS.has(argument))),
  );
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
 * Text Ansible templates: a string holding a start string of its Jinja environment (`{{`, `{%`,
 * `{#`). Ansible renders such text, or fails on it (`{{ x`), before a module sees it: ansible-core's
 * `Templar.template` passes on only what `is_possibly_template` finds none in. It templates the
 * values of module arguments and variables at any depth, never the keys of a mapping.
 */
export function isAnsibleTemplate(value: unknown): boolean {
  return typeof value === 'string' && /\{[{%#]/.test(value);
}

/**
 * Arguments AWX renders as its own templates. A task file gives them to Ansible escaped (or
 * `!unsafe`), and their readers undo the escape (resources/credential-type-injectors.ts); the
 * controller_configuration roles escape them as `{  {` instead, and leave any `{{` to Ansible.
 */
const AWX_TEMPLATES: Readonly<Record<string, string>> = {
  notification_template: 'messages',
  credential_type: 'injectors',
};

export const JINJA_NEEDS_ANSIBLE = `is a Jinja expression only Ansible can render; ${WITHOUT_ANSIBLE}; a value tagged \`!unsafe\` is kept as written`;

/**
 * Ansible Vault's ciphertext, as a value tagged `!vault` holds it: Ansible decrypts it (given the
 * vault password) before a module sees it, so its text is never the value.
 */
export function isVaultCiphertext(value: unknown): boolean {
  return typeof value === 'string' && value.trimStart().startsWith('$ANSIBLE_VAULT;');
}

/** Why only Ansible can read `value`: Jinja it renders, or Vault ciphertext it decrypts. */
export function onlyAnsibleReads(value: unknown): string {
  return isVaultCiphertext(value)
    ? 'is encrypted with Ansible Vault, which only Ansible decrypts (given the vault password, e.g. by ANSIBLE_VAULT_PASSWORD_FILE)'
    : 'is a Jinja expression only Ansible can render';
}

/** The refusal of a value found by `templatedArguments`. */
export function needsAnsibleMessage(value: unknown): string {
  return isVaultCiphertext(value) ? `${onlyAnsibleReads(value)}; ${WITHOUT_ANSIBLE}` : JINJA_NEEDS_ANSIBLE;
}

export interface TemplatedValue {
  readonly source: SourceRef;
  /** Dotted path inside the arguments, e.g. `extra_vars.region` or `survey_spec.spec[0].default`. */
  readonly field: string;
  readonly value: string;
}

/**
 * How text AWX renders reaches it (see AWX_TEMPLATES): as written, the escape undone (task files),
 * or as Ansible renders it (controller_configuration variables).
 */
export type AwxTemplates = 'as written' | 'rendered by Ansible';

type Path = readonly (string | number)[];

/**
 * The first value of each argument of a `module` call that Ansible would template before AWX sees
 * it. Values tagged `!unsafe` are Ansible's literals and pass, and so does the Jinja readers take
 * as their own: a credential input or a secret setting (`isSecretConfiguration` tells the secret
 * keys of `notification_configuration`) that is a Jinja expression becomes a secret reference
 * (resources/credential.ts: Towerless keeps no secret, so a vault lookup is a reference to fill),
 * and text AWX renders may be taken as written (`awxTemplates`). Anything else Ansible would
 * template is found: a secret reference's name, an unclosed `{{` in an input.
 */
export function templatedArguments(
  module: string,
  args: Record<string, unknown>,
  sourceMap: SourceMap,
  isSecretConfiguration: (key: string) => boolean,
  awxTemplates: AwxTemplates = 'as written',
): TemplatedValue[] {
  const ownJinja = (path: Path, value: unknown): boolean => {
    const [argument, key] = path;
    // The whole argument, a mapping or its JSON text (whose reader refuses other text).
    if (path.length === 1) return awxTemplates === 'as written' && AWX_TEMPLATES[module] === argument;
    const secret =
      (module === 'credential' && argument === 'inputs') ||
      (module === 'notification_template' &&
        argument === 'notification_configuration' &&
        isSecretConfiguration(String(key)));
    return path.length === 2 && secret && (isJinja(value) || isVaultCiphertext(value));
  };
  const found: TemplatedValue[] = [];
  for (const [key, value] of Object.entries(args)) {
    if (CONNECTION_ARGUMENTS.has(key)) continue;
    const first = firstTemplate(args, [key], value, sourceMap, ownJinja);
    if (first) found.push(first);
  }
  return found;
}

/** Depth-first, in document order; nesting is bounded by the input limits, so recursion is safe. */
function firstTemplate(
  container: object,
  path: Path,
  value: unknown,
  sourceMap: SourceMap,
  ownJinja: (path: Path, value: unknown) => boolean,
): TemplatedValue | undefined {
  if (sourceMap.isLiteral(container, path[path.length - 1]) || ownJinja(path, value)) return undefined;
  if (typeof value === 'string' && (isAnsibleTemplate(value) || isVaultCiphertext(value)))
    return { source: sourceMap.at(container, path[path.length - 1]), field: dotted(path), value };
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = firstTemplate(
      value,
      [...path, Array.isArray(value) ? Number(key) : key],
      child,
      sourceMap,
      ownJinja,
    );
    if (found) return found;
  }
  return undefined;
}

/** `extra_vars.region`, `survey_spec.spec[0].default`: a path as diagnostics name fields. */
function dotted(path: Path): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : index > 0 ? `.${part}` : part))
    .join('');
}
