import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Private files a node run needs for a while (keys, plugin configs), removed together at the end.
 * They live in the scratch folder (private, swept at the next start when a killed process could
 * not remove them), never in a shared temp folder.
 */
export class TempFiles {
  private readonly folders: string[] = [];

  constructor(private readonly scratchDir: string) {}

  write(name: string, content: string, mode = 0o600): string {
    const folder = mkdtempSync(join(this.scratchDir, 'files-'));
    this.folders.push(folder);
    const path = join(folder, name);
    writeFileSync(path, content, { mode });
    return path;
  }

  removeAll(): void {
    for (const folder of this.folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  }
}
