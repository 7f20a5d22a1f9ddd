import type { DynamoDBStreamEvent } from 'aws-lambda';
import { createDeployedNotifier } from '../../lib/aws/deployed-notifier';
import { deployedRuntime } from '../../lib/aws/deployed-runtime';
import { instrumented, logger } from '../../lib/aws/observability';
import { oncePerProcess } from '../../lib/aws/once-per-process';
import { recordChanges, type StreamRecord } from '../../lib/aws/stream-changes';

/**
 * The table's stream (lib/aws/stream-changes.ts) → notifications. Each batch's notifications are
 * delivered (with their retries) before the function returns: Lambda freezes what is left running.
 */
const deployedNotifier = oncePerProcess(async () =>
  createDeployedNotifier(await deployedRuntime(), process.env),
);

export const handler = instrumented('notifier', async (event: DynamoDBStreamEvent) => {
  const runtime = await deployedRuntime();
  const opened = await deployedNotifier();
  const changes = await recordChanges(runtime.store, event.Records as StreamRecord[]);
  for (const change of changes) opened.changed(change);
  await opened.idle();
  logger.info('stream batch', { records: event.Records.length, changes: changes.length });
});
