import { posix } from 'node:path';
import { placeOf, type Place } from './folder-place';
import { referencesOf } from './folder-references';
import { findRoots, type AnsibleFile, type FolderRoots } from './folder-roots';
import { projectFolders, shapeOf, type Shape } from './folder-shapes';

/**
 * How each file of a folder is read (docs/reading.md "Folders"): a configuration repository holds
 * playbooks, the task files and roles they bring in, inventories, variables and other tools' YAML
 * beside the definitions. Each file is classified by its place and shape: read by the static
 * readers, applied with the playbook or task file that is its root, read through the file that
 * brings it in, or skipped with one line that says why. Pure: the files come parsed (files.ts).
 */
export interface WalkedFile {
  /** Its path inside the folder, `/`-separated (its name, for a file given alone). */
  readonly path: string;
  readonly content: FileContent;
}

export type FileContent =
  | { readonly kind: 'yaml'; readonly document: unknown }
  | { readonly kind: 'several-documents' }
  | { readonly kind: 'ini-inventory' }
  /** It could not be read or parsed: the reason is the reader's diagnostic. */
  | { readonly kind: 'unreadable' };

export interface WalkOptions {
  /** `-i`, as a path inside the folder: its files and group_vars belong to that inventory. */
  readonly inventory?: string;
}

export type Reading =
  /** Read by the static readers (docs/formats.md). */
  | 'bundle'
  | 'export'
  | 'variables'
  /** awx.awx tasks, a root: applied by Ansible with what it brings in, or read by the static task reader. */
  | 'playbook'
  | 'tasks'
  /** Brought in by a root (imported, included, loaded, a role's): read through it. */
  | 'through'
  | 'skipped'
  | 'empty'
  /** A scalar, or a file that could not be parsed: the readers' errors say so. */
  | 'unknown'
  | 'unreadable';

/** How a file is counted in the summary: singular and plural. */
type Group = readonly [string, string];

export interface FileVerdict {
  readonly path: string;
  readonly reading: Reading;
  /** For `through` and `skipped`: the one line said about the file. */
  readonly why?: string;
  /** What the folder's summary counts it as: singular and plural. */
  readonly group: Group;
  /** For `playbook` and `tasks`: the files and roles of the folder it brings in (none: the static reader reads it alone). */
  readonly brings?: readonly string[];
  /**
   * For `playbook` and `tasks`: it only includes task files, each time (folder-references.ts
   * `onlyIncludes`), so the static reader reads those files instead of it. For `through`: such
   * a file, which the static reader reads on its own.
   */
  readonly alone?: true;
  /**
   * Variables no playbook loads (controller_configuration ones, or others their Jinja may use):
   * what a play rendering controller_configuration variables loads (lib/reader/variables-renderer.ts).
   */
  readonly variables?: true;
}

/**
 * What each file of the folder is taken for, in the order given. The files of a manual project's
 * folder (`local_path`, under the folder as under AWX's PROJECTS_ROOT) are the project's, what its
 * jobs run: left out, as `.git` is (files.ts).
 */
export function classifyFolder(files: readonly WalkedFile[], options: WalkOptions = {}): FileVerdict[] {
  const shapes = new Map(
    files.flatMap(({ path, content }) =>
      content.kind === 'yaml' ? [[path, shapeOf(content.document)]] : [],
    ),
  );
  const projects = files.flatMap(({ path, content }) =>
    content.kind === 'yaml' && definesResources(shapes.get(path)!)
      ? projectFolders(content.document).map((folder) => posix.normalize(folder).replace(/\/+$/, ''))
      : [],
  );
  const configuration = files.filter(({ path }) => !projects.some((folder) => path.startsWith(`${folder}/`)));
  const described = configuration.map(({ path, content }): AnsibleFile => {
    const place = placeOf(path, options.inventory);
    const shape = shapes.get(path);
    if (content.kind !== 'yaml' || !shape) return { path, place };
    // Tools' files are not Ansible's; a role's files all are, whatever their shape.
    const ansible =
      place.kind === 'role' ||
      (place.kind !== 'tool' && (shape.kind === 'playbook' || shape.kind === 'tasks'));
    return { path, place, shape, ...(ansible ? { references: referencesOf(content.document) } : {}) };
  });
  const roots = findRoots(described);
  return configuration.map((file, index) => verdictOf(file, described[index], roots));
}

/** A format that defines resources, and so may define manual projects. */
function definesResources(shape: Shape): boolean {
  return shape.kind === 'bundle' || shape.kind === 'export' || shape.kind === 'controller-variables';
}

/** A root's run by Ansible: a playbook imported as it is, or task files run as tasks of a localhost play. */
export type AnsibleStep = { readonly playbook: string } | { readonly tasks: readonly string[] };

/** The roots Ansible applies, in path order; consecutive task files share one play. */
export function ansibleSteps(verdicts: readonly FileVerdict[]): AnsibleStep[] {
  const steps: AnsibleStep[] = [];
  for (const { path, reading } of verdicts) {
    const last = steps.at(-1);
    if (reading === 'playbook') steps.push({ playbook: path });
    else if (reading !== 'tasks') continue;
    else if (last && 'tasks' in last) steps[steps.length - 1] = { tasks: [...last.tasks, path] };
    else steps.push({ tasks: [path] });
  }
  return steps;
}

/** Read and skipped files, counted by group: `of the 12 files here, 3 were read (...) and 9 skipped (...)`. */
export function folderSummary(verdicts: readonly FileVerdict[]): string {
  const read = verdicts.filter(({ reading }) => reading !== 'skipped' && reading !== 'empty');
  const skipped = verdicts.filter(({ reading }) => reading === 'skipped' || reading === 'empty');
  const counted = (some: readonly FileVerdict[]) => {
    const counts = new Map<string, { group: Group; count: number }>();
    for (const { group } of some) {
      const entry = counts.get(group[1]) ?? { group, count: 0 };
      entry.count++;
      counts.set(group[1], entry);
    }
    const parts = [...counts.values()].map(({ group, count }) => `${count} ${group[count === 1 ? 0 : 1]}`);
    return parts.length > 0 ? ` (${parts.join(', ')})` : '';
  };
  const total = verdicts.length === 1 ? 'the 1 file' : `the ${verdicts.length} files`;
  return `of ${total} here, ${read.length} ${read.length === 1 ? 'was' : 'were'} read${counted(read)} and ${skipped.length} skipped${counted(skipped)}`;
}

/** Why a file is not read on its own: one line each (docs/reading.md "Folders" lists them). */
const WHY = {
  role: (name: string) => `part of role '${name}'; read through the playbooks that use it`,
  unusedRole: (name: string) =>
    `part of role '${name}', which no playbook or task file here that configures AWX applies: not read`,
  imported: (by: string) => `imported by ${by}; read through it`,
  included: (by: string) => `included by ${by}; read through it`,
  loaded: (by: string, keyword: string) => `variables loaded by ${by} (${keyword}); read through it`,
  controllerRoles: (by: string) =>
    `controller_configuration variables for the collection's roles, which ${by} applies; read through it`,
  jobPlaybook:
    'a playbook that calls no awx.awx module, nor do the files it brings in: what a job runs, not AWX configuration',
  tasksWithoutAwx: 'tasks that call no awx.awx module: nothing to define',
  inventory: 'an Ansible inventory: give it with -i',
  givenInventory: 'part of the inventory given with -i, which Ansible reads',
  variables: 'variables with no controller_ variables: nothing to define',
  inventoryVariables:
    'variables of the inventory given with -i, with no controller_ variables: Ansible gives them to its hosts',
  unrelated: (what: string) => `${what}: not Ansible configuration of AWX`,
  vaulted:
    'encrypted whole with ansible-vault: variables Ansible decrypts (given the vault password) when a playbook or the inventory loads them',
};

const GROUPS = {
  bundle: ['native bundle', 'native bundles'],
  export: ['AWX export', 'AWX exports'],
  variables: ['file of controller_configuration variables', 'files of controller_configuration variables'],
  playbook: ['playbook', 'playbooks'],
  tasks: ['task file', 'task files'],
  through: ['file read through them', 'files read through them'],
  jobPlaybook: ['playbook of a job', 'playbooks of jobs'],
  tasksWithoutAwx: ['task file without awx.awx modules', 'task files without awx.awx modules'],
  unusedRole: ['file of an unused role', 'files of unused roles'],
  inventory: ['inventory', 'inventories'],
  plainVariables: ['variables file', 'variables files'],
  unrelated: ['file of another tool', 'files of other tools'],
  vaulted: ['file encrypted with ansible-vault', 'files encrypted with ansible-vault'],
  empty: ['empty file', 'empty files'],
  unknown: ['file of no known format', 'files of no known format'],
  unreadable: ['unreadable file', 'unreadable files'],
} as const satisfies Record<string, Group>;

const skipped = (path: string, why: string, group: Group): FileVerdict => ({
  path,
  reading: 'skipped',
  why,
  group,
});
const through = (path: string, why: string): FileVerdict => ({
  path,
  reading: 'through',
  why,
  group: GROUPS.through,
});

/** What is said of one file, given its place, shape and what the folder's roots bring in. */
function verdictOf(
  { content }: WalkedFile,
  { path, place, shape }: AnsibleFile,
  { roots, reached, rolesUsed, controllerRolesBy }: FolderRoots,
): FileVerdict {
  if (place.kind === 'tool') {
    const what = place.what ?? (shape?.kind === 'unrelated' ? shape.what : 'a file of a tool (hidden)');
    return skipped(path, WHY.unrelated(what), GROUPS.unrelated);
  }
  if (place.kind === 'role')
    return rolesUsed.has(place.root)
      ? through(path, WHY.role(place.name))
      : skipped(path, WHY.unusedRole(place.name), GROUPS.unusedRole);
  const reach = reached.get(path);
  if (reach?.how === 'imported') return through(path, WHY.imported(reach.by));
  if (reach?.how === 'included')
    return { ...through(path, WHY.included(reach.by)), ...(reach.alone ? { alone: true } : {}) };
  if (reach) return through(path, WHY.loaded(reach.by, reach.how));
  const root = roots.get(path);
  // A list with items that are no tasks is close enough to a task file for its errors to help.
  if (root?.awx || (root && shape?.kind === 'tasks' && shape.stray)) {
    const reading = shape?.kind === 'playbook' ? 'playbook' : 'tasks';
    const alone = root.onlyIncludes ? { alone: true as const } : {};
    return { path, reading, group: GROUPS[reading], brings: root.brings, ...alone };
  }
  if (content.kind === 'unreadable') return { path, reading: 'unreadable', group: GROUPS.unreadable };
  if (content.kind === 'several-documents')
    return skipped(
      path,
      WHY.unrelated('several YAML documents, as Kubernetes manifests hold'),
      GROUPS.unrelated,
    );
  if (content.kind === 'ini-inventory' || shape?.kind === 'inventory')
    return skipped(
      path,
      place.kind === 'given-inventory' ? WHY.givenInventory : WHY.inventory,
      GROUPS.inventory,
    );
  return byShape(path, shape!, place, controllerRolesBy);
}

/** A file no root that configures AWX brings in, and no place decides: its shape says. */
function byShape(
  path: string,
  shape: Shape,
  place: Place,
  controllerRolesBy: string | undefined,
): FileVerdict {
  switch (shape.kind) {
    case 'empty':
      return { path, reading: 'empty', group: GROUPS.empty };
    case 'controller-variables':
      // The collection's roles read the variables Ansible gives the host: group_vars and host_vars.
      return controllerRolesBy && place.kind === 'vars-folder'
        ? through(path, WHY.controllerRoles(controllerRolesBy))
        : { path, reading: 'variables', group: GROUPS.variables, variables: true };
    case 'export':
      return { path, reading: 'export', group: GROUPS.export };
    case 'bundle':
      return { path, reading: 'bundle', group: GROUPS.bundle };
    case 'unrelated':
      return skipped(path, WHY.unrelated(shape.what), GROUPS.unrelated);
    case 'vaulted':
      return skipped(path, WHY.vaulted, GROUPS.vaulted);
    case 'variables': {
      const inventory = place.kind === 'vars-folder' && place.inventoryGiven;
      const why = inventory ? WHY.inventoryVariables : WHY.variables;
      return { ...skipped(path, why, GROUPS.plainVariables), variables: true };
    }
    // A root that configures no AWX, or brought in by one only: it calls no awx.awx module.
    case 'playbook':
      return skipped(path, WHY.jobPlaybook, GROUPS.jobPlaybook);
    case 'tasks':
      return skipped(path, WHY.tasksWithoutAwx, GROUPS.tasksWithoutAwx);
    case 'inventory': // told apart before
    case 'unknown':
      return { path, reading: 'unknown', group: GROUPS.unknown };
  }
}
