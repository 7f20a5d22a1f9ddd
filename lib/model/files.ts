import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';

export interface BundleFile {
  readonly file: string;
  /** The path as the user sees it (relative to the working folder). */
  readonly display: string;
  /** The path inside the folder given, `/`-separated: what its place is read from (folder-walk.ts). */
  readonly path: string;
  /** YAML, or maybe an INI inventory (a file with no extension or `.ini` where inventories live). */
  readonly format: 'yaml' | 'ini';
}

/**
 * Folders never walked: version control, dependencies and caches (a virtualenv or installed
 * collections hold thousands of YAML files that are not this folder's configuration).
 */
const NEVER_WALKED = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '.venv',
  'venv',
  '.tox',
  '__pycache__',
  'ansible_collections',
]);

/** Tools' YAML configuration files with no extension, listed to be told apart (and skipped, with why). */
const YAML_DOTFILES = new Set(['.ansible-lint', '.yamllint']);

/**
 * The files of a bundle path (a file, or a folder walked in name order), with display names: YAML
 * files, and the files that may be INI inventories (so that each gets its line, folder-walk.ts).
 * The walk stops once it has found `maxFiles + 1` files: a caller that gets more than `maxFiles`
 * refuses the folder without Towerless having listed all of a huge tree first. Symbolic links to
 * folders are not followed (no loops); a link named `*.yml` is listed, and reading it checks
 * that it leads to a regular file.
 */
export function bundleFiles(path: string, maxFiles: number): BundleFile[] {
  if (!statSync(path).isDirectory())
    return [{ file: path, display: path, path: basename(path), format: 'yaml' }];
  const files: { file: string; format: BundleFile['format'] }[] = [];
  const walk = (dir: string, inInventory: boolean): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (files.length > maxFiles) return;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!NEVER_WALKED.has(entry.name)) walk(full, inInventory || /^inventor(y|ies)$/.test(entry.name));
      } else if (/\.ya?ml$/i.test(entry.name) || YAML_DOTFILES.has(entry.name)) {
        files.push({ file: full, format: 'yaml' });
      } else if (mayBeIniInventory(entry.name, inInventory)) files.push({ file: full, format: 'ini' });
    }
  };
  walk(path, false);
  return files.map(({ file, format }) => ({
    file,
    display: relative(process.cwd(), file) || file,
    path: relative(path, file).split(sep).join('/'),
    format,
  }));
}

/** Where Ansible inventories are kept: `hosts`, `*.ini`, or a file with no extension in `inventory/`. */
function mayBeIniInventory(name: string, inInventory: boolean): boolean {
  if (name.startsWith('.')) return false;
  return (
    /^(hosts|inventory)$/.test(name) || extname(name) === '.ini' || (inInventory && extname(name) === '')
  );
}
