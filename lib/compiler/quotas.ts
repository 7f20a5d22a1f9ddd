import { forEachState, type StateMachineDefinition } from './asl';

/** Step Functions quotas checked at compile time (docs/architecture.md §4). */
export const MAX_DEFINITION_BYTES = 1_048_576;
export const MAX_HISTORY_EVENTS = 25_000;

/** History events a state adds when entered once (Standard workflows). */
const EVENTS_PER_STATE: Record<string, number> = {
  Task: 6, // Entered, Scheduled, Started, Submitted, Succeeded|Failed|TimedOut, Exited
  Parallel: 4, // Entered, Started, Succeeded, Exited
  Pass: 2,
  Choice: 2,
  Succeed: 2,
  Fail: 2,
  Wait: 4,
};
const EXECUTION_EVENTS = 2; // ExecutionStarted, ExecutionSucceeded|Failed

export function definitionBytes(definition: StateMachineDefinition): number {
  return Buffer.byteLength(JSON.stringify(definition), 'utf8');
}

/**
 * An upper bound of the events one execution can write: compiled machines have no loops, so each
 * state is entered at most once, and retries of infrastructure tasks are ignored.
 */
export function projectedHistoryEvents(definition: StateMachineDefinition): number {
  let events = EXECUTION_EVENTS;
  forEachState(definition, (_name, state) => {
    events += EVENTS_PER_STATE[state.Type] ?? 2;
  });
  return events;
}

/**
 * Why a workflow is too large to compile at all, before any work that grows with its size squared
 * (lib/compiler/plan.ts): each node compiles to one Task state at least (its job, its wait, or a
 * record of why it fails), so past this many nodes one execution could exceed the history quota.
 */
export function nodeCountViolation(workflowName: string, nodes: number): string | undefined {
  if (EXECUTION_EVENTS + nodes * EVENTS_PER_STATE.Task <= MAX_HISTORY_EVENTS) return undefined;
  return `workflow '${workflowName}' has ${nodes} nodes, one Task state each at least, so one execution could write more than the Step Functions limit of ${MAX_HISTORY_EVENTS} history events; split it into nested workflows`;
}

/** Why a compiled workflow cannot be deployed, or undefined when it fits both quotas. */
export function quotaViolation(
  workflowName: string,
  stats: { readonly definitionBytes: number; readonly projectedHistoryEvents: number },
): string | undefined {
  if (stats.definitionBytes > MAX_DEFINITION_BYTES) {
    return `workflow '${workflowName}' compiles to ${stats.definitionBytes} bytes of ASL, over the Step Functions limit of ${MAX_DEFINITION_BYTES} bytes (1 MB); split it into nested workflows`;
  }
  if (stats.projectedHistoryEvents > MAX_HISTORY_EVENTS) {
    return `workflow '${workflowName}' can write up to ${stats.projectedHistoryEvents} execution history events, over the Step Functions limit of ${MAX_HISTORY_EVENTS}; split it into nested workflows`;
  }
  return undefined;
}
