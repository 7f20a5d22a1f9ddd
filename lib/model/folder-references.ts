import { AWX_QUALIFIED, awxModuleOf } from './awx-loader';
import { isJinja } from './field-reader';

/**
 * What an Ansible file brings in from other files, and whether it configures AWX, read from its
 * parsed YAML without running anything (the classification of a folder's files, folder-walk.ts).
 * Paths are as written: an include's path built with Jinja is kept as a pattern of the files it
 * may name; other Jinja names are known to Ansible alone (docs/reading.md "Folders").
 */
export interface FileReferences {
  /** `import_playbook` targets. */
  readonly playbooks: readonly string[];
  /** `include_tasks`, `import_tasks` (and the old `include`) targets. */
  readonly tasks: readonly string[];
  /** `vars_files` and `include_vars` files (or `include_vars: {dir: ...}` folders), with the keyword that loads them. */
  readonly vars: readonly VariablesReference[];
  /** Roles applied: a play's `roles:`, `include_role`, `import_role`, a role's `dependencies`. */
  readonly roles: readonly string[];
  /** Calls an awx.awx module (or sets module_defaults for them): it configures AWX. */
  readonly callsAwx: boolean;
  /** Applies a role of the controller_configuration collections, which read controller_ variables. */
  readonly appliesControllerConfiguration: boolean;
  /**
   * Its tasks only include task files, each time (no `when:` on the include or its block), and
   * it imports no playbook and applies no role: what it defines is what those files define.
   */
  readonly onlyIncludes: boolean;
}

export interface VariablesReference {
  /** A file, or with `folder` every file under a folder (`include_vars: {dir: ...}`). */
  readonly file: string;
  readonly folder?: true;
  readonly by: 'vars_files' | 'include_vars';
}

/** A list of plays (each names its hosts, or imports another playbook), not of tasks. */
export function isPlaybookDocument(document: unknown): document is Record<string, unknown>[] {
  return (
    Array.isArray(document) &&
    document.length > 0 &&
    document.every((item) => isMapping(item) && ('hosts' in item || importedPlaybook(item) !== undefined))
  );
}

/** redhat-cop's controller_configuration collections and their successors (docs/formats.md). */
const CONTROLLER_CONFIGURATION_ROLE =
  /^(?:infra|redhat_cop|ansible)\.(?:controller_configuration|tower_configuration|aap_configuration)\./;

/** The sections of plays and blocks that hold tasks. */
const TASK_SECTIONS = ['pre_tasks', 'tasks', 'post_tasks', 'handlers', 'block', 'rescue', 'always'];

type Raw = Record<string, unknown>;

/** The references of a playbook, a task file, or a role's `meta/main.yml`. */
export function referencesOf(document: unknown): FileReferences {
  const found: Mutable<FileReferences> = {
    playbooks: [],
    tasks: [],
    vars: [],
    roles: [],
    callsAwx: false,
    appliesControllerConfiguration: false,
    onlyIncludes: true,
  };
  const addRole = (name: unknown) => {
    found.onlyIncludes = false;
    if (typeof name !== 'string') return;
    if (CONTROLLER_CONFIGURATION_ROLE.test(name)) found.appliesControllerConfiguration = true;
    if (!isJinja(name)) found.roles.push(name);
  };
  const addFile = (list: string[], value: unknown) => {
    if (typeof value === 'string' && value !== '') list.push(value);
  };
  const addVars = (file: unknown, by: VariablesReference['by'], folder = false) => {
    if (typeof file === 'string' && file !== '') found.vars.push({ file, by, ...(folder ? { folder } : {}) });
  };
  /** A play, a task or a block; `conditional`: under a block's `when:`. */
  const visit = (item: unknown, conditional: boolean): void => {
    if (!isMapping(item)) {
      found.onlyIncludes = false;
      return;
    }
    const playbook = importedPlaybook(item);
    if (playbook !== undefined) {
      found.onlyIncludes = false;
      if (typeof playbook === 'string' && !isJinja(playbook)) found.playbooks.push(playbook);
      return;
    }
    for (const file of listOf(item.vars_files)) addVars(file, 'vars_files');
    for (const role of listOf(item.roles ?? item.dependencies))
      addRole(isMapping(role) ? (role.role ?? role.name) : role);
    if (isMapping(item.module_defaults) && Object.keys(item.module_defaults).some(isAwxDefaults))
      found.callsAwx = true;
    const sections = TASK_SECTIONS.filter((section) => Array.isArray(item[section]));
    const when = conditional || 'when' in item;
    if (sections.length > 0) {
      for (const section of sections) for (const task of item[section] as unknown[]) visit(task, when);
      return;
    }
    if ('hosts' in item || 'dependencies' in item) return; // a play without tasks, a role's meta
    const include = Object.keys(item).find((key) => INCLUDE_TASKS.has(builtin(key)));
    if (include === undefined || when) found.onlyIncludes = false;
    if (include !== undefined) addFile(found.tasks, fileArgument(item[include]));
    for (const [key, value] of Object.entries(item)) {
      const module = builtin(key);
      if (awxModuleOf(key)) found.callsAwx = true;
      else if (module === 'include_role' || module === 'import_role')
        addRole(isMapping(value) ? value.name : undefined);
      else if (module === 'include_vars')
        if (isMapping(value) && value.dir !== undefined) addVars(value.dir, 'include_vars', true);
        else addVars(fileArgument(value), 'include_vars');
    }
  };
  if (Array.isArray(document)) for (const item of document) visit(item, false);
  else visit(document, false);
  found.onlyIncludes &&= found.tasks.length > 0;
  return found;
}

const INCLUDE_TASKS = new Set(['include_tasks', 'import_tasks', 'include']);

/** `ansible.builtin.include_tasks` is `include_tasks`. */
function builtin(key: string): string {
  return key.replace(/^ansible\.(?:builtin|legacy)\./, '');
}

/** module_defaults for the awx.awx modules: `group/awx.awx.controller` or one module's. */
function isAwxDefaults(key: string): boolean {
  return AWX_QUALIFIED.test(key.replace(/^group\//, ''));
}

function importedPlaybook(item: Raw): unknown {
  const value = item.import_playbook ?? item['ansible.builtin.import_playbook'];
  return isMapping(value) ? value.file : value;
}

/** `include_tasks: x.yml`, `include_tasks: {file: x.yml}`, or the free form's `_raw_params`. */
function fileArgument(value: unknown): unknown {
  return isMapping(value) ? (value.file ?? value._raw_params) : value;
}

function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function isMapping(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };
