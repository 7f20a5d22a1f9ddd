import { deployedRuntime } from '../../lib/aws/deployed-runtime';
import { instrumented, logger } from '../../lib/aws/observability';
import { openApproval } from '../../lib/jobs/approvals';
import { nodeAddress } from '../../lib/jobs/node-jobs';

/**
 * `lambda:invoke.waitForTaskToken` from an approval node: opens the approval with the token its
 * execution waits on, and returns. An answer (API, link) resumes it; its timeout is the task's.
 */

interface ApprovalTask {
  readonly token: string;
  readonly workflowJob: number;
  readonly node: string;
}

export const handler = instrumented('approval', async (event: ApprovalTask) => {
  const { store } = await deployedRuntime();
  const approval = await openApproval(store, {
    ...(await nodeAddress(store, event.workflowJob, event.node)),
    taskToken: event.token,
  });
  logger.info('approval opened', { approval: approval.id, workflowJob: event.workflowJob });
  return { approval: approval.id };
});
