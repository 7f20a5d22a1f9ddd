import { InvalidError } from '../errors';
import type { JobStore } from '../store/job-store';
import { expireApproval } from './approvals';
import { keepNode } from './kept-nodes';
import { createNestedWorkflowJob, endWorkflowJob } from './nested-workflow-jobs';
import { locate, nodeAddress, type NodeAddress } from './node-jobs';
import { rejectNode } from './rejected-nodes';

/**
 * What compiled machines ask the record function (lib/compiler/emit.ts): the steps of a workflow
 * job's life that happen between nodes. The local engine does the same through its handlers.
 */
export type RecordRequest =
  | { readonly action: 'spawn'; readonly workflowJob: number; readonly node: string }
  | { readonly action: 'finish'; readonly workflowJob: number; readonly status: 'successful' | 'failed' }
  | {
      readonly action: 'reject';
      readonly workflowJob: number;
      readonly node: string;
      readonly explanation: string;
    }
  | { readonly action: 'expire'; readonly workflowJob: number; readonly node: string }
  | { readonly action: 'keep'; readonly workflowJob: number; readonly node: string };

/** The spawn answer: the nested workflow job, whose id names its execution. */
export interface SpawnedWorkflowJob {
  readonly id: number;
}

/** Checks a payload's shape; the message names the field that is wrong. */
export function parseRecordRequest(payload: unknown): RecordRequest {
  const request = payload as Record<string, unknown> | null;
  const fail = (field: string): never => {
    throw new InvalidError(`record request: '${field}' is missing or wrong in ${JSON.stringify(payload)}`);
  };
  if (request === null || typeof request !== 'object') return fail('payload');
  if (!Number.isSafeInteger(request.workflowJob)) fail('workflowJob');
  const text = (field: string) => (typeof request[field] === 'string' ? request[field] : fail(field));
  switch (request.action) {
    case 'finish':
      if (request.status !== 'successful' && request.status !== 'failed') fail('status');
      return request as RecordRequest;
    case 'reject':
      text('node');
      text('explanation');
      return request as RecordRequest;
    case 'spawn':
    case 'expire':
    case 'keep':
      text('node');
      return request as RecordRequest;
    default:
      return fail('action');
  }
}

/** Does what the request asks; every action is safe to repeat (the machine retries them). */
export async function recordWorkflowStep(
  store: JobStore,
  request: RecordRequest,
): Promise<SpawnedWorkflowJob | null> {
  if (request.action === 'finish') {
    const job = await store.getWorkflowJob(request.workflowJob);
    if (!job) throw new Error(`workflow job ${request.workflowJob} does not exist`);
    await endWorkflowJob(store, job, request.status);
    return null;
  }
  const address = await nodeAddress(store, request.workflowJob, request.node);
  switch (request.action) {
    case 'spawn':
      return spawnNested(store, address);
    case 'reject':
      // A retry after the record was written finds the node's job there already.
      if (!(await store.getNodeJob(address.workflowJob, address.node)))
        await rejectNode(store, address, request.explanation);
      return null;
    case 'expire':
      await expireApproval(store, address);
      return null;
    case 'keep':
      await keepNode(store, address);
      return null;
  }
}

async function spawnNested(store: JobStore, address: NodeAddress): Promise<SpawnedWorkflowJob> {
  // A retry after the spawn was written answers the job spawned then.
  const spawned = await store.getNodeJob(address.workflowJob, address.node);
  if (spawned?.id != null) return { id: spawned.id };
  const template = locate(address).node.unified_job_template;
  if (template?.type !== 'workflow_job_template')
    throw new Error(`node ${address.node} of workflow job ${address.workflowJob} is not a nested workflow`);
  const id = await store.nextJobId();
  await createNestedWorkflowJob(store, {
    bundle: address.bundle,
    id,
    workflowName: template.name,
    parent: { workflowJob: address.workflowJob, workflowName: address.workflowName, node: address.node },
  });
  return { id };
}
