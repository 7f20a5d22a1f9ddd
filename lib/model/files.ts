import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The YAML files of a bundle path (a file, or a folder walked in name order), with display names. */
export function bundleFiles(path: string): { file: string; display: string }[] {
  const stat = statSync(path);
  if (!stat.isDirectory()) return [{ file: path, display: path }];
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        // Playbooks, roles and inventories of example projects live beside definitions; they are not definitions.
        if (
          ![
            'playbooks',
            'roles',
            'project',
            'projects-src',
            'node_modules',
            'group_vars',
            'host_vars',
          ].includes(entry.name)
        )
          walk(full);
      } else if (/\.ya?ml$/i.test(entry.name)) files.push(full);
    }
  };
  walk(path);
  return files.map((file) => ({ file, display: relative(process.cwd(), file) || file }));
}
