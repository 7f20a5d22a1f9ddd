import { NotFoundError } from '../errors';
import { answerApproval } from '../jobs/approvals';
import { isFinished } from '../jobs/job-status';
import { holdsBack } from '../jobs/simultaneous-jobs';
import { finishWorkflowJob, startWorkflowJob } from '../jobs/workflow-jobs';
import type { JobStore } from '../store/job-store';
import type { Actor, ApprovalChannel, ApprovalRecord, WorkflowJobRecord } from '../store/records';
import type { ApprovalDesk } from './approval-desk';
import type { ExecutionDescription, ExecutionPort } from './execution-port';

/**
 * The execution port in this process (`towerless run`, `towerless serve`): `start` queues the
 * job and returns; jobs start in launch order, each as soon as no job of the same template holds
 * it back (`allow_simultaneous: false`, docs/semantics.md §8), and run side by side in the
 * background. Capacity is counted per node job by the runner (docs/architecture.md §8), as AWX
 * counts it: a workflow job itself takes none.
 */

/** What runs a started workflow job: the embedded engine (lib/local), behind this small interface. */
export interface WorkflowJobRunner {
  run(job: WorkflowJobRecord): RunningWorkflowJob;
}

export interface RunningWorkflowJob {
  /** Settles once the job (nested jobs included) has ended and is recorded; rejects on an internal error. */
  readonly done: Promise<void>;
  /** Cancels the execution of `workflowJob`: this job, or a nested job in it. False if it is not running. */
  cancel(workflowJob: number): boolean;
}

export interface LocalExecutionOptions {
  readonly store: JobStore;
  readonly runner: WorkflowJobRunner;
  /** Told the answers given through `approve` and `deny`, when the runner waits at it. */
  readonly approvals?: ApprovalDesk;
}

export class LocalExecution implements ExecutionPort {
  private readonly store: JobStore;
  /** Pending jobs, in launch order. */
  private readonly queue: WorkflowJobRecord[] = [];
  private readonly running = new Map<number, { job: WorkflowJobRecord; run: RunningWorkflowJob }>();
  private readonly ends = new Map<number, { promise: Promise<void>; resolve: () => void }>();
  /** Starting is done by one pass at a time, so a job is never started twice. */
  private pass: Promise<void> = Promise.resolve();
  private draining = false;

  constructor(private readonly options: LocalExecutionOptions) {
    this.store = options.store;
  }

  async start(workflowJob: number): Promise<void> {
    const job = await this.store.getWorkflowJob(workflowJob);
    if (!job) throw new NotFoundError(`workflow job ${workflowJob} not found`);
    if (job.status !== 'pending' || this.ends.has(job.id)) return;
    this.trackEnd(job.id);
    this.queue.push(job);
    if (this.draining) await this.cancel(job.id);
    else await this.startReady();
  }

  async cancel(workflowJob: number): Promise<boolean> {
    const job = await this.store.getWorkflowJob(workflowJob);
    if (!job || isFinished(job.status)) return false;
    const queued = this.queue.findIndex((pending) => pending.id === job.id);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      await finishWorkflowJob(this.store, job.id, 'canceled');
      this.settle(job.id);
      void this.startReady();
      return true;
    }
    const top = await this.topOf(job);
    if (this.running.get(top)?.run.cancel(job.id)) return true;
    // Pending and not queued here: about to start (the start then finds it ended), or left by
    // a process that is gone.
    if (job.status === 'pending') return finishWorkflowJob(this.store, job.id, 'canceled');
    return false;
  }

  async describe(workflowJob: number): Promise<ExecutionDescription | undefined> {
    const job = await this.store.getWorkflowJob(workflowJob);
    return job && { workflowJob: job.id, status: job.status, canCancel: !isFinished(job.status) };
  }

  approve(approval: number, by: Actor | null, via?: ApprovalChannel): Promise<ApprovalRecord> {
    return this.answer(approval, 'approved', by, via);
  }

  deny(approval: number, by: Actor | null, via?: ApprovalChannel): Promise<ApprovalRecord> {
    return this.answer(approval, 'denied', by, via);
  }

  /** Resolves with the job's final record once it has ended (a job this process started or queued). */
  async finished(workflowJob: number): Promise<WorkflowJobRecord | undefined> {
    await this.ends.get(workflowJob)?.promise;
    return this.store.getWorkflowJob(workflowJob);
  }

  /**
   * For a server told to stop (SIGTERM): jobs waiting to start end `canceled`, running ones are
   * canceled cleanly (their playbooks stopped), and this resolves when all have ended. Jobs
   * started afterwards are canceled at once.
   */
  async drain(): Promise<void> {
    this.draining = true;
    await Promise.all(
      [...this.queue, ...[...this.running.values()].map((r) => r.job)].map((job) => this.cancel(job.id)),
    );
    await Promise.all([...this.ends.values()].map((end) => end.promise));
  }

  private async answer(
    id: number,
    answer: 'approved' | 'denied',
    by: Actor | null,
    via?: ApprovalChannel,
  ): Promise<ApprovalRecord> {
    const record = await answerApproval(this.store, id, answer, by, via);
    if (record.task_token) this.options.approvals?.answer(record.task_token, answer);
    return record;
  }

  /** Starts every queued job nothing holds back, in launch order. */
  private startReady(): Promise<void> {
    this.pass = this.pass.then(async () => {
      for (const job of [...this.queue]) {
        if (this.heldBack(job)) continue;
        this.queue.splice(this.queue.indexOf(job), 1);
        // Canceled since it was queued: it has ended already.
        if (!(await startWorkflowJob(this.store, job.id))) this.settle(job.id);
        else this.launch(job);
      }
    });
    return this.pass;
  }

  /** docs/semantics.md §8: a job of a template that does not allow simultaneous jobs waits for the others. */
  private heldBack(job: WorkflowJobRecord): boolean {
    const earlier = this.queue.slice(0, this.queue.indexOf(job));
    return [...earlier, ...[...this.running.values()].map((running) => running.job)].some((other) =>
      holdsBack(other, job),
    );
  }

  private launch(job: WorkflowJobRecord): void {
    const run = this.options.runner.run({ ...job, status: 'running' });
    this.running.set(job.id, { job, run });
    // Started while a drain was collecting what to cancel: it is canceled like the others.
    if (this.draining) run.cancel(job.id);
    void run.done
      .catch((error: Error) =>
        // An internal error, not a job failure: the job ends `error`, saying so.
        finishWorkflowJob(this.store, job.id, 'error', {
          explanation: `The job stopped on an internal error: ${error.message}`,
        }).catch(() => undefined),
      )
      .finally(() => {
        this.running.delete(job.id);
        this.settle(job.id);
        void this.startReady();
      });
  }

  /** The top workflow job a (nested) job runs in. */
  private async topOf(job: WorkflowJobRecord): Promise<number> {
    let top = job;
    while (top.parent) {
      const parent = await this.store.getWorkflowJob(top.parent.workflowJob);
      if (!parent) break;
      top = parent;
    }
    return top.id;
  }

  private trackEnd(id: number): void {
    let resolve!: () => void;
    const promise = new Promise<void>((done) => (resolve = done));
    this.ends.set(id, { promise, resolve });
  }

  private settle(id: number): void {
    this.ends.get(id)?.resolve();
    this.ends.delete(id);
  }
}
