import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface BundleFile {
  readonly file: string;
  /** The path as the user sees it (relative to the working folder). */
  readonly display: string;
}

/** Playbooks, roles and inventories of example projects live beside definitions; they are not definitions. */
const NOT_DEFINITIONS = new Set([
  'playbooks',
  'roles',
  'project',
  'projects-src',
  'node_modules',
  'group_vars',
  'host_vars',
]);

/**
 * The YAML files of a bundle path (a file, or a folder walked in name order), with display names.
 * The walk stops once it has found `maxFiles + 1` files: a caller that gets more than `maxFiles`
 * refuses the folder without Towerless having listed all of a huge tree first. Symbolic links to
 * folders are not followed (no loops); a link named `*.yml` is listed, and reading it checks
 * that it leads to a regular file.
 */
export function bundleFiles(path: string, maxFiles: number): BundleFile[] {
  if (!statSync(path).isDirectory()) return [{ file: path, display: path }];
  const files: string[] = [];
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (files.length > maxFiles) return;
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!NOT_DEFINITIONS.has(entry.name)) walk(full);
      } else if (/\.ya?ml$/i.test(entry.name)) files.push(full);
    }
  };
  walk(path);
  return files.map((file) => ({ file, display: relative(process.cwd(), file) || file }));
}
