import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { ansiblePlaybookPath } from './ansible-command';

/**
 * Where Ansible would load a collection from: its collections paths, then the Python that runs
 * ansible-playbook (Debian packages collections in its dist-packages); undefined when it has none.
 */
export function installedCollection(namespace: string, name: string): string | undefined {
  const inside = (root: string) => join(root, 'ansible_collections', namespace, name);
  return configuredRoots().map(inside).find(existsSync) ?? pythonRoots().map(inside).find(existsSync);
}

function configuredRoots(): string[] {
  const configured = (process.env.ANSIBLE_COLLECTIONS_PATH ?? process.env.ANSIBLE_COLLECTIONS_PATHS ?? '')
    .split(delimiter)
    .filter(Boolean);
  return [...configured, join(homedir(), '.ansible/collections'), '/usr/share/ansible/collections'];
}

let pythonFolders: string[] | undefined;

/** The folders holding `ansible_collections` on the Python of ansible-playbook: asked once. */
function pythonRoots(): string[] {
  pythonFolders ??= askPython();
  return pythonFolders;
}

function askPython(): string[] {
  try {
    const playbook = ansiblePlaybookPath();
    if (!playbook) return [];
    const python = /^#!\s*(\S+)/.exec(readFileSync(playbook, 'utf8').split('\n')[0])?.[1] ?? 'python3';
    const printed = execFileSync(
      python,
      [
        '-c',
        // A namespace package: every folder of it, or none when no collection is installed there.
        "import importlib.util as u\ntry: s = u.find_spec('ansible_collections')\nexcept ImportError: s = None\nprint('\\n'.join(s.submodule_search_locations) if s else '')",
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    return printed
      .split('\n')
      .filter(Boolean)
      .map((folder) => dirname(folder));
  } catch {
    return [];
  }
}
