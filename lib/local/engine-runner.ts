import { ApprovalDesk } from '../execution/approval-desk';
import { CapacityPool, instanceCapacity } from '../execution/capacity';
import {
  LocalExecution,
  type RunningWorkflowJob,
  type WorkflowJobRunner,
} from '../execution/local-execution';
import type { ApprovalPolicy } from '../jobs/approvals';
import type { SecretProvider } from '../runner/secrets';
import type { JobStore } from '../store/job-store';
import type { WorkflowJobRecord } from '../store/records';
import type { DataFolder } from './data-folder';
import { LocalEngine, type EngineObserver } from './engine';
import { JobHandlers } from './job-handlers';
import { workflowCompiler } from './workflow-compiler';

/**
 * The execution port of a local process (`towerless run`, `towerless serve`): the workflow
 * jobs' compiled machines on the embedded engine, many at once, with the store, the secret store
 * and the data folder of the process.
 */
export interface LocalExecutionSetup {
  readonly store: JobStore;
  readonly secrets: SecretProvider;
  readonly data: DataFolder;
  /** Who answers approvals; by default the execution port's `approve` and `deny` (a server). */
  readonly approvals?: ApprovalPolicy;
  /** Forks that may run at once; by default AWX's instance capacity of this machine. */
  readonly capacity?: number;
  readonly observer?: EngineObserver;
  /** Each job event, sanitised (the event log). */
  readonly onEvent?: (event: Record<string, unknown>) => void;
}

export function createLocalExecution(setup: LocalExecutionSetup): LocalExecution {
  const desk = new ApprovalDesk();
  const runner = new LocalWorkflowRunner({
    ...setup,
    approvals: setup.approvals ?? desk,
    capacity: new CapacityPool(setup.capacity ?? instanceCapacity()),
  });
  return new LocalExecution({ store: setup.store, runner, approvals: desk });
}

interface RunnerOptions extends Omit<LocalExecutionSetup, 'capacity' | 'approvals'> {
  readonly approvals: ApprovalPolicy;
  readonly capacity: CapacityPool;
}

/** Runs one workflow job's machine, from the definitions saved with it, on an engine of its own. */
class LocalWorkflowRunner implements WorkflowJobRunner {
  constructor(private readonly options: RunnerOptions) {}

  run(job: WorkflowJobRecord): RunningWorkflowJob {
    const { store } = this.options;
    const canceled = new AbortController();
    let engine: LocalEngine | undefined;
    const done = (async () => {
      const bundle = await store.getDefinitions(job.id);
      if (!bundle) throw new Error(`workflow job ${job.id} has no saved definitions`);
      const handlers = new JobHandlers({ ...this.options, bundle, baseDir: job.base_dir });
      const resume = job.resumes && { workflow: job.name, kept: job.resumes.kept };
      engine = new LocalEngine(workflowCompiler(bundle, resume), handlers, {
        observer: this.options.observer,
        nextWorkflowJobId: () => store.nextJobId(),
      });
      await engine.run({ workflowName: job.name, workflowJob: job.id, signal: canceled.signal });
    })();
    return {
      done,
      cancel: (workflowJob) => {
        if (workflowJob !== job.id) return engine?.cancel(workflowJob) ?? false;
        canceled.abort('canceled');
        return true;
      },
    };
  }
}
