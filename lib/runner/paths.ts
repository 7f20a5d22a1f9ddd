import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Resolves `path` (relative to `root`) with every symlink followed, and says whether it stays
 * inside `root`. The one rule for every path a definition names on the machine (playbooks, local
 * projects, inventory source files): a definition may not reach outside the folder it belongs to.
 */
export function resolveInside(
  root: string,
  path: string,
): { readonly path: string; readonly inside: boolean; readonly exists: boolean } {
  const realRoot = realpathSync(root);
  const candidate = resolve(realRoot, path);
  const exists = existsSync(candidate);
  const real = exists ? realpathSync(candidate) : candidate;
  const rest = relative(realRoot, real);
  // `..ok.yml` is a name inside; only a `..` segment leaves.
  const leaves = rest === '..' || rest.startsWith(`..${sep}`) || isAbsolute(rest);
  return { path: real, inside: !isAbsolute(path) && !leaves, exists };
}
