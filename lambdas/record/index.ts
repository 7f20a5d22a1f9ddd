import { deployedRuntime } from '../../lib/aws/deployed-runtime';
import { instrumented, logger } from '../../lib/aws/observability';
import { parseRecordRequest, recordWorkflowStep } from '../../lib/jobs/record-requests';

/** `lambda:invoke` from compiled machines: the steps of a workflow job between its nodes. */
export const handler = instrumented('record', async (event: unknown) => {
  const request = parseRecordRequest(event);
  logger.info('record', { action: request.action, workflowJob: request.workflowJob });
  return recordWorkflowStep((await deployedRuntime()).store, request);
});
