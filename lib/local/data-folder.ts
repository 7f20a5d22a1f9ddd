import {
  accessSync,
  chmodSync,
  constants,
  lstatSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  type Stats,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { systemErrorReason, UserError } from '../errors';

/**
 * The local data folder (`--data DIR`, default `.towerless`): the store, git checkouts, event logs,
 * the private data dirs of running jobs and the sealing key. It holds secrets in passing (ssh keys
 * and answered prompts of running jobs), so it is private to its owner: the folder and every
 * folder in it are mode 700, every file 600 (see docs/local-data.md).
 */
export interface DataFolder {
  readonly root: string;
  /** dynalite's LevelDB files. */
  readonly db: string;
  /** The lock held while a towerless process uses the folder. */
  readonly lock: string;
  /** ansible-runner private data dirs and other per-job scratch files; emptied at every start. */
  readonly scratch: string;
  /** Git checkouts, one per repository and commit, reused across runs. */
  readonly projects: string;
  /** Each job's events: `logs/<workflow job>/<node>.jsonl`. */
  readonly logs: string;
  /** The key that seals secrets in stored records (generated on first use). */
  readonly sealingKey: string;
  /** The default secrets file. */
  readonly secrets: string;
  /** The Secrets Manager twin's secrets, one sealed file each (the secrets the API keeps). */
  readonly secretsManager: string;
}

/** Folders no data folder may be placed in: kernel file systems never hold a store. */
const SYSTEM_FOLDERS = ['/proc', '/sys', '/dev'];

/**
 * Checks and creates the data folder (mode 700), or explains why it cannot be used. Nothing is
 * written when the folder is refused.
 */
export function prepareDataFolder(path: string): DataFolder {
  const root = resolve(path);
  if (SYSTEM_FOLDERS.some((system) => root === system || root.startsWith(`${system}/`)))
    throw new DataFolderError(root, 'is in a system folder; give a folder of your own');
  const existing = statSync(root, { throwIfNoEntry: false });
  if (existing && !existing.isDirectory()) throw new DataFolderError(root, 'is a file, not a folder');
  try {
    mkdirSync(root, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new DataFolderError(root, `cannot be created (${systemErrorReason(error)})`);
  }
  try {
    accessSync(root, constants.W_OK | constants.X_OK);
  } catch {
    throw new DataFolderError(root, 'is not writable');
  }
  const folder = dataFolderLayout(root);
  // Another user's folder (or a link planted in it) would let them feed this process playbooks,
  // keys and records: everything must be ours, and the folders in it real folders.
  checkOwned(root, statSync(root), root);
  // The lock folder is LevelDB's to make; the others are made (and closed) here.
  const folders = [folder.db, folder.scratch, folder.projects, folder.logs, folder.secretsManager];
  for (const dir of [...folders, folder.lock]) {
    const entry = lstatSync(dir, { throwIfNoEntry: false });
    if (entry) checkOwned(root, entry, dir);
  }
  try {
    // Folders made by earlier versions were 755: close them (their contents go with them).
    chmodSync(root, 0o700);
    for (const dir of folders) privateFolder(dir);
  } catch (error) {
    throw new DataFolderError(root, `cannot be made private to you (${systemErrorReason(error)})`);
  }
  return folder;
}

export function dataFolderLayout(root: string): DataFolder {
  return {
    root,
    db: join(root, 'db'),
    lock: join(root, 'lock'),
    scratch: join(root, 'scratch'),
    projects: join(root, 'projects'),
    logs: join(root, 'logs'),
    sealingKey: join(root, 'sealing.key'),
    secrets: join(root, 'secrets.yml'),
    secretsManager: join(root, 'secrets-manager'),
  };
}

function checkOwned(root: string, entry: Stats, path: string): void {
  const what = path === root ? '' : ` (${path})`;
  if (entry.isSymbolicLink())
    throw new DataFolderError(root, `holds a symbolic link where a folder belongs${what}`);
  if (!entry.isDirectory()) throw new DataFolderError(root, `holds a file where a folder belongs${what}`);
  const uid = process.getuid?.();
  if (uid !== undefined && entry.uid !== uid)
    throw new DataFolderError(
      root,
      `belongs to another user (uid ${entry.uid})${what}: use a folder of your own`,
    );
}

/** A folder only its owner can enter (created if missing, closed if it exists). */
export function privateFolder(path: string): string {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chmodSync(path, 0o700);
  return path;
}

/**
 * Removes what jobs of an earlier process left in the scratch folder (a process killed with
 * SIGKILL cannot clean up: its private data dirs hold answered passwords and keys). Call only
 * while holding the folder's lock, so no living job's files are touched.
 */
export function sweepScratch(folder: DataFolder): number {
  const leftovers = readdirSync(folder.scratch);
  for (const entry of leftovers) rmSync(join(folder.scratch, entry), { recursive: true, force: true });
  return leftovers.length;
}

/** The data folder cannot be used as given. */
export class DataFolderError extends UserError {
  constructor(
    readonly folder: string,
    problem: string,
  ) {
    super(`the data folder ${folder} ${problem}`);
  }
}
