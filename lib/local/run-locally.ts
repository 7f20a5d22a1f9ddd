import { launchWorkflow, type LaunchRequest } from '../launch/launch-workflow';
import type { WorkflowJobRecord } from '../store/records';
import { createLocalExecution, type LocalExecutionSetup } from './engine-runner';

/**
 * `towerless run`: one launch through the launch path, on a local execution of its own, waited
 * for to its end. Aborting `signal` cancels the workflow job (its playbooks stop cleanly).
 */
export async function runWorkflowLocally(
  setup: LocalExecutionSetup,
  request: LaunchRequest,
  signal?: AbortSignal,
): Promise<WorkflowJobRecord> {
  const execution = createLocalExecution(setup);
  const job = await launchWorkflow({ store: setup.store, execution }, request);
  const cancel = () => void execution.cancel(job.id);
  if (signal?.aborted) cancel();
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    return (await execution.finished(job.id))!;
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}
