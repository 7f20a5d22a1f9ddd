import { posix } from 'node:path';

/**
 * What a file of a folder is by its place alone (docs/reading.md "Folders"): tools' hidden files
 * and Molecule's scenarios, a role's files, group_vars and host_vars, the inventory given with -i.
 */
export type Place =
  | { readonly kind: 'tool'; readonly what?: string }
  | { readonly kind: 'role'; readonly name: string; readonly root: string }
  | { readonly kind: 'vars-folder'; readonly inventoryGiven: boolean }
  | { readonly kind: 'given-inventory' }
  | { readonly kind: 'free' };

export function placeOf(path: string, inventory: string | undefined): Place {
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
