import './polyfills';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { ExecutionAbortedError, StateMachine } from 'aws-local-stepfunctions';
import type { StateMachineDefinition } from '../compiler/asl';
import type { CompiledWorkflow } from '../compiler/compile';
import type { TaskBinding } from '../compiler/emit';
import { WORKFLOW_FAILED_ERROR } from '../compiler/emit';
import { TIMED_OUT } from '../jobs/approvals';
import type { NodeKind } from '../semantics/graph';
import type { Outcomes } from '../execution/lane-outcomes';
import { SyncBoard, type SyncService } from './sync-board';

/**
 * The embedded engine: runs compiled ASL, unchanged, on aws-local-stepfunctions, with local
 * handlers standing in for ECS tasks, approval Lambdas and nested executions.
 */

export type ExecutionStatus = 'successful' | 'failed' | 'canceled';

/** The node a handler is asked to run. */
export interface NodeContext {
  readonly workflowName: string;
  readonly workflowJob: number;
  /** Identifiers of enclosing nested-workflow nodes, outermost first. */
  readonly path: readonly string[];
  readonly node: string;
  readonly kind: Exclude<NodeKind, 'workflow' | 'missing'>;
  /** This task's own token, as Step Functions gives each `.waitForTaskToken` task one. */
  readonly taskToken: string;
  readonly signal: AbortSignal;
}

/** Thrown by a handler to fail its node; `name` becomes the Step Functions error name. */
export class NodeFailure extends Error {
  constructor(
    message: string,
    readonly errorName = 'NodeFailed',
  ) {
    super(message);
    this.name = errorName;
  }
}

/** A workflow execution: the top one, or a nested one started by the `parent` node. */
export interface WorkflowRun {
  readonly workflowName: string;
  readonly workflowJob: number;
  readonly path: readonly string[];
  readonly parent?: { readonly workflowName: string; readonly workflowJob: number; readonly node: string };
}

export interface NodeHandlers {
  /** Runs a job, sync or approval node: resolve for success, throw (a NodeFailure) for failure. */
  run(context: NodeContext): Promise<void>;
  /** A nested workflow node is about to start its execution: create its workflow job. */
  workflowStarting?(workflow: WorkflowRun): Promise<void>;
  /**
   * A workflow execution ends (record its status; a nested one's node outcome): from its machine's
   * last task, or after it stopped otherwise (canceled).
   */
  workflowFinished?(workflow: WorkflowRun, status: ExecutionStatus): Promise<void>;
  /** A node that fails when spawned, without running (recursion, missing template). */
  nodeRejected?(node: NodeEvent, explanation: string): Promise<void>;
  /** An approval node's timeout elapsed (its machine then fails the node). */
  approvalExpired?(node: NodeEvent): Promise<void>;
  /** A resume's kept node is reached: it succeeds with the job it had (docs/semantics.md §13.11). */
  nodeKept?(node: NodeEvent): Promise<void>;
}

/** Everything observable about a node run, for progress output and tests. */
export interface NodeEvent {
  readonly workflowName: string;
  readonly workflowJob: number;
  readonly path: readonly string[];
  readonly node: string;
  readonly kind: NodeKind;
}

export interface EngineObserver {
  /** A workflow execution (the top one, or a nested one at `path`) starts. */
  executionStarted?(execution: {
    readonly workflowName: string;
    readonly workflowJob: number;
    readonly path: readonly string[];
  }): void;
  nodeStarted?(event: NodeEvent): void;
  /** A resume's kept node is reached: it succeeds without running. */
  nodeKept?(event: NodeEvent): void;
  nodeFinished?(
    event: NodeEvent & { readonly status: 'successful' | 'failed'; readonly explanation?: string },
  ): void;
  /** Every state transition (Step Functions bills per transition), from the interpreter's event log. */
  stateEntered?(event: {
    readonly workflowName: string;
    readonly state: string;
    readonly type: string;
  }): void;
  /** Every execution history event as the interpreter reports it (inputs and outputs included). */
  history?(event: unknown): void;
}

export interface RunRequest {
  readonly workflowName: string;
  /** The workflow job's id (default: a new one). */
  readonly workflowJob?: number;
  readonly signal?: AbortSignal;
}

export interface RunResult {
  readonly workflowJob: number;
  readonly status: ExecutionStatus;
}

/** setTimeout's ceiling: the local interpreter would otherwise default Task timeouts to 60 s. */
const MAX_LOCAL_TIMEOUT_SECONDS = 2_147_483;

interface Execution extends WorkflowRun {
  readonly signal: AbortSignal;
}

export interface EngineOptions {
  readonly observer?: EngineObserver;
  readonly sync?: SyncService;
  /**
   * Ids for workflow jobs the engine starts (nested ones, and a run without one): the store's
   * unified job sequence; by default a count from 1 (simulations record nothing).
   */
  readonly nextWorkflowJobId?: () => Promise<number>;
  /**
   * Retries start at once instead of after their delay (docs/semantics.md §13.12): simulations and
   * tests force outcomes, and nothing is gained by waiting for the next attempt.
   */
  readonly instantRetries?: boolean;
}

export class LocalEngine {
  private readonly machines = new Map<string, StateMachine>();
  private readonly observer: EngineObserver;
  private readonly sync: SyncService;
  private readonly nextWorkflowJobId: () => Promise<number>;
  private readonly instantRetries: boolean;
  /** Each running execution's own cancel (a nested job can be canceled alone, as in AWX). */
  private readonly cancels = new Map<number, AbortController>();
  /** Workflow jobs whose machine recorded their end (its last task) while still running. */
  private readonly recorded = new Set<number>();

  constructor(
    private readonly compile: (workflowName: string) => CompiledWorkflow,
    private readonly handlers: NodeHandlers,
    options: EngineOptions = {},
  ) {
    this.observer = options.observer ?? {};
    this.sync = options.sync ?? new SyncBoard();
    let count = 0;
    this.nextWorkflowJobId = options.nextWorkflowJobId ?? (async () => ++count);
    this.instantRetries = options.instantRetries ?? false;
  }

  async run(request: RunRequest): Promise<RunResult> {
    const workflowJob = request.workflowJob ?? (await this.nextWorkflowJobId());
    const status = await this.execute(
      { workflowName: request.workflowName, workflowJob, path: [] },
      request.signal ?? new AbortController().signal,
      { wj: { id: workflowJob }, anc: '|', o: { s: {}, f: {} } },
    );
    return { workflowJob, status };
  }

  /** Cancels a running execution (a nested one too); false when none of that job runs. */
  cancel(workflowJob: number): boolean {
    const controller = this.cancels.get(workflowJob);
    controller?.abort('canceled');
    return controller !== undefined;
  }

  private async execute(
    run: WorkflowRun,
    outer: AbortSignal,
    input: Record<string, unknown>,
  ): Promise<ExecutionStatus> {
    const own = new AbortController();
    const signal = AbortSignal.any([outer, own.signal]);
    // Every running node listens for cancellation: a wide fork is not a listener leak.
    setMaxListeners(0, signal);
    this.cancels.set(run.workflowJob, own);
    try {
      return await this.executeRun({ ...run, signal }, input);
    } finally {
      this.cancels.delete(run.workflowJob);
    }
  }

  private async executeRun(execution: Execution, input: Record<string, unknown>): Promise<ExecutionStatus> {
    const compiled = this.compile(execution.workflowName);
    this.observer.executionStarted?.(execution);
    const executionId = `local:${execution.workflowName}:${execution.workflowJob}`;
    // Handlers still running when the execution ends (canceled) are awaited: nothing is left behind.
    const running = new Set<Promise<unknown>>();
    const run = this.machine(compiled).run(input as never, {
      overrides: {
        taskResourceLocalHandlers: this.bindTasks(compiled, execution, running) as never,
        ...(this.instantRetries ? { retryIntervalOverrides: noRetryDelays(compiled) } : {}),
      },
      context: {
        Execution: {
          Id: executionId,
          Name: String(execution.workflowJob),
          Input: input,
          StartTime: new Date().toISOString(),
        },
        Task: { Token: 'local' },
      } as never,
    });
    if (this.observer.stateEntered || this.observer.history)
      void this.forwardHistory(run.eventLogs, execution.workflowName);
    const abort = () => run.abort();
    execution.signal.addEventListener('abort', abort, { once: true });
    // Canceled before it got here (while its workflow job was being created).
    if (execution.signal.aborted) abort();
    const status = await run.result
      .then(
        (): ExecutionStatus => 'successful',
        (error: unknown): ExecutionStatus => {
          if (error instanceof ExecutionAbortedError || execution.signal.aborted) return 'canceled';
          if ((error as { cause?: { name?: string } }).cause?.name === WORKFLOW_FAILED_ERROR) return 'failed';
          throw error;
        },
      )
      .finally(() => {
        execution.signal.removeEventListener('abort', abort);
        this.sync.release(executionId);
      });
    await Promise.allSettled([...running]);
    if (!this.recorded.delete(execution.workflowJob))
      await this.handlers.workflowFinished?.(execution, status);
    return status;
  }

  private async forwardHistory(events: AsyncGenerator<unknown>, workflowName: string): Promise<void> {
    for await (const event of events as AsyncGenerator<{
      type: string;
      state?: { name: string; type: string };
    }>) {
      this.observer.history?.(event);
      if (event.type === 'StateEntered' && event.state) {
        this.observer.stateEntered?.({ workflowName, state: event.state.name, type: event.state.type });
      }
    }
  }

  /** One interpreter per compiled definition, reused by every execution of it. */
  private machine(compiled: CompiledWorkflow): StateMachine {
    let machine = this.machines.get(compiled.workflowName);
    if (!machine) {
      // The interpreter's own schema validation costs a few hundred ms on a cold start; the
      // compiler checks its output's structure on every compile and the tests run asl-validator
      // on every kind of definition it emits.
      const validationOptions = { noValidate: true };
      machine = new StateMachine(localDefinition(compiled.definition) as never, { validationOptions });
      this.machines.set(compiled.workflowName, machine);
    }
    return machine;
  }

  private bindTasks(
    compiled: CompiledWorkflow,
    execution: Execution,
    running: Set<Promise<unknown>>,
  ): Record<string, (input: unknown) => Promise<unknown>> {
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [stateName, binding] of Object.entries(compiled.tasks)) {
      handlers[stateName] = (input) => {
        const task = this.handle(binding, input, execution, compiled);
        running.add(task);
        void task.then(
          () => running.delete(task),
          () => running.delete(task),
        );
        return task;
      };
    }
    return handlers;
  }

  private async handle(
    binding: TaskBinding,
    input: unknown,
    execution: Execution,
    compiled: CompiledWorkflow,
  ): Promise<unknown> {
    switch (binding.role) {
      case 'sync': {
        const payload = (
          input as { Payload: { execution: string; publish: string[]; wait: string[]; outcomes: Outcomes } }
        ).Payload;
        return this.sync.exchange(payload);
      }
      case 'finish':
        await this.handlers.workflowFinished?.(execution, binding.status);
        this.recorded.add(execution.workflowJob);
        return {};
      case 'spawn':
        // What `lambda:invoke` returns: the record function's answer is the task's `Payload`.
        return { Payload: { id: await this.spawn(binding.node, binding.workflow, execution) } };
      case 'expire':
        await this.handlers.approvalExpired?.(this.nodeEvent(binding.node, execution, compiled));
        return {};
      case 'keep': {
        const event = this.nodeEvent(binding.node, execution, compiled);
        await this.handlers.nodeKept?.(event);
        this.observer.nodeKept?.(event);
        return {};
      }
      case 'reject': {
        const event = this.nodeEvent(binding.node, execution, compiled);
        this.observer.nodeStarted?.(event);
        await this.handlers.nodeRejected?.(event, binding.explanation);
        this.observer.nodeFinished?.({ ...event, status: 'failed', explanation: binding.explanation });
        return {};
      }
      case 'node':
        return this.runNode(binding, input, execution, compiled);
    }
  }

  private nodeEvent(node: string, execution: Execution, compiled: CompiledWorkflow): NodeEvent {
    return {
      workflowName: execution.workflowName,
      workflowJob: execution.workflowJob,
      path: execution.path,
      node,
      kind: compiled.graph.node(node).kind,
    };
  }

  private async runNode(
    binding: Extract<TaskBinding, { role: 'node' }>,
    input: unknown,
    execution: Execution,
    compiled: CompiledWorkflow,
  ): Promise<unknown> {
    const event = this.nodeEvent(binding.node, execution, compiled);
    this.observer.nodeStarted?.(event);
    let result: unknown = {};
    try {
      if (binding.kind === 'workflow')
        result = await this.runNested(
          binding.node,
          compiled.graph.node(binding.node).template!,
          input,
          execution,
        );
      else {
        await this.runWithTimeout(binding.timeoutSeconds, execution.signal, (signal) =>
          this.handlers.run({
            ...event,
            kind: binding.kind as NodeContext['kind'],
            taskToken: `local:${randomUUID()}`,
            signal,
          }),
        );
      }
    } catch (error) {
      this.observer.nodeFinished?.({ ...event, status: 'failed', explanation: (error as Error).message });
      throw error;
    }
    this.observer.nodeFinished?.({ ...event, status: 'successful' });
    return result;
  }

  /** A nested workflow's job, created before its execution starts; its id names the execution. */
  private async spawn(node: string, workflowName: string, outer: Execution): Promise<number> {
    const workflowJob = await this.nextWorkflowJobId();
    await this.handlers.workflowStarting?.(nestedRun(node, workflowName, workflowJob, outer));
    return workflowJob;
  }

  /**
   * The interpreter enforces a Task's TimeoutSeconds by abandoning its handler; this races the
   * same timeout so the node is reported as timed out and its handler is told to stop.
   */
  private async runWithTimeout(
    seconds: number | undefined,
    outer: AbortSignal,
    run: (signal: AbortSignal) => Promise<void>,
  ): Promise<void> {
    const controller = new AbortController();
    const abort = () => controller.abort(outer.reason);
    outer.addEventListener('abort', abort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      if (seconds !== undefined) timer = setTimeout(() => resolve('expired'), seconds * 1000);
    });
    const running = run(controller.signal);
    try {
      if ((await Promise.race([running, expired])) !== 'expired') return;
      // Timed out: tell the handler, and let it finish (it records the expiry) before failing.
      controller.abort(TIMED_OUT);
      await running.catch(() => undefined);
      throw new NodeFailure(`expired after ${seconds} seconds`, 'States.Timeout');
    } finally {
      clearTimeout(timer);
      outer.removeEventListener('abort', abort);
    }
  }

  /**
   * `startExecution.sync:2`: the nested execution's input is the Task's `Input` parameter, its
   * workflow job the one the spawn task created; success returns what Step Functions returns (the
   * execution's description).
   */
  private async runNested(
    node: string,
    workflowName: string,
    input: unknown,
    outer: Execution,
  ): Promise<unknown> {
    const { Input } = input as { Input: { wj: { id: number } } & Record<string, unknown> };
    const workflowJob = Input.wj.id;
    const status = await this.execute(nestedRun(node, workflowName, workflowJob, outer), outer.signal, Input);
    if (status !== 'successful') {
      throw new NodeFailure(`nested workflow '${workflowName}' ended ${status}`, 'States.TaskFailed');
    }
    return { Status: 'SUCCEEDED', Name: String(workflowJob), Output: {} };
  }
}

/** Every node task's retries, without their delay. */
function noRetryDelays(compiled: CompiledWorkflow): Record<string, number> {
  return Object.fromEntries(
    Object.entries(compiled.tasks)
      .filter(([, binding]) => binding.role === 'node')
      .map(([state]) => [state, 0]),
  );
}

/** The nested workflow execution that `node` of `outer` starts. */
function nestedRun(node: string, workflowName: string, workflowJob: number, outer: WorkflowRun): WorkflowRun {
  return {
    workflowName,
    workflowJob,
    path: [...outer.path, node],
    parent: { workflowName: outer.workflowName, workflowJob: outer.workflowJob, node },
  };
}

/**
 * The deployed definition with one local adjustment: Task states without TimeoutSeconds wait as
 * long as they need in AWS, but the interpreter would time them out after 60 s.
 */
function localDefinition(definition: StateMachineDefinition): StateMachineDefinition {
  const patch = (states: Record<string, Record<string, unknown>>): Record<string, Record<string, unknown>> =>
    Object.fromEntries(
      Object.entries(states).map(([name, state]) => {
        const patched = { ...state };
        if (state.Type === 'Task') {
          patched.TimeoutSeconds = Math.min(
            (state.TimeoutSeconds as number | undefined) ?? MAX_LOCAL_TIMEOUT_SECONDS,
            MAX_LOCAL_TIMEOUT_SECONDS,
          );
        }
        if (Array.isArray(state.Branches)) {
          patched.Branches = (state.Branches as { States: Record<string, Record<string, unknown>> }[]).map(
            (branch) => ({ ...branch, States: patch(branch.States) }),
          );
        }
        return [name, patched];
      }),
    );
  return { ...definition, States: patch(definition.States as never) as never };
}
