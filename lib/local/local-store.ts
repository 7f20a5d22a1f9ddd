import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ClassicLevel } from 'classic-level';
import { randomBytes } from 'node:crypto';
import { DynamoJobStore } from '../store/dynamo-job-store';
import { rememberItems } from './item-memory';
import { RecordTable } from '../store/record-table';
import { fileSealingKey, KeySealer } from '../store/sealer';
import { ensureTable } from '../store/table';
import { DataFolderError, type DataFolder } from './data-folder';
import { listenOnSocket, privateSocket, socketClientConfig } from './unix-socket';

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

export async function openLocalStore(folder: DataFolder | undefined): Promise<LocalStore> {
  const lock = folder ? await lockDataFolder(folder) : undefined;
  // dynalite is a development dependency of the stack but a runtime one of local mode.
  const dynalite = (await import('dynalite')).default as (options: object) => import('node:http').Server;
  const socket = privateSocket(folder?.root, 'store.sock');
  const server = dynalite({ path: folder?.db, createTableMs: 0, updateTableMs: 0 });
  const release = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    socket.remove();
    await lock?.close();
  };
  try {
    await listenOnSocket(server, socket.path);
    const client = new DynamoDBClient(socketClientConfig(socket.path));
    rememberItems(client);
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
