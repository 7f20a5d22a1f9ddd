import { launchWorkflow, type LaunchRequest, type LaunchServices } from '../launch/launch-workflow';
import type { WorkflowJobRecord } from '../store/records';
import { createLocalExecution, type LocalExecutionSetup } from './engine-runner';

/**
 * `towerless run` and `resume --data`: one job started through the launch path (a launch or a
 * resume), on a local execution of its own, waited for to its end. Aborting `signal` cancels the
 * workflow job (its playbooks stop cleanly).
 */
export async function runLocally(
  setup: LocalExecutionSetup,
  start: (services: LaunchServices) => Promise<WorkflowJobRecord>,
  signal?: AbortSignal,
): Promise<WorkflowJobRecord> {
  const execution = createLocalExecution(setup);
  const job = await start({ store: setup.store, execution });
  const cancel = () => void execution.cancel(job.id);
  if (signal?.aborted) cancel();
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    return (await execution.finished(job.id))!;
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}

/** A launch of `request`, run locally to its end. */
export function runWorkflowLocally(
  setup: LocalExecutionSetup,
  request: LaunchRequest,
  signal?: AbortSignal,
): Promise<WorkflowJobRecord> {
  return runLocally(setup, (services) => launchWorkflow(services, request), signal);
}
