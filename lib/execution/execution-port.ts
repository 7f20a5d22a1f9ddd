import type { Actor, ApprovalChannel, ApprovalRecord, WorkflowJobStatus } from '../store/records';

/**
 * Where launched workflow jobs run: the local engine in this process, or Step Functions. The
 * launch path and the API use only this; the job records in the store are the truth about every
 * job, this starts, stops and answers them.
 */
export interface ExecutionPort {
  /**
   * Starts a created (`pending`) workflow job and returns at once. It may stay `pending` a while:
   * behind another job of a template that does not allow simultaneous jobs (docs/semantics.md §8).
   */
  start(workflowJob: number): Promise<void>;
  /**
   * Cancels a workflow job (docs/semantics.md §2.3): a pending one ends `canceled` without
   * running, a running one has its nodes canceled and ends `canceled`. Resolves false when it can
   * no longer be canceled (AWX's `can_cancel`): it has ended, or does not exist.
   */
  cancel(workflowJob: number): Promise<boolean>;
  /** What the execution of a workflow job is at: its status, and whether it can be canceled. */
  describe(workflowJob: number): Promise<ExecutionDescription | undefined>;
  /**
   * Answers a waiting approval (docs/semantics.md §3) for user `by`, or through `via` (its signed
   * link); refused once it is no longer pending.
   */
  approve(approval: number, by: Actor | null, via?: ApprovalChannel): Promise<ApprovalRecord>;
  deny(approval: number, by: Actor | null, via?: ApprovalChannel): Promise<ApprovalRecord>;
}

export interface ExecutionDescription {
  readonly workflowJob: number;
  readonly status: WorkflowJobStatus;
  readonly canCancel: boolean;
}
