import { INVENTORY_PARTS, TOP_LEVEL_MODULES } from './awx-loader';
import { isJinja } from './field-reader';

/**
 * What an Ansible file brings in from other files, and whether it configures AWX, read from its
 * parsed YAML without running anything (the classification of a folder's files, folder-walk.ts).
 * Paths are as written; only literal ones are kept: a path built with Jinja is known to Ansible
 * alone (docs/reading.md "Folders").
 */
export interface FileReferences {
  /** `import_playbook` targets. */
  readonly playbooks: readonly string[];
  /** `include_tasks`, `import_tasks` (and the old `include`) targets. */
  readonly tasks: readonly string[];
  /** `vars_files` and `include_vars` files, each with the keyword that loads it. */
  readonly vars: readonly { readonly file: string; readonly by: 'vars_files' | 'include_vars' }[];
  /** Roles applied: a play's `roles:`, `include_role`, `import_role`, a role's `dependencies`. */
  readonly roles: readonly string[];
  /** Calls an awx.awx module (or sets module_defaults for them): it configures AWX. */
  readonly callsAwx: boolean;
  /** Applies a role of the controller_configuration collections, which read controller_ variables. */
  readonly appliesControllerConfiguration: boolean;
}

/** A list of plays (each names its hosts, or imports another playbook), not of tasks. */
export function isPlaybookDocument(document: unknown): document is Record<string, unknown>[] {
  return (
    Array.isArray(document) &&
    document.length > 0 &&
    document.every((item) => isMapping(item) && ('hosts' in item || importedPlaybook(item) !== undefined))
  );
}

/**
 * The awx.awx modules as the static task reader knows them (awx-loader.ts): a fully qualified name
 * of one of the collections that hold them, a legacy `tower_` name, or the bare name of a module
 * that defines a resource (with the collection in the play's `collections:`).
 */
const AWX_MODULE = /^(?:awx\.awx|ansible\.controller|ansible\.tower)\.|^tower_/;
const AWX_BARE_MODULES = new Set([
  ...Object.keys(TOP_LEVEL_MODULES),
  ...Object.keys(INVENTORY_PARTS),
  'workflow_job_template_node',
]);

/** redhat-cop's controller_configuration collections and their successors (docs/formats.md). */
const CONTROLLER_CONFIGURATION_ROLE =
  /^(?:infra|redhat_cop|ansible)\.(?:controller_configuration|tower_configuration|aap_configuration)\./;

/** Task and play sections that hold tasks. */
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
  };
  const addRole = (name: unknown) => {
    if (typeof name !== 'string') return;
    if (CONTROLLER_CONFIGURATION_ROLE.test(name)) found.appliesControllerConfiguration = true;
    if (!isJinja(name)) found.roles.push(name);
  };
  const visit = (item: unknown): void => {
    if (Array.isArray(item)) return item.forEach(visit);
    if (!isMapping(item)) return;
    const playbook = importedPlaybook(item);
    if (typeof playbook === 'string' && !isJinja(playbook)) found.playbooks.push(playbook);
    for (const file of listOf(item.vars_files)) addLiteral(found.vars, file, 'vars_files');
    for (const role of listOf(item.roles ?? item.dependencies))
      addRole(isMapping(role) ? (role.role ?? role.name) : role);
    if (isMapping(item.module_defaults) && Object.keys(item.module_defaults).some(isAwxDefaults))
      found.callsAwx = true;
    for (const [key, value] of Object.entries(item)) {
      const module = key.replace(/^ansible\.(?:builtin|legacy)\./, '');
      if (AWX_MODULE.test(key) || AWX_BARE_MODULES.has(key)) found.callsAwx = true;
      else if (module === 'include_tasks' || module === 'import_tasks' || module === 'include')
        addLiteral(found.tasks, fileArgument(value));
      else if (module === 'include_role' || module === 'import_role')
        addRole(isMapping(value) ? value.name : undefined);
      else if (module === 'include_vars') addLiteral(found.vars, fileArgument(value), 'include_vars');
    }
    for (const section of TASK_SECTIONS) visit(item[section]);
  };
  visit(document);
  return found;
}

/** module_defaults for the awx.awx modules: `group/awx.awx.controller` or one module's. */
function isAwxDefaults(key: string): boolean {
  return AWX_MODULE.test(key.replace(/^group\//, ''));
}

function importedPlaybook(item: Raw): unknown {
  const value = item.import_playbook ?? item['ansible.builtin.import_playbook'];
  return isMapping(value) ? value.file : value;
}

/** `include_tasks: x.yml`, `include_tasks: {file: x.yml}`, or the free form's `_raw_params`. */
function fileArgument(value: unknown): unknown {
  return isMapping(value) ? (value.file ?? value._raw_params) : value;
}

function addLiteral(list: string[], value: unknown): void;
function addLiteral(
  list: FileReferences['vars'][number][],
  value: unknown,
  by: 'vars_files' | 'include_vars',
): void;
function addLiteral(list: unknown[], value: unknown, by?: string): void {
  if (typeof value !== 'string' || value === '' || isJinja(value)) return;
  list.push(by ? { file: value, by } : value);
}

function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function isMapping(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };
