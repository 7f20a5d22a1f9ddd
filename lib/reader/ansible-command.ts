import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where `ansible-playbook` is on PATH (the one a run would start); undefined when not installed. */
export function ansiblePlaybookPath(): string | undefined {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((folder) => folder !== '')
    .map((folder) => join(folder, 'ansible-playbook'))
    .find((path) => existsSync(path));
}
