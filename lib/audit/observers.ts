import type { ExecutionPort } from '../execution/execution-port';
import { credentialInputOf } from '../runner/credential-secrets';
import type { SecretWriter } from '../runner/secret-writer';
import type { JobStore } from '../store/job-store';
import type { WorkflowJobRecord } from '../store/records';
import type { ActivityStream } from './activity-stream';

/**
 * The execution port as the API uses it, reporting to the activity stream what each call changes:
 * a started workflow job (a launch or relaunch creates it), a cancel, an approval's answer. Outside
 * an API call it only passes calls on.
 */
export function observeExecution(
  port: ExecutionPort,
  jobs: JobStore,
  activity: ActivityStream,
): ExecutionPort {
  const job = async (id: number) => shownJob(await jobs.getWorkflowJob(id));
  return {
    async start(workflowJob) {
      if (activity.recording)
        activity.observe('workflow_job', workflowJob, undefined, await job(workflowJob));
      return port.start(workflowJob);
    },
    async cancel(workflowJob) {
      if (!activity.recording) return port.cancel(workflowJob);
      const before = await job(workflowJob);
      const canceled = await port.cancel(workflowJob);
      const after = await job(workflowJob);
      if (canceled && after)
        activity.observe('workflow_job', workflowJob, before, { ...after, cancel_flag: true });
      return canceled;
    },
    describe: (workflowJob) => port.describe(workflowJob),
    approve: (approval, by) => answer(approval, () => port.approve(approval, by)),
    deny: (approval, by) => answer(approval, () => port.deny(approval, by)),
  };

  async function answer(id: number, decide: () => ReturnType<ExecutionPort['approve']>) {
    const before = activity.recording ? await jobs.getApproval(id) : undefined;
    const after = await decide();
    if (before) activity.observe('workflow_approval', id, before, after);
    return after;
  }
}

/** A workflow job without its sealed values (never in an entry), `cancel_flag` as AWX has it. */
function shownJob(job: WorkflowJobRecord | undefined) {
  if (!job) return undefined;
  const { secret_vars: _sealed, ...shown } = job;
  return { ...shown, cancel_flag: job.canceled_on !== undefined };
}

/**
 * The secrets writer as the API's credentials use it: a credential input's kept value replaced
 * during an API call is reported (by name only; the value is never seen here), so an update that
 * changes only a secret still shows that its inputs changed.
 */
export function observeSecrets(writer: SecretWriter, activity: ActivityStream): SecretWriter {
  return {
    async put(name, value) {
      await writer.put(name, value);
      const input = credentialInputOf(name);
      // The credential's `inputs` changed, though the reference it keeps there stays the same.
      if (input) activity.secretReplaced('credential', input.credential, 'inputs');
    },
    delete: (name) => writer.delete(name),
  };
}
