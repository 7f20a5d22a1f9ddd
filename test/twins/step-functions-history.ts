import type { AslState } from './step-functions-program';

/**
 * Execution history events in Step Functions' shape, mapped from the interpreter's event log:
 * `<Type>StateEntered`/`Exited` for every state, the Task and Parallel lifecycle events around
 * them. The interpreter's retry, catch and branch events have no history event of their own.
 */

/** The slice of aws-local-stepfunctions' event log the history reads (the type is not exported). */
export interface InterpreterEvent {
  readonly type: string;
  readonly timestamp: number;
  readonly state?: {
    readonly name: string;
    readonly type: string;
    readonly input: unknown;
    readonly output?: unknown;
  };
  readonly Error?: string;
  readonly Cause?: unknown;
}

/** What the twin saw of a Task entry: its input after Parameters and its result. */
export interface TaskRecord {
  parameters: unknown;
  result?: unknown;
}

export type HistoryDetails = Record<string, unknown> & { readonly type: string };

export interface HistoryContext {
  readonly region: string;
  readonly tasks: ReadonlyMap<string, AslState>;
  readonly records: ReadonlyMap<string, TaskRecord>;
}

const TIMEOUTS = ['States.Timeout', 'States.HeartbeatTimeout'];

export function historyEvents(event: InterpreterEvent, context: HistoryContext): HistoryDetails[] {
  const state = event.state;
  if (!state) return [];
  const task = state.type === 'Task' ? taskDetails(context, state.name) : undefined;
  switch (event.type) {
    case 'StateEntered':
      return [
        {
          type: `${state.type}StateEntered`,
          stateEnteredEventDetails: { name: state.name, input: json(state.input) },
        },
        ...(task ? taskStarted(context, state.name, task) : []),
        ...(state.type === 'Parallel' ? [{ type: 'ParallelStateStarted' }] : []),
      ];
    case 'StateExited':
      return [
        ...(task
          ? [
              {
                type: 'TaskSucceeded',
                taskSucceededEventDetails: { ...task, output: json(context.records.get(state.name)?.result) },
              },
            ]
          : []),
        ...(state.type === 'Parallel' ? [{ type: 'ParallelStateSucceeded' }] : []),
        {
          type: `${state.type}StateExited`,
          stateExitedEventDetails: { name: state.name, output: json(state.output) },
        },
      ];
    case 'StateFailed':
      return task
        ? [taskFailed(task, event)]
        : state.type === 'Parallel'
          ? [{ type: 'ParallelStateFailed' }]
          : [];
    default:
      return [];
  }
}

interface TaskResource {
  readonly resourceType: string;
  readonly resource: string;
}

/** `arn:aws:states:::ecs:runTask.waitForTaskToken` is resource type `ecs`, resource `runTask.waitForTaskToken`. */
function taskDetails(context: HistoryContext, name: string): TaskResource {
  const integration = String(context.tasks.get(name)?.Resource).split(':::')[1] ?? '';
  const [resourceType, resource] = integration.split(/:(.*)/);
  return { resourceType, resource };
}

function taskStarted(context: HistoryContext, name: string, task: TaskResource): HistoryDetails[] {
  const state = context.tasks.get(name)!;
  return [
    {
      type: 'TaskScheduled',
      taskScheduledEventDetails: {
        ...task,
        region: context.region,
        parameters: json(context.records.get(name)?.parameters ?? {}),
        ...(typeof state.TimeoutSeconds === 'number' ? { timeoutInSeconds: state.TimeoutSeconds } : {}),
        ...(typeof state.HeartbeatSeconds === 'number' ? { heartbeatInSeconds: state.HeartbeatSeconds } : {}),
      },
    },
    { type: 'TaskStarted', taskStartedEventDetails: task },
  ];
}

function taskFailed(task: TaskResource, event: InterpreterEvent): HistoryDetails {
  const details = { ...task, error: event.Error ?? '', cause: String(event.Cause ?? '') };
  return TIMEOUTS.includes(details.error)
    ? { type: 'TaskTimedOut', taskTimedOutEventDetails: details }
    : { type: 'TaskFailed', taskFailedEventDetails: details };
}

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}
