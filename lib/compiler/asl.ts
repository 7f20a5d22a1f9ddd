/** The slice of Amazon States Language (JSONPath) the compiler emits. */

export type State = Record<string, unknown> & { readonly Type: string };

export interface StateMachineDefinition {
  Comment?: string;
  StartAt: string;
  States: Record<string, State>;
  QueryLanguage?: 'JSONPath';
}

/** A Choice rule without `Next` (a condition), as nested inside And/Or/Not. */
export type Condition = Record<string, unknown>;

export function isPresent(path: string): Condition {
  return { Variable: path, IsPresent: true };
}

export function anyOf(conditions: readonly Condition[]): Condition {
  return conditions.length === 1 ? conditions[0] : { Or: conditions };
}

export function allOf(conditions: readonly Condition[]): Condition {
  return conditions.length === 1 ? conditions[0] : { And: conditions };
}

export function not(condition: Condition): Condition {
  return { Not: condition };
}

export const ECS_RUN_TASK = 'arn:aws:states:::ecs:runTask.waitForTaskToken';
export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
export const LAMBDA_INVOKE_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
export const START_EXECUTION_SYNC = 'arn:aws:states:::states:startExecution.sync:2';

/**
 * Infrastructure tasks (synchronisation, spawn-failure records) never decide a node's outcome, so
 * any error of theirs is transient or a bug: retry it, then fail the execution.
 */
export const INFRASTRUCTURE_RETRY = [
  { ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 6, BackoffRate: 2 },
];

/**
 * Errors of ECS's RunTask itself (no capacity, throttling, a service fault): the container never
 * started, so starting it again is safe. A playbook's failure arrives through SendTaskFailure
 * under the runner's own error names and is never retried: that is the failure edge's job.
 */
export const LAUNCH_RETRY = [
  // Step Functions names ECS's errors after the SDK's exception classes: RunTask's throttling and
  // capacity answers arrive as AmazonECSException. Three retries, 5, 10 and 20 s later (the
  // default rate): every job task carries this, so only what differs from the defaults is written
  // (a 1,000-node definition must stay under the 1 MB quota).
  { ErrorEquals: ['ECS.AmazonECSException'], IntervalSeconds: 5 },
];

/** Visits every state, including those inside Parallel branches. */
export function forEachState(
  definition: StateMachineDefinition,
  visit: (name: string, state: State) => void,
): void {
  const walk = (states: Record<string, State>) => {
    for (const [name, state] of Object.entries(states)) {
      visit(name, state);
      for (const branch of (state.Branches as { States: Record<string, State> }[] | undefined) ?? [])
        walk(branch.States);
    }
  };
  walk(definition.States);
}
