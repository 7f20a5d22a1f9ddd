import type { CapacityPool } from '../execution/capacity';
import { nodeJobImpact } from '../execution/capacity';
import { APPROVAL_DENIED_ERROR, expireApproval, runApproval, type ApprovalPolicy } from '../jobs/approvals';
import { WORKFLOW_CANCELED } from '../jobs/explanations';
import { keepNode } from '../jobs/kept-nodes';
import { createNestedWorkflowJob, endWorkflowJob } from '../jobs/nested-workflow-jobs';
import { endNodeJob, jobToRun, locate, type NodeAddress } from '../jobs/node-jobs';
import { rejectNode } from '../jobs/rejected-nodes';
import type { Bundle } from '../model/types';
import { NodeRunFailure } from '../runner/failure';
import { runNode } from '../runner/run-node';
import type { SecretProvider } from '../runner/secrets';
import type { JobStore } from '../store/job-store';
import type { WorkflowJobRecord } from '../store/records';
import type { DataFolder } from './data-folder';
import {
  NodeFailure,
  type ExecutionStatus,
  type NodeContext,
  type NodeEvent,
  type NodeHandlers,
  type WorkflowRun,
} from './engine';

/**
 * The engine's task handlers for real runs: each engine event becomes a step of the workflow job
 * lifecycle (lib/jobs), and job and sync nodes run through the runner once capacity allows.
 */
export interface JobHandlerOptions {
  /** The definitions the workflow job launched with. */
  readonly bundle: Bundle;
  /** Folder relative project paths are relative to. */
  readonly baseDir: string;
  readonly store: JobStore;
  readonly secrets: SecretProvider;
  readonly data: DataFolder;
  readonly approvals: ApprovalPolicy;
  readonly capacity: CapacityPool;
  readonly onEvent?: (event: Record<string, unknown>) => void;
}

export class JobHandlers implements NodeHandlers {
  /** Each workflow job's record, read once: what its nodes' jobs use of it never changes. */
  private readonly workflowJobs = new Map<number, Promise<WorkflowJobRecord>>();

  constructor(private readonly options: JobHandlerOptions) {}

  async run(context: NodeContext): Promise<void> {
    const address = this.address(context);
    if (context.kind === 'approval') return this.approve(address, context);
    const { store } = this.options;
    const workflowJob = await this.workflowJob(context.workflowJob);
    const job = await jobToRun(store, address, workflowJob);
    let release: () => void;
    try {
      release = await this.options.capacity.acquire(
        nodeJobImpact(this.options.bundle, locate(address).node, workflowJob.prompts),
        context.signal,
      );
    } catch {
      // Canceled while waiting for capacity: the job never started.
      await endNodeJob(store, address, { status: 'canceled', job_explanation: WORKFLOW_CANCELED });
      throw new NodeFailure(WORKFLOW_CANCELED, 'NodeCanceled');
    }
    try {
      await runNode({
        bundle: this.options.bundle,
        baseDir: this.options.baseDir,
        store,
        secrets: this.options.secrets,
        cacheDir: this.options.data.projects,
        scratchDir: this.options.data.scratch,
        workflowJob,
        job,
        signal: context.signal,
        onEvent: this.options.onEvent,
      });
    } catch (error) {
      if (error instanceof NodeRunFailure) throw new NodeFailure(error.message, error.errorName);
      throw error;
    } finally {
      release();
    }
  }

  async workflowStarting(run: WorkflowRun): Promise<void> {
    await createNestedWorkflowJob(this.options.store, {
      bundle: this.options.bundle,
      id: run.workflowJob,
      workflowName: run.workflowName,
      parent: run.parent!,
    });
  }

  async workflowFinished(run: WorkflowRun, status: ExecutionStatus): Promise<void> {
    await endWorkflowJob(this.options.store, { id: run.workflowJob, parent: run.parent }, status);
  }

  async nodeRejected(node: NodeEvent, explanation: string): Promise<void> {
    await rejectNode(this.options.store, this.address(node), explanation);
  }

  async approvalExpired(node: NodeEvent): Promise<void> {
    // The waiter, told of the timeout, usually recorded it already.
    await expireApproval(this.options.store, this.address(node));
  }

  async nodeKept(node: NodeEvent): Promise<void> {
    await keepNode(this.options.store, this.address(node));
  }

  private async approve(address: NodeAddress, context: NodeContext): Promise<void> {
    const outcome = await runApproval(this.options.store, this.options.approvals, {
      ...address,
      path: context.path,
      taskToken: context.taskToken,
      signal: context.signal,
    });
    const name = locate(address).node.approval!.name;
    switch (outcome.status) {
      case 'approved':
        return;
      case 'denied':
        throw new NodeFailure(`approval '${name}' was denied`, APPROVAL_DENIED_ERROR);
      case 'timed_out':
        throw new NodeFailure(outcome.explanation!, 'States.Timeout');
      case 'canceled':
        throw new NodeFailure(outcome.explanation!, 'NodeCanceled');
    }
  }

  private workflowJob(id: number): Promise<WorkflowJobRecord> {
    let record = this.workflowJobs.get(id);
    if (!record) {
      record = this.options.store.getWorkflowJob(id).then((job) => {
        if (!job) throw new Error(`workflow job ${id} does not exist`);
        return job;
      });
      this.workflowJobs.set(id, record);
    }
    return record;
  }

  private address(node: Pick<NodeEvent, 'workflowJob' | 'workflowName' | 'node'>): NodeAddress {
    return {
      bundle: this.options.bundle,
      workflowJob: node.workflowJob,
      workflowName: node.workflowName,
      node: node.node,
    };
  }
}
