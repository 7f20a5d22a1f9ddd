import {
  ExecutionDoesNotExist,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { executionName, stateMachineName, type DeploymentTarget } from '../compiler/target';
import { NotFoundError, UserError } from '../errors';
import { answerApproval, APPROVAL_DENIED_ERROR, closeApproval } from '../jobs/approvals';
import { approvalDenied } from '../jobs/explanations';
import { isFinished } from '../jobs/job-status';
import { endWorkflowJob } from '../jobs/nested-workflow-jobs';
import { holdsBack } from '../jobs/simultaneous-jobs';
import { nodeAddress } from '../jobs/node-jobs';
import { finishWorkflowJob, startWorkflowJob } from '../jobs/workflow-jobs';
import type { JobStore } from '../store/job-store';
import type { Actor, ApprovalChannel, ApprovalRecord, WorkflowJobRecord } from '../store/records';
import { ignoreClosedTask } from '../runner/task-callback';
import type { ExecutionDescription, ExecutionPort } from './execution-port';
import type { StateMachineDeployer } from './state-machine-deployer';

/**
 * The execution port in AWS: a started workflow job is an execution of its workflow's `live`
 * machine (a resume's, of a version of its own), named after the job (lib/compiler/target.ts), so
 * starting twice is one execution and every execution names its job. Nothing waits in a process:
 * a job held back by another of its template (docs/semantics.md §8) stays `pending` until the end
 * of that one starts it (lib/execution/execution-events.ts).
 */
export interface StepFunctionsExecutionOptions {
  readonly store: JobStore;
  readonly sfn: SFNClient;
  readonly deployer: StateMachineDeployer;
  readonly target: DeploymentTarget;
}

export class StepFunctionsExecution implements ExecutionPort {
  constructor(private readonly options: StepFunctionsExecutionOptions) {}

  async start(workflowJob: number): Promise<void> {
    const { store } = this.options;
    const job = await store.getWorkflowJob(workflowJob);
    if (!job) throw new NotFoundError(`workflow job ${workflowJob} not found`);
    if (job.status !== 'pending' || (await this.heldBack(job))) return;
    if (!(await startWorkflowJob(store, job.id))) return; // canceled meanwhile
    try {
      const bundle = await store.getDefinitions(job.id);
      if (!bundle) throw new UserError(`workflow job ${job.id} has no saved definitions`);
      const { deployer } = this.options;
      // A resume runs a version of its own (docs/semantics.md §13.11), gone once started.
      const resume = job.resumes?.kept.length
        ? await deployer.resumeVersion(bundle, job.name, job.id, new Set(job.resumes.kept))
        : undefined;
      const machine = resume ?? (await deployer.ensureLive(bundle, job.name));
      try {
        await this.options.sfn.send(
          new StartExecutionCommand({
            stateMachineArn: machine,
            name: executionName(job.id),
            input: JSON.stringify({ wj: { id: job.id }, anc: '|', o: { s: {}, f: {} } }),
          }),
        );
      } finally {
        // A version left behind (the delete failed) is never run again: the start stands.
        if (resume) await deployer.deleteVersion(resume).catch(() => undefined);
      }
    } catch (error) {
      // The job never ran: it ends `error`, saying why (a user error's own words, else its kind).
      const reason = error instanceof UserError ? error.message : `${(error as Error).name}`;
      await finishWorkflowJob(store, job.id, 'error', {
        explanation: `The workflow could not start: ${reason}`,
      });
      await this.startNext(job);
    }
  }

  async cancel(workflowJob: number): Promise<boolean> {
    const { store } = this.options;
    const job = await store.getWorkflowJob(workflowJob);
    if (!job || isFinished(job.status)) return false;
    if (job.status === 'running') {
      try {
        await this.options.sfn.send(new StopExecutionCommand({ executionArn: this.executionArn(job) }));
      } catch (error) {
        // Not started yet (it was about to): its start then finds the job ended.
        if (!(error instanceof ExecutionDoesNotExist)) throw error;
      }
    }
    // Recorded now rather than from the status change: the API answers with the canceled job.
    await endWorkflowJob(store, job, 'canceled');
    if (!job.parent) await this.startNext(job);
    return true;
  }

  async describe(workflowJob: number): Promise<ExecutionDescription | undefined> {
    const job = await this.options.store.getWorkflowJob(workflowJob);
    return job && { workflowJob: job.id, status: job.status, canCancel: !isFinished(job.status) };
  }

  approve(approval: number, by: Actor | null, via?: ApprovalChannel): Promise<ApprovalRecord> {
    return this.answer(approval, 'approved', by, via);
  }

  deny(approval: number, by: Actor | null, via?: ApprovalChannel): Promise<ApprovalRecord> {
    return this.answer(approval, 'denied', by, via);
  }

  /**
   * After a job of `ended`'s template ended (or was refused): starts the earliest job it held
   * back, if any. Called from the end of every top-level job.
   */
  async startNext(ended: WorkflowJobRecord): Promise<void> {
    const waiting = (await this.options.store.unfinishedWorkflowJobs())
      .filter((job) => job.status === 'pending' && !job.parent && holdsBack(ended, job))
      .sort((a, b) => a.id - b.id);
    if (waiting[0]) await this.start(waiting[0].id);
  }

  /**
   * The decision is recorded (the first decision wins), the node's job ends with it, then the
   * waiting task is resumed. A task that no longer waits (its execution was stopped) needs nothing.
   */
  private async answer(
    id: number,
    answer: 'approved' | 'denied',
    by: Actor | null,
    via?: ApprovalChannel,
  ): Promise<ApprovalRecord> {
    const { store } = this.options;
    const record = await answerApproval(store, id, answer, by, via);
    await closeApproval(store, await nodeAddress(store, record.workflowJob, record.node), id, answer);
    if (record.task_token) await this.resume(record.task_token, answer, record.name).catch(ignoreClosedTask);
    return record;
  }

  private async resume(taskToken: string, answer: 'approved' | 'denied', name: string): Promise<void> {
    if (answer === 'approved')
      await this.options.sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{}' }));
    else
      await this.options.sfn.send(
        new SendTaskFailureCommand({ taskToken, error: APPROVAL_DENIED_ERROR, cause: approvalDenied(name) }),
      );
  }

  private async heldBack(job: WorkflowJobRecord): Promise<boolean> {
    if (job.allow_simultaneous || job.parent) return false;
    const others = await this.options.store.unfinishedWorkflowJobs();
    return others.some((other) => (other.status === 'running' || other.id < job.id) && holdsBack(other, job));
  }

  /** Executions are named after their job, on the machine of their workflow. */
  private executionArn(job: WorkflowJobRecord): string {
    const prefix = this.options.target.stateMachineArnPrefix.replace(/:stateMachine:$/, ':execution:');
    return `${prefix}${stateMachineName(job.name)}:${executionName(job.id)}`;
  }
}
