import { InvalidError, NotFoundError } from '../errors';
import type { ApprovalTemplate } from '../model/types';
import type { JobStore } from '../store/job-store';
import type { Actor, ApprovalChannel, ApprovalRecord, ApprovalStatus } from '../store/records';
import { approvalDenied, approvalExpired, WORKFLOW_CANCELED } from './explanations';
import { endNodeJob, locate, spawnNodeJob, type NodeAddress } from './node-jobs';

/**
 * Approval nodes (docs/semantics.md §3): reaching one creates an approval record, `pending`, with
 * the template's name, description and timeout copied; then someone decides. The record decides
 * who won: of an answer, a second answer, the timeout and a cancel, the first write counts.
 */

/** Who decides an approval: the terminal or a flag (`towerless run`), or API calls (a server). */
export interface ApprovalPolicy {
  decide(request: ApprovalRequest): Promise<'approved' | 'denied'>;
}

export interface ApprovalRequest {
  /** The approval's id (its job's id). */
  readonly id: number;
  readonly workflowJob: number;
  readonly workflowName: string;
  /** Identifiers of enclosing nested-workflow nodes, outermost first. */
  readonly path: readonly string[];
  readonly node: string;
  readonly approval: ApprovalTemplate;
  /** The token its execution waits on: what an answer resumes. */
  readonly taskToken: string;
  /** Aborted when the approval times out (reason TIMED_OUT) or the workflow is canceled. */
  readonly signal: AbortSignal;
}

/** The error a denied approval fails its node's task with (its failure edge then runs). */
export const APPROVAL_DENIED_ERROR = 'ApprovalDenied';

/** The abort reason an approval's waiter sees when its timeout elapsed (not a cancel). */
export const TIMED_OUT = 'timed out';

export interface ApprovalOutcome {
  readonly status: Exclude<ApprovalStatus, 'pending'>;
  readonly explanation?: string;
}

/** Reaches an approval node: opens it, asks the policy, and closes it with how it ended. */
export async function runApproval(
  store: JobStore,
  policy: ApprovalPolicy,
  address: NodeAddress & {
    readonly path: readonly string[];
    readonly taskToken: string;
    readonly signal: AbortSignal;
  },
): Promise<ApprovalOutcome> {
  const opened = await openApproval(store, address);
  const approval = locate(address).node.approval!;
  let status: ApprovalOutcome['status'];
  let broken: unknown;
  try {
    status = await decideUnlessStopped(policy, { ...address, id: opened.id, approval });
  } catch (error) {
    status = address.signal.reason === TIMED_OUT ? 'timed_out' : 'canceled';
    // A policy that fails on its own (not told to stop) leaves the approval canceled, then says why.
    if (!address.signal.aborted) broken = error;
  }
  const outcome = await closeApproval(store, address, opened.id, status);
  if (broken) throw broken;
  return outcome;
}

/**
 * The start of an approval node, wherever its execution waits (here, or at a Step Functions task
 * token): its job, `pending`, and the approval record with the token that resumes the execution.
 */
export async function openApproval(
  store: JobStore,
  address: NodeAddress & { readonly taskToken: string },
): Promise<ApprovalRecord> {
  const approval = locate(address).node.approval!;
  const job = await spawnNodeJob(store, address, { status: 'pending' });
  const created = job.created!;
  const record: ApprovalRecord = {
    id: job.id!,
    workflowJob: address.workflowJob,
    node: address.node,
    name: approval.name,
    description: approval.description,
    timeout: approval.timeout,
    created,
    expires:
      approval.timeout > 0 ? new Date(Date.parse(created) + approval.timeout * 1000).toISOString() : null,
    status: 'pending',
    decided_by: null,
    task_token: address.taskToken,
  };
  await store.createApproval(record);
  return record;
}

/**
 * The end of an approval node: `status` is recorded unless an answer was recorded first (an API
 * or link answer, with who gave it: that one stands), and the node's job ends accordingly.
 */
export async function closeApproval(
  store: JobStore,
  address: NodeAddress,
  id: number,
  status: ApprovalOutcome['status'],
): Promise<ApprovalOutcome> {
  await store.decideApproval(id, { status, by: null, at: new Date().toISOString() });
  const decided = (await store.getApproval(id))!.status as ApprovalOutcome['status'];
  const outcome = approvalOutcome(decided, locate(address).node.approval!, id);
  await endNodeJob(store, address, {
    status: decided === 'approved' ? 'successful' : decided === 'canceled' ? 'canceled' : 'failed',
    ...(outcome.explanation ? { job_explanation: outcome.explanation } : {}),
  });
  return outcome;
}

/**
 * An approval whose timeout elapsed while its execution waited (Step Functions' TimeoutSeconds):
 * recorded `timed_out` unless it was decided first. Retried calls change nothing.
 */
export async function expireApproval(store: JobStore, address: NodeAddress): Promise<void> {
  const job = await store.getNodeJob(address.workflowJob, address.node);
  const approval = job?.id != null ? await store.getApproval(job.id) : undefined;
  if (approval?.status === 'pending') await closeApproval(store, address, approval.id, 'timed_out');
}

/** The policy's answer; whatever the policy does, a timeout or a cancel ends the wait. */
async function decideUnlessStopped(
  policy: ApprovalPolicy,
  request: ApprovalRequest,
): Promise<'approved' | 'denied'> {
  let stop!: () => void;
  const stopped = new Promise<never>((_resolve, reject) => {
    stop = () => reject(new Error('approval no longer pending'));
  });
  if (request.signal.aborted) stop();
  else request.signal.addEventListener('abort', stop, { once: true });
  try {
    return await Promise.race([policy.decide(request), stopped]);
  } finally {
    request.signal.removeEventListener('abort', stop);
  }
}

function approvalOutcome(
  status: ApprovalOutcome['status'],
  approval: ApprovalTemplate,
  id: number,
): ApprovalOutcome {
  switch (status) {
    case 'approved':
      return { status };
    case 'denied':
      return { status, explanation: approvalDenied(approval.name) };
    case 'timed_out':
      return { status, explanation: approvalExpired(approval.name, id, approval.timeout) };
    case 'canceled':
      return { status, explanation: WORKFLOW_CANCELED };
  }
}

/**
 * Approves or denies a pending approval on behalf of `by` (an API call) or through `via` (its
 * signed link), before its waiter is told. Refused as AWX refuses it once it is no longer
 * pending, or once it has expired.
 */
export async function answerApproval(
  store: JobStore,
  id: number,
  answer: 'approved' | 'denied',
  by: Actor | null,
  via?: ApprovalChannel,
): Promise<ApprovalRecord> {
  const approval = await store.getApproval(id);
  if (!approval) throw new NotFoundError(`workflow approval ${id} not found`);
  const now = new Date();
  const expired = approval.expires !== null && Date.parse(approval.expires) <= now.getTime();
  if (approval.status !== 'pending' || expired) throw new ApprovalNotPendingError();
  if (!(await store.decideApproval(id, { status: answer, by, via, at: now.toISOString() })))
    throw new ApprovalNotPendingError();
  return (await store.getApproval(id))!;
}

/** AWX answers 400 `{"error": "<this message>"}`. */
export class ApprovalNotPendingError extends InvalidError {
  constructor() {
    const message = 'This workflow step has already been approved or denied.';
    super(message, { error: message });
  }
}
