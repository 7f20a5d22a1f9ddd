import type { DynamoDBStreamEvent } from 'aws-lambda';
import { createDeployedNotifier } from '../../lib/aws/deployed-notifier';
import { deployedRuntime } from '../../lib/aws/deployed-runtime';
import { instrumented, logger } from '../../lib/aws/observability';
import { recordChanges, type StreamRecord } from '../../lib/aws/stream-changes';
import type { Notifier } from '../../lib/notifications/notifier';

/**
 * The table's stream (lib/aws/stream-changes.ts) → notifications. Each batch's notifications are
 * delivered (with their retries) before the function returns: Lambda freezes what is left running.
 */
let notifier: Promise<Notifier> | undefined;

export const handler = instrumented('notifier', async (event: DynamoDBStreamEvent) => {
  const runtime = await deployedRuntime();
  notifier ??= createDeployedNotifier(runtime, process.env).catch((error: unknown) => {
    notifier = undefined;
    throw error;
  });
  const opened = await notifier;
  const changes = await recordChanges(runtime.store, event.Records as StreamRecord[]);
  for (const change of changes) opened.changed(change);
  await opened.idle();
  logger.info('stream batch', { records: event.Records.length, changes: changes.length });
});
