import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Private files a node run needs for a while (keys, askpass helpers, credential files, plugin
 * configs), in one folder of the scratch folder, removed together at the end. The job supervisor
 * removes the folder too when towerless dies mid-run (see supervisor.ts), and the next start
 * sweeps what is left: the files never sit in a shared temp folder.
 */
export class TempFiles {
  private folder?: string;
  private count = 0;

  constructor(private readonly scratchDir: string) {}

  write(name: string, content: string, mode = 0o600): string {
    this.folder ??= mkdtempSync(join(this.scratchDir, 'files-'));
    // A folder per file keeps the names callers chose (plugins pick config files by name).
    const folder = join(this.folder, String(this.count++));
    mkdirSync(folder, { mode: 0o700 });
    const path = join(folder, name);
    writeFileSync(path, content, { mode });
    return path;
  }

  /** The folders to remove if the process dies before `removeAll` (none until a file is written). */
  get folders(): string[] {
    return this.folder ? [this.folder] : [];
  }

  removeAll(): void {
    if (this.folder) rmSync(this.folder, { recursive: true, force: true });
    this.folder = undefined;
  }
}
