import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ClassicLevel } from 'classic-level';
import { Agent } from 'node:http';
import { createConnection } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DynamoJobStore } from '../store/dynamo-job-store';
import { RecordTable } from '../store/record-table';
import { fileSealingKey, KeySealer } from '../store/sealer';
import { ensureTable } from '../store/table';
import { DataFolderError, type DataFolder } from './data-folder';

/**
 * The local twin of the DynamoDB table: dynalite, persisted in the data folder (or in memory),
 * reached through the same DynamoDB client and store code as in AWS. It listens on a Unix socket
 * in a folder only its owner can enter, never on a TCP port: any local user could otherwise read
 * and rewrite the records a run depends on.
 */
export interface LocalStore {
  readonly store: DynamoJobStore;
  /** The same table, for the catalog and accounts. */
  readonly table: RecordTable;
  close(): Promise<void>;
}

/** Unix socket paths are limited to 108 bytes (sun_path); longer data folder paths use a private temp folder. */
const MAX_SOCKET_PATH = 100;

export async function openLocalStore(folder: DataFolder | undefined): Promise<LocalStore> {
  const lock = folder ? await lockDataFolder(folder) : undefined;
  // dynalite is a development dependency of the stack but a runtime one of local mode.
  const dynalite = (await import('dynalite')).default as (options: object) => import('node:http').Server;
  const socketDir = privateSocketFolder(folder);
  const socket = join(socketDir.path, 'store.sock');
  const server = dynalite({ path: folder?.db, createTableMs: 0, updateTableMs: 0 });
  const release = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    socketDir.remove();
    await lock?.close();
  };
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socket, () => resolve());
    });
    const client = new DynamoDBClient({
      endpoint: 'http://localhost',
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestHandler: { httpAgent: unixSocketAgent(socket) },
    });
    // An in-memory store's records die with it, and so may its key.
    const key = folder ? fileSealingKey(folder.sealingKey) : randomBytes(32);
    await ensureTable(client, 'towerless');
    const store = new DynamoJobStore(client, 'towerless', new KeySealer(key));
    return {
      store,
      table: new RecordTable(client, 'towerless'),
      close: async () => {
        client.destroy();
        await release();
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}

/** Another towerless process holds the data folder's store. */
export class DataDirInUse extends DataFolderError {
  constructor(folder: string) {
    super(folder, 'is in use by another towerless process; wait for it, or give another --data DIR');
  }
}

/**
 * Holds the data folder for this process: LevelDB's lock is an fcntl lock, which the kernel
 * releases when the process ends in any way (even SIGKILL), so a stale lock never blocks a later
 * run. Node has no flock of its own; a tiny LevelDB in `lock/` provides one.
 */
async function lockDataFolder(folder: DataFolder): Promise<ClassicLevel> {
  const lock = new ClassicLevel(folder.lock);
  try {
    await lock.open();
    return lock;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') throw new DataDirInUse(folder.root);
    throw new DataFolderError(folder.root, `cannot be used: ${cause?.message ?? (error as Error).message}`);
  }
}

function privateSocketFolder(folder: DataFolder | undefined): { path: string; remove(): void } {
  // The limit is in bytes: a path of non-ASCII names is longer than it looks.
  if (folder && Buffer.byteLength(join(folder.root, 'store.sock')) <= MAX_SOCKET_PATH) {
    rmSync(join(folder.root, 'store.sock'), { force: true }); // left by a killed process
    return { path: folder.root, remove: () => rmSync(join(folder.root, 'store.sock'), { force: true }) };
  }
  // mkdtemp creates the folder with mode 700.
  const path = mkdtempSync(join(tmpdir(), 'towerless-store-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** An HTTP agent whose connections go to a Unix socket, for the AWS SDK's Node HTTP handler. */
function unixSocketAgent(socket: string): Agent {
  const agent = new Agent({ keepAlive: true });
  (agent as unknown as { createConnection: () => ReturnType<typeof createConnection> }).createConnection =
    () => createConnection(socket);
  return agent;
}
