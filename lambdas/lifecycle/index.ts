import type { EventBridgeEvent } from 'aws-lambda';
import { deployedExecution, deployedRuntime } from '../../lib/aws/deployed-runtime';
import { countMetric, instrumented, logger } from '../../lib/aws/observability';
import { recordExecutionEnd, type ExecutionStatusChange } from '../../lib/execution/execution-events';
import { SyncTable } from '../../lib/execution/sync-table';

const ENDED_METRIC = { successful: 'workflowJobsSucceeded', canceled: 'workflowJobsCanceled' } as const;

/**
 * EventBridge's Step Functions status changes of Towerless machines: records the end of a job
 * whose execution ended without recording it, deletes the execution's lane synchronisation items,
 * counts every top-level job's end, and starts the job that waited for it (docs/semantics.md §8).
 */
export const handler = instrumented(
  'lifecycle',
  async (event: EventBridgeEvent<'Step Functions Execution Status Change', ExecutionStatusChange>) => {
    const opened = await deployedRuntime();
    const { job, recorded } = await recordExecutionEnd(opened.store, event.detail);
    if (event.detail.status === 'RUNNING') return;
    await new SyncTable(opened.table, opened.sfn).forget(event.detail.executionArn);
    if (!job || job.parent) return;
    logger.info('workflow job ended', { workflowJob: job.id, status: job.status, recordedHere: recorded });
    countMetric(ENDED_METRIC[job.status as keyof typeof ENDED_METRIC] ?? 'workflowJobsFailed');
    if (job.started && job.finished)
      countMetric('workflowJobDuration', (Date.parse(job.finished) - Date.parse(job.started)) / 1000);
    await deployedExecution(opened, process.env).startNext(job);
  },
);
