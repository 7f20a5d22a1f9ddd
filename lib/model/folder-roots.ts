import { posix } from 'node:path';
import type { FileReferences } from './folder-references';
import type { Place } from './folder-place';
import type { Shape } from './folder-shapes';

/**
 * The roots of a folder's Ansible files and what each brings in (docs/reading.md "Folders"):
 * playbooks no other playbook imports and task files nothing includes, each followed through its
 * imports, includes, variables files and roles as Ansible finds them, to tell whether it
 * configures AWX and which files are read through it.
 */
export interface AnsibleFile {
  readonly path: string;
  readonly place: Place;
  readonly shape?: Shape;
  /** For playbooks, task lists and a role's files. */
  readonly references?: FileReferences;
}

export interface Root {
  /** It, or what it brings in, calls awx.awx modules (or the controller_configuration roles). */
  readonly awx: boolean;
  /** The files and roles of the folder it brings in itself (variables files aside). */
  readonly brings: readonly string[];
  /** It only includes task files, each time (folder-references.ts), and all of them are here. */
  readonly onlyIncludes: boolean;
}

/** How a file was brought in by a root: the first root that configures AWX to reach it. */
export interface Reach {
  readonly by: string;
  readonly how: 'imported' | 'included' | 'vars_files' | 'include_vars';
  /** Included by files that only include, from the root on: the static reader reads it alone. */
  readonly alone: boolean;
}

export interface FolderRoots {
  readonly roots: ReadonlyMap<string, Root>;
  /** The files roots that configure AWX bring in, each with the first such root's reach. */
  readonly reached: ReadonlyMap<string, Reach>;
  /** The roles (`roles/x`) roots that configure AWX apply. */
  readonly rolesUsed: ReadonlySet<string>;
  /** The first root that applies the controller_configuration roles, which read controller_ variables. */
  readonly controllerRolesBy?: string;
}

export function findRoots(files: readonly AnsibleFile[]): FolderRoots {
  return new RootFinder(files);
}

class RootFinder implements FolderRoots {
  readonly roots = new Map<string, Root>();
  readonly reached = new Map<string, Reach>();
  readonly rolesUsed = new Set<string>();
  controllerRolesBy?: string;
  private readonly files: ReadonlyMap<string, AnsibleFile>;
  /** Each role's folder (`roles/x`), and the files that hold its tasks and dependencies. */
  private readonly roles = new Map<string, string[]>();

  constructor(files: readonly AnsibleFile[]) {
    this.files = new Map(files.map((file) => [file.path, file]));
    for (const { path, place } of files) {
      if (place.kind !== 'role') continue;
      const roleFiles = this.roles.get(place.root) ?? [];
      this.roles.set(place.root, roleFiles);
      // What a role does is in its tasks, handlers and dependencies.
      if (
        this.files.get(path)!.references &&
        /^(tasks|handlers|meta)\//.test(path.slice(place.root.length + 1))
      )
        roleFiles.push(path);
    }
    this.findRoots();
  }

  /**
   * The roots: playbooks no other playbook imports, then task files nothing includes, in path
   * order; then what is left of cycles. Each root's reach is walked as Ansible would follow it.
   */
  private findRoots(): void {
    const ansibleFiles = [...this.files.values()]
      .filter(({ path, place }) => place.kind !== 'role' && this.isAnsibleFile(path))
      .map(({ path }) => path);
    const brought = new Set(
      ansibleFiles.flatMap((path) => {
        const refs = this.references(path)!;
        const dir = posix.dirname(path);
        return [
          ...refs.playbooks.flatMap((target) => this.resolve([dir], target)),
          ...refs.tasks.flatMap((target) => this.resolve([dir], target, 'tasks')),
        ];
      }),
    );
    const playbooks = ansibleFiles.filter((path) => this.files.get(path)!.shape?.kind === 'playbook');
    const taskFiles = ansibleFiles.filter((path) => this.files.get(path)!.shape?.kind === 'tasks');
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

  private references(path: string): FileReferences | undefined {
    return this.files.get(path)?.references;
  }

  /** A playbook or task list that Ansible may run: not a tool's (folder-walk.ts gives those no references). */
  private isAnsibleFile(path: string): boolean {
    const file = this.files.get(path);
    return (
      file?.references !== undefined && (file.shape?.kind === 'playbook' || file.shape?.kind === 'tasks')
    );
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
        if (this.references(target)) queue.push({ path: target, playbookDir, alone });
      }
    };
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { path, playbookDir, alone } = next;
      const refs = this.references(path)!;
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
    const refs = this.references(path);
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
        if (this.files.has(path)) return [path];
        continue;
      }
      const matching = new RegExp(`^${pattern?.source ?? escaped(path)}${kind === 'folder' ? '/' : '$'}`);
      // What an include's pattern names are task files: not the other files beside them.
      const found = [...this.files.keys()].filter(
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
