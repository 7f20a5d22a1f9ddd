import '../../lib/local/polyfills';
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError } from 'aws-local-stepfunctions';
import { randomUUID } from 'node:crypto';
import {
  historyEvents,
  type HistoryDetails,
  type InterpreterEvent,
  type TaskRecord,
} from './step-functions-history';
import type { Machines, StartTarget } from './step-functions-machines';
import type { AslState } from './step-functions-program';
import { TaskIntegrations, type ChildExecution, type Integrations } from './step-functions-tasks';
import { TaskTokens, type TimeoutErrors } from './step-functions-tokens';
import {
  jsonText,
  optionalText,
  requiredText,
  StepFunctionsError,
  type Request,
} from './step-functions-wire';

/**
 * Executions: started on a revision of a state machine, run by aws-local-stepfunctions with the
 * twin's task integrations, described, stopped and their history paged, as in Step Functions.
 */

type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

interface Outcome {
  readonly status: Exclude<Status, 'RUNNING'>;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

export type StatusChange = (event: {
  source: 'aws.states';
  'detail-type': 'Step Functions Execution Status Change';
  detail: Record<string, unknown>;
}) => void;

export interface ExecutionsOptions extends Integrations {
  readonly region: string;
  readonly account: string;
  readonly onExecutionStatusChange?: StatusChange;
}

/** Execution names may not hold white space, brackets, wildcards, these specials or controls. */
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]{1,80}$/u;
const MAX_HISTORY_PAGE = 1000;
/** A promise that never settles: what an ended execution's tasks return. */
const NEVER = new Promise<never>(() => undefined);

class Execution implements ChildExecution {
  status: Status = 'RUNNING';
  outcome?: Outcome;
  stopDate?: Date;
  transitions = 0;
  readonly startDate = new Date();
  readonly history: (HistoryDetails & { id: number; timestamp: Date })[] = [];
  /** Every running task's release: the execution's end releases them all. */
  readonly releases = new Set<AbortController>();
  readonly records = new Map<string, TaskRecord>();
  readonly ended: Promise<void>;
  markEnded!: () => void;
  abort: () => void = () => undefined;

  constructor(
    readonly arn: string,
    readonly name: string,
    readonly target: StartTarget,
    readonly input: string,
  ) {
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
  }

  append(event: HistoryDetails, timestamp = new Date()): void {
    const id = this.history.length + 1;
    this.history.push({ ...event, id, ...(id > 1 ? { previousEventId: id - 1 } : {}), timestamp });
  }

  describe(): Record<string, unknown> {
    const { machine, versionArn, aliasArn } = this.target;
    return {
      executionArn: this.arn,
      stateMachineArn: machine.arn,
      name: this.name,
      status: this.status,
      startDate: this.startDate,
      input: this.input,
      inputDetails: { included: true },
      ...(this.stopDate ? { stopDate: this.stopDate } : {}),
      ...(this.outcome?.output !== undefined
        ? { output: this.outcome.output, outputDetails: { included: true } }
        : {}),
      ...optionalField('error', this.outcome?.error),
      ...optionalField('cause', this.outcome?.cause),
      ...optionalField('stateMachineVersionArn', versionArn),
      ...optionalField('stateMachineAliasArn', aliasArn),
    };
  }
}

export class Executions {
  private readonly executions = new Map<string, Execution>();
  private readonly integrations: TaskIntegrations;
  readonly tokens: TaskTokens;
  /** The one `$$.Task.Token` the interpreter knows; each task entry replaces it with its own token. */
  private readonly tokenSentinel = `twin-task-token-${randomUUID()}`;

  constructor(
    private readonly machines: Machines,
    private readonly options: ExecutionsOptions,
    private readonly errors: TimeoutErrors,
  ) {
    this.tokens = new TaskTokens(errors);
    const nested = {
      start: (request: { stateMachineArn: string; input: string; name?: string }) => this.launch(request),
      stop: (child: ChildExecution) => this.end(child as Execution, { status: 'ABORTED' }),
    };
    this.integrations = new TaskIntegrations(options, this.tokens, nested, this.tokenSentinel);
  }

  start(input: Request): Record<string, unknown> {
    const execution = this.launch({
      stateMachineArn: requiredText(input, 'stateMachineArn'),
      input: optionalText(input, 'input') ?? '{}',
      name: optionalText(input, 'name'),
    });
    return { executionArn: execution.arn, startDate: execution.startDate };
  }

  describe(input: Request): Record<string, unknown> {
    return this.execution(requiredText(input, 'executionArn')).describe();
  }

  stop(input: Request): Record<string, unknown> {
    const execution = this.execution(requiredText(input, 'executionArn'));
    this.end(execution, {
      status: 'ABORTED',
      ...optionalField('error', optionalText(input, 'error')),
      ...optionalField('cause', optionalText(input, 'cause')),
    });
    return { stopDate: execution.stopDate };
  }

  history(input: Request): Record<string, unknown> {
    const execution = this.execution(requiredText(input, 'executionArn'));
    const events = input.reverseOrder === true ? [...execution.history].reverse() : execution.history;
    const start = pageStart(optionalText(input, 'nextToken'));
    const size = Math.min(Number(input.maxResults) || 100, MAX_HISTORY_PAGE);
    const end = start + size;
    return {
      events: events.slice(start, end),
      ...(end < events.length ? { nextToken: Buffer.from(String(end)).toString('base64') } : {}),
    };
  }

  /** Resolves when the execution has ended. */
  async ended(executionArn: string): Promise<Record<string, unknown>> {
    const execution = this.execution(executionArn);
    await execution.ended;
    return execution.describe();
  }

  transitions(executionArn: string): number {
    return this.execution(executionArn).transitions;
  }

  stopAll(): void {
    for (const execution of this.executions.values()) this.end(execution, { status: 'ABORTED' });
  }

  private execution(arn: string): Execution {
    if (!arn.startsWith(`arn:aws:states:${this.options.region}:${this.options.account}:execution:`))
      throw new StepFunctionsError('InvalidArn', `Invalid Arn: '${arn}'`);
    const execution = this.executions.get(arn);
    if (!execution)
      throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  }

  /**
   * A name is unique per state machine: the same running execution answers a repeated start with
   * the same input (StartExecution is idempotent); anything else is ExecutionAlreadyExists.
   */
  private launch(request: { stateMachineArn: string; input: string; name?: string }): Execution {
    const target = this.machines.resolve(request.stateMachineArn);
    const name = request.name ?? randomUUID();
    if (!EXECUTION_NAME.test(name)) throw new StepFunctionsError('InvalidName', `Invalid Name: '${name}'`);
    jsonText(request.input, 'InvalidExecutionInput', 'Invalid execution input');
    const arn = `arn:aws:states:${this.options.region}:${this.options.account}:execution:${target.machine.name}:${name}`;
    const existing = this.executions.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === request.input) return existing;
      throw new StepFunctionsError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const execution = new Execution(arn, name, target, request.input);
    this.executions.set(arn, execution);
    this.run(execution);
    return execution;
  }

  private run(execution: Execution): void {
    const { machine, revision } = execution.target;
    execution.append({
      type: 'ExecutionStarted',
      executionStartedEventDetails: {
        input: execution.input,
        inputDetails: { truncated: false },
        roleArn: revision.roleArn,
        ...optionalField('stateMachineVersionArn', execution.target.versionArn),
        ...optionalField('stateMachineAliasArn', execution.target.aliasArn),
      },
    });
    const handlers = Object.fromEntries(
      [...revision.program.tasks].map(([name, state]) => [
        name,
        (input: unknown) => this.task(execution, name, state, input),
      ]),
    );
    const run = revision.program.interpreter.run(JSON.parse(execution.input) as never, {
      overrides: { taskResourceLocalHandlers: handlers as never },
      context: {
        Execution: { Id: execution.arn, Name: execution.name, RoleArn: revision.roleArn },
        StateMachine: { Id: machine.arn, Name: machine.name },
        Task: { Token: this.tokenSentinel },
      },
    });
    execution.abort = run.abort;
    this.publish(execution);
    // The end is recorded once the history holds every event the interpreter logged.
    const recorded = this.record(execution, run.eventLogs as AsyncGenerator<InterpreterEvent>);
    void Promise.all([run.result.then(succeeded, failed), recorded]).then(([outcome]) => {
      if (outcome) this.end(execution, outcome);
    });
  }

  private async record(execution: Execution, events: AsyncGenerator<InterpreterEvent>): Promise<void> {
    const context = {
      region: this.options.region,
      tasks: execution.target.revision.program.tasks,
      records: execution.records,
    };
    for await (const event of events) {
      if (execution.status !== 'RUNNING') continue;
      if (event.type === 'StateEntered') execution.transitions++;
      for (const details of historyEvents(event, context))
        execution.append(details, new Date(event.timestamp));
    }
  }

  /** One entry of a Task state, with its own release and its TimeoutSeconds. */
  private task(
    execution: Execution,
    stateName: string,
    state: AslState,
    parameters: unknown,
  ): Promise<unknown> {
    // The interpreter, aborted, still retries a failing task: an ended execution runs none.
    if (execution.status !== 'RUNNING') return NEVER;
    const release = new AbortController();
    execution.releases.add(release);
    const record: TaskRecord = { parameters };
    execution.records.set(stateName, record);
    const work = this.integrations.run({
      state,
      parameters: parameters as Record<string, unknown>,
      released: release.signal,
    });
    const timeoutSeconds = state.TimeoutSeconds as number | undefined;
    return expiring(timeoutSeconds, work, () => {
      release.abort();
      return this.errors.timeout();
    })
      .then((result) => (record.result = result))
      .finally(() => execution.releases.delete(release));
  }

  /** Records the end once (a stop wins over what the interpreter reports after it), releases its tasks. */
  private end(execution: Execution, outcome: Outcome): void {
    if (execution.status !== 'RUNNING') return;
    execution.status = outcome.status;
    execution.outcome = outcome;
    execution.stopDate = new Date();
    execution.append(endEvent(outcome));
    execution.abort();
    for (const release of execution.releases) release.abort();
    this.publish(execution);
    execution.markEnded();
  }

  /** EventBridge's "Step Functions Execution Status Change", sent after the status changed. */
  private publish(execution: Execution): void {
    const description = execution.describe();
    this.options.onExecutionStatusChange?.({
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      detail: {
        executionArn: execution.arn,
        stateMachineArn: execution.target.machine.arn,
        name: execution.name,
        status: execution.status,
        startDate: execution.startDate.getTime(),
        stopDate: execution.stopDate?.getTime() ?? null,
        input: execution.input,
        output: description.output ?? null,
        inputDetails: { included: true },
        outputDetails: description.output === undefined ? null : { included: true },
        error: description.error ?? null,
        cause: description.cause ?? null,
      },
    });
  }
}

function succeeded(output: unknown): Outcome {
  return { status: 'SUCCEEDED', output: JSON.stringify(output) };
}

/** How the interpreter's run ended, as Step Functions reports it; a stop was already recorded. */
function failed(error: unknown): Outcome | undefined {
  if (error instanceof ExecutionAbortedError) return undefined;
  if (error instanceof ExecutionTimeoutError)
    return { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution timed out' };
  const cause = error instanceof ExecutionError ? (error.cause as Error) : (error as Error);
  return { status: 'FAILED', error: cause.name, cause: cause.message };
}

function endEvent(outcome: Outcome): HistoryDetails {
  const { status, output, error, cause } = outcome;
  const failure = { ...optionalField('error', error), ...optionalField('cause', cause) };
  switch (status) {
    case 'SUCCEEDED':
      return {
        type: 'ExecutionSucceeded',
        executionSucceededEventDetails: { output, outputDetails: { truncated: false } },
      };
    case 'FAILED':
      return { type: 'ExecutionFailed', executionFailedEventDetails: failure };
    case 'TIMED_OUT':
      return { type: 'ExecutionTimedOut', executionTimedOutEventDetails: failure };
    case 'ABORTED':
      return { type: 'ExecutionAborted', executionAbortedEventDetails: failure };
  }
}

/** Races a task against its TimeoutSeconds; `expire` releases the task and makes the error. */
function expiring<T>(seconds: number | undefined, work: Promise<T>, expire: () => Error): Promise<T> {
  if (seconds === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(expire()), seconds * 1000);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

function pageStart(token: string | undefined): number {
  if (token === undefined) return 0;
  const start = Number(Buffer.from(token, 'base64').toString('utf8'));
  if (!Number.isInteger(start) || start < 0)
    throw new StepFunctionsError('InvalidToken', 'Invalid nextToken');
  return start;
}

function optionalField(field: string, value: string | undefined): Record<string, string> {
  return value === undefined ? {} : { [field]: value };
}
