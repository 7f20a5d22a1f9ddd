import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Private files a node run needs for a while (keys, plugin configs), removed together at the end. */
export class TempFiles {
  private readonly folders: string[] = [];

  write(name: string, content: string, mode = 0o600): string {
    const folder = mkdtempSync(join(tmpdir(), 'towerless-'));
    this.folders.push(folder);
    const path = join(folder, name);
    writeFileSync(path, content, { mode });
    return path;
  }

  removeAll(): void {
    for (const folder of this.folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  }
}
