import type { Bundle } from '../model/types';
import type { NodeJobRecord, WorkflowJobRecord } from './records';

/**
 * Job records, behind one small interface: DynamoDB in AWS, dynalite locally (same code), so the
 * runner and the engine never know which.
 */
export interface JobStore {
  /** Creates a workflow job; refuses an id that exists. */
  createWorkflowJob(record: WorkflowJobRecord): Promise<void>;
  getWorkflowJob(id: string): Promise<WorkflowJobRecord | undefined>;
  /**
   * Ends a workflow job that has not ended yet; resolves false (changing nothing) when it already
   * had, so a cancel racing a finish never overwrites the first end.
   */
  finishWorkflowJob(
    id: string,
    update: Pick<WorkflowJobRecord, 'status' | 'finished' | 'job_explanation'>,
  ): Promise<boolean>;
  /** Workflow jobs still pending or running, read from an index of only those (sealed values unopened). */
  unfinishedWorkflowJobs(): Promise<WorkflowJobRecord[]>;
  /** Writes a node job record (a node runs once per workflow job; a later write replaces it). */
  putNodeJob(record: NodeJobRecord): Promise<void>;
  getNodeJob(workflowJob: string, node: string): Promise<NodeJobRecord | undefined>;
  nodeJobs(workflowJob: string): Promise<NodeJobRecord[]>;
  /**
   * The definitions a workflow job runs with, saved at launch (as AWX copies nodes): edits made
   * while it runs do not change it, and runner containers read them from here.
   */
  putDefinitions(workflowJob: string, bundle: Bundle): Promise<void>;
  getDefinitions(workflowJob: string): Promise<Bundle | undefined>;
}
