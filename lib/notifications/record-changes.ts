import type { JobStore } from '../store/job-store';
import { intercept } from '../store/intercept';
import type { ApprovalRecord, NodeJobRecord } from '../store/records';
import type { RecordChange } from './events';

export type RecordChangeListener = (change: RecordChange) => void;

/**
 * Where the job store's changes go: listeners added once the services that act on them exist
 * (the store is wrapped before the engine that writes through it is made).
 */
export class RecordChanges {
  private readonly listeners: RecordChangeListener[] = [];

  listen(listener: RecordChangeListener): void {
    this.listeners.push(listener);
  }

  /** Whether anyone listens (else the store is not read before its writes). */
  get heard(): boolean {
    return this.listeners.length > 0;
  }

  changed(change: RecordChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

/**
 * The job store, telling `changes` of each workflow job, node job and approval record it
 * changes, with the record before and after: what a DynamoDB stream tells of the same writes
 * in AWS. Listeners are called after the write and must not block it.
 */
export function observeRecordChanges(jobs: JobStore, changes: RecordChanges): JobStore {
  const workflowJob = async (id: number, write: () => Promise<boolean>) => {
    if (!changes.heard) return write();
    const before = await jobs.getWorkflowJob(id);
    const written = await write();
    const after = written ? await jobs.getWorkflowJob(id) : undefined;
    if (after) changes.changed({ type: 'workflow_job', before, after });
    return written;
  };
  const nodeJob = async (record: NodeJobRecord, write: () => Promise<void>) => {
    if (!changes.heard) return write();
    const before = await jobs.getNodeJob(record.workflowJob, record.node);
    await write();
    changes.changed({ type: 'node_job', before, after: record });
  };
  return intercept(jobs, {
    startWorkflowJob: (id: number, started: string) =>
      workflowJob(id, () => jobs.startWorkflowJob(id, started)),
    finishWorkflowJob: (id: number, update: Parameters<JobStore['finishWorkflowJob']>[1]) =>
      workflowJob(id, () => jobs.finishWorkflowJob(id, update)),
    createNodeJob: (record: NodeJobRecord) => nodeJob(record, () => jobs.createNodeJob(record)),
    putNodeJob: (record: NodeJobRecord) => nodeJob(record, () => jobs.putNodeJob(record)),
    createApproval: async (record: ApprovalRecord) => {
      await jobs.createApproval(record);
      changes.changed({ type: 'approval', after: record });
    },
    decideApproval: async (id: number, decision: Parameters<JobStore['decideApproval']>[1]) => {
      if (!changes.heard) return jobs.decideApproval(id, decision);
      const before = await jobs.getApproval(id);
      const decided = await jobs.decideApproval(id, decision);
      const after = decided ? await jobs.getApproval(id) : undefined;
      if (before && after) changes.changed({ type: 'approval', before, after });
      return decided;
    },
  });
}
