import { isAwxExportDocument } from './awx-export-loader';
import { isControllerConfigDocument } from './controller-config-loader';
import { closest } from './diagnostics';
import { isJinja } from './field-reader';
import { isPlaybookDocument } from './folder-references';
import { RESOURCE_KINDS } from './types';
import { isVaultCiphertext } from './ansible-only';

/**
 * What one file of a folder holds, told by its parsed content alone (docs/formats.md "Told apart by
 * shape", docs/reading.md "Folders"). Where the file is, and which files bring it in, are
 * folder-walk.ts's to weigh.
 */
export type Shape =
  | { readonly kind: 'empty' }
  /** A list of plays. */
  | { readonly kind: 'playbook' }
  /**
   * Any other list: awx.awx tasks, or tasks of something else (folder-walk.ts tells which).
   * `stray`: some item is no task at all, which the task reader reports.
   */
  | { readonly kind: 'tasks'; readonly stray: boolean }
  | { readonly kind: 'controller-variables' }
  | { readonly kind: 'export' }
  /** A native bundle, or a mapping close enough to one that its errors are worth reading. */
  | { readonly kind: 'bundle' }
  | { readonly kind: 'inventory' }
  /** Variables, of no format Towerless reads. */
  | { readonly kind: 'variables' }
  /** A file encrypted whole with ansible-vault: variables only Ansible decrypts. */
  | { readonly kind: 'vaulted' }
  /** Another tool's file, which `what` names. */
  | { readonly kind: 'unrelated'; readonly what: string }
  /** A scalar: no format at all. */
  | { readonly kind: 'unknown' };

type Raw = Record<string, unknown>;

export function shapeOf(document: unknown): Shape {
  if (document === undefined || document === null) return { kind: 'empty' };
  if (Array.isArray(document)) {
    if (isPlaybookDocument(document)) return { kind: 'playbook' };
    if (isRoleRequirements(document)) return { kind: 'unrelated', what: GALAXY_REQUIREMENTS };
    return { kind: 'tasks', stray: !document.every(isMapping) };
  }
  if (isVaultCiphertext(document)) return { kind: 'vaulted' };
  if (!isMapping(document)) return { kind: 'unknown' };
  if (isControllerConfigDocument(document)) return { kind: 'controller-variables' };
  if (isAwxExportDocument(document)) return { kind: 'export' };
  if (isBundleLike(document)) return { kind: 'bundle' };
  if (isYamlInventory(document)) return { kind: 'inventory' };
  const tool = TOOL_FILES.find(([test]) => test(document));
  return tool ? { kind: 'unrelated', what: tool[1] } : { kind: 'variables' };
}

/**
 * A native bundle: a key that is a resource kind, or a list under a near miss of one
 * (`job_template: [...]`). Its errors name the typo; a variable such as `project: Ops` is not one.
 */
function isBundleLike(document: Raw): boolean {
  return Object.entries(document).some(
    ([key, value]) =>
      (RESOURCE_KINDS as readonly string[]).includes(key) ||
      (Array.isArray(value) && closest(key, RESOURCE_KINDS) !== undefined),
  );
}

/** Ansible's YAML inventory: groups, each of `hosts`, `children` and `vars` (`all: {children: ...}`). */
function isYamlInventory(document: Raw): boolean {
  const groups = Object.values(document);
  return (
    groups.some((group) => isMapping(group) && Object.keys(group).length > 0) &&
    groups.every(
      (group) =>
        group === null ||
        (isMapping(group) && Object.keys(group).every((key) => INVENTORY_GROUP_KEYS.has(key))),
    )
  );
}

const INVENTORY_GROUP_KEYS = new Set(['hosts', 'children', 'vars']);

const GALAXY_REQUIREMENTS = 'Ansible Galaxy requirements (ansible-galaxy installs them)';

/** requirements.yml's old form: a list of roles to install, each with its source. */
function isRoleRequirements(document: unknown[]): boolean {
  const keys = new Set(['src', 'name', 'version', 'scm', 'type', 'source']);
  return document.every(
    (item) =>
      isMapping(item) &&
      Object.keys(item).every((key) => keys.has(key)) &&
      ['src', 'version', 'scm', 'type', 'source'].some((key) => key in item),
  );
}

const has =
  (...keys: string[]) =>
  (document: Raw) =>
    keys.every((key) => key in document);
const hasAny =
  (...keys: string[]) =>
  (document: Raw) =>
    keys.some((key) => key in document);

/** The YAML of other tools a configuration repository holds, by the keys only they use. */
const TOOL_FILES: readonly (readonly [(document: Raw) => boolean, string])[] = [
  [
    (document) =>
      Object.keys(document).every((key) => key === 'collections' || key === 'roles') &&
      Object.values(document).every(Array.isArray),
    GALAXY_REQUIREMENTS,
  ],
  [has('namespace', 'name', 'version'), "a collection's metadata (galaxy.yml)"],
  [has('apiVersion', 'kind'), 'a Kubernetes manifest'],
  [has('on', 'jobs'), 'a GitHub Actions workflow'],
  [(document) => isMapping(document.services), 'a Docker Compose file'],
  [has('site_name'), "MkDocs' configuration"],
  [
    hasAny('skip_list', 'warn_list', 'exclude_paths', 'enable_list', 'mock_modules', 'profile'),
    "ansible-lint's configuration",
  ],
  [(document) => 'rules' in document || document.extends === 'default', "yamllint's configuration"],
  [has('repos'), "pre-commit's configuration"],
  [hasAny('driver', 'platforms', 'provisioner', 'verifier'), "a Molecule scenario's configuration"],
  [has('galaxy_info'), "a role's metadata"],
];

/**
 * The folders the manual projects of a native bundle, an AWX export or controller_configuration
 * variables keep their playbooks in (`local_path`, under the bundle's folder as under AWX's
 * PROJECTS_ROOT): what the projects' jobs run, not configuration.
 */
export function projectFolders(document: unknown): string[] {
  if (!isMapping(document)) return [];
  const projects = [document.projects, document.controller_projects].filter(Array.isArray).flat();
  return projects.flatMap((project) =>
    isMapping(project) && typeof project.local_path === 'string' && !isJinja(project.local_path)
      ? [project.local_path]
      : [],
  );
}

/**
 * An INI inventory (`hosts`, `*.ini`, a file with no extension in `inventory/`): `[group]` headers,
 * host lines (`web1 ansible_host=10.0.0.1`), child groups, and `key = value` variables in
 * `[group:vars]` only (where tox.ini or setup files have them anywhere).
 */
export function looksLikeIniInventory(text: string): boolean {
  const header = /^\[([^\]\s]+)\]$/;
  const host = /^[^\s=[\]][^\s=]*(?:\s+[^\s=]+=\S*)*$/;
  const variable = /^[\w.]+\s*=/;
  let section: string | undefined;
  for (const line of text.split('\n').map((each) => each.trim())) {
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const group = header.exec(line);
    if (group) section = group[1];
    // Ungrouped hosts may come before the first header.
    else if (!(section?.endsWith(':vars') ? variable : host).test(line)) return false;
  }
  return section !== undefined;
}

/**
 * A YAML stream of several documents (`---` after content): Kubernetes manifests and the like.
 * Ansible and Towerless read one document per file.
 */
export function holdsSeveralDocuments(text: string): boolean {
  let content = false;
  for (const line of text.split('\n')) {
    const start = /^---(?:\s|$)/.test(line);
    if (start && content) return true;
    const rest = start ? line.slice(3) : line;
    if (!/^(?:\s*(?:#.*)?|%.*|\.\.\.\s*)$/.test(rest)) content = true;
  }
  return false;
}

function isMapping(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
