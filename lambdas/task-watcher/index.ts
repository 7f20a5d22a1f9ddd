import type { EventBridgeEvent } from 'aws-lambda';
import { deployedRuntime } from '../../lib/aws/deployed-runtime';
import { countMetric, instrumented, logger } from '../../lib/aws/observability';
import { failUnreportedTask, type StoppedTask } from '../../lib/execution/task-watcher';

/** EventBridge's ECS task state changes of the runner cluster, STOPPED only (lib/execution/task-watcher.ts). */
export const handler = instrumented(
  'task-watcher',
  async (event: EventBridgeEvent<'ECS Task State Change', StoppedTask>) => {
    const { store, sfn } = await deployedRuntime();
    if (await failUnreportedTask(store, sfn, event.detail)) {
      logger.warn('runner task stopped without reporting', { task: event.detail.taskArn });
      countMetric('tasksStoppedByWatcher');
    }
  },
);
