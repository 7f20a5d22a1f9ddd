import { posix } from 'node:path';
import { referencesOf, type FileReferences } from './folder-references';
import { shapeOf, type Shape } from './folder-shapes';

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

export interface FileVerdict {
  readonly path: string;
  readonly reading: Reading;
  /** For `through` and `skipped`: the one line said about the file. */
  readonly why?: string;
  /** What the folder's summary counts it as: singular and plural. */
  readonly group: readonly [string, string];
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

export function classifyFolder(files: readonly WalkedFile[], options: WalkOptions = {}): FileVerdict[] {
  const folder = new Folder(files, options);
  return files.map((file) => folder.verdict(file));
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
    const counts = new Map<string, { group: readonly [string, string]; count: number }>();
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
  empty: ['empty file', 'empty files'],
  unknown: ['file of no known format', 'files of no known format'],
  unreadable: ['unreadable file', 'unreadable files'],
} as const satisfies Record<string, readonly [string, string]>;

/**
 * The files a path with Jinja may name: each `{{ ... }}` any name within a folder. Undefined for a
 * path with no Jinja, or with nothing but Jinja (it may name any file).
 */
function jinjaPattern(path: string): RegExp | undefined {
  const parts = path.split(/\{\{.*?\}\}/);
  if (parts.length === 1 || parts.join('') === '' || /\{%|\{#/.test(path)) return undefined;
  return new RegExp(parts.map(escaped).join('[^/]*'));
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Where a file is, as far as its place alone tells what it is. */
type Place =
  | { readonly kind: 'tool'; readonly what?: string }
  | { readonly kind: 'role'; readonly name: string; readonly root: string }
  | { readonly kind: 'vars-folder'; readonly inventoryGiven: boolean }
  | { readonly kind: 'given-inventory' }
  | { readonly kind: 'free' };

function placeOf(path: string, inventory: string | undefined): Place {
  const folders = path.split('/').slice(0, -1);
  const name = posix.basename(path);
  // Hidden files and folders belong to tools (.github, .ansible-lint); Molecule's scenarios test roles.
  if (name.startsWith('.') || folders.some((folder) => folder.startsWith('.'))) return { kind: 'tool' };
  if (folders.includes('molecule')) return { kind: 'tool', what: 'part of a Molecule test scenario' };
  const role = folders.indexOf('roles');
  if (role !== -1 && role + 1 < folders.length)
    return { kind: 'role', name: folders[role + 1], root: folders.slice(0, role + 2).join('/') };
  const inGivenInventory =
    inventory !== undefined && (path === inventory || path.startsWith(`${inventory.replace(/\/$/, '')}/`));
  if (folders.some((folder) => folder === 'group_vars' || folder === 'host_vars'))
    return { kind: 'vars-folder', inventoryGiven: inGivenInventory };
  return inGivenInventory ? { kind: 'given-inventory' } : { kind: 'free' };
}

/** How a file was brought in by a root: the first root that configures AWX to reach it. */
interface Reach {
  readonly by: string;
  readonly how: 'imported' | 'included' | 'vars_files' | 'include_vars';
  /** Included by files that only include, from the root on: the static reader reads it alone. */
  readonly alone: boolean;
}

/** The files of one folder, their places, shapes and references, and what each root reaches. */
class Folder {
  private readonly places = new Map<string, Place>();
  private readonly shapes = new Map<string, Shape>();
  private readonly references = new Map<string, FileReferences>();
  private readonly paths: ReadonlySet<string>;
  /** Each role's root folder (`roles/x`), and the files that hold its tasks and dependencies. */
  private readonly roles = new Map<string, string[]>();
  /** Roots, in the order they were found, with whether they configure AWX. */
  private readonly roots = new Map<string, { awx: boolean; brings: string[]; onlyIncludes: boolean }>();
  private readonly reached = new Map<string, Reach>();
  private readonly rolesUsed = new Set<string>();
  /** The first root that applies the controller_configuration roles, which read controller_ variables. */
  private controllerRolesBy?: string;

  constructor(files: readonly WalkedFile[], options: WalkOptions) {
    this.paths = new Set(files.map(({ path }) => path));
    for (const { path, content } of files) {
      const place = placeOf(path, options.inventory);
      this.places.set(path, place);
      if (content.kind !== 'yaml') continue;
      const shape = shapeOf(content.document);
      this.shapes.set(path, shape);
      if (place.kind === 'tool') continue;
      if (place.kind === 'role') {
        const roleFiles = this.roles.get(place.root) ?? [];
        this.roles.set(place.root, roleFiles);
        // What a role does is in its tasks, handlers and dependencies.
        if (/^(tasks|handlers|meta)\//.test(path.slice(place.root.length + 1))) roleFiles.push(path);
      }
      if (shape.kind === 'playbook' || shape.kind === 'tasks' || place.kind === 'role')
        this.references.set(path, referencesOf(content.document));
    }
    this.findRoots();
  }

  verdict({ path, content }: WalkedFile): FileVerdict {
    const place = this.places.get(path)!;
    const shape = this.shapes.get(path);
    const skipped = (why: string, group: readonly [string, string]): FileVerdict => ({
      path,
      reading: 'skipped',
      why,
      group,
    });
    const through = (why: string): FileVerdict => ({ path, reading: 'through', why, group: GROUPS.through });
    if (place.kind === 'tool')
      return skipped(
        WHY.unrelated(place.what ?? (shape?.kind === 'unrelated' ? shape.what : 'a file of a tool (hidden)')),
        GROUPS.unrelated,
      );
    if (place.kind === 'role')
      return this.rolesUsed.has(place.root)
        ? through(WHY.role(place.name))
        : skipped(WHY.unusedRole(place.name), GROUPS.unusedRole);
    const reach = this.reached.get(path);
    if (reach) {
      if (reach.how === 'imported') return through(WHY.imported(reach.by));
      if (reach.how === 'included')
        return { ...through(WHY.included(reach.by)), ...(reach.alone ? { alone: true } : {}) };
      return through(WHY.loaded(reach.by, reach.how));
    }
    const root = this.roots.get(path);
    // A list with items that are no tasks is close enough to a task file for its errors to help.
    if (root?.awx || (root && shape?.kind === 'tasks' && shape.stray)) {
      const reading = shape?.kind === 'playbook' ? 'playbook' : 'tasks';
      const alone = root.onlyIncludes ? { alone: true as const } : {};
      return { path, reading, group: GROUPS[reading], brings: root.brings, ...alone };
    }
    if (root) {
      return shape?.kind === 'playbook'
        ? skipped(WHY.jobPlaybook, GROUPS.jobPlaybook)
        : skipped(WHY.tasksWithoutAwx, GROUPS.tasksWithoutAwx);
    }
    if (content.kind === 'unreadable') return { path, reading: 'unreadable', group: GROUPS.unreadable };
    if (content.kind === 'several-documents')
      return skipped(WHY.unrelated('several YAML documents, as Kubernetes manifests hold'), GROUPS.unrelated);
    if (content.kind === 'ini-inventory' || shape?.kind === 'inventory')
      return place.kind === 'given-inventory'
        ? skipped(WHY.givenInventory, GROUPS.inventory)
        : skipped(WHY.inventory, GROUPS.inventory);
    return this.byShape(path, shape!, place, skipped);
  }

  private byShape(
    path: string,
    shape: Shape,
    place: Place,
    skipped: (why: string, group: readonly [string, string]) => FileVerdict,
  ): FileVerdict {
    switch (shape.kind) {
      case 'empty':
        return { path, reading: 'empty', group: GROUPS.empty };
      case 'controller-variables':
        // The collection's roles read the variables Ansible gives the host: group_vars and host_vars.
        return this.controllerRolesBy && place.kind === 'vars-folder'
          ? {
              path,
              reading: 'through',
              why: WHY.controllerRoles(this.controllerRolesBy),
              group: GROUPS.through,
            }
          : { path, reading: 'variables', group: GROUPS.variables, variables: true };
      case 'export':
        return { path, reading: 'export', group: GROUPS.export };
      case 'bundle':
        return { path, reading: 'bundle', group: GROUPS.bundle };
      case 'unrelated':
        return skipped(WHY.unrelated(shape.what), GROUPS.unrelated);
      case 'variables': {
        const inventory = place.kind === 'vars-folder' && place.inventoryGiven;
        const why = inventory ? WHY.inventoryVariables : WHY.variables;
        return { ...skipped(why, GROUPS.plainVariables), variables: true };
      }
      // Brought in by a root that configures no AWX: it calls no awx.awx module either.
      case 'playbook':
        return skipped(WHY.jobPlaybook, GROUPS.jobPlaybook);
      case 'tasks':
        return skipped(WHY.tasksWithoutAwx, GROUPS.tasksWithoutAwx);
      case 'inventory': // told apart before
      case 'unknown':
        return { path, reading: 'unknown', group: GROUPS.unknown };
    }
  }

  /**
   * The roots: playbooks no other playbook imports, then task files nothing includes, in path
   * order; then what is left of cycles. Each root's reach is walked as Ansible would follow it.
   */
  private findRoots(): void {
    const ansibleFiles = [...this.references.keys()].filter(
      (path) => this.places.get(path)!.kind !== 'role' && this.isAnsibleFile(path),
    );
    const brought = new Set(
      ansibleFiles.flatMap((path) => {
        const refs = this.references.get(path)!;
        const dir = posix.dirname(path);
        return [
          ...refs.playbooks.flatMap((target) => this.resolve([dir], target)),
          ...refs.tasks.flatMap((target) => this.resolve([dir], target, 'tasks')),
        ];
      }),
    );
    const playbooks = ansibleFiles.filter((path) => this.shapes.get(path)!.kind === 'playbook');
    const taskFiles = ansibleFiles.filter((path) => this.shapes.get(path)!.kind === 'tasks');
    const candidates = [
      ...playbooks.filter((path) => !brought.has(path)),
      ...taskFiles.filter((path) => !brought.has(path)),
      ...ansibleFiles,
    ];
    const visited = new Set<string>();
    for (const root of candidates) {
      if (visited.has(root) || this.roots.has(root)) continue;
      this.walkRoot(root, visited);
    }
  }

  private isAnsibleFile(path: string): boolean {
    const kind = this.shapes.get(path)?.kind;
    return kind === 'playbook' || kind === 'tasks';
  }

  /** Follows a root's imports, includes, variables files and roles; records what it reaches. */
  private walkRoot(root: string, visited: Set<string>): void {
    const reaches: [string, Reach][] = [];
    const roles: string[] = [];
    let awx = false;
    let controllerRoles = false;
    const brings: string[] = [];
    /** `alone`: reached through files that only include, from the root on (the root: whether it only includes). */
    const queue = [{ path: root, playbookDir: posix.dirname(root), alone: this.onlyIncludes(root) }];
    const seen = new Set([root]);
    const reach = (
      targets: readonly string[],
      by: string,
      how: Reach['how'],
      playbookDir: string,
      alone = false,
    ) => {
      for (const target of targets) {
        if (by === root && how !== 'vars_files' && how !== 'include_vars') brings.push(target);
        if (seen.has(target)) continue;
        seen.add(target);
        reaches.push([target, { by, how, alone: alone && !this.onlyIncludes(target) }]);
        if (this.references.has(target)) queue.push({ path: target, playbookDir, alone });
      }
    };
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { path, playbookDir, alone } = next;
      const refs = this.references.get(path)!;
      awx ||= refs.callsAwx || refs.appliesControllerConfiguration;
      controllerRoles ||= refs.appliesControllerConfiguration;
      const dir = posix.dirname(path);
      for (const target of refs.playbooks)
        for (const found of this.resolve([dir], target))
          reach([found], path, 'imported', posix.dirname(found));
      const onlyIncludes = alone && this.onlyIncludes(path);
      for (const target of refs.tasks)
        reach(this.resolve([dir, playbookDir], target, 'tasks'), path, 'included', playbookDir, onlyIncludes);
      for (const { file, by, folder } of refs.vars) {
        const folders = [dir, `${dir}/vars`, playbookDir, `${playbookDir}/vars`];
        reach(this.resolve(folders, file, folder ? 'folder' : 'file'), path, by, playbookDir);
      }
      for (const name of refs.roles) {
        const role = this.findRole(name, dir, playbookDir);
        if (!role || roles.includes(role)) continue;
        roles.push(role);
        if (path === root) brings.push(`role '${posix.basename(role)}'`);
        for (const file of this.roles.get(role) ?? [])
          if (!seen.has(file)) {
            seen.add(file);
            queue.push({ path: file, playbookDir, alone: false });
          }
      }
    }
    for (const path of seen) visited.add(path);
    this.roots.set(root, { awx, brings: [...new Set(brings)], onlyIncludes: this.onlyIncludes(root) });
    if (!awx) return;
    for (const role of roles) this.rolesUsed.add(role);
    for (const [path, how] of reaches)
      if (!this.reached.has(path) && path !== root) this.reached.set(path, how);
    if (controllerRoles) this.controllerRolesBy ??= root;
  }

  /** It only includes task files, each time, and each include names files of the folder. */
  private onlyIncludes(path: string): boolean {
    const refs = this.references.get(path);
    if (!refs?.onlyIncludes) return false;
    const dir = posix.dirname(path);
    return refs.tasks.every((target) => this.resolve([dir], target, 'tasks').length > 0);
  }

  /**
   * The files a relative path names (as a `folder`: the files under it), looked for in each folder
   * in turn, as Ansible looks. A path built with Jinja (`jobs/{{ item }}`) names what it matches
   * there, each Jinja part standing for a name; one that is Jinja alone may name anything, and is
   * left to Ansible.
   */
  private resolve(
    folders: readonly string[],
    target: string,
    kind: 'file' | 'tasks' | 'folder' = 'file',
  ): string[] {
    if (posix.isAbsolute(target)) return [];
    for (const folder of folders) {
      const path = posix.normalize(posix.join(folder, target));
      if (path.startsWith('../')) continue;
      const pattern = jinjaPattern(path);
      if (!pattern && kind !== 'folder') {
        if (this.paths.has(path)) return [path];
        continue;
      }
      const matching = new RegExp(`^${pattern?.source ?? escaped(path)}${kind === 'folder' ? '/' : '$'}`);
      // What an include's pattern names are task files: not the other files beside them.
      const found = [...this.paths].filter(
        (each) => matching.test(each) && (kind !== 'tasks' || this.isAnsibleFile(each)),
      );
      if (found.length > 0) return found;
    }
    return [];
  }

  /**
   * A role's folder: a path relative to the playbook, or `roles/<name>` beside the playbook or the
   * file, or any `roles/<name>` of the folder (where an ansible.cfg's roles_path points).
   * Collections' roles (`namespace.collection.role`) are not the folder's.
   */
  private findRole(name: string, dir: string, playbookDir: string): string | undefined {
    const candidates = name.includes('/')
      ? [posix.join(playbookDir, name), posix.join(dir, name)]
      : [
          posix.join(playbookDir, 'roles', name),
          posix.join(dir, 'roles', name),
          posix.join(dir, '..', '..', name),
        ];
    const found = candidates.map((path) => posix.normalize(path)).find((path) => this.roles.has(path));
    if (found || name.includes('/')) return found;
    return [...this.roles.keys()].find((root) => posix.basename(root) === name);
  }
}
