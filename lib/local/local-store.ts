import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { UserError } from '../model/user-error';
import { DynamoJobStore } from '../store/dynamo-job-store';

/**
 * The local twin of the DynamoDB table: dynalite on 127.0.0.1 (persisted under the data folder,
 * or in memory), reached through the same DynamoDB client and store code as in AWS.
 */
export interface LocalStore {
  readonly store: DynamoJobStore;
  close(): Promise<void>;
}

export async function openLocalStore(dataDir: string | undefined): Promise<LocalStore> {
  // dynalite is a development dependency of the stack but a runtime one of local mode.
  const dynalite = (await import('dynalite')).default as (options: object) => import('node:http').Server;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const server = dynalite({ path: dataDir ? `${dataDir}/db` : undefined, createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await connect(server);
  } catch (error) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    // LevelDB allows one process per folder.
    if (dataDir && /closed|lock/i.test((error as Error).message)) throw new DataDirInUse(dataDir);
    throw error;
  }
}

/** Another towerless process holds the data folder's store. */
export class DataDirInUse extends UserError {
  constructor(readonly dataDir: string) {
    super(
      `the data folder ${dataDir} is in use by another towerless process; wait for it, or give another --data DIR`,
    );
  }
}

async function connect(server: import('node:http').Server): Promise<LocalStore> {
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const store = new DynamoJobStore(client, 'towerless');
  await store.ensureTable();
  return {
    store,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
