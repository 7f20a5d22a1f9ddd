import type { Bundle } from '../model/types';
import type {
  ApprovalDecision,
  ApprovalRecord,
  NodeJobRecord,
  NodeJobType,
  WorkflowJobNodeRecord,
  WorkflowJobRecord,
} from './records';

/**
 * Job records, behind one small interface: DynamoDB in AWS, dynalite locally (same code), so the
 * runner, the engine and the API never know which. Every status change is a conditional write:
 * of two writers racing (a cancel and a finish, two answers to one approval), one wins and the
 * other changes nothing and is told so.
 */
export interface JobStore {
  /** A new id in the one id space of unified jobs (workflow jobs and every node's job). */
  nextJobId(): Promise<number>;
  /** `count` new workflow job node ids, ascending. */
  nextNodeIds(count: number): Promise<number[]>;

  /** Creates a workflow job; refuses an id that exists. */
  createWorkflowJob(record: WorkflowJobRecord): Promise<void>;
  getWorkflowJob(id: number): Promise<WorkflowJobRecord | undefined>;
  /** Every workflow job (nested ones included), in id order. */
  listWorkflowJobs(): Promise<WorkflowJobRecord[]>;
  /** pending → running; resolves false (changing nothing) when it is no longer pending. */
  startWorkflowJob(id: number, started: string): Promise<boolean>;
  /**
   * Ends a workflow job that has not ended yet; resolves false (changing nothing) when it already
   * had, so a cancel racing a finish never overwrites the first end.
   */
  finishWorkflowJob(
    id: number,
    update: Pick<WorkflowJobRecord, 'status' | 'finished' | 'job_explanation' | 'canceled_on'>,
  ): Promise<boolean>;
  /**
   * Marks an ended workflow job as resumed by workflow job `by`; resolves false (changing nothing)
   * when it has not ended or was resumed already, so of two resumes of one job the first wins. A
   * claim by `stale` (a resume whose job was never created) is taken over.
   */
  claimResume(id: number, by: number, stale?: number): Promise<boolean>;
  /** Workflow jobs still pending or running, read from an index of only those (sealed values unopened). */
  unfinishedWorkflowJobs(): Promise<WorkflowJobRecord[]>;

  /**
   * Writes workflow job node records (created with their job; a later write replaces one). A
   * node's `job` is not written: reads take it from the node's job record.
   */
  putWorkflowJobNodes(records: readonly WorkflowJobNodeRecord[]): Promise<void>;
  /** A workflow job's nodes, in id order. */
  workflowJobNodes(workflowJob: number): Promise<WorkflowJobNodeRecord[]>;
  getWorkflowJobNode(id: number): Promise<WorkflowJobNodeRecord | undefined>;
  findWorkflowJobNode(workflowJob: number, identifier: string): Promise<WorkflowJobNodeRecord | undefined>;

  /** Writes the first record of a node job, and makes it findable by its id. */
  createNodeJob(record: NodeJobRecord): Promise<void>;
  /**
   * Writes a node's job record (a later write replaces it; a node's earlier attempts are kept by
   * archiveNodeJob). A kept record (`kept_from`) is not listed by type: its job is listed where it ran.
   */
  putNodeJob(record: NodeJobRecord): Promise<void>;
  getNodeJob(workflowJob: number, node: string): Promise<NodeJobRecord | undefined>;
  nodeJobs(workflowJob: number): Promise<NodeJobRecord[]>;
  /**
   * Keeps a node's job as an earlier attempt when the node runs again (docs/semantics.md §13.12):
   * still listed and found by its id, no longer the node's job.
   */
  archiveNodeJob(record: NodeJobRecord): Promise<void>;
  /** The node job of that id (for a nested workflow job's id: the outer node's record). */
  findNodeJob(id: number): Promise<NodeJobRecord | undefined>;
  /** Every node job of one type, in id order. */
  listNodeJobs(type: NodeJobType): Promise<NodeJobRecord[]>;

  createApproval(record: ApprovalRecord): Promise<void>;
  getApproval(id: number): Promise<ApprovalRecord | undefined>;
  /** Every approval, in id order. */
  listApprovals(): Promise<ApprovalRecord[]>;
  /**
   * Decides a pending approval; resolves false (changing nothing) when it was no longer pending
   * (or does not exist), so of two answers (or an answer and the timeout) the first wins.
   */
  decideApproval(id: number, decision: ApprovalDecision): Promise<boolean>;

  /**
   * The definitions a workflow job runs with, saved at launch (as AWX copies nodes): edits made
   * while it runs do not change it, and runner containers read them from here.
   */
  putDefinitions(workflowJob: number, bundle: Bundle): Promise<void>;
  getDefinitions(workflowJob: number): Promise<Bundle | undefined>;
}
