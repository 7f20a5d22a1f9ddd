import { deployedRuntime } from '../../lib/aws/deployed-runtime';
import { instrumented } from '../../lib/aws/observability';
import { SyncTable, type SyncTableRequest } from '../../lib/execution/sync-table';

/** `lambda:invoke.waitForTaskToken` from a lane's sync task (lib/execution/sync-table.ts). */
export const handler = instrumented('sync', async (event: SyncTableRequest) => {
  const { table, sfn } = await deployedRuntime();
  await new SyncTable(table, sfn).exchange(event);
  return {};
});
