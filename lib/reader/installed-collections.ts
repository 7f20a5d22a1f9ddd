import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ansiblePlaybookPath } from './ansible-command';

const found = new Map<string, string | null>();

/**
 * Where Ansible would load a collection from: its collections paths, then the Python that runs
 * ansible-playbook (Debian packages collections in its dist-packages); undefined when it has none.
 */
export function installedCollection(namespace: string, name: string): string | undefined {
  const key = `${namespace}.${name}`;
  if (!found.has(key)) found.set(key, search(namespace, name) ?? null);
  return found.get(key) ?? undefined;
}

function search(namespace: string, name: string): string | undefined {
  const configured = (process.env.ANSIBLE_COLLECTIONS_PATH ?? process.env.ANSIBLE_COLLECTIONS_PATHS ?? '')
    .split(delimiter)
    .filter(Boolean);
  const paths = [...configured, join(homedir(), '.ansible/collections'), '/usr/share/ansible/collections'];
  return (
    paths
      .map((path) => join(path, 'ansible_collections', namespace, name))
      .find((path) => existsSync(path)) ?? pythonCollection(`ansible_collections.${namespace}.${name}`)
  );
}

function pythonCollection(module: string): string | undefined {
  try {
    const playbook = ansiblePlaybookPath();
    if (!playbook) return undefined;
    const python = /^#!\s*(\S+)/.exec(readFileSync(playbook, 'utf8').split('\n')[0])?.[1] ?? 'python3';
    const where = execFileSync(
      python,
      [
        '-c',
        // find_spec raises when the namespace itself is missing.
        `import importlib.util as u\ntry: s = u.find_spec('${module}')\nexcept ImportError: s = None\nprint(list(s.submodule_search_locations)[0] if s else '')`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    ).trim();
    return where || undefined;
  } catch {
    return undefined;
  }
}
