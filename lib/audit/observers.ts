import type { Holder, RoleGrants } from '../access/role-grants';
import type { ExecutionPort } from '../execution/execution-port';
import { secretFieldOf } from '../catalog/secret-fields';
import { keptSecretOf } from '../runner/kept-secrets';
import type { SecretWriter } from '../runner/secret-writer';
import type { JobStore } from '../store/job-store';
import { intercept } from '../store/intercept';
import type { ApprovalRecord, WorkflowJobRecord } from '../store/records';
import type { ActivityStream } from './activity-stream';

/**
 * The job store as the API's launcher uses it, reporting each workflow job a call creates (a
 * launch or a relaunch), as created: pending, its survey passwords `$encrypted$`.
 */
export function observeJobs(jobs: JobStore, activity: ActivityStream): JobStore {
  return intercept(jobs, {
    createWorkflowJob: async (record: WorkflowJobRecord) => {
      await jobs.createWorkflowJob(record);
      activity.observe('workflow_job', record.id, undefined, shownJob(record));
    },
  });
}

/**
 * The role grants as the API uses them, reporting each role a call grants or revokes (one that
 * changes nothing, a grant already held, is not reported).
 */
export function observeGrants(grants: RoleGrants, activity: ActivityStream): RoleGrants {
  const change = (granted: boolean) => async (role: number, holder: Holder) => {
    const held = activity.recording ? holds(await grants.get(role), holder) : granted;
    await (granted ? grants.grant(role, holder) : grants.revoke(role, holder));
    if (held !== granted)
      activity.roleChanged({
        role,
        holder: 'user' in holder ? { type: 'user', id: holder.user } : { type: 'team', id: holder.team },
        granted,
      });
  };
  return intercept(grants, { grant: change(true), revoke: change(false) });
}

function holds(grant: Awaited<ReturnType<RoleGrants['get']>>, holder: Holder): boolean {
  return 'user' in holder ? grant.users.has(holder.user) : grant.teams.has(holder.team);
}

/**
 * The execution port as the API uses it, reporting to the activity stream what each call changes:
 * a cancel (the workflow job before and after it), an approval's answer. Outside an API call it
 * only passes calls on.
 */
export function observeExecution(
  port: ExecutionPort,
  jobs: JobStore,
  activity: ActivityStream,
): ExecutionPort {
  const job = async (id: number) => shownJob(await jobs.getWorkflowJob(id));
  return {
    start: (workflowJob) => port.start(workflowJob),
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
    approve: (approval, by, via) => answer(approval, () => port.approve(approval, by, via)),
    deny: (approval, by, via) => answer(approval, () => port.deny(approval, by, via)),
  };

  async function answer(id: number, decide: () => ReturnType<ExecutionPort['approve']>) {
    const before = activity.recording ? await jobs.getApproval(id) : undefined;
    const after = await decide();
    if (before) activity.observe('workflow_approval', id, shownApproval(before), shownApproval(after));
    return after;
  }
}

/** An approval without the token that resumes its execution (never in an entry). */
function shownApproval({ task_token: _token, ...shown }: ApprovalRecord) {
  return shown;
}

/** A workflow job without its sealed values (never in an entry), `cancel_flag` as AWX has it. */
function shownJob(job: WorkflowJobRecord | undefined) {
  if (!job) return undefined;
  const { secret_vars: _sealed, ...shown } = job;
  return { ...shown, cancel_flag: job.canceled_on !== undefined };
}

/**
 * The secrets writer as the API's credentials and notification templates use it: a kept value
 * replaced during an API call is reported (by name only; the value is never seen here), so an
 * update that changes only a secret still shows that its field (a credential's `inputs`, a
 * notification template's `notification_configuration`) changed.
 */
export function observeSecrets(writer: SecretWriter, activity: ActivityStream): SecretWriter {
  return {
    async put(name, value) {
      await writer.put(name, value);
      const kept = keptSecretOf(name);
      // The field changed, though the reference the record keeps there stays the same.
      if (kept) {
        const { definition, field } = secretFieldOf(kept.owner);
        activity.secretReplaced(definition.type, kept.id, field);
      }
    },
    delete: (name) => writer.delete(name),
  };
}
