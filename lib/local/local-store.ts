import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
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
