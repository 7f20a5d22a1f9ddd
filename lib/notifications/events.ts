import type { ApprovalRecord, NodeJobRecord, WorkflowJobRecord } from '../store/records';

/**
 * The events AWX notifies of (docs/notifications.md "Events"). A job's are named after the
 * template lists they go to: `started` when it starts running, `success` when it ends
 * successful, `error` when it ends any other way (failed, error, canceled: AWX sends its
 * `failed` for all of them). An approval's are the `workflow_approval` messages' names.
 */
export type JobEvent = 'started' | 'success' | 'error';
export type ApprovalEvent = 'running' | 'approved' | 'denied' | 'timed_out';

/**
 * An event, with the record as the write left it: a message says what was true at the event (a
 * job that ended a moment after it started is still `running` in its `started` message).
 */
export type NotificationEvent =
  | {
      readonly subject: 'workflow_job';
      readonly event: JobEvent;
      readonly workflowJob: number;
      readonly record: WorkflowJobRecord;
    }
  | {
      readonly subject: 'job';
      readonly event: JobEvent;
      readonly workflowJob: number;
      readonly record: NodeJobRecord & { readonly id: number };
    }
  | {
      readonly subject: 'approval';
      readonly event: ApprovalEvent;
      readonly workflowJob: number;
      readonly record: ApprovalRecord;
    };

/** One record written: its value before (undefined: created) and after. */
export type RecordChange =
  | { readonly type: 'workflow_job'; readonly before?: WorkflowJobRecord; readonly after: WorkflowJobRecord }
  | { readonly type: 'node_job'; readonly before?: NodeJobRecord; readonly after: NodeJobRecord }
  | { readonly type: 'approval'; readonly before?: ApprovalRecord; readonly after: ApprovalRecord };

const FINAL = new Set(['successful', 'failed', 'error', 'canceled']);

/**
 * Node jobs that notify through their own template's lists. A nested workflow's node is notified
 * by the inner workflow job's own record; an approval's by its approval record.
 */
const NOTIFYING_KINDS = new Set<NodeJobRecord['kind']>(['job_template', 'project', 'inventory_source']);

const DECISIONS: Partial<Record<ApprovalRecord['status'], ApprovalEvent>> = {
  approved: 'approved',
  denied: 'denied',
  timed_out: 'timed_out',
};

/**
 * The events one record change makes: a pure function of the record before and after, so the
 * same rule serves the store wrapper of `towerless serve` and, on AWS, a DynamoDB Streams
 * handler reading old and new images.
 */
export function notificationEvents(change: RecordChange): NotificationEvent[] {
  switch (change.type) {
    case 'workflow_job': {
      const { before, after } = change;
      // A standalone launch's workflow job only carries its node's job, which notifies itself.
      if (after.standalone) return [];
      return jobEvents(before?.status, after.status).map((event) => ({
        subject: 'workflow_job',
        event,
        workflowJob: after.id,
        record: after,
      }));
    }
    case 'node_job': {
      const { before, after } = change;
      const { id } = after;
      // A resume's kept node did not run again: its job notified when it ran.
      if (id === null || after.kept_from !== undefined || !NOTIFYING_KINDS.has(after.kind)) return [];
      return jobEvents(before?.status, after.status).map((event) => ({
        subject: 'job',
        event,
        workflowJob: after.workflowJob,
        record: { ...after, id },
      }));
    }
    case 'approval': {
      const { before, after } = change;
      const event = before
        ? before.status === 'pending' && DECISIONS[after.status]
        : after.status === 'pending' && 'running';
      return event ? [{ subject: 'approval', event, workflowJob: after.workflowJob, record: after }] : [];
    }
  }
}

/** `started` on entering running; `success` or `error` on reaching a final status (once each). */
function jobEvents(before: string | undefined, after: string): JobEvent[] {
  if (before !== undefined && FINAL.has(before)) return [];
  const events: JobEvent[] = [];
  if (after === 'running' && before !== 'running') events.push('started');
  if (FINAL.has(after)) events.push(after === 'successful' ? 'success' : 'error');
  return events;
}
